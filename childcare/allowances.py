"""Basic living allowances for orphans and de-facto-unsupported children (DOMAIN.md, Child welfare).

The child director files the claim; the street's child supervisor verifies it within 15 working days, with no
public notice (the child's privacy); the district's child-protection officer confirms it within 15 more. The
amount is the effective-dated standard (institutional or scattered orphans; de-facto-unsupported children get the
scattered standard); a child already on dibao or 特困 gets only the difference (补差) over what that benefit
already pays for them. Confirmation grants a relief entitlement (programme child_allowance), paid from next month
to the guardian's or carer's account by the monthly batches."""

from datetime import date
from decimal import ROUND_HALF_UP, Decimal

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from civic import access, effective, figures, workdays
from civic.errors import ApplicationError
from civic.months import first_of_next_month
from relief.models import Entitlement, EntitlementStatus
from relief.programmes import Programme
from relief.rules import yuan
from relief.selectors import LIVE_ENTITLEMENTS

from . import rules
from .models import AllowanceClaim, AllowanceKind, AllowanceStandard, ClaimState

STEP_WORKING_DAYS = 15
ZERO = Decimal("0.00")


def standard_in_force(region_code, on):
    """The most specific region's latest standard started by `on` (a district's own before the city's)."""
    return effective.in_force(AllowanceStandard.objects.all(), region_code, on)


def quote(profile, kind, on=None):
    """(monthly amount, explanation lines) for a child and kind of allowance on a day."""
    on = on or timezone.localdate()
    standard = standard_in_force(profile.region_id, on)
    if standard is None:
        raise ApplicationError(_("No child allowance standard is in force here."), code="no_standard", status=409)
    base = standard.amount_for(kind)
    lines = [
        {
            "text": _("Standard for %(kind)s: %(amount)s yuan a month")
            % {"kind": AllowanceKind(kind).label, "amount": yuan(base)},
            "amount": str(base),
        }
    ]
    already = ZERO
    for benefit in Entitlement.objects.filter(
        members=profile.resident,
        status__in=LIVE_ENTITLEMENTS,
        programme__in=(Programme.DIBAO, Programme.TEKUN),
    ):
        share = benefit.amount
        if benefit.programme == Programme.DIBAO and benefit.covered_count > 1:
            share = (benefit.amount / benefit.covered_count).quantize(Decimal("0.01"), ROUND_HALF_UP)
        already += share
        lines.append(
            {
                "text": _("Already paid for the child by %(programme)s: %(amount)s yuan (补差: only the difference)")
                % {"programme": benefit.get_programme_display(), "amount": yuan(share)},
                "amount": str(share),
            }
        )
    amount = max(base - already, ZERO)
    lines.append({"text": _("Monthly allowance: %(amount)s yuan") % {"amount": yuan(amount)}, "amount": str(amount)})
    return amount, lines


def _claim_for_update(actor, claim):
    claim = AllowanceClaim.objects.select_for_update().select_related("profile", "profile__resident").get(pk=claim.pk)
    if not rules.may_open_profile(actor, claim.profile):
        raise ApplicationError(_("Not found."), code="not_found", status=404)
    return claim


def _expect(claim, state):
    if claim.state != state:
        raise ApplicationError(
            _("This claim is “%(state)s”; that step is not possible now.") % {"state": claim.get_state_display()},
            code="wrong_state",
            status=409,
        )


@transaction.atomic
def claim_file(*, actor, profile, kind, payee_name, account):
    if not access.can(actor, "child.direct") or not rules.may_open_profile(actor, profile):
        raise ApplicationError(_("Only the child's director files an allowance claim."), code="forbidden", status=403)
    errors = {}
    if kind not in AllowanceKind.values:
        errors["kind"] = [_("Choose the kind of allowance.")]
    elif kind not in profile.categories:
        errors["kind"] = [_("The child's profile does not record this category.")]
    if not (payee_name or "").strip():
        errors["payee_name"] = [_("Name the guardian or carer who is paid.")]
    compact = "".join((account or "").split())
    if not (compact.isdigit() and 10 <= len(compact) <= 30):
        errors["account"] = [_("An account number is 10 to 30 digits.")]
    if errors:
        raise ApplicationError(_("Some fields are not valid."), code="invalid", fields=errors)
    open_claims = AllowanceClaim.objects.filter(profile=profile, state__in=(ClaimState.FILED, ClaimState.VERIFIED))
    if (
        open_claims.exists()
        or Entitlement.objects.filter(
            members=profile.resident, programme=Programme.CHILD_ALLOWANCE, status__in=LIVE_ENTITLEMENTS
        ).exists()
    ):
        raise ApplicationError(_("This child has a claim or an allowance already."), code="duplicate", status=409)
    return AllowanceClaim.objects.create(
        profile=profile,
        kind=kind,
        payee_name=payee_name.strip(),
        account=compact,
        filed_by=actor,
        due_on=workdays.add_working_days(timezone.localdate(), STEP_WORKING_DAYS),
    )


