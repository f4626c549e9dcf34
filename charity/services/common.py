"""Checks shared by the charity writes: who may act where, field errors, amounts in yuan."""

from decimal import Decimal, InvalidOperation

from django.utils.translation import gettext as _

from civic import access
from civic.errors import ApplicationError

FEN = Decimal("0.01")


def require_capability(actor, capability):
    if not access.can(actor, capability):
        raise ApplicationError(_("You may not do this in charity records."), code="forbidden", status=403)


def require(actor, capability, region_code):
    """403 without the capability; 404 when the record's region lies outside the actor's."""
    require_capability(actor, capability)
    if not access.in_scope(actor, region_code):
        raise ApplicationError(_("Not found."), code="not_found", status=404)


def visible_from(actor, region_code):
    """A record of a region in the actor's area or above it (a city fund is open to referrals from any street)."""
    prefix = access.scope_prefix(actor)
    return prefix is not None and (region_code.startswith(prefix) or region_code in access.ancestor_codes(prefix))


def invalid(errors):
    return ApplicationError(_("Some fields are not valid."), code="invalid", fields=errors)


def conflict(message, code):
    return ApplicationError(message, code=code, status=409)


def parse_amount(value, *, allow_zero=False):
    """Yuan to the fen, or None when the value is not such an amount."""
    try:
        amount = Decimal(str(value).strip())
    except (InvalidOperation, ValueError):
        return None
    if not amount.is_finite() or amount < 0 or (amount == 0 and not allow_zero) or amount != amount.quantize(FEN):
        return None
    return amount


def amount_or_error(value, field, errors, *, allow_zero=False, required=True):
    """Parse an amount into errors[field] when it is wrong; blank is 0 when not required."""
    if value in (None, "") and not required:
        return Decimal("0")
    amount = parse_amount(value, allow_zero=allow_zero)
    if amount is None:
        errors[field] = [
            _("Enter an amount in yuan of zero or more, to the fen.")
            if allow_zero
            else _("Enter an amount in yuan above zero, to the fen.")
        ]
    return amount


def text(value):
    return (value or "").strip()
