"""Reads of the community-council app, scoped to the principal's region, and the figures managers follow:
execution rate (implemented resolutions ÷ resolutions due, DOMAIN.md) and participation, per council, community
or street. A resolution is due once its due date has passed, or from the day its implementation closed if that
came first; it counts as implemented when it was closed as implemented by then."""

from datetime import date

from django.db.models import Count, F, IntegerField, Q, Sum, Value
from django.db.models.functions import Coalesce, Substr
from django.utils import timezone

from civic import access
from civic.models import LEVEL_DIGITS, Region

from .models import Council, Meeting, MicroProject, Resolution, ResolutionStatus, Topic

GROUPINGS = ("council", "community", "street")


def _scoped(principal, queryset):
    if not access.can(principal, "governance.view"):
        return queryset.none()
    return access.scope_queryset(principal, queryset)


def councils_for(principal):
    return _scoped(principal, Council.objects.select_related("region"))


def topics_for(principal):
    return _scoped(principal, Topic.objects.select_related("council", "region"))


def meetings_for(principal):
    return _scoped(principal, Meeting.objects.select_related("council"))


def resolutions_for(principal):
    return _scoped(principal, Resolution.objects.select_related("council", "topic", "deliberation__meeting"))


def micro_projects_for(principal):
    return _scoped(principal, MicroProject.objects.select_related("topic__council"))


def overdue_resolutions(principal, today=None):
    today = today or timezone.localdate()
    return resolutions_for(principal).filter(status=ResolutionStatus.IN_PROGRESS, due_on__lt=today).order_by("due_on")


def due_q(as_of):
    return Q(due_on__lt=as_of) | Q(closed_on__lte=as_of)


def implemented_q(as_of):
    return Q(status=ResolutionStatus.IMPLEMENTED, closed_on__lte=as_of)


def execution_rate(resolutions, as_of=None):
    """(implemented, due, rate or None) over a queryset of resolutions, counted in the database."""
    as_of = as_of or timezone.localdate()
    figures = resolutions.aggregate(
        due=Count("pk", filter=due_q(as_of)), implemented=Count("pk", filter=implemented_q(as_of))
    )
    return _with_rate(figures["implemented"], figures["due"])


def execution_rates_by_council(councils, as_of=None):
    """{council id: (implemented, due, rate or None)} for a page of councils, in one grouped query."""
    as_of = as_of or timezone.localdate()
    rows = (
        Resolution.objects.filter(council__in=councils)
        .order_by()
        .values("council_id")
        .annotate(due=Count("pk", filter=due_q(as_of)), implemented=Count("pk", filter=implemented_q(as_of)))
    )
    return {r["council_id"]: _with_rate(r["implemented"], r["due"]) for r in rows}


def _with_rate(implemented, due):
    return implemented, due, (implemented / due if due else None)


def _key(grouping):
    if grouping == "council":
        return F("council_id")
    if grouping == "street":
        return Substr("region_id", 1, LEVEL_DIGITS["street"])
    return F("region_id")  # a community council's community; a street council's street


def figures(principal, grouping="council", as_of=None, start=None, end=None):
    """Rows per council, community or street in the principal's area: resolutions due, implemented, the execution
    rate as of a day; meetings, participants (members present + others) and topics received in a period."""
    if grouping not in GROUPINGS:
        grouping = "council"
    as_of = as_of or timezone.localdate()
    start = start or date(as_of.year, 1, 1)
    end = end or as_of
    key = _key(grouping)
    rows = {}

    def row(k):
        return rows.setdefault(
            k, {"key": k, "due": 0, "implemented": 0, "meetings": 0, "participants": 0, "topics": 0, "resolved": 0}
        )

    for r in (
        resolutions_for(principal)
        .annotate(k=key)
        .values("k")
        .annotate(due=Count("pk", filter=due_q(as_of)), implemented=Count("pk", filter=implemented_q(as_of)))
    ):
        row(r["k"]).update(due=r["due"], implemented=r["implemented"])
    meetings = meetings_for(principal).filter(held_on__gte=start, held_on__lte=end)
    present = meetings.annotate(k=key).values("k").annotate(n=Count("pk", distinct=True), members=Count("attendees"))
    for r in present:
        row(r["k"]).update(meetings=r["n"], participants=r["members"])
    for r in (
        meetings.annotate(k=key)
        .values("k")
        .annotate(others=Coalesce(Sum("other_participants"), Value(0), output_field=IntegerField()))
    ):
        row(r["k"])["participants"] += r["others"]
    topics = topics_for(principal).filter(received_on__gte=start, received_on__lte=end)
    for r in topics.annotate(k=key).values("k").annotate(n=Count("pk"), resolved=Count("resolution")):
        row(r["k"]).update(topics=r["n"], resolved=r["resolved"])
    labels = _labels(grouping, rows)
    result = []
    for k, figures_ in sorted(rows.items(), key=lambda item: str(labels.get(item[0], ("", ""))[1])):
        implemented, due, rate = _with_rate(figures_["implemented"], figures_["due"])
        obj, sort = labels.get(k, (None, ""))
        result.append({**figures_, "object": obj, "label": str(obj) if obj else str(k), "rate": rate})
    total_impl = sum(r["implemented"] for r in result)
    total_due = sum(r["due"] for r in result)
    total = {
        "implemented": total_impl,
        "due": total_due,
        "rate": _with_rate(total_impl, total_due)[2],
        "meetings": sum(r["meetings"] for r in result),
        "participants": sum(r["participants"] for r in result),
        "topics": sum(r["topics"] for r in result),
        "resolved": sum(r["resolved"] for r in result),
    }
    return {"grouping": grouping, "as_of": as_of, "start": start, "end": end, "rows": result, "total": total}


def _labels(grouping, rows):
    """{key: (object, sort key)} for the rows' councils or regions."""
    if grouping == "council":
        councils = Council.objects.filter(pk__in=list(rows)).select_related("region")
        return {c.pk: (c, f"{c.region_id} {c.name}") for c in councils}
    codes = [k.ljust(12, "0") if grouping == "street" else k for k in rows]
    regions = {r.code: r for r in Region.objects.filter(code__in=codes)}
    return {k: (regions.get(k.ljust(12, "0")), k.ljust(12, "0")) for k in rows}
