"""Partner API of the eldercare app, mounted under /api/v1/eldercare/."""

from django.urls import path

from . import views

app_name = "eldercare-api"
urlpatterns = [
    path("meals/", views.MealCheckInView.as_view(), name="meal-checkin"),
    path("halls/", views.HallListView.as_view(), name="hall-list"),
    path("halls/<int:id>/", views.HallDetailView.as_view(), name="hall-detail"),
    path("halls/<int:id>/counts/", views.HallCountsView.as_view(), name="hall-counts"),
    path("elders/", views.ElderListView.as_view(), name="elder-list"),
    path("elders/<int:id>/visits/", views.VisitListCreateView.as_view(), name="elder-visits"),
]
