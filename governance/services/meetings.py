"""Recording a council meeting: who came, the minutes, and each topic deliberated with its vote and outcome. A topic
resolved gets its resolution (text, who is responsible, due date) in the same transaction; nothing is saved when
any part is wrong."""

from dataclasses import dataclass, field
from datetime import date

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from civic.errors import invalid

from ..models import Deliberation, DeliberationOutcome, Meeting, Resolution, Topic, TopicStatus
from .common import past_or_today, require, text


@dataclass
class Item:
    """One topic on the meeting's agenda as recorded."""

    topic: Topic
    outcome: str
    votes_for: int = 0
    votes_against: int = 0
    votes_abstain: int = 0
    notes: str = ""
    resolution_text: str = ""
    owner: str = ""
    due_on: date | None = None
    errors: dict = field(default_factory=dict)


def _check_item(index, item, meeting_council, held_on, present):
    prefix = f"items.{index}."
    errors = {}
    topic = item.topic
    if topic.council_id != meeting_council.pk:
        errors[prefix + "topic"] = [_("“%(title)s” is another council's topic.") % {"title": topic.title}]
    elif topic.status != TopicStatus.ACCEPTED:
        errors[prefix + "topic"] = [
            _("“%(title)s” is “%(status)s”: only accepted topics are deliberated.")
            % {"title": topic.title, "status": topic.get_status_display()}
        ]
    if item.outcome not in DeliberationOutcome.values:
        errors[prefix + "outcome"] = [_("Choose the outcome of the deliberation.")]
    votes = [item.votes_for, item.votes_against, item.votes_abstain]
    if any(v is None or v < 0 for v in votes):
        errors[prefix + "votes_for"] = [_("Votes are whole numbers, 0 or more.")]
    else:
        cast = sum(votes)
        if present and cast > present:
            errors[prefix + "votes_for"] = [
                _("%(cast)s votes were cast but only %(present)s members were present.")
                % {"cast": cast, "present": present}
            ]
        if item.outcome == DeliberationOutcome.RESOLVED and item.votes_for * 2 <= cast:
            errors[prefix + "outcome"] = [
                _("A resolution needs more than half of the votes cast: %(for)s of %(cast)s.")
                % {"for": item.votes_for, "cast": cast}
            ]
    if item.outcome == DeliberationOutcome.RESOLVED:
        if not text(item.resolution_text):
            errors[prefix + "resolution_text"] = [_("Write down what was resolved.")]
        if not text(item.owner):
            errors[prefix + "owner"] = [_("Name who is responsible for carrying it out.")]
        if item.due_on is None:
            errors[prefix + "due_on"] = [_("Give the date it is due.")]
        elif item.due_on < held_on:
            errors[prefix + "due_on"] = [_("It cannot be due before the meeting.")]
    return errors


@transaction.atomic
def meeting_record(*, actor, council, held_on, place, minutes, attendees=(), other_participants=0, items=()):
    require(actor, council.region_id)
    errors = {}
    if not council.is_active:
        errors["council"] = [_("This council no longer meets.")]
    if not text(place):
        errors["place"] = [_("Say where the meeting was held.")]
    if not text(minutes):
        errors["minutes"] = [_("Write the minutes.")]
    if held_on is None:
        errors["held_on"] = [_("Give the meeting's date.")]
    past_or_today(held_on, "held_on", errors)
    attendees = list(attendees)
    strangers = [m for m in attendees if m.council_id != council.pk or m.left_on and held_on and m.left_on < held_on]
    if strangers:
        errors["attendees"] = [_("Only the council's members at the time can be present.")]
    if other_participants is None or other_participants < 0:
        errors["other_participants"] = [_("Give the number of other participants (0 or more).")]
    items = list(items)
    topic_ids = [item.topic.pk for item in items]
    if len(set(topic_ids)) != len(topic_ids):
        errors["items"] = [_("A topic is on the agenda once per meeting.")]
    # The topics are locked so that two meetings cannot resolve the same topic at once.
    locked = {t.pk: t for t in Topic.objects.select_for_update().filter(pk__in=topic_ids)}
    for index, item in enumerate(items):
        item.topic = locked[item.topic.pk]
        errors.update(_check_item(index, item, council, held_on or timezone.localdate(), len(attendees)))
    if errors:
        raise invalid(errors)
    meeting = Meeting.objects.create(
        council=council,
        region_id=council.region_id,
        held_on=held_on,
        place=text(place),
        minutes=text(minutes),
        other_participants=other_participants,
        recorded_by=actor,
    )
    meeting.attendees.set(attendees)
    for item in items:
        deliberation = Deliberation.objects.create(
            meeting=meeting,
            topic=item.topic,
            votes_for=item.votes_for,
            votes_against=item.votes_against,
            votes_abstain=item.votes_abstain,
            outcome=item.outcome,
            notes=text(item.notes),
        )
        if item.outcome == DeliberationOutcome.RESOLVED:
            item.topic.status = TopicStatus.RESOLVED
            Resolution.objects.create(
                topic=item.topic,
                deliberation=deliberation,
                council=council,
                region_id=council.region_id,
                text=text(item.resolution_text),
                owner=text(item.owner),
                due_on=item.due_on,
            )
        elif item.outcome == DeliberationOutcome.NOT_RESOLVED:
            item.topic.status = TopicStatus.NOT_RESOLVED
        item.topic.save(update_fields=["status"])  # deferred: stays accepted for a later meeting
    return meeting
