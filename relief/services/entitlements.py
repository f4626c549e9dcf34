"""Dynamic management (动态管理) of entitlements (DOMAIN.md): periodic reviews that continue, change, suspend or end
the benefit; suspension and resumption; ending; the gradual exit (渐退期); a review brought forward after a death;
and the daily job that ends gradual exits that have run their course.

Each step: the guard (capability and region: street reviewers review, suspend, resume and start gradual exits,
the district ends), a compare-and-set update so that of two people acting at once exactly one wins, and an
EntitlementEvent carrying the reason told to the family, all in one transaction."""

import logging
from decimal import Decimal, InvalidOperation

from django.db import transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from civic import access, audit
from civic.errors import ApplicationError
from civic.months import add_months, first_of_next_month, month_end
from relief import figures
from relief.models import (
    Entitlement,
    EntitlementAction,
    EntitlementEvent,
    EntitlementStatus,
    ReviewClass,
    ReviewOutcome,
)
from relief.programmes import Programme

logger = logging.getLogger(__name__)

LIVE = (EntitlementStatus.ACTIVE, EntitlementStatus.SUSPENDED)
REVIEW_MONTHS = {ReviewClass.YEARLY: 12, ReviewClass.SIX_MONTHLY: 6}
GRADUAL_EXIT_MONTHS = (1, 12)  # local rules allow 1 to 12 months
GRADUAL_EXIT_DEFAULT = 6
REVIEW_AFTER_DEATH_MONTHS = 3
CHUNK = 1000


def _today():
    return timezone.localdate()


# --------------------------------------------------------------------------------------------- dates


def next_review_due(review_class, today=None):
    """Reviews run from the first of next month: 12 months on for yearly households, 6 for six-monthly ones."""
    return add_months(first_of_next_month(today or _today()), REVIEW_MONTHS[ReviewClass(review_class)])


def gradual_exit_last_day(months, today=None):
    """A gradual exit pays `months` more months starting next month: the last day of the last of them."""
    return month_end(add_months(first_of_next_month(today or _today()), months - 1))


# -------------------------------------------------------------------------------------------- guards


def _forbidden(message=None):
    return ApplicationError(message or _("You may not do this for this entitlement."), code="forbidden", status=403)


def _require(actor, capability, entitlement):
    if not access.can(actor, capability) or not access.in_scope(actor, entitlement.region_id):
        raise _forbidden()


def _reason(reason):
    """Every change is told to the family with its reason: an empty one is refused, naming the field."""
    reason = (reason or "").strip()
    if not reason:
        message = _("Give the reason; it is recorded and told to the family.")
        raise ApplicationError(message, code="invalid", fields={"reason": [message]})
    return reason


def _expect(entitlement, *statuses):
    """A step taken from the wrong status is refused plainly (the entitlement as the user saw it)."""
    if entitlement.status not in statuses:
        raise ApplicationError(
            _("This is not possible while the benefit is “%(status)s”.") % {"status": entitlement.get_status_display()},
            code="wrong_status",
            status=409,
        )


def _conflict(entitlement):
    current = Entitlement.objects.filter(pk=entitlement.pk).values_list("status", flat=True).first()
    return ApplicationError(
        _("Someone else has just changed this benefit (it is now “%(status)s”). Reload it.")
        % {"status": EntitlementStatus(current).label if current else "-"},
        code="conflict",
        status=409,
    )


def _event(entitlement, action, *, actor, reason, old_status="", new_status="", old_amount=None, new_amount=None, **kw):
    account, label = audit.actor_parts(actor)
    return EntitlementEvent.objects.create(
        entitlement=entitlement,
        action=action,
        old_status=old_status,
        new_status=new_status,
        old_amount=old_amount,
        new_amount=new_amount,
        reason=reason,
        actor=account,
        actor_label=label,
        **kw,
    )


def _change(entitlement, *, expected, actor, action, reason, match=None, at_review=False, **fields):
    """Compare-and-set: the row changes only if it still has the status (and `match` values) the user saw; of two
    people acting at once, one gets the row and the other a conflict. Then the event, in the same transaction."""
    _expect(entitlement, *expected)
    old_status, old_amount = entitlement.status, entitlement.amount
    changed = Entitlement.objects.filter(pk=entitlement.pk, status=old_status, **(match or {})).update(**fields)
    if not changed:
        raise _conflict(entitlement)
    entitlement.refresh_from_db()
    money = {}
    if entitlement.amount != old_amount:
        money = {"old_amount": old_amount, "new_amount": entitlement.amount}
    _event(
        entitlement,
        action,
        actor=actor,
        reason=reason,
        old_status=old_status,
        new_status=entitlement.status,
        at_review=at_review,
        **money,
    )
    figures.entitlement_changed(entitlement)
    return entitlement


