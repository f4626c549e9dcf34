"""Partner API of the charity app, mounted under /api/v1/charity/."""

from django.urls import path

from . import views

app_name = "charity-api"
urlpatterns = [
    path("organisations/", views.OrganisationListView.as_view(), name="organisation-list"),
    path("organisations/<int:id>/", views.OrganisationDetailView.as_view(), name="organisation-detail"),
    path("funds/", views.FundListView.as_view(), name="fund-list"),
    path("funds/<int:id>/", views.FundDetailView.as_view(), name="fund-detail"),
    path("funds/<int:id>/entries/", views.FundEntryListView.as_view(), name="fund-entries"),
    path("projects/", views.ProjectListView.as_view(), name="project-list"),
    path("projects/<int:id>/", views.ProjectDetailView.as_view(), name="project-detail"),
    path("pairings/", views.PairingListView.as_view(), name="pairing-list"),
    path("pairings/<int:id>/", views.PairingDetailView.as_view(), name="pairing-detail"),
    path("referrals/", views.ReferralListCreateView.as_view(), name="referral-list"),
    path("referrals/<int:id>/", views.ReferralDetailView.as_view(), name="referral-detail"),
    path("referrals/<int:id>/accept/", views.ReferralAcceptView.as_view(), name="referral-accept"),
    path("referrals/<int:id>/decline/", views.ReferralDeclineView.as_view(), name="referral-decline"),
    path("referrals/<int:id>/help/", views.ReferralHelpView.as_view(), name="referral-help"),
    path("referrals/<int:id>/close/", views.ReferralCloseView.as_view(), name="referral-close"),
]