@transaction.atomic
def claim_verify(*, actor, claim, approve, reasons=""):
    """The street's verification (no public notice)."""
    if not access.can(actor, "child.supervise"):
        raise ApplicationError(_("The street's child supervisor verifies claims."), code="forbidden", status=403)
    claim = _claim_for_update(actor, claim)
    _expect(claim, ClaimState.FILED)
    access.ensure_different_people(claim.filed_by, actor, step=_("verify it"))
    now = timezone.now()
    if not approve:
        return _refuse(claim, actor, reasons, now, verified=True)
    AllowanceClaim.objects.filter(pk=claim.pk).update(
        state=ClaimState.VERIFIED,
        verified_by=actor,
        verified_at=now,
        due_on=workdays.add_working_days(timezone.localdate(), STEP_WORKING_DAYS),
    )
    figures.refresh_soon("childcare.children_now", claim.profile.region_id)
    return AllowanceClaim.objects.get(pk=claim.pk)


def _refuse(claim, actor, reasons, now, verified=False):
    if not (reasons or "").strip():
        message = _("A refusal needs written reasons.")
        raise ApplicationError(message, code="invalid", fields={"reasons": [message]})
    fields = {"state": ClaimState.REFUSED, "reasons": reasons.strip(), "decided_by": actor, "decided_at": now}
    if verified:
        fields.update(verified_by=actor, verified_at=now)
    AllowanceClaim.objects.filter(pk=claim.pk).update(**fields)
    figures.refresh_soon("childcare.children_now", claim.profile.region_id)
    return AllowanceClaim.objects.get(pk=claim.pk)


@transaction.atomic
def claim_confirm(*, actor, claim, approve, reasons=""):
    """The district's confirmation: grants the allowance as an entitlement paid from next month."""
    if not access.can(actor, "child.protect"):
        raise ApplicationError(_("The district confirms allowance claims."), code="forbidden", status=403)
    claim = _claim_for_update(actor, claim)
    _expect(claim, ClaimState.VERIFIED)
    access.ensure_different_people(claim.verified_by, actor, step=_("confirm it"))
    now = timezone.now()
    if not approve:
        return _refuse(claim, actor, reasons, now)
    today = timezone.localdate()
    amount, lines = quote(claim.profile, claim.kind, today)
    child = claim.profile.resident
    entitlement = Entitlement.objects.create(
        household_id=child.household_id,
        region_id=child.region_id,
        programme=Programme.CHILD_ALLOWANCE,
        amount=amount,
        starts_on=first_of_next_month(today),
        review_due=date(today.year + 1, today.month, 1),
        status=EntitlementStatus.ACTIVE,
        covered_count=1,
        payee_id=child.household.head_id if child.household_id else None,
        account=claim.account,
        basis_fixed=amount,
    )
    entitlement.members.set([child])
    AllowanceClaim.objects.filter(pk=claim.pk).update(
        state=ClaimState.CONFIRMED,
        decided_by=actor,
        decided_at=now,
        reasons=(reasons or "").strip(),
        amount=amount,
        explanation=lines,
        entitlement=entitlement,
    )
    figures.refresh_soon("childcare.children_now", claim.profile.region_id)
    figures.refresh_soon("childcare.allowances", claim.profile.region_id)
    return AllowanceClaim.objects.get(pk=claim.pk)


def claims_overdue(principal, today=None):
    """Claims whose current step is past its 15 working days."""
    today = today or timezone.localdate()
    return (
        AllowanceClaim.objects.filter(
            state__in=(ClaimState.FILED, ClaimState.VERIFIED),
            due_on__lt=today,
            profile__in=rules.profiles_for(principal),
        )
        .select_related("profile", "profile__resident")
        .order_by("due_on")
    )
