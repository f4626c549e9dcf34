"""Writes of the elder-care app: enrolment, meals (terminal check-in and staff), settlements, special-hardship
elderly and their visits. Guards: capabilities from civic.access and the region subtree (outside it: 404, as if
the record did not exist); every refusal carries a code a terminal can act on and a message naming the rule."""

from datetime import date, timedelta
from decimal import Decimal

from django.conf import settings
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from civic import access, audit, figures, jobs
from civic.api.authentication import PartnerPrincipal
from civic.errors import ApplicationError
from civic.models import Region, Resident, User
from civic.roles import Role
from civic.signals import send_after_commit
from relief.selectors import low_income

from . import selectors, signals
from .models import (
    VISIT_DAYS,
    CaredElder,
    ElderCategory,
    Enrolment,
    Meal,
    MealHall,
    MealSource,
    MealType,
    Period,
    Risk,
    Settlement,
    SettlementState,
    Tier,
    Visit,
)

ZERO = Decimal("0.00")
ELDER_AGE = 60


def _forbidden(message=None):
    return ApplicationError(message or _("You may not do this."), code="forbidden", status=403)


def _not_found(message=None, code="not_found"):
    return ApplicationError(message or _("Not found."), code=code, status=404)


def _require(actor, capability, region_code=None):
    if not access.can(actor, capability):
        raise _forbidden()
    if region_code is not None and not access.in_scope(actor, region_code):
        raise _not_found()


def _invalid(field, message, code="invalid"):
    return ApplicationError(message, code=code, fields={field: [message]})


# ---------------------------------------------------------------------------------------------- enrolment


def tier_for(resident, on):
    """The subsidy tier on a day: low-income (dibao, 特困 or edge, from relief) first, then the age band. None
    under 60."""
    age = resident.age_on(on)
    if age < ELDER_AGE:
        return None
    if resident.pk in low_income([resident.pk]):
        return Tier.LOW_INCOME
    return Tier.AGE_80 if age >= 80 else Tier.AGE_60


@transaction.atomic
def enrol(*, actor, resident, card_number):
    """Enrol a resident aged 60 or over for subsidised meals, with the meal card they will show."""
    _require(actor, "eldercare.record", resident.region_id)
    card_number = "".join((card_number or "").split())
    if not card_number.isalnum() or not 4 <= len(card_number) <= 30:
        raise _invalid("card_number", _("A card number is 4 to 30 letters or digits."))
    today = timezone.localdate()
    if resident.died_on is not None:
        raise _invalid("resident", _("%(name)s has died.") % {"name": resident.name}, code="not_eligible")
    if resident.age_on(today) < ELDER_AGE:
        raise _invalid(
            "resident",
            _("Meal subsidies are for residents aged 60 or over; %(name)s is %(age)s.")
            % {"name": resident.name, "age": resident.age_on(today)},
            code="not_eligible",
        )
    if Enrolment.objects.filter(card_number=card_number).exclude(resident=resident).exists():
        raise _invalid("card_number", _("This card number belongs to someone else."), code="duplicate")
    enrolment, created = Enrolment.objects.get_or_create(
        resident=resident, defaults={"card_number": card_number, "enrolled_by": actor}
    )
    if not created:
        if enrolment.ended_on is None and enrolment.card_number == card_number:
            raise _invalid("resident", _("%(name)s is already enrolled.") % {"name": resident.name}, code="duplicate")
        before = audit.snapshot(enrolment, ("card_number", "ended_on"))
        enrolment.card_number, enrolment.ended_on = card_number, None
        enrolment.save(update_fields=["card_number", "ended_on"])
        audit.record_changes(actor=actor, instance=enrolment, fields=("card_number", "ended_on"), before=before)
    return enrolment


# -------------------------------------------------------------------------------------------------- meals


def _refuse(code, message, status=409):
    return ApplicationError(message, code=code, status=status)


