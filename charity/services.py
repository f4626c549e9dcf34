"""Writes of the charity app: organisations (with the GB 32100 check) and fund ledgers."""

from decimal import Decimal, InvalidOperation

from django.db import transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from civic import access
from civic.errors import ApplicationError
from civic.models import Region

from . import credit_codes
from .models import EntryKind, Fund, FundEntry, Grade, Organisation, OrganisationKind


def _require(actor, region_code):
    if not access.can(actor, "charity.manage"):
        raise ApplicationError(_("You may not manage charity records."), code="forbidden", status=403)
    if not access.in_scope(actor, region_code):
        raise ApplicationError(_("Not found."), code="not_found", status=404)


def _invalid(errors):
    return ApplicationError(_("Some fields are not valid."), code="invalid", fields=errors)


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
    _require(actor, region_code)
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
    if grade in Grade.values and not (grade_valid_from and grade_valid_until):
        errors["grade_valid_until"] = [_("Give the dates the grade is valid.")]
    if grade_valid_from and grade_valid_until and grade_valid_until < grade_valid_from:
        errors["grade_valid_until"] = [_("The grade cannot end before it starts.")]
    if errors:
        raise _invalid(errors)
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


def _amount(value):
    try:
        amount = Decimal(str(value))
    except (InvalidOperation, ValueError):
        amount = None
    if amount is None or not amount.is_finite() or amount <= 0 or amount != amount.quantize(Decimal("0.01")):
        raise _invalid({"amount": [_("Enter an amount in yuan above zero, to the fen.")]})
    return amount


def _entry(actor, fund, kind, amount, party, purpose, on):
    _require(actor, fund.organisation.region_id)
    amount = _amount(amount)
    if not (party or "").strip():
        field = "donor" if kind == EntryKind.DONATION else "recipient"
        raise _invalid({field: [_("Name the donor or the recipient.")]})
    with transaction.atomic():
        # The fund row is locked for the whole change: a second grant waits and then sees the new balance.
        locked = Fund.objects.select_for_update().get(pk=fund.pk)
        change = amount if kind == EntryKind.DONATION else -amount
        if locked.balance + change < 0:
            raise ApplicationError(
                _("The fund holds %(balance)s yuan: a grant of %(amount)s yuan would overdraw it.")
                % {"balance": locked.balance, "amount": amount},
                code="insufficient_funds",
                status=409,
            )
        Fund.objects.filter(pk=fund.pk).update(balance=F("balance") + change)
        return FundEntry.objects.create(
            fund=locked,
            kind=kind,
            amount=amount,
            party=party.strip(),
            purpose=(purpose or "").strip(),
            on=on or timezone.localdate(),
            balance_after=locked.balance + change,
            recorded_by=actor,
        )


def donation_record(*, actor, fund, donor, amount, purpose="", on=None):
    return _entry(actor, fund, EntryKind.DONATION, amount, donor, purpose, on)


def grant_make(*, actor, fund, recipient, amount, purpose="", on=None):
    """A grant out of the fund (to a project or a household); refused with 409 insufficient_funds rather than
    overdraw, also when two grants are made at once."""
    return _entry(actor, fund, EntryKind.GRANT, amount, recipient, purpose, on)
