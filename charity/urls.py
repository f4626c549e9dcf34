"""Browser pages of the charity app."""

from django.urls import path

from .views import funds, importing, organisations, pairings, projects, referrals, reports

app_name = "charity"
urlpatterns = [
    # Social organisations, their import from a spreadsheet, and their funds.
    path("", organisations.organisation_list, name="organisation-list"),
    path("organisations/new/", organisations.organisation_register, name="organisation-register"),
    path("organisations/<int:pk>/", organisations.organisation_detail, name="organisation-detail"),
    path("organisations/<int:pk>/funds/", organisations.fund_open, name="fund-open"),
    path("organisations/import/", importing.organisation_import, name="organisation-import"),
    path("organisations/import/confirm/", importing.organisation_import_confirm, name="organisation-import-confirm"),
    path("organisations/import/template.xlsx", importing.organisation_import_template, name="organisation-template"),
    path("funds/", funds.fund_list, name="fund-list"),
    path("funds/<int:pk>/", funds.fund_detail, name="fund-detail"),
    path("funds/<int:pk>/donations/", funds.donation_record, name="donation-record"),
    path("funds/<int:pk>/grants/", funds.grant_make, name="grant-make"),
    path("funds/<int:pk>/ledger.csv", funds.fund_ledger_csv, name="fund-ledger-csv"),
    # Projects and their activities.
    path("projects/", projects.project_list, name="project-list"),
    path("projects/new/", projects.project_create, name="project-create"),
    path("projects/<int:pk>/", projects.project_detail, name="project-detail"),
    path("projects/<int:pk>/status/", projects.project_move, name="project-move"),
    path("projects/<int:pk>/activities/", projects.activity_record, name="activity-record"),
    # Pairings (结对帮扶) and their activities.
    path("pairings/", pairings.pairing_list, name="pairing-list"),
    path("pairings/new/", pairings.pairing_create, name="pairing-create"),
    path("pairings/<int:pk>/", pairings.pairing_detail, name="pairing-detail"),
    path("pairings/<int:pk>/end/", pairings.pairing_end, name="pairing-end"),
    path("pairings/<int:pk>/activities/", pairings.pairing_activity_record, name="pairing-activity-record"),
    # Referrals from relief, followed to an outcome.
    path("referrals/", referrals.referral_list, name="referral-list"),
    path("referrals/new/", referrals.referral_new, name="referral-new"),
    path("referrals/<int:pk>/", referrals.referral_detail, name="referral-detail"),
    path("referrals/<int:pk>/accept/", referrals.referral_accept, name="referral-accept"),
    path("referrals/<int:pk>/decline/", referrals.referral_decline, name="referral-decline"),
    path("referrals/<int:pk>/help/", referrals.referral_help, name="referral-help"),
    path("referrals/<int:pk>/close/", referrals.referral_close, name="referral-close"),
    path("referrals/<int:pk>/print/", referrals.referral_print, name="referral-print"),
    # Reports by region and category.
    path("reports/", reports.report, name="report"),
    path("reports/export.<str:fmt>", reports.report_export, name="report-export"),
]
