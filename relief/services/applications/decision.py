"""The district's decision, the amount it rests on, and emergency aid paid first by the street."""

from decimal import Decimal

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from civic import access, workdays
from civic.errors import ApplicationError
from civic.models import Resident
from civic.months import first_of_next_month
from relief import quoting, rules
from relief.models import (
    Entitlement,
    Status,
)
from relief.models.applications import ReviewClass
from relief.programmes import (
    DEDUCTIBLE_EXPENSES,
    EXCLUSIVE,
    TEMPORARY,
    Approval,
    AssetKind,
    Programme,
)
from relief.services import entitlements

from .filing import refuse_overlap
from .guards import local_today, move_status, require
from .investigation import notice_close


def _household_facts(application, on):
    members = []
    incomes = {}
    for item in application.incomes.all():
        incomes.setdefault(item.resident_id, []).append({"kind": item.kind, "amount": item.monthly_amount})
    for resident in Resident.objects.filter(household=application.household_id).order_by("pk"):
        members.append(
            {
                "name": resident.name,
                "age": resident.age_on(on),
                "incomes": incomes.get(resident.pk, []),
                "disability_grade": resident.disability_grade,
                "serious_illness": resident.serious_illness,
            }
        )
    assets = list(application.assets.all())
    expenses = list(application.expenses.all())
    return {
        "members": members,
        "rigid_deduction": sum((e.monthly_amount for e in expenses if e.kind in DEDUCTIBLE_EXPENSES), Decimal(0)),
        "rigid_expenditure": sum((e.monthly_amount for e in expenses), Decimal(0)),
        "assets": {
            "financial": sum((a.value for a in assets if a.kind == AssetKind.FINANCIAL), Decimal(0)),
            "homes": sum(a.kind == AssetKind.HOME for a in assets),
            "vehicles": sum(a.kind == AssetKind.VEHICLE for a in assets),
            "businesses": sum(a.kind == AssetKind.BUSINESS for a in assets),
        },
    }


def application_quote(application, on=None):
    """The amount the rules give for this application on a date: the same function the quote API calls."""
    return application_policy_and_quote(application, on)[1]


def application_policy_and_quote(application, on=None):
    on = on or local_today()
    return quoting.quote_for(
        programme=application.programme,
        region_code=application.region_id,
        area=application.area,
        on=on,
        household=quoting.household_from_data(_household_facts(application, on)),
        failures=application.self_care_failures,
        form=application.care_form,
        months=application.aid_months,
    )


def _review_class(application, start):
    """Households with working-age members every 6 months; stable households and 特困 yearly."""
    if application.programme == Programme.DIBAO:
        ages = [r.age_on(start) for r in Resident.objects.filter(household=application.household_id)]
        if any(18 <= age < 60 for age in ages):
            return ReviewClass.SIX_MONTHLY
    return ReviewClass.YEARLY


@transaction.atomic
def decide(*, actor, application, approve, reasons="", checked_in_person=False):
    """The district's decision. Who accepted the case or gave the street's opinion may not decide it.
    `checked_in_person`: the district verified the case itself (it must do so for ≥ 30% of 特困 cases)."""
    require(actor, "relief.decide", application)
    access.ensure_different_people(application.accepted_by, actor, step=_("decide on it"))
    access.ensure_different_people(application.opinion_by, actor, step=_("decide on it"))
    application = notice_close(application, actor=actor)
    if application.status != Status.DECIDING:
        raise ApplicationError(
            _("The district decides after the street's opinion and the notice; this application is “%(status)s”.")
            % {"status": application.get_status_display()},
            code="not_ready",
            status=409,
        )
    now = timezone.now()
    if not approve:
        if not reasons.strip():
            message = _("A refusal needs written reasons for the family.")
            raise ApplicationError(message, fields={"reasons": [message]})
        return move_status(
            application,
            expected=Status.DECIDING,
            to=Status.REFUSED,
            actor=actor,
            action="refused",
            district_checked=checked_in_person,
            **_decided(actor, reasons, now),
        )
    if application.programme in EXCLUSIVE:
        refuse_overlap(application.household, application.programme, deciding=application)
    policy, quote = application_policy_and_quote(application)
    if not quote.eligible:
        raise ApplicationError(
            _("By the rules in force the household is not eligible; refuse with reasons or correct the incomes."),
            code="not_eligible",
        )
    application = move_status(
        application,
        expected=Status.DECIDING,
        to=Status.APPROVED,
        actor=actor,
        action="approved",
        district_checked=checked_in_person,
        **_decided(actor, reasons, now, quote),
    )
    if application.programme in TEMPORARY:
        return application  # a one-off payment, no monthly entitlement
    start = first_of_next_month(timezone.localdate(now))
    review_class = _review_class(application, start)
    members = list(Resident.objects.filter(household=application.household_id))
    basis = quote.basis or rules.Basis(fixed=quote.amount)
    entitlement = Entitlement.objects.create(
        household=application.household,
        region=application.region,
        programme=application.programme,
        application=application,
        amount=quote.amount,
        starts_on=start,
        review_class=review_class,
        review_due=entitlements.next_review_due(review_class, timezone.localdate(now)),
        policy=policy,
        covered_count=basis.members or (1 if application.programme == Programme.TEKUN else len(members)),
        payee_id=application.household.head_id,
        account=application.account,
        basis_members=basis.members,
        basis_income=basis.income,
        basis_floor_share=basis.floor_share,
        basis_share=basis.share,
        basis_fixed=basis.fixed,
    )
    entitlement.members.set(members)
    return application


# ------------------------------------------------------------------------------ emergency temporary aid

PAPERWORK_WITHIN = 5  # working days after paying first


def _decided(actor, reasons, now, quote=None):
    """The fields every decision writes: who, when, the written reasons and, when granted, the amount."""
    fields = {"note": reasons, "decided_at": now, "decided_by": actor, "decision_reasons": reasons, "step_due": None}
    if quote is not None:
        fields.update(amount=quote.amount, explanation=_explanation(quote))
    return fields


def _explanation(quote):
    return [
        {"text": line.text, "amount": str(line.amount) if line.amount is not None else None} for line in quote.lines
    ]


@transaction.atomic
def emergency_pay_first(*, actor, application, reasons):
    """急难型 aid within the street's limit: the street pays at once (先行救助) and the paperwork follows
    within 5 working days. Above the limit the case takes the normal road to the district."""
    require(actor, "relief.review", application)
    access.ensure_different_people(application.accepted_by, actor, step=_("pay it"))
    if application.programme != Programme.TEMP_EMERGENCY:
        raise ApplicationError(_("Only emergency temporary aid may be paid first."), code="not_emergency")
    if not reasons.strip():
        message = _("Say why the aid cannot wait.")
        raise ApplicationError(message, fields={"reasons": [message]})
    quote = application_quote(application)
    if quote.approval != Approval.STREET:
        raise ApplicationError(
            _("%(amount)s yuan is above what the street may pay first; the district decides after the investigation.")
            % {"amount": quote.amount},
            code="above_street_limit",
            status=409,
        )
    now = timezone.now()
    return move_status(
        application,
        expected=(Status.ACCEPTED, Status.INVESTIGATING),
        to=Status.APPROVED,
        actor=actor,
        action="paid_first",
        paid_first_at=now,
        paperwork_due=workdays.add_working_days(timezone.localdate(now), PAPERWORK_WITHIN),
        **_decided(actor, reasons, now, quote),
    )
