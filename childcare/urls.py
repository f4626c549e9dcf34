"""Browser pages of the childcare app."""

from django.urls import path

from .views import allowances, figures, profiles, reports, visits

app_name = "childcare"
urlpatterns = [
    # Mandatory reports (强制报告): the reports the user may open, intake, the reference, the case file.
    path("", reports.report_list, name="report-list"),
    path("reports/overdue/", reports.report_overdue, name="report-overdue"),
    path("reports/new/", reports.report_new, name="report-new"),
    path("reports/<int:pk>/received/", reports.report_received, name="report-received"),
    path("reports/<int:pk>/", reports.report_detail, name="report-detail"),
    path("reports/<int:pk>/step/", reports.report_step, name="report-step"),
    # Child profiles: the caseload, registering a child, the child's case file.
    path("children/", profiles.profile_list, name="profile-list"),
    path("children/new/", profiles.profile_register, name="profile-register"),
    path("children/<int:pk>/", profiles.profile_detail, name="profile-detail"),
    # On the child's case file: the allowance claim and its two decisions, the director's visits.
    path("children/<int:pk>/allowance/", allowances.claim_file, name="allowance-claim"),
    path("children/<int:pk>/allowance/<int:claim_pk>/verify/", allowances.claim_verify, name="allowance-verify"),
    path("children/<int:pk>/allowance/<int:claim_pk>/confirm/", allowances.claim_confirm, name="allowance-confirm"),
    path("children/<int:pk>/visits/", visits.visit_record, name="visit-record"),
    # The caseload's overdue visits and allowance claims.
    path("children/visits-overdue/", visits.visits_overdue, name="visit-overdue"),
    path("allowances/overdue/", allowances.claims_overdue, name="allowance-overdue"),
    # Figures without case content.
    path("figures/", figures.aggregates, name="aggregates"),
]
