"""Browser pages of the governance app (community councils, 议事协商), mounted at /governance/."""

from django.urls import path
from django.views.generic import RedirectView

from .views import councils, figures, meetings, micro_projects, resolutions, topics

app_name = "governance"
urlpatterns = [
    path("", RedirectView.as_view(pattern_name="governance:council-list"), name="index"),
    # Councils, their members and their meetings.
    path("councils/", councils.council_list, name="council-list"),
    path("councils/new/", councils.council_create, name="council-create"),
    path("councils/<int:pk>/", councils.council_detail, name="council-detail"),
    path("councils/<int:pk>/members/", councils.member_add, name="member-add"),
    path("councils/<int:pk>/members/<int:member_pk>/leave/", councils.member_leave, name="member-leave"),
    path("councils/<int:pk>/meetings/new/", meetings.meeting_record, name="meeting-record"),
    path("meetings/<int:pk>/", meetings.meeting_detail, name="meeting-detail"),
    # Topics: received, accepted or declined; the micro-projects they fund.
    path("topics/", topics.topic_list, name="topic-list"),
    path("topics/new/", topics.topic_create, name="topic-create"),
    path("topics/<int:pk>/", topics.topic_detail, name="topic-detail"),
    path("topics/<int:pk>/accept/", topics.topic_accept, name="topic-accept"),
    path("topics/<int:pk>/decline/", topics.topic_decline, name="topic-decline"),
    path("topics/<int:pk>/micro-projects/", topics.micro_project_create, name="micro-project-create"),
    # Resolutions and their implementation; the outcome notice.
    path("resolutions/", resolutions.resolution_list, name="resolution-list"),
    path("resolutions/<int:pk>/", resolutions.resolution_detail, name="resolution-detail"),
    path("resolutions/<int:pk>/progress/", resolutions.progress_add, name="progress-add"),
    path("resolutions/<int:pk>/implemented/", resolutions.resolution_implemented, name="resolution-implemented"),
    path(
        "resolutions/<int:pk>/not-implemented/",
        resolutions.resolution_not_implemented,
        name="resolution-not-implemented",
    ),
    path("resolutions/<int:pk>/publish/", resolutions.resolution_publish, name="resolution-publish"),
    path("resolutions/<int:pk>/print/", resolutions.resolution_print, name="resolution-print"),
    # Micro-projects (民生微实事).
    path("micro-projects/", micro_projects.micro_project_list, name="micro-project-list"),
    path("micro-projects/<int:pk>/", micro_projects.micro_project_detail, name="micro-project-detail"),
    path("micro-projects/<int:pk>/update/", micro_projects.micro_project_update, name="micro-project-update"),
    # Execution rate and participation.
    path("figures/", figures.figures, name="figures"),
    path("figures.csv", figures.figures_csv, name="figures-csv"),
]
