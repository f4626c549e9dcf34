"""Reads of the elder-care app, scoped to the principal's region (operators: their own halls)."""

from django.db.models import Count, Exists, OuterRef, Q, Sum
from django.utils import timezone

from civic import access, effective
from civic.api.authentication import PartnerPrincipal
from civic.months import month_bounds
from civic.roles import Role

from .models import CaredElder, Meal, MealHall, MealPolicy, Settlement, Visit


def meal_policy_in_force(region_code, on):
    """The most specific region's latest meal policy started by `on` (a district's own before the city's)."""
    return effective.in_force(MealPolicy.objects.prefetch_related("tiers"), region_code, on)


def halls_for(principal):
    """Operators see their own halls; staff the halls of their area; terminals the halls they are bound to."""
    halls = MealHall.objects.select_related("region")
    if getattr(principal, "role", "") == Role.MEAL_OPERATOR:
        return halls.filter(operators=principal)
    if isinstance(principal, PartnerPrincipal) and access.can(principal, "meals.checkin"):
        return halls.filter(terminals=principal.token)
    if not access.can(principal, "eldercare.view"):
        return halls.none()
    return access.scope_queryset(principal, halls)


def daily_counts(halls, day):
    """{hall id: {meal type: meals}} on a day."""
    counts = {}
    rows = Meal.objects.filter(hall__in=halls, served_on=day).values_list("hall_id", "meal_type")
    for hall_id, meal_type, n in rows.annotate(n=Count("pk")).order_by():
        counts.setdefault(hall_id, {})[meal_type] = n
    return counts


def settlements_for(principal):
    return Settlement.objects.filter(hall__in=halls_for(principal)).select_related("hall", "hall__region")


def elders_for(principal):
    if not access.can(principal, "eldercare.view"):
        return CaredElder.objects.none()
    return access.scope_queryset(
        principal, CaredElder.objects.select_related("resident", "region", "visitor").filter(ended_on__isnull=True)
    )


def overdue_visits(principal, today=None):
    today = today or timezone.localdate()
    return elders_for(principal).filter(next_visit_due__lt=today).order_by("next_visit_due", "pk")


def visit_coverage(principal, month):
    """Per community, for a month: elders on the list during the month, how many were visited in it, and the rate
    (visited ÷ on the list), as [{region, name, elders, visited, rate}]; rate is None without elders."""
    start, end = month_bounds(month)
    if not access.can(principal, "eldercare.view"):
        return []
    listed = access.scope_queryset(
        principal,
        CaredElder.objects.filter(registered_at__date__lte=end).filter(
            Q(ended_on__isnull=True) | Q(ended_on__gte=start)
        ),
    )
    visited = Visit.objects.filter(elder=OuterRef("pk"), visited_on__gte=start, visited_on__lte=end)
    rows = (
        listed.annotate(seen=Exists(visited))
        .values("region_id", "region__name")
        .annotate(elders=Count("pk"), visited=Count("pk", filter=Q(seen=True)))
        .order_by("region_id")
    )
    return [
        {
            "region": row["region_id"],
            "name": row["region__name"],
            "elders": row["elders"],
            "visited": row["visited"],
            "rate": row["visited"] / row["elders"] if row["elders"] else None,
        }
        for row in rows
    ]


def settlement_totals(settlement):
    """The statement's figures straight from its meals (the check against what the job wrote)."""
    return settlement.meals.aggregate(
        n=Count("pk"),
        elder=Sum("elder_paid"),
        city=Sum("city_share"),
        district=Sum("district_share"),
        street=Sum("street_share"),
    )