def _ending_fields(reason, today):
    return {"status": EntitlementStatus.ENDED, "ends_on": month_end(today), "ended_reason": reason}


# ------------------------------------------------------------------------------------- suspend, resume, end


@transaction.atomic
def entitlement_suspend(*, actor, entitlement, reason):
    """Stop paying for now (the family cannot be reached, a check is pending); the street may resume it."""
    _require(actor, "relief.review", entitlement)
    reason = _reason(reason)
    return _change(
        entitlement,
        expected=(EntitlementStatus.ACTIVE,),
        actor=actor,
        action=EntitlementAction.SUSPENDED,
        reason=reason,
        status=EntitlementStatus.SUSPENDED,
    )


@transaction.atomic
def entitlement_resume(*, actor, entitlement, reason):
    _require(actor, "relief.review", entitlement)
    reason = _reason(reason)
    return _change(
        entitlement,
        expected=(EntitlementStatus.SUSPENDED,),
        actor=actor,
        action=EntitlementAction.RESUMED,
        reason=reason,
        status=EntitlementStatus.ACTIVE,
    )


@transaction.atomic
def entitlement_end(*, actor, entitlement, reason):
    """The district ends the benefit: paid to the end of the current month, with the reason."""
    _require(actor, "relief.decide", entitlement)
    reason = _reason(reason)
    if entitlement.status == EntitlementStatus.ENDED:
        raise ApplicationError(_("This benefit has already ended."), code="wrong_status", status=409)
    return _change(
        entitlement,
        expected=LIVE,
        actor=actor,
        action=EntitlementAction.ENDED,
        reason=reason,
        **_ending_fields(reason, _today()),
    )


# ----------------------------------------------------------------------------------------------- review

# Who may record each outcome: the street reviews; ending is the district's decision.
OUTCOME_CAPABILITY = {
    ReviewOutcome.CONTINUE: "relief.review",
    ReviewOutcome.CHANGE_AMOUNT: "relief.review",
    ReviewOutcome.SUSPEND: "relief.review",
    ReviewOutcome.END: "relief.decide",
}


def outcomes_for(principal):
    """The review outcomes this user may record, in display order."""
    return [outcome for outcome in ReviewOutcome if access.can(principal, OUTCOME_CAPABILITY[outcome])]


def _money(value):
    try:
        amount = Decimal(value) if value is not None and value != "" else None
    except (InvalidOperation, TypeError, ValueError):
        amount = None
    if amount is None or not amount.is_finite():
        message = _("Enter the new monthly amount in yuan.")
        raise ApplicationError(message, code="invalid", fields={"new_amount": [message]})
    if amount < 0:
        message = _("An amount cannot be negative.")
        raise ApplicationError(message, code="invalid", fields={"new_amount": [message]})
    if amount != amount.quantize(Decimal("0.01")):
        message = _("Give the amount in yuan and fen (at most two decimal places).")
        raise ApplicationError(message, code="invalid", fields={"new_amount": [message]})
    return amount.quantize(Decimal("0.01"))


