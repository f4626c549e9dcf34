"""Partner API of the monitoring app, mounted under /api/v1/monitoring/."""

from django.urls import path

from . import views

app_name = "monitoring-api"
urlpatterns = [
    path("feeds/<str:feed>/records/", views.FeedRecordsView.as_view(), name="feed-records"),
    path("alerts/", views.AlertListView.as_view(), name="alert-list"),
    path("alerts/<int:id>/", views.AlertDetailView.as_view(), name="alert-detail"),
    path("people/", views.PersonListView.as_view(), name="person-list"),
]
