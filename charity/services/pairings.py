"""结对帮扶: pairing an organisation or a donor with a street/town or a household, ending it, and recording what the
pairing did. A pairing belongs to its street, or to the household's community: it is managed from there."""

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from ..models import Pairing, PairingActivity, PairingStatus, PairingTarget
from .common import amount_or_error, conflict, invalid, require, require_capability, text, visible_from


@transaction.atomic
def pairing_create(
    *,
    actor,
    organisation=None,
    donor_name="",
    street=None,
    household=None,
    started_on=None,
    ends_on=None,
    commitment="",
):
    """Exactly one of street (a Region of level street) and household. One organisation with two towns is two
    pairings; the same helper cannot be paired twice at once with the same street or household."""
    require_capability(actor, "charity.manage")
    errors = {}
    if organisation is None and not text(donor_name):
        errors["organisation"] = [_("Choose an organisation or name the donor.")]
    elif organisation is not None and not visible_from(actor, organisation.region_id):
        errors["organisation"] = [_("Choose an organisation of your area.")]
    if (street is None) == (household is None):
        errors["target"] = [_("Pair with either a street or town, or a household.")]
    elif street is not None and street.level != "street":
        errors["target"] = [_("Choose a street or town, not a %(level)s.") % {"level": street.get_level_display()}]
    started_on = started_on or timezone.localdate()
    if ends_on and ends_on < started_on:
        errors["ends_on"] = [_("The pairing cannot end before it starts.")]
    region = street if street is not None else getattr(household, "region", None)
    if region is not None:
        require(actor, "charity.manage", region.code)
    if errors:
        raise invalid(errors)
    try:
        with transaction.atomic():
            return Pairing.objects.create(
                organisation=organisation,
                donor_name="" if organisation is not None else text(donor_name),
                target=PairingTarget.STREET if street is not None else PairingTarget.HOUSEHOLD,
                region=region,
                household=household,
                started_on=started_on,
                ends_on=ends_on,
                commitment=text(commitment),
                created_by=actor,
            )
    except IntegrityError:
        raise conflict(_("This helper is paired with them already."), "pairing_exists") from None


def pairing_end(*, actor, pairing, on=None):
    require(actor, "charity.manage", pairing.region_id)
    if pairing.status != PairingStatus.ACTIVE:
        raise conflict(_("This pairing has ended already."), "pairing_ended")
    on = on or timezone.localdate()
    if on < pairing.started_on:
        raise invalid({"ends_on": [_("The pairing cannot end before it starts.")]})
    pairing.status, pairing.ends_on = PairingStatus.ENDED, on
    pairing.save(update_fields=["status", "ends_on"])
    return pairing


def pairing_activity_record(
    *, actor, pairing, on=None, description, beneficiaries=None, value=0, household=None, referral=None
):
    """What the pairing did on a day: a visit, goods, money. A household pairing's activity is for its household."""
    require(actor, "charity.manage", pairing.region_id)
    errors = {}
    if pairing.status != PairingStatus.ACTIVE:
        errors["pairing"] = [_("This pairing has ended: record no more activities on it.")]
    if not text(description):
        errors["description"] = [_("Say what was done.")]
    value = amount_or_error(value, "value", errors, allow_zero=True, required=False)
    if household is None and pairing.household_id:
        household = pairing.household
    elif household is not None and not pairing.region.contains(household.region_id):
        errors["household"] = [_("This household lives outside the paired area.")]
    if beneficiaries in (None, ""):
        beneficiaries = 1 if household is not None else None
    try:
        beneficiaries = int(beneficiaries)
        if beneficiaries < 0:
            raise ValueError
    except (TypeError, ValueError):
        errors["beneficiaries"] = [_("Give the number of people helped (0 or more).")]
    on = on or timezone.localdate()
    if on > timezone.localdate():
        errors["on"] = [_("The date cannot be in the future.")]
    elif on < pairing.started_on:
        errors["on"] = [_("The date is before the pairing started.")]
    if errors:
        raise invalid(errors)
    return PairingActivity.objects.create(
        pairing=pairing,
        on=on,
        description=text(description),
        beneficiaries=beneficiaries,
        value=value,
        household=household,
        referral=referral,
        recorded_by=actor,
    )
