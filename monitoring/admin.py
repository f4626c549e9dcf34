"""Monitoring records in the administration site, for looking things up. Warnings, records and people change only
through the services (each step leaves an AlertEvent and the audit trail), so they are read-only here; the rules
are tuned on the rules page, which checks each setting."""

from django.contrib import admin

from .models import Alert, AlertEvent, FeedRecord, MonitoredPerson, Rule


class ReadOnlyAdmin(admin.ModelAdmin):
    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(Rule)
class RuleAdmin(ReadOnlyAdmin):
    list_display = ["code", "enabled", "deadline_days", "urgent", "updated_at", "updated_by"]


@admin.register(MonitoredPerson)
class MonitoredPersonAdmin(ReadOnlyAdmin):
    list_display = ["resident", "region", "category", "status", "added_by_hand", "since", "ended_on"]
    list_filter = ["category", "status", "added_by_hand"]
    search_fields = ["resident__name"]
    list_select_related = ["resident", "region"]


@admin.register(FeedRecord)
class FeedRecordAdmin(ReadOnlyAdmin):
    list_display = ["feed", "reference", "event", "event_date", "match", "region", "received_at"]
    list_filter = ["feed", "match"]
    search_fields = ["reference"]
    list_select_related = ["region"]
    exclude = ["id_number"]


class AlertEventInline(admin.TabularInline):
    model = AlertEvent
    extra = 0
    can_delete = False
    fields = ["at", "step", "actor_label", "note"]
    readonly_fields = fields

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(Alert)
class AlertAdmin(ReadOnlyAdmin):
    list_display = ["pk", "rule", "region", "household", "status", "urgent", "found_on", "due_on", "assignee"]
    list_filter = ["rule", "status", "urgent"]
    list_select_related = ["region", "household", "assignee"]
    inlines = [AlertEventInline]
