"""The bureau tunes a rule: each setting checked against what it means for that rule (monitoring.rules), every
change kept in the audit trail."""

from decimal import Decimal, InvalidOperation

from django.db import transaction
from django.utils.translation import gettext as _

from civic import audit
from civic.errors import invalid

from ..rules import SPECS
from .common import require

FIELDS = ["enabled", "programmes", "threshold", "min_amount", "window_days", "deadline_days", "urgent"]


def _decimal(value):
    if value in (None, ""):
        return None
    try:
        value = Decimal(str(value))
    except InvalidOperation:
        return "bad"
    return value if value.is_finite() else "bad"


@transaction.atomic
def rule_update(*, actor, rule, data):
    """`data` holds the settings to change (any of FIELDS)."""
    require(actor, "monitoring.rules")
    spec = SPECS[rule.code]
    errors, values = {}, {}
    if "enabled" in data:
        values["enabled"] = bool(data["enabled"])
    if "urgent" in data:
        values["urgent"] = bool(data["urgent"])
    if "programmes" in data and "programmes" in spec.settings:
        allowed = {value for value, _label in spec.programme_choices}
        chosen = list(dict.fromkeys(data["programmes"] or []))
        if not chosen:
            errors["programmes"] = [_("Choose at least one.")]
        elif set(chosen) - allowed:
            errors["programmes"] = [_("Choose among the programmes listed.")]
        values["programmes"] = chosen
    if "threshold" in data and "threshold" in spec.settings:
        value = _decimal(data["threshold"])
        if value is None or value == "bad" or value <= 0 or value > 1000:
            errors["threshold"] = [_("Enter a number above 0.")]
        values["threshold"] = value
    if "min_amount" in data and "min_amount" in spec.settings:
        value = _decimal(data["min_amount"])
        if value == "bad" or (value is not None and (value < 0 or value != value.quantize(Decimal("0.01")))):
            errors["min_amount"] = [_("Enter an amount in yuan, 0 or more, with at most two decimals.")]
        values["min_amount"] = value
    if "window_days" in data and "window_days" in spec.settings:
        value = data["window_days"]
        if not isinstance(value, int) or isinstance(value, bool) or not 1 <= value <= 3650:
            errors["window_days"] = [_("Enter a number of days from 1 to 3650.")]
        values["window_days"] = value
    if "deadline_days" in data:
        value = data["deadline_days"]
        if not isinstance(value, int) or isinstance(value, bool) or not 1 <= value <= 60:
            errors["deadline_days"] = [_("Enter a number of working days from 1 to 60.")]
        values["deadline_days"] = value
    if errors:
        raise invalid(errors)
    before = audit.snapshot(rule, FIELDS)
    account, _label = audit.actor_parts(actor)
    for name, value in values.items():
        setattr(rule, name, value)
    rule.updated_by = account
    rule.save()
    audit.record_changes(actor=actor, instance=rule, fields=FIELDS, before=before, region_id=None)
    return rule
