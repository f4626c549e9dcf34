"""民生微实事: small projects funded for what a topic asked for, with budget, spending, status and completion."""

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from civic.amounts import amount_or_error
from civic.errors import conflict, invalid

from ..models import MicroProject, MicroProjectStatus, TopicStatus
from .common import past_or_today, require, text

MOVES = {
    MicroProjectStatus.PLANNED: {MicroProjectStatus.UNDERWAY, MicroProjectStatus.CANCELLED},
    MicroProjectStatus.UNDERWAY: {
        MicroProjectStatus.UNDERWAY,
        MicroProjectStatus.COMPLETED,
        MicroProjectStatus.CANCELLED,
    },
    MicroProjectStatus.COMPLETED: set(),
    MicroProjectStatus.CANCELLED: set(),
}


def micro_project_create(*, actor, topic, name, budget):
    require(actor, topic.region_id)
    errors = {}
    if topic.status in (TopicStatus.DECLINED, TopicStatus.NOT_RESOLVED):
        errors["topic"] = [_("A declined or unresolved topic funds no project.")]
    if not text(name):
        errors["name"] = [_("Name the project.")]
    budget = amount_or_error(budget, "budget", errors)
    if errors:
        raise invalid(errors)
    return MicroProject.objects.create(
        topic=topic, region_id=topic.region_id, name=text(name), budget=budget, created_by=actor
    )


@transaction.atomic
def micro_project_update(*, actor, project, status, completion=None, spent=None, completed_on=None):
    """Move the project on: underway with its completion and spending; completed at 100% on a date; cancelled."""
    require(actor, project.region_id)
    locked = MicroProject.objects.select_for_update().get(pk=project.pk)
    if status not in MOVES.get(locked.status, set()):
        raise conflict(
            _("A project that is “%(now)s” cannot become “%(to)s”.")
            % {"now": locked.get_status_display(), "to": dict(MicroProjectStatus.choices).get(status, status)},
            "invalid_status",
        )
    errors = {}
    if completion is not None and not 0 <= completion <= 100:
        errors["completion"] = [_("Completion is 0 to 100 per cent.")]
    if spent not in (None, ""):
        spent = amount_or_error(spent, "spent", errors, allow_zero=True)
    if status == MicroProjectStatus.COMPLETED:
        completion = 100
        completed_on = completed_on or timezone.localdate()
        past_or_today(completed_on, "completed_on", errors)
    if errors:
        raise invalid(errors)
    locked.status = status
    if completion is not None:
        locked.completion = completion
    if spent not in (None, ""):
        locked.spent = spent
    locked.completed_on = completed_on if status == MicroProjectStatus.COMPLETED else None
    locked.save(update_fields=["status", "completion", "spent", "completed_on"])
    return locked
