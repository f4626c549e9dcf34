"""Reads of relief data."""

from django.utils import timezone

from civic import access
from civic.models import LEVEL_DIGITS

from .models import Application, ReliefPolicy
from .models.applications import OPEN_STATUSES


def ancestor_codes(region_code):
    """The 12-digit codes of a region's district, city and province (and its own), most specific first."""
    codes = []
    for level in ("community", "street", "district", "city", "province"):
        code = region_code[: LEVEL_DIGITS[level]].ljust(12, "0")
        if code not in codes:
            codes.append(code)
    return codes


def policy_in_force(region_code, area, on):
    """The policy for a household in `region_code`: the most specific region that has one, and there the
    latest that has started by `on`. None when the bureau has not set one."""
    codes = ancestor_codes(region_code)
    candidates = (
        ReliefPolicy.objects.filter(region_id__in=codes, area=area, effective_from__lte=on)
        .prefetch_related("topups")
        .order_by("-effective_from")
    )
    best = None
    for policy in candidates:
        if best is None or codes.index(policy.region_id) < codes.index(best.region_id):
            best = policy
    return best


def applications_for(principal):
    return access.scope_queryset(principal, Application.objects.select_related("household", "region"))


def overdue_applications(principal, today=None):
    """Open applications whose current step is past its due date, the longest overdue first."""
    today = today or timezone.localdate()
    return applications_for(principal).filter(status__in=OPEN_STATUSES, step_due__lt=today).order_by("step_due", "pk")
