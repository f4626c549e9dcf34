"""Browser pages of the monitoring app (低收入人口动态监测), mounted at /monitoring/."""

from django.urls import path
from django.views.generic import RedirectView

from .views import alerts, people, records, rules, runs

app_name = "monitoring"
urlpatterns = [
    path("", RedirectView.as_view(pattern_name="monitoring:alert-list"), name="index"),
    # Warnings and the tasks they give.
    path("tasks/", alerts.work_list, name="work-list"),
    path("alerts/", alerts.alert_list, name="alert-list"),
    path("alerts/export.<str:fmt>", alerts.alert_export, name="alert-export"),
    path("alerts/<int:pk>/", alerts.alert_detail, name="alert-detail"),
    path("alerts/<int:pk>/take/", alerts.alert_take, name="alert-take"),
    path("alerts/<int:pk>/dismiss/", alerts.alert_dismiss, name="alert-dismiss"),
    path("alerts/<int:pk>/review/", alerts.alert_review, name="alert-review"),
    path("alerts/<int:pk>/print/", alerts.alert_print, name="alert-print"),
    # People watched.
    path("people/", people.person_list, name="person-list"),
    path("people/new/", people.person_add, name="person-add"),
    path("people/<int:pk>/end/", people.person_end, name="person-end"),
    # Partner records no resident matched.
    path("records/unmatched/", records.unmatched_list, name="unmatched-list"),
    path("records/<int:pk>/match/", records.record_match, name="record-match"),
    path("records/<int:pk>/set-aside/", records.record_set_aside, name="record-set-aside"),
    # The rules and the nightly runs.
    path("rules/", rules.rule_list, name="rule-list"),
    path("rules/<slug:code>/", rules.rule_edit, name="rule-edit"),
    path("runs/", runs.run_list, name="run-list"),
    path("runs/start/", runs.run_start, name="run-start"),
]