def _find_resident(id_number=None, card_number=None):
    if id_number:
        resident = Resident.objects.filter(id_number=str(id_number).strip().upper()).first()
    elif card_number:
        card_number = "".join(str(card_number).split())  # as enrolment stores it
        enrolment = Enrolment.objects.select_related("resident").filter(card_number=card_number).first()
        resident = enrolment.resident if enrolment else None
    else:
        message = _("Give the resident's ID number or meal card number.")
        raise ApplicationError(message, code="invalid", fields={"resident": [message]})
    if resident is None:
        raise _refuse("unknown_resident", _("No resident has this ID or card number."), status=404)
    return resident


def shares(policy, tier, price, *, hall_region, home_region):
    """(elder pays, city, district, street) for one meal. The street pays what the elder, the city and the district
    do not; outside the elder's own district the district's and the street's shares are lost, outside their own
    street the street's, and the elder pays what is lost."""
    rule = policy.tiers.filter(tier=tier).first()
    if rule is None:
        raise _refuse("no_policy", _("The meal policy sets no price for this group of elderly."))
    city = min(rule.city_share, price)
    district = min(rule.district_share, price - city)
    elder = min(rule.elder_pays, price - city - district)
    street = price - elder - city - district
    if hall_region[:6] != home_region[:6]:
        elder, district, street = elder + district + street, ZERO, ZERO
    elif hall_region[:9] != home_region[:9]:
        elder, street = elder + street, ZERO
    return elder, city, district, street


def meal_record(*, actor, hall, meal_type, served_at=None, id_number=None, card_number=None, resident=None):
    """Record a subsidised meal; returns (meal, created). The same (resident, hall, day, meal) again returns the
    first record and pays nothing twice. Refusals: unknown_resident (404), not_enrolled, not_eligible,
    over_daily_limit, meal_not_served, hall_closed, no_policy (409)."""
    terminal = isinstance(actor, PartnerPrincipal)
    if terminal:
        if not access.can(actor, "meals.checkin") or not hall.terminals.filter(pk=actor.token.pk).exists():
            raise _not_found()
    elif getattr(actor, "role", "") == Role.MEAL_OPERATOR:
        if not hall.operators.filter(pk=actor.pk).exists():
            raise _not_found()
    else:
        _require(actor, "eldercare.record", hall.region_id)
    if meal_type not in MealType.values:
        raise ApplicationError(_("Choose breakfast, lunch or dinner."), fields={"meal_type": [_("Choose a meal.")]})
    served_at = served_at or timezone.now()
    day = timezone.localtime(served_at).date()
    if day > timezone.localdate():
        raise ApplicationError(_("A meal cannot be in the future."), fields={"served_at": [_("Not in the future.")]})
    resident = resident or _find_resident(id_number, card_number)
    with transaction.atomic():
        enrolment = Enrolment.objects.select_for_update().filter(resident=resident, ended_on__isnull=True).first()
        if enrolment is None:
            raise _refuse("not_enrolled", _("%(name)s is not enrolled for meals.") % {"name": resident.name})
        existing = Meal.objects.filter(resident=resident, hall=hall, served_on=day, meal_type=meal_type).first()
        if existing is not None:
            return existing, False
        if not hall.is_open:
            raise _refuse("hall_closed", _("This meal hall is closed."))
        menu = hall.menu.filter(meal_type=meal_type).first()
        if menu is None:
            raise _refuse("meal_not_served", _("This hall does not serve that meal."))
        tier = tier_for(resident, day) if resident.died_on is None else None
        if tier is None:
            raise _refuse("not_eligible", _("%(name)s is not eligible for a meal subsidy.") % {"name": resident.name})
        policy = selectors.meal_policy_in_force(hall.region_id, day)
        if policy is None:
            raise _refuse("no_policy", _("No meal policy is in force here on this day."))
        taken = Meal.objects.filter(resident=resident, served_on=day, meal_type=meal_type).count()
        if taken >= policy.meals_per_day:
            raise _refuse(
                "over_daily_limit",
                _("%(name)s has already had the subsidised %(meal)s today.")
                % {"name": resident.name, "meal": MealType(meal_type).label},
            )
        elder, city, district, street = shares(
            policy, tier, menu.price, hall_region=hall.region_id, home_region=resident.region_id or ""
        )
        try:
            with transaction.atomic():
                meal = Meal.objects.create(
                    resident=resident,
                    hall=hall,
                    served_on=day,
                    meal_type=meal_type,
                    served_at=served_at,
                    tier=tier,
                    price=menu.price,
                    elder_paid=elder,
                    city_share=city,
                    district_share=district,
                    street_share=street,
                    policy=policy,
                    source=MealSource.TERMINAL if terminal else MealSource.BROWSER,
                    recorded_by_label=audit.actor_parts(actor)[1],
                )
        except IntegrityError:  # the same check-in arrived twice at once: the first one counts
            return Meal.objects.get(resident=resident, hall=hall, served_on=day, meal_type=meal_type), False
    return meal, True


