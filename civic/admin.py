from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin
from django.utils.translation import gettext_lazy as _

from .models import ApiToken, Region, User


@admin.register(Region)
class RegionAdmin(admin.ModelAdmin):
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
