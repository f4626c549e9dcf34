"""Partner API of the relief app, mounted under /api/v1/relief/."""

from django.urls import path

from . import application_views, money_views, policy_views, views

app_name = "relief-api"
urlpatterns = [
    path("quotes/", views.QuoteView.as_view(), name="quote"),
    path("applications/", application_views.ApplicationListCreateView.as_view(), name="application-list"),
    path("applications/<int:id>/", application_views.ApplicationDetailView.as_view(), name="application-detail"),
    path(
        "applications/<int:id>/documents/",
        application_views.DocumentCreateView.as_view(),
        name="application-documents",
    ),
    path(
        "applications/<int:id>/investigation/",
        application_views.InvestigationView.as_view(),
        name="application-investigation",
    ),
    path(
        "applications/<int:id>/home-visits/",
        application_views.HomeVisitCreateView.as_view(),
        name="application-home-visits",
    ),
    path(
        "applications/<int:id>/cross-checks/",
        application_views.CrossCheckCreateView.as_view(),
        name="application-cross-checks",
    ),
    path("applications/<int:id>/opinion/", application_views.OpinionView.as_view(), name="application-opinion"),
    path(
        "applications/<int:id>/objections/",
        application_views.ObjectionCreateView.as_view(),
        name="application-objections",
    ),
    path(
        "applications/<int:id>/democratic-reviews/",
        application_views.DemocraticReviewCreateView.as_view(),
        name="application-democratic-reviews",
    ),
    path("applications/<int:id>/decision/", application_views.DecisionView.as_view(), name="application-decision"),
    path("entitlements/", application_views.EntitlementListView.as_view(), name="entitlement-list"),
    path("entitlements/<int:id>/", application_views.EntitlementDetailView.as_view(), name="entitlement-detail"),
    path("policies/", policy_views.PolicyListCreateView.as_view(), name="policy-list"),
    path("policies/in-force/", policy_views.PolicyInForceView.as_view(), name="policy-in-force"),
    path("policies/<int:id>/", policy_views.PolicyDetailView.as_view(), name="policy-detail"),
    path("policies/<int:id>/simulate/", policy_views.PolicySimulateView.as_view(), name="policy-simulate"),
    path("policies/<int:id>/publish/", policy_views.PolicyPublishView.as_view(), name="policy-publish"),
    path("batches/", money_views.BatchListView.as_view(), name="batch-list"),
    path("batches/<int:id>/", money_views.BatchDetailView.as_view(), name="batch-detail"),
    path("batches/<int:id>/lines/", money_views.BatchLineListView.as_view(), name="batch-lines"),
    path("batches/<int:id>/results/", money_views.BatchResultsView.as_view(), name="batch-results"),
    path("cpi-readings/", money_views.CpiReadingListCreateView.as_view(), name="cpi-reading-list"),
    path("jobs/<int:id>/", money_views.JobDetailView.as_view(), name="job-detail"),
]
