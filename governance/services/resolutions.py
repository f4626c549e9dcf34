"""Carrying out resolutions: progress updates, implemented or not (with a reason), the outcome published; and the
daily reminder for resolutions past their due date. The execution rate counts a resolution as due from its due
date, or from the day its implementation closed if that came first."""

from datetime import timedelta

from django.conf import settings
from django.db import connection, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from civic.errors import conflict, invalid

from ..models import Progress, ProgressKind, Resolution, ResolutionStatus
from .common import past_or_today, require, text

REMIND_EVERY_DAYS = 7  # GOVERNANCE_REMIND_EVERY_DAYS overrides


def _locked(actor, resolution, allowed):
    require(actor, resolution.region_id)
    locked = Resolution.objects.select_for_update().get(pk=resolution.pk)
    if locked.status not in allowed:
        raise conflict(
            _("This resolution is “%(status)s”: this step is not open.") % {"status": locked.get_status_display()},
            "invalid_status",
        )
    return locked


@transaction.atomic
def progress_add(*, actor, resolution, note, percent=None, on=None):
    resolution = _locked(actor, resolution, {ResolutionStatus.IN_PROGRESS})
    errors = {}
    if not text(note):
        errors["note"] = [_("Say what has been done.")]
    if percent is not None and not 0 <= percent <= 100:
        errors["percent"] = [_("Progress is 0 to 100 per cent.")]
    on = on or timezone.localdate()
    past_or_today(on, "on", errors)
    if errors:
        raise invalid(errors)
    return Progress.objects.create(
        resolution=resolution, kind=ProgressKind.UPDATE, on=on, note=text(note), percent=percent, by=actor
    )


def _close(actor, resolution, status, on, note):
    resolution = _locked(actor, resolution, {ResolutionStatus.IN_PROGRESS})
    on = on or timezone.localdate()
    errors = {}
    past_or_today(on, "on", errors)
    if on < resolution.deliberation.meeting.held_on:
        errors["on"] = [_("The date is before the meeting that made the resolution.")]
    if errors:
        raise invalid(errors)
    resolution.status, resolution.closed_on = status, on
    if status == ResolutionStatus.IMPLEMENTED:
        resolution.outcome = text(note)
    else:
        resolution.not_implemented_reason = text(note)
    resolution.save(update_fields=["status", "closed_on", "outcome", "not_implemented_reason"])
    kind = ProgressKind.IMPLEMENTED if status == ResolutionStatus.IMPLEMENTED else ProgressKind.NOT_IMPLEMENTED
    Progress.objects.create(
        resolution=resolution,
        kind=kind,
        on=on,
        note=text(note),
        percent=100 if status == ResolutionStatus.IMPLEMENTED else None,
        by=actor,
    )
    return resolution


@transaction.atomic
def resolution_implemented(*, actor, resolution, outcome, on=None):
    if not text(outcome):
        raise invalid({"outcome": [_("Describe the outcome: it is what gets published.")]})
    return _close(actor, resolution, ResolutionStatus.IMPLEMENTED, on, outcome)


@transaction.atomic
def resolution_not_implemented(*, actor, resolution, reason, on=None):
    if not text(reason):
        raise invalid({"reason": [_("Give the reason it could not be carried out.")]})
    return _close(actor, resolution, ResolutionStatus.NOT_IMPLEMENTED, on, reason)


@transaction.atomic
def resolution_publish(*, actor, resolution, on=None):
    """Publish the outcome (公开): only once implementation has closed, and once."""
    require(actor, resolution.region_id)
    locked = Resolution.objects.select_for_update().get(pk=resolution.pk)
    if locked.status == ResolutionStatus.IN_PROGRESS:
        raise conflict(_("Publish the outcome once the resolution is carried out or given up."), "not_closed")
    if locked.published_on:
        raise conflict(_("The outcome was published already."), "published")
    locked.published_on = on or timezone.localdate()
    locked.save(update_fields=["published_on"])
    Progress.objects.create(resolution=locked, kind=ProgressKind.PUBLISHED, on=locked.published_on, by=actor)
    return locked


def remind_every_days():
    return getattr(settings, "GOVERNANCE_REMIND_EVERY_DAYS", REMIND_EVERY_DAYS)


def overdue_remind(today=None):
    """Set-based and idempotent: each resolution past its due date and still being carried out gets a reminder in
    its history, then again every REMIND_EVERY_DAYS days while it stays overdue. Returns how many were reminded.
    A rerun on the same day adds nothing: the claim (last_reminded_on) and the history line are both checked."""
    today = today or timezone.localdate()
    again_before = today - timedelta(days=remind_every_days() - 1)
    resolution, progress = Resolution._meta.db_table, Progress._meta.db_table
    with transaction.atomic():
        reminded = (
            Resolution.objects.filter(status=ResolutionStatus.IN_PROGRESS, due_on__lt=today)
            .exclude(last_reminded_on__gte=again_before)
            .update(last_reminded_on=today)
        )
        with connection.cursor() as cursor:
            cursor.execute(
                f"""
                INSERT INTO {progress} (resolution_id, kind, "on", note, percent, by_id, at)
                SELECT r.id, %s, %s, '', NULL, NULL, %s FROM {resolution} r
                WHERE r.status = %s AND r.last_reminded_on = %s
                  AND NOT EXISTS (
                      SELECT 1 FROM {progress} p WHERE p.resolution_id = r.id AND p.kind = %s AND p."on" = %s
                  )
                """,
                [
                    ProgressKind.REMINDER,
                    today,
                    timezone.now(),
                    ResolutionStatus.IN_PROGRESS,
                    today,
                    ProgressKind.REMINDER,
                    today,
                ],
            )
    return reminded
