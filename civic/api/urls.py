from django.urls import path

from . import views

app_name = "civic-api"
urlpatterns = [
    path("me/", views.MeView.as_view(), name="me"),
    path("regions/", views.RegionListView.as_view(), name="region-list"),
    path("regions/<str:code>/", views.RegionDetailView.as_view(), name="region-detail"),
]
