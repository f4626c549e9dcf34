"""A fund's ledger: donations in, grants out to a project or a household. The fund row is locked for each change,
so a second grant waits and then sees the new balance; a grant that would overdraw is refused (409)."""

from django.db import transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from civic import access
from civic.errors import ApplicationError

from ..models import EntryKind, Fund, FundEntry, ProjectStatus
from .common import amount_or_error, invalid, require, text, visible_from


def _entry(actor, fund, kind, *, amount, party, purpose, on, project=None, household=None, referral=None):
    require(actor, "charity.manage", fund.organisation.region_id)
    errors = {}
    amount = amount_or_error(amount, "amount", errors)
    if project is not None and not visible_from(actor, project.region_id):
        errors["project"] = [_("Choose a project of your area.")]
    elif project is not None and project.status in (ProjectStatus.COMPLETED, ProjectStatus.CANCELLED):
        errors["project"] = [_("This project is closed: it takes no more money.")]
    if on and on > timezone.localdate():
        errors["on"] = [_("The date cannot be in the future.")]
    if household is not None and not access.in_scope(actor, household.region_id):
        errors["household"] = [_("Choose a household of your area.")]
    if not text(party):
        field = "donor" if kind == EntryKind.DONATION else "recipient"
        errors[field] = [_("Name the donor or the recipient.")]
    if errors:
        raise invalid(errors)
    with transaction.atomic():
        locked = Fund.objects.select_for_update().get(pk=fund.pk)
        change = amount if kind == EntryKind.DONATION else -amount
        if locked.balance + change < 0:
            raise ApplicationError(
                _("The fund holds %(balance)s yuan: a grant of %(amount)s yuan would overdraw it.")
                % {"balance": locked.balance, "amount": amount},
                code="insufficient_funds",
                status=409,
            )
        Fund.objects.filter(pk=fund.pk).update(balance=F("balance") + change)
        fund.balance = locked.balance + change
        return FundEntry.objects.create(
            fund=locked,
            kind=kind,
            amount=amount,
            party=text(party),
            purpose=text(purpose),
            on=on or timezone.localdate(),
            balance_after=locked.balance + change,
            project=project,
            household=household,
            referral=referral,
            recorded_by=actor,
        )


def donation_record(*, actor, fund, donor, amount, purpose="", on=None, project=None):
    """A donation into the fund; `project` when the donor restricted it to one."""
    return _entry(actor, fund, EntryKind.DONATION, amount=amount, party=donor, purpose=purpose, on=on, project=project)


def grant_make(*, actor, fund, amount, recipient="", purpose="", on=None, project=None, household=None, referral=None):
    """A grant out of the fund, to a project, a household or a named recipient. Refused with 409
    insufficient_funds rather than overdraw, also when two grants are made at once."""
    if not text(recipient):
        if project is not None:
            recipient = project.name
        elif household is not None:
            recipient = household.head.name if household.head_id else str(household)
    return _entry(
        actor,
        fund,
        EntryKind.GRANT,
        amount=amount,
        party=recipient,
        purpose=purpose,
        on=on,
        project=project,
        household=household,
        referral=referral,
    )