@transaction.atomic
def review_record(*, actor, entitlement, outcome, reason, new_amount=None, review_class=None):
    """The periodic review (动态管理): continue, change the amount, suspend or end, always with the reason told to
    the family. The next review falls 12 or 6 months (by the entitlement's review class, which the review may
    change) after the first of next month. Ending needs the district (relief.decide), the rest the street."""
    try:
        outcome = ReviewOutcome(outcome)
    except ValueError:
        message = _("Choose the outcome of the review.")
        raise ApplicationError(message, code="invalid", fields={"outcome": [message]}) from None
    _require(actor, OUTCOME_CAPABILITY[outcome], entitlement)
    reason = _reason(reason)
    if review_class is not None and review_class not in ReviewClass.values:
        message = _("Choose how often the benefit is reviewed.")
        raise ApplicationError(message, code="invalid", fields={"review_class": [message]})
    _expect(entitlement, *LIVE)
    today = _today()
    # The benefit as the reviewer saw it: if another review or change got in first, this one is a conflict.
    match = {
        "review_due": entitlement.review_due,
        "review_class": entitlement.review_class,
        "amount": entitlement.amount,
        "gradual_exit_until": entitlement.gradual_exit_until,
    }
    review_class = review_class or entitlement.review_class
    fields = {"review_class": review_class, "review_due": next_review_due(review_class, today)}
    action = EntitlementAction.REVIEWED
    expected = LIVE
    if outcome == ReviewOutcome.CHANGE_AMOUNT:
        amount = _money(new_amount)
        if amount == entitlement.amount:
            message = _("The new amount is the same as the current one; record “continue unchanged” instead.")
            raise ApplicationError(message, code="invalid", fields={"new_amount": [message]})
        fields["amount"] = amount
        # Kept as an offset from the formula, so a later standard moves this amount by the same rise.
        fields["basis_offset"] = entitlement.basis_offset + amount - entitlement.amount
        action = EntitlementAction.AMOUNT_CHANGED
    elif outcome == ReviewOutcome.SUSPEND:
        expected = (EntitlementStatus.ACTIVE,)
        fields["status"] = EntitlementStatus.SUSPENDED
        action = EntitlementAction.SUSPENDED
    elif outcome == ReviewOutcome.END:
        fields = _ending_fields(reason, today)
        action = EntitlementAction.ENDED
    return _change(
        entitlement, expected=expected, actor=actor, action=action, reason=reason, match=match, at_review=True, **fields
    )


@transaction.atomic
def review_request(*, actor, entitlement, reason):
    """Open a review now (a caseworker acting on a warning: a death, an undeclared car …): the review falls due
    today, so it heads the street's list of reviews due, with the reason as an event. Returns the event."""
    _require(actor, "relief.apply", entitlement)
    reason = _reason(reason)
    _expect(entitlement, *LIVE)
    today = _today()
    entitlement = Entitlement.objects.select_for_update().get(pk=entitlement.pk)
    _expect(entitlement, *LIVE)
    before = entitlement.review_due
    if before > today:
        Entitlement.objects.filter(pk=entitlement.pk).update(review_due=today)
    return _event(
        entitlement,
        EntitlementAction.REVIEW_DUE_BROUGHT_FORWARD,
        actor=actor,
        reason=reason,
        old_status=entitlement.status,
        new_status=entitlement.status,
    )


# ------------------------------------------------------------------------------------------ payment account


@transaction.atomic
def account_change(*, actor, entitlement, account, reason):
    """The account the benefit is paid into, kept in the field history with who changed it and why. Lines
    already in a batch keep the account they were sent with; a failed one re-issued takes the new account."""
    from .applications.filing import check_account

    _require(actor, "relief.review", entitlement)
    reason = _reason(reason)
    account = check_account(account)
    if not account:
        message = _("Enter the account number.")
        raise ApplicationError(message, code="invalid", fields={"account": [message]})
    entitlement = Entitlement.objects.select_for_update().get(pk=entitlement.pk)
    _expect(entitlement, *LIVE)
    before = audit.snapshot(entitlement, ("account",))
    entitlement.account = account
    entitlement.save(update_fields=["account"])
    audit.record_changes(
        actor=actor, instance=entitlement, fields=("account",), before=before, region_id=entitlement.region_id
    )
    _event(entitlement, EntitlementAction.ACCOUNT_CHANGED, actor=actor, reason=reason)
    return entitlement


# ------------------------------------------------------------------------------------------ gradual exit


