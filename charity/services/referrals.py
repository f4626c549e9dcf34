"""政府救助 + 慈善帮扶: referring a family relief cannot cover (or covers only in part) to a pairing, project or fund,
and following it: referred → accepted or declined; accepted (or referred) → help given, or closed without help.

The caseworker refers; whoever manages charity records where the family lives answers and records the help. Help is
recorded through the channel itself (a grant from the fund to the household, an activity of the project naming the
family, an activity of the pairing), so the ledger and the reports count it once."""

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from civic.errors import ApplicationError
from civic.workdays import add_working_days

from ..models import (
    PairingStatus,
    PairingTarget,
    ProjectStatus,
    Referral,
    ReferralChannel,
    ReferralEvent,
    ReferralReason,
    ReferralStatus,
)
from . import funds, pairings, projects
from .common import amount_or_error, conflict, invalid, require, text, visible_from

ANSWER_WORKING_DAYS = 5  # CHARITY_ANSWER_WORKING_DAYS overrides


def answer_days():
    return getattr(settings, "CHARITY_ANSWER_WORKING_DAYS", ANSWER_WORKING_DAYS)


def _event(referral, actor, note=""):
    ReferralEvent.objects.create(referral=referral, status=referral.status, note=note, by=actor)


def _target_problem(household, channel, pairing, project, fund):
    if channel == ReferralChannel.PAIRING:
        if pairing is None:
            return _("Choose the pairing.")
        if pairing.status != PairingStatus.ACTIVE:
            return _("This pairing has ended.")
        if pairing.target == PairingTarget.HOUSEHOLD and pairing.household_id != household.pk:
            return _("This pairing is with another household.")
        if not household.region_id.startswith(pairing.region.prefix):
            return _("This pairing is with another street.")
    elif channel == ReferralChannel.PROJECT:
        if project is None:
            return _("Choose the project.")
        if project.status not in (ProjectStatus.PLANNED, ProjectStatus.RUNNING):
            return _("This project is closed.")
        if not household.region_id.startswith(project.region.prefix):
            return _("This project does not run where the family lives.")
    elif channel == ReferralChannel.FUND:
        if fund is None:
            return _("Choose the fund.")
    else:
        return _("Refer to a pairing, a project or a fund.")
    return None


@transaction.atomic
def referral_create(
    *,
    actor,
    household,
    reason,
    need,
    channel,
    pairing=None,
    project=None,
    fund=None,
    application=None,
    amount_sought=None,
):
    """A refused application or one that covers the need only in part is named; a caseworker's judgement needs
    none. One open referral per family and target."""
    require(actor, "charity.refer", household.region_id)
    errors = {}
    if reason not in ReferralReason.values:
        errors["reason"] = [_("Choose why the family is referred.")]
    elif reason == ReferralReason.REFUSED and (application is None or application.status != "refused"):
        errors["application"] = [_("Name the family's refused relief application.")]
    elif reason == ReferralReason.PARTLY_COVERED and (application is None or application.status != "approved"):
        errors["application"] = [_("Name the family's approved relief application that covers the need in part.")]
    if application is not None and application.household_id != household.pk:
        errors["application"] = [_("This application is another household's.")]
    if not text(need):
        errors["need"] = [_("Say what the family needs.")]
    asked = amount_sought not in (None, "")
    amount_sought = amount_or_error(amount_sought, "amount_sought", errors) if asked else None
    # Only the chosen channel's target is kept.
    pairing = pairing if channel == ReferralChannel.PAIRING else None
    project = project if channel == ReferralChannel.PROJECT else None
    fund = fund if channel == ReferralChannel.FUND else None
    problem = _target_problem(household, channel, pairing, project, fund)
    target_region = (
        pairing.region_id if pairing else project.region_id if project else fund.organisation.region_id if fund else ""
    )
    if problem is None and not visible_from(actor, target_region):
        problem = _("Not found.")
    if problem:
        errors[channel if channel in ReferralChannel.values else "channel"] = [problem]
    if errors:
        raise invalid(errors)
    open_ = Referral.objects.filter(
        household=household,
        status__in=(ReferralStatus.REFERRED, ReferralStatus.ACCEPTED),
        channel=channel,
        pairing=pairing,
        project=project,
        fund=fund,
    )
    if open_.exists():
        raise conflict(_("This family is referred there already and awaits the outcome."), "referral_open")
    referral = Referral.objects.create(
        household=household,
        region_id=household.region_id,
        application=application,
        reason=reason,
        need=text(need),
        amount_sought=amount_sought,
        channel=channel,
        pairing=pairing,
        project=project,
        fund=fund,
        answer_due=add_working_days(timezone.localdate(), answer_days()),
        referred_by=actor,
    )
    _event(referral, actor, text(need))
    return referral