# ------------------------------------------------------------------------------------------- settlements


def period_of(day, period):
    """(first day, last day) of the month or quarter containing `day`."""
    months = 3 if period == Period.QUARTERLY else 1
    first_month = (day.month - 1) // months * months + 1
    start = date(day.year, first_month, 1)
    end_month = first_month + months
    following = date(day.year + (end_month > 12), (end_month - 1) % 12 + 1, 1)
    return start, following - timedelta(days=1)


def settlement_start(*, actor, hall, day):
    """Start the job that settles the hall's period containing `day` (monthly or quarterly, by the policy in
    force). Only a finished period is settled."""
    _require(actor, "eldercare.view", hall.region_id)
    if not (access.can(actor, "eldercare.settle") or access.can(actor, "eldercare.manage")):
        raise _forbidden()
    policy = selectors.meal_policy_in_force(hall.region_id, day)
    period = policy.settlement if policy else Period.MONTHLY
    start, end = period_of(day, period)
    if end >= timezone.localdate():
        raise _invalid("period", _("Settle a period once it has ended (this one ends on %(date)s).") % {"date": end})
    settlement, _created = Settlement.objects.get_or_create(hall=hall, period_start=start, defaults={"period_end": end})
    if settlement.state != SettlementState.DRAFT:
        raise ApplicationError(_("This settlement is approved already."), code="wrong_state", status=409)
    return settlement, _settle(settlement, hall, actor)


def _settle(settlement, hall, actor=None):
    """Start (or resume) the job that computes this statement; 409 job_running while it runs."""
    from . import tasks

    with transaction.atomic():
        return jobs.job_start(
            kind="eldercare.settle",
            key=f"eldercare.settle:{settlement.pk}",
            region=hall.region,
            task=tasks.settle,
            params={"settlement": settlement.pk},
            actor=actor,
        )


def settlements_due(today=None):
    """The monthly job: settle, for every open hall, the period that has just ended (last month, or last quarter
    where the policy settles quarterly). A settlement already approved or running is left alone."""
    today = today or timezone.localdate()
    last_day = today.replace(day=1) - timedelta(days=1)
    started = 0
    for hall in MealHall.objects.filter(is_open=True).select_related("region"):
        policy = selectors.meal_policy_in_force(hall.region_id, last_day)
        period = policy.settlement if policy else Period.MONTHLY
        if period_of(last_day, period)[1] != last_day:
            continue  # the quarter has not ended yet
        settlement, _created = Settlement.objects.get_or_create(
            hall=hall, period_start=period_of(last_day, period)[0], defaults={"period_end": last_day}
        )
        if settlement.state != SettlementState.DRAFT:
            continue
        try:
            _settle(settlement, hall)
            started += 1
        except ApplicationError:
            continue  # running already
    return started


@transaction.atomic
def settlement_approve(*, actor, settlement):
    """The street approves a computed statement; whoever started its computation may not."""
    _require(actor, "eldercare.settle", settlement.hall.region_id)
    settlement = Settlement.objects.select_for_update().get(pk=settlement.pk)
    if settlement.state != SettlementState.DRAFT or settlement.computed_at is None:
        raise ApplicationError(_("Only a computed draft settlement can be approved."), code="wrong_state", status=409)
    starters = set(
        jobs.Job.objects.filter(key=f"eldercare.settle:{settlement.pk}")
        .exclude(created_by=None)
        .values_list("created_by", flat=True)
    )
    if actor.pk in starters:
        access.ensure_different_people(actor, actor, step=_("approve it"))
    Settlement.objects.filter(pk=settlement.pk).update(
        state=SettlementState.APPROVED, approved_by=actor, approved_at=timezone.now()
    )
    figures.refresh_soon("eldercare.settlements", settlement.hall.region_id, settlement.period_start)
    figures.refresh_soon("eldercare.open_settlements", settlement.hall.region_id)
    return Settlement.objects.get(pk=settlement.pk)


