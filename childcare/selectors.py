"""Reads of child protection: overdue reports and the aggregates managers may see (no case file content)."""

from django.db.models import Count, Q
from django.utils import timezone

from civic import access

from .models import OPEN_STATES, MandatoryReport
from .rules import profiles_for, reports_for


def overdue_reports(principal, now=None):
    """Open reports not acted on by their deadline, the longest overdue first."""
    now = now or timezone.now()
    return (
        reports_for(principal).filter(state__in=OPEN_STATES, acted_at__isnull=True, act_by__lt=now).order_by("act_by")
    )


def report_aggregates(principal, now=None):
    """Counts by state and the overdue count in the principal's area: for managers, who see no case file."""
    now = now or timezone.now()
    reports = access.scope_queryset(principal, MandatoryReport.objects.all())
    by_state = dict(reports.values_list("state").annotate(n=Count("pk")).values_list("state", "n"))
    overdue = reports.filter(state__in=OPEN_STATES, acted_at__isnull=True, act_by__lt=now).count()
    danger = reports.filter(Q(immediate_danger=True), state__in=OPEN_STATES).count()
    return {"by_state": by_state, "overdue": overdue, "open_in_danger": danger, "total": sum(by_state.values())}


def visits_overdue(principal, today=None):
    """Children on the principal's caseload whose director visit is past due."""
    today = today or timezone.localdate()
    return (
        profiles_for(principal)
        .filter(closed_on__isnull=True, next_visit_due__lt=today)
        .order_by("next_visit_due", "pk")
    )
