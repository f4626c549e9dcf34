from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path
from django.utils.translation import gettext_lazy as _
from drf_spectacular.views import SpectacularAPIView, SpectacularRedocView, SpectacularSwaggerView

from .forms import LoginForm
from .views import dashboard as dashboard_views
from .views import home as views

admin.site.site_header = _("Civic administration")
admin.site.site_title = _("Civic administration")

DOMAIN_APPS = ["relief", "eldercare", "childcare", "charity", "governance", "monitoring"]

api_v1 = [path("", include("civic.api.urls"))] + [path(f"{app}/", include(f"{app}.api.urls")) for app in DOMAIN_APPS]

urlpatterns = [
    path("", views.home, name="home"),
    path(
        "accounts/login/",
        auth_views.LoginView.as_view(authentication_form=LoginForm, redirect_authenticated_user=True),
        name="login",
    ),
    path("accounts/logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("i18n/", include("django.conf.urls.i18n")),
    path("healthz/", views.healthz, name="healthz"),
    path("dashboard/", dashboard_views.dashboard_page, name="dashboard"),
    path(
        "dashboard/export/<slug:panel>/<slug:table>.<str:fmt>",
        dashboard_views.dashboard_export,
        name="dashboard-export",
    ),
    path("admin/", admin.site.urls),
    path("registry/", include("civic.registry_urls")),
    path("api/v1/", include(api_v1)),
    path("api/schema/", SpectacularAPIView.as_view(), name="api-schema"),
    path("api/docs/", SpectacularSwaggerView.as_view(url_name="api-schema"), name="api-docs"),
    path("api/redoc/", SpectacularRedocView.as_view(url_name="api-schema"), name="api-redoc"),
] + [path(f"{app}/", include(f"{app}.urls")) for app in DOMAIN_APPS]

handler404 = "civic.views.errors.page_not_found"
handler500 = "civic.views.errors.server_error"
