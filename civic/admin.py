from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin
from django.utils.translation import gettext_lazy as _
from import_export import fields, resources, widgets
from import_export.admin import ImportExportModelAdmin

from .models import ApiToken, Region, User


class RegionResource(resources.ModelResource):
    """The bureau loads or refreshes its whole region table from a spreadsheet (code, name, level, parent)."""

    parent = fields.Field(attribute="parent", column_name="parent", widget=widgets.ForeignKeyWidget(Region, "code"))

    class Meta:
        model = Region
        import_id_fields = ["code"]
        fields = ["code", "name", "level", "parent", "is_rural"]
        skip_unchanged = True


@admin.register(Region)
class RegionAdmin(ImportExportModelAdmin):
    resource_classes = [RegionResource]
    list_display = ["code", "name", "level", "parent", "is_rural"]
    list_filter = ["level", "is_rural"]
    search_fields = ["code", "name"]
    autocomplete_fields = ["parent"]


@admin.register(User)
class UserAdmin(BaseUserAdmin):
    list_display = ["username", "full_name", "role", "region", "is_active"]
    list_filter = ["role", "is_active"]
    search_fields = ["username", "full_name"]
    autocomplete_fields = ["region"]
    fieldsets = BaseUserAdmin.fieldsets + ((_("Role and region"), {"fields": ["full_name", "role", "region"]}),)


@admin.register(ApiToken)
class ApiTokenAdmin(admin.ModelAdmin):
    list_display = ["name", "key_hint", "region", "scopes", "is_active", "last_used_at"]
    list_filter = ["is_active"]
    search_fields = ["name"]
    readonly_fields = ["key_hint", "created_at", "last_used_at"]
    autocomplete_fields = ["region"]

    def has_add_permission(self, request):
        # A token is shown only once, at creation, which the create_partner command does.
        return False
