"""Reads of relief data."""

from datetime import timedelta

from django.db.models import OuterRef, Subquery
from django.utils import timezone

from civic import access, effective

from .models import Application, Entitlement, EntitlementStatus, PolicyState, ReliefPolicy
from .models.applications import OPEN_STATUSES
from .programmes import REQUIRED_DOCUMENTS


def policy_in_force(region_code, area, on):
    """The policy for a household in `region_code`: the most specific region that has one, and there the
    latest that has started by `on`. None when the bureau has not set one."""
    published = ReliefPolicy.objects.filter(area=area, state=PolicyState.PUBLISHED).prefetch_related("topups")
    return effective.in_force(published, region_code, on)


def applications_for(principal):
    return access.scope_queryset(principal, Application.objects.select_related("household", "region"))


def overdue_applications(principal, today=None):
    """Open applications whose current step is past its due date, the longest overdue first."""
    today = today or timezone.localdate()
    return applications_for(principal).filter(status__in=OPEN_STATUSES, step_due__lt=today).order_by("step_due", "pk")


def policies_for(principal):
    """Policies the principal may read: those of regions in its subtree and of the regions above it (a
    district reads the city's policy that applies there)."""
    policies = ReliefPolicy.objects.select_related("region", "created_by").prefetch_related("topups")
    return access.scope_queryset_with_ancestors(principal, policies)


def policies_in_force_on(queryset, on):
    """Of each (region, area) in `queryset`, the policy in force on `on`: the latest that had started."""
    latest = (
        ReliefPolicy.objects.filter(
            region=OuterRef("region"), area=OuterRef("area"), effective_from__lte=on, state=PolicyState.PUBLISHED
        )
        .order_by("-effective_from")
        .values("effective_from")[:1]
    )
    return queryset.filter(state=PolicyState.PUBLISHED, effective_from=Subquery(latest))


# ---------------------------------------------------------------------------------------------- entitlements

LIVE_ENTITLEMENTS = (EntitlementStatus.ACTIVE, EntitlementStatus.SUSPENDED)


def entitlements_for(principal):
    return access.scope_queryset(
        principal, Entitlement.objects.select_related("household", "household__head", "region", "region__parent")
    )


def reviews_due(principal, within_days=30, today=None):
    """Live benefits whose review falls within `within_days` days, the overdue ones included, earliest first."""
    today = today or timezone.localdate()
    return (
        entitlements_for(principal)
        .filter(status__in=LIVE_ENTITLEMENTS, review_due__lte=today + timedelta(days=within_days))
        .order_by("review_due", "pk")
    )


def gradual_exits_ending(principal, within_days=30, today=None):
    """The warning list: gradual exits (渐退期) whose last paid day falls within `within_days` days, so the family
    can be told a month before the benefit ends. Earliest first."""
    today = today or timezone.localdate()
    return (
        entitlements_for(principal)
        .filter(
            status__in=LIVE_ENTITLEMENTS,
            gradual_exit_until__gte=today,
            gradual_exit_until__lte=today + timedelta(days=within_days),
        )
        .order_by("gradual_exit_until", "pk")
    )


def paperwork_overdue(principal, today=None):
    """Emergency aid paid first whose documents were not completed within 5 working days."""
    today = today or timezone.localdate()
    late = applications_for(principal).filter(paid_first_at__isnull=False, paperwork_due__lt=today)
    required = set(REQUIRED_DOCUMENTS)
    return [
        application
        for application in late.prefetch_related("documents").order_by("paperwork_due")[:500]
        if not required <= {d.kind for d in application.documents.all()}
    ]


def tekun_check_rate(principal, year=None):
    """特困 decisions of the year in the principal's area and how many the district checked in person."""
    year = year or timezone.localdate().year
    decided = applications_for(principal).filter(
        programme="tekun", status__in=["approved", "refused"], decided_at__year=year
    )
    total = decided.count()
    checked = decided.filter(district_checked=True).count()
    return {"year": year, "decided": total, "checked": checked, "share": (checked / total) if total else None}


def low_income(resident_ids):
    """Of these residents, those covered by a live dibao, 特困 or edge benefit (other apps' notion of "low-income")."""
    from .programmes import EXCLUSIVE

    return set(
        Entitlement.members.through.objects.filter(
            resident_id__in=list(resident_ids),
            entitlement__status__in=LIVE_ENTITLEMENTS,
            entitlement__programme__in=list(EXCLUSIVE),
        ).values_list("resident_id", flat=True)
    )
