"""Reads of the registry, already scoped to the principal through the access module."""

import re

from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import FieldDoesNotExist
from django.db.models import Count, Prefetch, Q
from django.utils.translation import gettext

from civic import access, idnumbers
from civic.models import FieldChange, Household, HouseholdMembership, Region, Resident

PHONE = re.compile(r"^1\d{10}$")
ID_LIKE = re.compile(r"^\d{17}[\dXx]$")


def communities_for(principal):
    """Communities where the principal may register households."""
    return access.scope_queryset(principal, Region.objects.filter(level="community"), field="code").order_by("code")


def households_for(principal):
    return access.scope_queryset(principal, Household.objects.all())


def residents_for(principal):
    return access.scope_queryset(principal, Resident.objects.all())


def household_search(principal, query=""):
    """Households matching a name (prefix), an ID number (exact), a mobile number (exact) or an address
    (substring). Each branch uses its own index: unique ID, name and phone b-trees, address trigrams.
    Pages add member counts with `attach_sizes`, so the search itself never groups a million rows."""
    households = households_for(principal).select_related("region", "head")
    query = (query or "").strip()
    if not query:
        return households.order_by("-pk")
    # The subqueries are scoped too, so a caseworker's search reads only their community's index entries.
    residents = residents_for(principal)
    if ID_LIKE.match(query):
        match = Q(pk__in=residents.filter(id_number=idnumbers.normalise(query)).values("household_id"))
    elif PHONE.match(query):
        match = Q(pk__in=residents.filter(phone=query).values("household_id"))
    else:
        # Two indexed subqueries rather than `address__icontains` in the OR: PostgreSQL then reads each
        # branch through its index once instead of testing every household's address.
        match = Q(pk__in=residents.filter(name__startswith=query).values("household_id")) | Q(
            pk__in=households_for(principal).filter(address__icontains=query).values("pk")
        )
    return households.filter(match).order_by("-pk")


def attach_sizes(households):
    """Set `.size` (current members) on a page of households with one grouped query."""
    households = list(households)
    sizes = dict(
        Resident.objects.filter(household__in=households)
        .values_list("household_id")
        .annotate(n=Count("pk"))
        .values_list("household_id", "n")
    )
    for household in households:
        household.size = sizes.get(household.pk, 0)
    return households


def household_get(principal, pk):
    members = Prefetch("members", queryset=Resident.objects.order_by("pk"))
    return access.get_in_scope_or_404(
        principal, Household.objects.select_related("region", "region__parent", "head").prefetch_related(members), pk=pk
    )


def resident_get(principal, pk):
    return access.get_in_scope_or_404(principal, Resident.objects.select_related("household", "region"), pk=pk)


def household_by_number(principal, number):
    """A household from the number staff see ("<community code>-<sequence>"), or None."""
    match = re.match(r"^(\d{12})-(\d+)$", (number or "").strip())
    if not match:
        return None
    return households_for(principal).filter(pk=int(match.group(2)), region_id=match.group(1)).first()


def history_for(instance, limit=200):
    """Field history of one record, newest first, with field names and values in words."""
    model = type(instance)
    rows = FieldChange.objects.filter(
        content_type=ContentType.objects.get_for_model(model), object_id=instance.pk
    ).order_by("-changed_at", "-pk")[:limit]
    return [_describe(model, row) for row in rows]


def _describe(model, row):
    try:
        field = model._meta.get_field(row.field)
        label = field.verbose_name
        if field.choices:
            choices = dict(field.flatchoices)
        elif field.get_internal_type() == "BooleanField":
            choices = {"1": gettext("yes"), "0": gettext("no")}
        else:
            choices = None
    except FieldDoesNotExist:  # a field since removed from the model
        label, choices = row.field, None
    return {
        "when": row.changed_at,
        "who": row.actor_label,
        "action": row.get_action_display(),
        "field": label,
        "before": _value(row.before, choices),
        "after": _value(row.after, choices),
    }


def _value(value, choices):
    return choices.get(value, value) if choices is not None else value


def memberships_of(resident):
    return HouseholdMembership.objects.filter(resident=resident).select_related("household").order_by("-started_at")
