from datetime import datetime

from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin
from django.utils.translation import gettext_lazy as _
from django.utils.translation import override
from import_export import fields, resources, widgets
from import_export.admin import ImportExportModelAdmin

from .models import ApiToken, CalendarDay, Region, User


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


class CalendarDateWidget(widgets.DateWidget):
    """A date typed the way a notice or a spreadsheet writes it, or a date cell of an XLSX file."""

    FORMATS = ("%Y-%m-%d", "%Y/%m/%d", "%Y.%m.%d", "%Y年%m月%d日")

    def __init__(self):
        super().__init__()
        self.formats = self.FORMATS

    def clean(self, value, row=None, **kwargs):
        if isinstance(value, datetime):
            return value.date()
        if isinstance(value, str):
            value = value.strip()
        return super().clean(value, row, **kwargs)


class CalendarKindWidget(widgets.Widget):
    """The kind as stored (holiday, workday), as its label in English or Chinese, or as the notice says it
    (放假, 上班)."""

    ALIASES = {CalendarDay.Kind.HOLIDAY: ["放假"], CalendarDay.Kind.WORKDAY: ["上班"]}

    def clean(self, value, row=None, **kwargs):
        text = str(value or "").strip().casefold()
        for kind in CalendarDay.Kind:
            names = {kind.value, *self.ALIASES[kind]}
            for language in ("en", "zh-hans"):
                with override(language):
                    names.add(str(kind.label))
            if text in {name.casefold() for name in names}:
                return kind.value
        raise ValueError(_("Unknown kind “%(value)s”: use holiday or workday.") % {"value": value})

    def render(self, value, obj=None, **kwargs):
        return value or ""


class CalendarDayResource(resources.ModelResource):
    """A year's official holiday notice from a spreadsheet (date, kind, name): one row per weekday off and per
    make-up working day. A row for a date already in the calendar replaces it."""

    date = fields.Field(attribute="date", column_name="date", widget=CalendarDateWidget())
    kind = fields.Field(attribute="kind", column_name="kind", widget=CalendarKindWidget())

    class Meta:
        model = CalendarDay
        import_id_fields = ["date"]
        fields = ["date", "kind", "name"]
        skip_unchanged = True
        clean_model_instances = True


@admin.register(CalendarDay)
class CalendarDayAdmin(ImportExportModelAdmin):
    resource_classes = [CalendarDayResource]
    list_display = ["date", "kind", "name"]
    list_filter = ["kind"]
    date_hierarchy = "date"
    search_fields = ["name"]
