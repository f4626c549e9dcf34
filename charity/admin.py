"""Charity records in the administration site, for correcting contacts and names. Balances and the ledger are
read-only here: money moves only through the services, which lock the fund and write the ledger."""

from django.contrib import admin

from .models import Fund, Organisation, Project


@admin.register(Organisation)
class OrganisationAdmin(admin.ModelAdmin):
    list_display = ["name", "kind", "credit_code", "grade", "grade_valid_until", "region"]
    list_filter = ["kind", "grade"]
    search_fields = ["name", "credit_code"]
    autocomplete_fields = ["region"]
    readonly_fields = ["credit_code"]


@admin.register(Fund)
class FundAdmin(admin.ModelAdmin):
    list_display = ["name", "organisation", "balance"]
    search_fields = ["name", "organisation__name"]
    readonly_fields = ["organisation", "balance"]

    def has_add_permission(self, request):
        return False


@admin.register(Project)
class ProjectAdmin(admin.ModelAdmin):
    list_display = ["name", "organisation", "category", "status", "region", "budget"]
    list_filter = ["category", "status"]
    search_fields = ["name", "organisation__name"]
    readonly_fields = ["organisation", "region", "status", "created_by"]

    def has_add_permission(self, request):
        return False
