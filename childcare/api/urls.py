"""Partner API of the childcare app, mounted under /api/v1/childcare/."""

from django.urls import path

from . import views

app_name = "childcare-api"
urlpatterns = [
    path("reports/", views.ReportCreateView.as_view(), name="report-list"),
    path("reports/<str:reference>/", views.ReportDetailView.as_view(), name="report-detail"),
]
