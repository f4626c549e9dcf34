"""Browser pages of the relief app."""

from django.urls import include, path

from .views import applications, entitlements

app_name = "relief"
urlpatterns = [
    path("", applications.application_list, name="application-list"),
    path("overdue/", applications.overdue_list, name="overdue"),
    path("applications/new/", applications.application_file, name="application-file"),
    path("applications/<int:pk>/", applications.application_detail, name="application-detail"),
    path("applications/<int:pk>/<str:action>/", applications.application_act, name="application-act"),
    path("", include("relief.print_urls")),
    path("entitlements/<int:pk>/", entitlements.entitlement_detail, name="entitlement-detail"),
    path("entitlements/<int:pk>/<str:action>/", entitlements.entitlement_act, name="entitlement-act"),
    path("reviews/", entitlements.reviews_due, name="reviews-due"),
    path("gradual-exits/", entitlements.gradual_exits, name="gradual-exits"),
]
