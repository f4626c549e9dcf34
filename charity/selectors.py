"""Reads of the charity app, each scoped to the principal's region. Organisations, funds and projects of the
regions above one's own are visible too (a city fund takes referrals from every street); pairings are seen where
they are (the street, or the household's community) and from above; referrals only where the family lives."""

from datetime import date

from django.db.models import Count, DecimalField, IntegerField, Q, Sum, Value
from django.db.models.functions import Coalesce, Substr
from django.utils import timezone
from django.utils.translation import gettext as _

from civic import access
from civic.models import LEVEL_DIGITS, Region

from .models import (
    EntryKind,
    Fund,
    FundEntry,
    Organisation,
    Pairing,
    PairingActivity,
    Project,
    ProjectActivity,
    ProjectCategory,
    Referral,
    ReferralStatus,
)

ZERO = Value(0, output_field=DecimalField(max_digits=14, decimal_places=2))


def _visible(principal, queryset, field):
    if not access.can(principal, "charity.view") and not access.can(principal, "charity.refer"):
        return queryset.none()
    return access.scope_queryset_with_ancestors(principal, queryset, field)


def organisations_for(principal):
    return _visible(principal, Organisation.objects.select_related("region"), "region__code")


def funds_for(principal):
    return _visible(principal, Fund.objects.select_related("organisation__region"), "organisation__region__code")


def projects_for(principal):
    projects = Project.objects.select_related("organisation", "region").annotate(
        raised=Coalesce(Sum("fund_entries__amount", filter=Q(fund_entries__kind=EntryKind.GRANT)), ZERO)
    )
    return _visible(principal, projects, "region__code")


def pairings_for(principal):
    return _visible(
        principal, Pairing.objects.select_related("organisation", "region", "household__head"), "region__code"
    )


def referrals_for(principal):
    if not access.can(principal, "charity.view") and not access.can(principal, "charity.refer"):
        return Referral.objects.none()
    return access.scope_queryset(
        principal,
        Referral.objects.select_related(
            "household__head",
            "region",
            "pairing__organisation",
            "pairing__region",
            "pairing__household",
            "project__organisation",
            "fund__organisation",
            "referred_by",
        ),
    )


def referrals_awaiting_answer_late(principal, today=None):
    today = today or timezone.localdate()
    return referrals_for(principal).filter(status=ReferralStatus.REFERRED, answer_due__lt=today)


def household_help(principal, household):
    """What charity did or is doing for a household: its referrals, pairings, grants and the project activities
    that name its members (for the household file)."""
    member_ids = list(household.members.values_list("pk", flat=True))
    return {
        "referrals": list(referrals_for(principal).filter(household=household).order_by("-referred_at")),
        "pairings": list(pairings_for(principal).filter(household=household)),
        "grants": list(
            FundEntry.objects.filter(household=household, kind=EntryKind.GRANT)
            .select_related("fund__organisation")
            .order_by("-on", "-pk")
        ),
        "pairing_activities": list(
            PairingActivity.objects.filter(household=household)
            .select_related("pairing__organisation")
            .order_by("-on", "-pk")
        ),
        "project_activities": list(
            ProjectActivity.objects.filter(residents__in=member_ids)
            .distinct()
            .select_related("project__organisation")
            .order_by("-on", "-pk")
        ),
    }


# --- Reports: funds raised and spent, activities and beneficiaries, by region and category ----------------------

PAIRING_CATEGORY = "pairing"
HOUSEHOLD_GRANT_CATEGORY = "household"


def report_regions(principal, region=None):
    """The region the report is about (the principal's own unless a region inside it is asked for) and the
    child regions its rows are broken down by."""
    own = getattr(principal, "region", None)
    if region is None or not access.in_scope(principal, region.code):
        region = own or Region.objects.filter(parent__isnull=True).order_by("code").first()
    children = list(Region.objects.filter(parent=region).order_by("code"))
    return region, children


def _grouped(queryset, region_field, category_field, digits, **aggregates):
    rows = (
        queryset.annotate(area=Substr(region_field, 1, digits))
        .values("area", *([category_field] if category_field else []))
        .annotate(**aggregates)
    )
    return rows


