"""Browser pages of the relief app."""

from django.urls import include, path

from .views import applications

app_name = "relief"
urlpatterns = [
    path("", applications.application_list, name="application-list"),
    path("overdue/", applications.overdue_list, name="overdue"),
    path("applications/new/", applications.application_file, name="application-file"),
    path("applications/<int:pk>/", applications.application_detail, name="application-detail"),
    path("applications/<int:pk>/<str:action>/", applications.application_act, name="application-act"),
    path("", include("relief.print_urls")),
]