@transaction.atomic
def gradual_exit_start(*, actor, entitlement, reason, months=GRADUAL_EXIT_DEFAULT):
    """渐退期: work has lifted the household's income to between 1 and 1.5 times the standard. The benefit goes on
    for `months` more months (1–12, locally set; 6 by default) starting next month, then ends by the daily job.
    The reviewer states the income found in the reason."""
    _require(actor, "relief.review", entitlement)
    reason = _reason(reason)
    low, high = GRADUAL_EXIT_MONTHS
    try:
        months = int(months)
    except (TypeError, ValueError):
        months = 0
    if not low <= months <= high:
        message = _("A gradual exit lasts from %(low)d to %(high)d months.") % {"low": low, "high": high}
        raise ApplicationError(message, code="invalid", fields={"months": [message]})
    if entitlement.programme != Programme.DIBAO:
        raise ApplicationError(_("A gradual exit applies to dibao only."), code="invalid")
    _expect(entitlement, EntitlementStatus.ACTIVE)
    if entitlement.gradual_exit_until is not None:
        raise ApplicationError(
            _("This benefit is already in a gradual exit until %(date)s.")
            % {"date": entitlement.gradual_exit_until.isoformat()},
            code="wrong_status",
            status=409,
        )
    until = gradual_exit_last_day(months, _today())
    return _change(
        entitlement,
        expected=(EntitlementStatus.ACTIVE,),
        actor=actor,
        action=EntitlementAction.GRADUAL_EXIT,
        reason=reason,
        match={"gradual_exit_until__isnull": True},
        gradual_exit_until=until,
        ends_on=until,
    )


def gradual_exits_end_due(today=None):
    """Daily: end every benefit whose gradual exit has passed. Set-based in primary-key chunks, each chunk its own
    transaction: lock the chunk's rows (skipping any a person is changing right now; tomorrow's run takes them),
    one UPDATE, one event per changed row by bulk_create. A second run finds nothing: idempotent.
    Returns how many benefits ended."""
    today = today or _today()
    ended, last_pk = 0, 0
    while True:
        with transaction.atomic():
            rows = list(
                Entitlement.objects.select_for_update(skip_locked=True)
                .filter(pk__gt=last_pk, status__in=LIVE, gradual_exit_until__lt=today)
                .order_by("pk")
                .values_list("pk", "status", "gradual_exit_until")[:CHUNK]
            )
            if not rows:
                return ended
            last_pk = rows[-1][0]
            ids = [pk for pk, _status, _until in rows]
            changed = Entitlement.objects.filter(pk__in=ids, status__in=LIVE).update(
                status=EntitlementStatus.ENDED,
                ends_on=F("gradual_exit_until"),
                ended_reason=_("The gradual exit (渐退期) has ended."),
            )
            # The rows are locked, so every one selected changed; the events say what each was.
            EntitlementEvent.objects.bulk_create(
                [
                    EntitlementEvent(
                        entitlement_id=pk,
                        action=EntitlementAction.ENDED,
                        old_status=status,
                        new_status=EntitlementStatus.ENDED,
                        reason=_("The gradual exit (渐退期) ended on %(date)s; the last month paid was %(month)s.")
                        % {"date": until.isoformat(), "month": f"{until:%Y-%m}"},
                        actor=None,
                        actor_label=audit.SYSTEM,
                    )
                    for pk, status, until in rows
                ]
            )
            if changed != len(rows):  # cannot happen while the rows are locked; say so loudly if it ever does
                logger.error("gradual exits: %s rows locked but %s changed", len(rows), changed)
            ended += changed


# ------------------------------------------------------------------------------------------------ death


@transaction.atomic
def review_due_for_death(resident, died_on):
    """A member's death makes a review due within 3 months: bring the next review of every live benefit of the
    household forward to at most `died_on` + 3 months, with an event. Called by the receiver of
    civic.signals.resident_died; running it again changes nothing. Returns the benefits brought forward."""
    household_id = getattr(resident, "household_id", None)
    if household_id is None or died_on is None:
        return []
    limit = add_months(died_on, REVIEW_AFTER_DEATH_MONTHS)
    brought = []
    due = (
        Entitlement.objects.select_for_update()
        .filter(household_id=household_id, status__in=LIVE, review_due__gt=limit)
        .order_by("pk")
    )
    for entitlement in due:
        changed = Entitlement.objects.filter(
            pk=entitlement.pk, status=entitlement.status, review_due=entitlement.review_due
        ).update(review_due=limit)
        if not changed:
            continue
        _event(
            entitlement,
            EntitlementAction.REVIEW_DUE_BROUGHT_FORWARD,
            actor=None,
            reason=_(
                "%(name)s, a member of the household, died on %(died)s; the benefit is reviewed by %(due)s "
                "(previously due %(before)s)."
            )
            % {
                "name": resident.name,
                "died": died_on.isoformat(),
                "due": limit.isoformat(),
                "before": entitlement.review_due.isoformat(),
            },
            old_status=entitlement.status,
            new_status=entitlement.status,
        )
        entitlement.review_due = limit
        brought.append(entitlement)
    return brought