def _locked(actor, referral, allowed):
    require(actor, "charity.manage", referral.region_id)
    locked = Referral.objects.select_for_update().get(pk=referral.pk)
    if locked.status not in allowed:
        raise conflict(
            _("This referral is “%(status)s”: this step is not open.") % {"status": locked.get_status_display()},
            "invalid_status",
        )
    return locked


@transaction.atomic
def referral_accept(*, actor, referral, note=""):
    referral = _locked(actor, referral, {ReferralStatus.REFERRED})
    referral.status = ReferralStatus.ACCEPTED
    referral.save(update_fields=["status"])
    _event(referral, actor, text(note))
    return referral


@transaction.atomic
def referral_decline(*, actor, referral, reason):
    if not text(reason):
        raise invalid({"reason": [_("Give the reason the referral is declined: the caseworker tells the family.")]})
    referral = _locked(actor, referral, {ReferralStatus.REFERRED})
    referral.status, referral.outcome, referral.closed_at = ReferralStatus.DECLINED, text(reason), timezone.now()
    referral.save(update_fields=["status", "outcome", "closed_at"])
    _event(referral, actor, text(reason))
    return referral


@transaction.atomic
def referral_close(*, actor, referral, reason):
    """Closed without help: the family no longer needs it, moved away, refused it."""
    if not text(reason):
        raise invalid({"reason": [_("Say why the referral closes without help.")]})
    referral = _locked(actor, referral, {ReferralStatus.REFERRED, ReferralStatus.ACCEPTED})
    referral.status, referral.outcome, referral.closed_at = ReferralStatus.CLOSED, text(reason), timezone.now()
    referral.save(update_fields=["status", "outcome", "closed_at"])
    _event(referral, actor, text(reason))
    return referral


@transaction.atomic
def referral_help(*, actor, referral, description, value=0, on=None, place="", residents=None):
    """Record the help given, through the referral's channel, and close the referral as helped. A fund's help is
    a grant to the household (value above zero, never overdrawing); a project's an activity naming the family's
    members helped (all members unless `residents`); a pairing's an activity for the household."""
    referral = _locked(actor, referral, {ReferralStatus.REFERRED, ReferralStatus.ACCEPTED})
    if not text(description):
        raise invalid({"description": [_("Say what help was given.")]})
    household = referral.household
    try:
        if referral.channel == ReferralChannel.FUND:
            entry = funds.grant_make(
                actor=actor,
                fund=referral.fund,
                amount=value,
                purpose=description,
                on=on,
                household=household,
                referral=referral,
            )
            value, on = entry.amount, entry.on
        elif referral.channel == ReferralChannel.PROJECT:
            members = list(household.members.filter(died_on__isnull=True)) if residents is None else list(residents)
            if any(m.household_id != household.pk for m in members):
                raise invalid({"residents": [_("Name members of this household only.")]})
            activity = projects.activity_record(
                actor=actor,
                project=referral.project,
                on=on,
                place=place or household.address,
                beneficiaries=len(members) or 1,
                residents=members,
                description=description,
                spent=value,
                referral=referral,
            )
            value, on = activity.spent, activity.on
        else:
            activity = pairings.pairing_activity_record(
                actor=actor,
                pairing=referral.pairing,
                on=on,
                description=description,
                beneficiaries=household.members.filter(died_on__isnull=True).count() or 1,
                value=value,
                household=household,
                referral=referral,
            )
            value, on = activity.value, activity.on
    except ApplicationError as exc:
        if exc.status == 404:
            # The target is kept above the actor's area (a city fund): its own officers record the help.
            raise ApplicationError(
                _("This %(channel)s is kept above your area: its own officers record the help.")
                % {"channel": referral.get_channel_display()},
                code="forbidden",
                status=403,
            ) from None
        raise
    referral.status, referral.outcome = ReferralStatus.HELPED, text(description)
    referral.help_value, referral.helped_on, referral.closed_at = value, on, timezone.now()
    referral.save(update_fields=["status", "outcome", "help_value", "helped_on", "closed_at"])
    _event(referral, actor, text(description))
    return referral
