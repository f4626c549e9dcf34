"""Household import and export pages (mounted under /registry/, namespace "registry")."""

from django.urls import path

from .views import registry_io

urlpatterns = [
    path("households/export/", registry_io.household_export, name="household-export"),
    path("households/import/", registry_io.household_import, name="household-import"),
    path("households/import/template/", registry_io.household_import_template, name="household-import-template"),
]
