"""Partner API of the monitoring app, mounted under /api/v1/monitoring/."""

from django.urls import path  # noqa: F401

app_name = "monitoring-api"
urlpatterns = []