# ------------------------------------------------------------------------------ special-hardship elderly


def visit_days(risk):
    return getattr(settings, "ELDER_VISIT_DAYS", {}).get(risk, VISIT_DAYS[Risk(risk)])


def _categories(values):
    values = list(dict.fromkeys(values or []))
    if not values or not set(values) <= set(ElderCategory.values):
        raise _invalid("categories", _("Choose at least one category."))
    return values


def _visitor(actor, visitor, region_code):
    if not isinstance(visitor, User) or not access.in_scope(visitor, region_code):
        raise _invalid("visitor", _("The visitor must be a member of staff of this community."))
    return visitor


@transaction.atomic
def elder_register(*, actor, resident, categories, risk, visitor):
    _require(actor, "eldercare.record", resident.region_id)
    if resident.age_on(timezone.localdate()) < ELDER_AGE:
        raise _invalid("resident", _("The visiting list is for residents aged 60 or over."), code="not_eligible")
    if risk not in Risk.values:
        raise _invalid("risk", _("Choose the risk level."))
    categories = _categories(categories)
    visitor = _visitor(actor, visitor, resident.region_id)
    if CaredElder.objects.filter(resident=resident, ended_on__isnull=True).exists():
        raise _invalid("resident", _("%(name)s is on the list already.") % {"name": resident.name}, code="duplicate")
    elder, _created = CaredElder.objects.update_or_create(
        resident=resident,
        defaults={
            "region_id": resident.region_id,
            "categories": categories,
            "risk": risk,
            "visitor": visitor,
            "next_visit_due": timezone.localdate() + timedelta(days=visit_days(risk)),
            "overdue_since": None,
            "ended_on": None,
        },
    )
    return elder


@transaction.atomic
def visit_record(*, actor, elder, visited_on, findings, risks="", follow_up="", risk=None):
    """A visit; the next one falls due by the (possibly re-assessed) risk level, counted from this visit."""
    _require(actor, "eldercare.record", elder.region_id)
    if not (findings or "").strip():
        raise _invalid("findings", _("Write down what the visit found."))
    today = timezone.localdate()
    if visited_on > today:
        raise _invalid("visited_on", _("A visit cannot be in the future."))
    if risk is not None and risk not in Risk.values:
        raise _invalid("risk", _("Choose the risk level."))
    elder = CaredElder.objects.select_for_update().get(pk=elder.pk)
    visit = Visit.objects.create(
        elder=elder,
        visited_on=visited_on,
        visitor=actor,
        findings=findings.strip(),
        risks=(risks or "").strip(),
        follow_up=(follow_up or "").strip(),
    )
    latest = elder.visits.order_by("-visited_on").values_list("visited_on", flat=True).first()
    risk = risk or elder.risk
    due = latest + timedelta(days=visit_days(risk))
    CaredElder.objects.filter(pk=elder.pk).update(
        risk=risk, next_visit_due=due, overdue_since=None if due >= today else today
    )
    send_after_commit(signals.visit_recorded, visit=visit)
    return visit


def overdue_flag(today=None):
    """The daily job: mark every elder whose visit is past due and not yet marked. Set-based; a second run the
    same day marks nothing."""
    today = today or timezone.localdate()
    marked = CaredElder.objects.filter(
        ended_on__isnull=True, next_visit_due__lt=today, overdue_since__isnull=True
    ).update(overdue_since=today)
    figures.refresh_soon("eldercare.visits_now", "")  # a new day: overdue now, for the whole city
    return marked


def region_or_404(code):
    region = Region.objects.filter(code=code).first()
    if region is None:
        raise _not_found()
    return region
