"""Partner API of the governance app, mounted under /api/v1/governance/."""

from django.urls import path

from . import views

app_name = "governance-api"
urlpatterns = [
    path("councils/", views.CouncilListView.as_view(), name="council-list"),
    path("councils/<int:id>/", views.CouncilDetailView.as_view(), name="council-detail"),
    path("topics/", views.TopicListCreateView.as_view(), name="topic-list"),
    path("topics/<int:id>/", views.TopicDetailView.as_view(), name="topic-detail"),
    path("meetings/", views.MeetingListView.as_view(), name="meeting-list"),
    path("resolutions/", views.ResolutionListView.as_view(), name="resolution-list"),
    path("resolutions/<int:id>/", views.ResolutionDetailView.as_view(), name="resolution-detail"),
    path("micro-projects/", views.MicroProjectListView.as_view(), name="micro-project-list"),
    path("figures/", views.FiguresView.as_view(), name="figures"),
]