def report(principal, region=None, start=None, end=None):
    """Rows of (child region, category) with donations in, grants out, activities, beneficiaries and activity
    spending between start and end (inclusive), and a total row. Money and counts are computed in the database."""
    region, children = report_regions(principal, region)
    start = start or date(timezone.localdate().year, 1, 1)
    end = end or timezone.localdate()
    prefix = region.prefix
    child_digits = LEVEL_DIGITS[children[0].level] if children else len(prefix)
    names = {child.code[:child_digits]: child for child in children}
    if not children:
        names = {prefix: region}
    cells = {}

    def cell(area, category):
        key = (area, category)
        if key not in cells:
            cells[key] = {
                "raised": 0,
                "granted": 0,
                "activities": 0,
                "beneficiaries": 0,
                "spent": 0,
            }
        return cells[key]

    in_period = {"on__gte": start, "on__lte": end}
    donations = FundEntry.objects.filter(
        kind=EntryKind.DONATION, fund__organisation__region__code__startswith=prefix, **in_period
    )
    for row in _grouped(
        donations, "fund__organisation__region__code", "project__category", child_digits, total=Sum("amount")
    ):
        cell(row["area"], row["project__category"] or "")["raised"] += row["total"]
    grants = FundEntry.objects.filter(kind=EntryKind.GRANT, **in_period).filter(
        Q(project__region__code__startswith=prefix) | Q(household__region__code__startswith=prefix)
    )
    project_grants = grants.filter(project__isnull=False)
    for row in _grouped(
        project_grants, "project__region__code", "project__category", child_digits, total=Sum("amount")
    ):
        cell(row["area"], row["project__category"])["granted"] += row["total"]
    household_grants = grants.filter(project__isnull=True, household__isnull=False)
    for row in _grouped(household_grants, "household__region__code", None, child_digits, total=Sum("amount")):
        cell(row["area"], HOUSEHOLD_GRANT_CATEGORY)["granted"] += row["total"]
    activities = ProjectActivity.objects.filter(project__region__code__startswith=prefix, **in_period)
    for row in _grouped(
        activities,
        "project__region__code",
        "project__category",
        child_digits,
        count=Count("pk"),
        people=Coalesce(Sum("beneficiaries"), Value(0, output_field=IntegerField())),
        spent=Sum("spent"),
    ):
        target = cell(row["area"], row["project__category"])
        target["activities"] += row["count"]
        target["beneficiaries"] += row["people"]
        target["spent"] += row["spent"]
    pairing_activities = PairingActivity.objects.filter(pairing__region__code__startswith=prefix, **in_period)
    for row in _grouped(
        pairing_activities,
        "pairing__region__code",
        None,
        child_digits,
        count=Count("pk"),
        people=Coalesce(Sum("beneficiaries"), Value(0, output_field=IntegerField())),
        spent=Sum("value"),
    ):
        target = cell(row["area"], PAIRING_CATEGORY)
        target["activities"] += row["count"]
        target["beneficiaries"] += row["people"]
        target["spent"] += row["spent"]
    labels = {
        **dict(ProjectCategory.choices),
        PAIRING_CATEGORY: _("Pairing (结对帮扶)"),
        HOUSEHOLD_GRANT_CATEGORY: _("Grants to households"),
        "": _("Unrestricted donations"),
    }
    order = {
        value: i for i, value in enumerate([*ProjectCategory.values, PAIRING_CATEGORY, HOUSEHOLD_GRANT_CATEGORY, ""])
    }
    area_order = {code: i for i, code in enumerate(names)}
    rows = []
    for (area, category), figures in sorted(
        cells.items(), key=lambda item: (area_order.get(item[0][0], 999), order.get(item[0][1], 99))
    ):
        rows.append(
            {
                # Records kept at the report region's own level (a district fund's donations) are a row of
                # their own, after its child regions.
                "region": names.get(area, region),
                "own_level": area not in names or not children,
                "category": category,
                "category_label": labels.get(category, category),
                **figures,
            }
        )
    total = {
        key: sum(row[key] for row in rows) for key in ("raised", "granted", "activities", "beneficiaries", "spent")
    }
    return {"region": region, "children": children, "start": start, "end": end, "rows": rows, "total": total}
