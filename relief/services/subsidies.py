"""Subsidies: CPI readings that may trigger the price-linked subsidy, and one-off subsidies by decision. Both
write their adjustments in a job (relief.money.subsidies); the next batch pays them."""

from datetime import date
from decimal import Decimal, InvalidOperation

from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from civic import access, audit, jobs
from civic.errors import ApplicationError
from civic.models import Region, RegionLevel, User
from relief.models import CpiReading, OneOffSubsidy
from relief.money.sql import MONTHLY_CASH

CPI_LEVELS = (RegionLevel.PROVINCE, RegionLevel.CITY)
MAX_ONE_OFF = Decimal("100000")


def _invalid(errors):
    return ApplicationError(_("Some fields are not valid."), code="invalid", fields=errors)


def _region(actor, code, levels, message):
    region = Region.objects.filter(code=code or "").first()
    if region is None or not access.in_scope(actor, region.code):
        text = _("There is no region with this code in your area.")
        raise ApplicationError(text, code="not_found", fields={"region": [text]}, status=404)
    if region.level not in levels:
        raise _invalid({"region": [message]})
    return region


def _decimal(errors, field, value, *, low, high, required=True):
    if value in (None, ""):
        if required:
            errors[field] = [_("This field is required.")]
        return None
    try:
        number = Decimal(str(value))
    except (InvalidOperation, ValueError):
        number = None
    if number is None or not number.is_finite():
        errors[field] = [_("Enter a number.")]
        return None
    if not low <= number <= high or number != number.quantize(Decimal("0.01")):
        errors[field] = [
            _("Enter a number from %(low)s to %(high)s with at most two decimal places.") % {"low": low, "high": high}
        ]
        return None
    return number


def _month(errors, value):
    try:
        text = str(value or "").strip()
        return date.fromisoformat(text + "-01" if len(text) == 7 else text).replace(day=1)
    except ValueError:
        errors["month"] = [_("Give the month as YYYY-MM.")]
        return None


def cpi_record(*, actor, region_code, month, cpi, food_cpi=None, source=""):
    """Record a month's CPI reading (year on year, percent) for a province or city and start the job that
    writes the price-linked subsidy wherever a policy's thresholds are met. One reading per region and month."""
    if not access.can(actor, "money.subsidy") and not access.can(actor, "money.cpi"):
        raise ApplicationError(_("You may not record price indices."), code="forbidden", status=403)
    region = _region(actor, region_code, CPI_LEVELS, _("A price index is recorded for a province or a city."))
    errors = {}
    month = _month(errors, month)
    cpi = _decimal(errors, "cpi", cpi, low=Decimal("-50"), high=Decimal("100"))
    food_cpi = _decimal(errors, "food_cpi", food_cpi, low=Decimal("-50"), high=Decimal("100"), required=False)
    if errors:
        raise _invalid(errors)
    account, label = audit.actor_parts(actor)
    with transaction.atomic():
        try:
            with transaction.atomic():
                reading = CpiReading.objects.create(
                    region=region,
                    month=month,
                    cpi=cpi,
                    food_cpi=food_cpi,
                    source=(source or label)[:120],
                    recorded_by=account,
                )
        except IntegrityError:
            message = _("A reading for %(month)s is already recorded for this region.") % {"month": f"{month:%Y-%m}"}
            raise ApplicationError(message, code="duplicate", fields={"month": [message]}, status=409) from None
        job = _start_price(reading, actor)
    return reading, job


def _start_price(reading, actor):
    from relief import tasks

    return jobs.job_start(
        kind="relief.price_subsidy",
        key=f"relief.price_subsidy:{reading.pk}",
        region=reading.region,
        task=tasks.price_subsidy,
        params={"reading": reading.pk},
        actor=actor,
    )


def one_off_grant(*, actor, region_code, decision, programmes, amount, per_person=True):
    """A one-off living subsidy by decision to whole programmes in a region, per covered person or per household."""
    if not access.can(actor, "money.subsidy"):
        raise ApplicationError(_("You may not grant subsidies."), code="forbidden", status=403)
    region = _region(
        actor,
        region_code,
        (RegionLevel.PROVINCE, RegionLevel.CITY, RegionLevel.DISTRICT),
        _("A subsidy is granted for a province, a city or a district."),
    )
    errors = {}
    decision = (decision or "").strip()
    if not decision:
        errors["decision"] = [_("Name the decision that grants the subsidy.")]
    elif len(decision) > 200:
        errors["decision"] = [_("At most 200 characters.")]
    programmes = list(dict.fromkeys(programmes or []))
    if not programmes or not set(programmes) <= set(MONTHLY_CASH):
        errors["programmes"] = [_("Choose among the monthly cash programmes: dibao and 特困.")]
    amount = _decimal(errors, "amount", amount, low=Decimal("0.01"), high=MAX_ONE_OFF)
    if errors:
        raise _invalid(errors)
    if not isinstance(actor, User):
        raise ApplicationError(_("A subsidy is granted by a member of staff."), code="forbidden", status=403)
    from relief import tasks

    with transaction.atomic():
        subsidy = OneOffSubsidy.objects.create(
            region=region,
            decision=decision,
            programmes=programmes,
            amount=amount,
            per_person=bool(per_person),
            decided_by=actor,
        )
        job = jobs.job_start(
            kind="relief.one_off",
            key=f"relief.one_off:{subsidy.pk}",
            region=region,
            task=tasks.one_off_subsidy,
            params={"subsidy": subsidy.pk},
            actor=actor,
        )
    return subsidy, job
