from django.urls import path

from . import registry_views, views

app_name = "civic-api"
urlpatterns = [
    path("me/", views.MeView.as_view(), name="me"),
    path("regions/", views.RegionListView.as_view(), name="region-list"),
    path("regions/<str:code>/", views.RegionDetailView.as_view(), name="region-detail"),
    path("households/", registry_views.HouseholdListCreateView.as_view(), name="household-list"),
    path("households/<int:id>/", registry_views.HouseholdDetailView.as_view(), name="household-detail"),
    path("residents/", registry_views.ResidentListCreateView.as_view(), name="resident-list"),
    path("residents/<int:id>/", registry_views.ResidentDetailView.as_view(), name="resident-detail"),
]
