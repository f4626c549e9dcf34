"""Browser pages of the relief app."""

from django.urls import include, path

from .views import applications, batches, entitlements, standards, subsidies

app_name = "relief"
urlpatterns = [
    path("", applications.application_list, name="application-list"),
    path("overdue/", applications.overdue_list, name="overdue"),
    path("applications/new/", applications.application_file, name="application-file"),
    path("applications/<int:pk>/", applications.application_detail, name="application-detail"),
    path("applications/<int:pk>/<str:action>/", applications.application_act, name="application-act"),
    path("", include("relief.print_urls")),
    path("entitlements/<int:pk>/", entitlements.entitlement_detail, name="entitlement-detail"),
    path("entitlements/<int:pk>/<str:action>/", entitlements.entitlement_act, name="entitlement-act"),
    path("reviews/", entitlements.reviews_due, name="reviews-due"),
    path("gradual-exits/", entitlements.gradual_exits, name="gradual-exits"),
    # Benefit standards: drafted, simulated, published by a second manager.
    path("standards/", standards.standard_list, name="standard-list"),
    path("standards/new/", standards.standard_new, name="standard-new"),
    path("standards/<int:pk>/", standards.standard_detail, name="standard-detail"),
    path("standards/<int:pk>/edit/", standards.standard_edit, name="standard-edit"),
    path("standards/<int:pk>/simulate/", standards.standard_simulate, name="standard-simulate"),
    path("standards/<int:pk>/publish/", standards.standard_publish, name="standard-publish"),
    # Monthly payment batches.
    path("batches/", batches.batch_list, name="batch-list"),
    path("batches/generate/", batches.batch_generate, name="batch-generate"),
    path("batches/<int:pk>/", batches.batch_detail, name="batch-detail"),
    path("batches/<int:pk>/roster/", batches.batch_roster, name="batch-roster"),
    path("batches/<int:pk>/print/", batches.batch_print, name="batch-print"),
    path("batches/<int:pk>/results/", batches.batch_results, name="batch-results"),
    path("batches/<int:pk>/<str:action>/", batches.batch_act, name="batch-act"),
    # Subsidies and the progress of any money job.
    path("subsidies/", subsidies.subsidy_list, name="subsidy-list"),
    path("subsidies/cpi/", subsidies.cpi_record, name="subsidy-cpi"),
    path("subsidies/one-off/", subsidies.one_off_grant, name="subsidy-one-off"),
    path("jobs/<int:pk>/", batches.job_progress, name="job-progress"),
]
