"""Registering social organisations (with the GB 32100 check) and opening their funds."""

from datetime import timedelta

from django.db import transaction
from django.utils.translation import gettext as _

from civic.models import Region

from .. import credit_codes
from ..models import Fund, Grade, Organisation, OrganisationKind
from .common import invalid, require, text

GRADE_VALID_YEARS = 5  # an evaluation grade is valid five years (DOMAIN.md, Charity)


def grade_valid_years_after(start):
    """The last day of a grade awarded on start: five years on, less a day (29 February → 28 February)."""
    try:
        end = start.replace(year=start.year + GRADE_VALID_YEARS)
    except ValueError:
        end = start.replace(year=start.year + GRADE_VALID_YEARS, day=28)
    return end - timedelta(days=1)


@transaction.atomic
def organisation_register(
    *,
    actor,
    region_code,
    name,
    kind,
    credit_code,
    grade="",
    grade_valid_from=None,
    grade_valid_until=None,
    contact_name="",
    contact_phone="",
):
    require(actor, "charity.manage", region_code)
    errors = {}
    region = Region.objects.filter(code=region_code).first()
    if region is None:
        errors["region"] = [_("Choose a region.")]
    if not (name or "").strip():
        errors["name"] = [_("Enter the organisation's name.")]
    if kind not in OrganisationKind.values:
        errors["kind"] = [_("Choose the type of organisation.")]
    code = credit_codes.normalise(credit_code)
    problem = credit_codes.problem(code)
    if problem:
        errors["credit_code"] = [problem]
    elif Organisation.objects.filter(credit_code=code).exists():
        errors["credit_code"] = [_("An organisation with this code is registered already.")]
    if grade and grade not in Grade.values:
        errors["grade"] = [_("The grade is 1A to 5A.")]
    if not grade and (grade_valid_from or grade_valid_until):
        errors["grade"] = [_("Give the grade the dates belong to, or leave the dates empty.")]
    if grade_valid_from and not grade_valid_until:
        grade_valid_until = grade_valid_years_after(grade_valid_from)
    if grade in Grade.values and not grade_valid_from:
        errors["grade_valid_from"] = [_("Give the date the grade was awarded.")]
    if grade_valid_from and grade_valid_until and grade_valid_until < grade_valid_from:
        errors["grade_valid_until"] = [_("The grade cannot end before it starts.")]
    if errors:
        raise invalid(errors)
    return Organisation.objects.create(
        region=region,
        name=name.strip(),
        kind=kind,
        credit_code=code,
        grade=grade,
        grade_valid_from=grade_valid_from,
        grade_valid_until=grade_valid_until,
        contact_name=contact_name.strip(),
        contact_phone=contact_phone.strip(),
    )


def fund_open(*, actor, organisation, name):
    require(actor, "charity.manage", organisation.region_id)
    if not text(name):
        raise invalid({"name": [_("Name the fund.")]})
    if organisation.funds.filter(name=text(name)).exists():
        raise invalid({"name": [_("This organisation has a fund of this name already.")]})
    return Fund.objects.create(organisation=organisation, name=text(name))
