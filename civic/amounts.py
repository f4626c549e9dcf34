"""Amounts of money typed by people or sent by partners: yuan to the fen, as Decimal, never float."""

from decimal import Decimal, InvalidOperation

from django.utils.translation import gettext as _

FEN = Decimal("0.01")


def parse_amount(value, *, allow_zero=False):
    """Yuan to the fen, or None when the value is not such an amount (negative, more decimals, not a number)."""
    try:
        amount = Decimal(str(value).strip())
    except (InvalidOperation, ValueError):
        return None
    if not amount.is_finite() or amount < 0 or (amount == 0 and not allow_zero) or amount != amount.quantize(FEN):
        return None
    return amount


def amount_or_error(value, field, errors, *, allow_zero=False, required=True):
    """Parse an amount, putting the rule into errors[field] when it is broken; blank is 0 when not required."""
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
