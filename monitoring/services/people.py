"""People watched by hand: a caseworker adds someone no benefit covers (after a hotline call, a visit, a neighbour's
word), with the reason, and ends the watch when it is no longer needed. People covered by dibao, 特困, edge or
rigid-expenditure support are watched by the nightly run for as long as the benefit lasts."""

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from civic import audit
from civic.errors import conflict, invalid

from ..models import Category, EndCause, MonitoredPerson, WatchStatus
from .common import require


@transaction.atomic
def person_add(*, actor, resident, reason):
    require(actor, "monitoring.work", resident.region_id)
    reason = (reason or "").strip()
    if not reason:
        raise invalid({"reason": [_("Say why this person is to be watched.")]})
    if resident.died_on is not None:
        raise invalid({"resident": [_("%(name)s has died.") % {"name": resident.name}]})
    if resident.region_id is None:
        raise invalid({"resident": [_("%(name)s lives in no community of the registry.") % {"name": resident.name}]})
    account, _label = audit.actor_parts(actor)
    today = timezone.localdate()
    person = MonitoredPerson.objects.select_for_update().filter(resident=resident).first()
    if person is not None and person.status != WatchStatus.ENDED:
        if person.added_by_hand:
            raise conflict(_("%(name)s is already watched.") % {"name": resident.name}, "already_watched")
        # Watched for a benefit: the caseworker's reason is kept, so the watch outlives the benefit.
        MonitoredPerson.objects.filter(pk=person.pk).update(added_by_hand=True, reason=reason, added_by=account)
        person.refresh_from_db()
        return person
    fields = {
        "region_id": resident.region_id,
        "household_id": resident.household_id,
        "category": Category.ADDED,
        "status": WatchStatus.WATCHED,
        "added_by_hand": True,
        "reason": reason,
        "added_by": account,
        "since": today,
        "ended_on": None,
        "end_cause": "",
        "end_reason": "",
    }
    if person is not None:
        MonitoredPerson.objects.filter(pk=person.pk).update(**fields)
        person.refresh_from_db()
        return person
    try:
        with transaction.atomic():
            return MonitoredPerson.objects.create(resident=resident, **fields)
    except IntegrityError:
        raise conflict(_("%(name)s is already watched.") % {"name": resident.name}, "already_watched") from None


@transaction.atomic
def person_end(*, actor, person, reason):
    """End a watch added by hand. Someone watched for a benefit stays watched while it lasts."""
    require(actor, "monitoring.work", person.region_id)
    reason = (reason or "").strip()
    if not reason:
        raise invalid({"reason": [_("Say why the watch ends.")]})
    if person.status == WatchStatus.ENDED:
        raise conflict(_("This person is no longer watched."), "not_watched")
    if not person.added_by_hand:
        raise conflict(
            _("This person is watched because of a benefit, for as long as it lasts."), "watched_for_benefit"
        )
    if person.category != Category.ADDED:
        MonitoredPerson.objects.filter(pk=person.pk).update(added_by_hand=False, end_reason=reason)
    else:
        MonitoredPerson.objects.filter(pk=person.pk).update(
            status=WatchStatus.ENDED,
            added_by_hand=False,
            ended_on=timezone.localdate(),
            end_cause=EndCause.BY_HAND,
            end_reason=reason,
        )
    person.refresh_from_db()
    return person
