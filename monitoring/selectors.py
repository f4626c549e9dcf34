"""Reads of monitoring data, already scoped to the reader's area (anything outside it does not exist for them)."""

from django.db.models import Q

from civic import access

from .models import Alert, AlertStatus, FeedRecord, MatchStatus, MonitoredPerson, Rule


def alerts_for(principal):
    queryset = Alert.objects.select_related("region", "household", "resident", "assignee", "entitlement", "record")
    return access.scope_queryset(principal, queryset)


def work_list(principal, *, mine=True, status=AlertStatus.OPEN):
    """A caseworker's tasks: open warnings assigned to them or to nobody in their area, urgent first, then by
    deadline. Others (streets, districts) see every open warning of their area."""
    alerts = alerts_for(principal).filter(status=status)
    if mine and getattr(principal, "pk", None):
        alerts = alerts.filter(Q(assignee=principal) | Q(assignee__isnull=True))
    return alerts.order_by("-urgent", "due_on", "pk")


def people_for(principal):
    queryset = MonitoredPerson.objects.select_related("resident", "region", "household")
    return access.scope_queryset(principal, queryset)


def unmatched_for(principal):
    """Partner records no resident matched, waiting for review in the sender's area."""
    return access.scope_queryset(
        principal, FeedRecord.objects.filter(match=MatchStatus.UNMATCHED), field="region_id"
    ).order_by("-received_at", "-pk")


def records_for(principal):
    return access.scope_queryset(principal, FeedRecord.objects.all())


def household_alerts(principal, household):
    return alerts_for(principal).filter(Q(household=household) | Q(resident__household=household))


def rules():
    return Rule.objects.order_by("pk")
