"""The life of a warning as the caseworker's task: taken over, then dismissed with a reason or handled by the
action it asked for. A review is opened from here (relief.services.entitlements.review_request); an application
or a visit is recorded in its own app, which tells us (relief.signals.application_filed,
eldercare.signals.visit_recorded) and the matching open warnings close, linked to it, whoever filed it.

Each step is a compare-and-set on the status (two caseworkers at once: one wins, the other gets a conflict) with
an AlertEvent in the same transaction."""

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from civic import audit, figures
from civic.errors import ApplicationError, conflict, invalid
from relief.models import EntitlementStatus
from relief.services import entitlements as relief_entitlements

from ..models import Action, Alert, AlertEvent, AlertStatus, AlertStep, MonitoredPerson, WatchStatus
from .common import require

REVIEW_ACTIONS = (Action.REVIEW, Action.VERIFY)


def _event(alert, step, actor, note=""):
    account, label = audit.actor_parts(actor)
    return AlertEvent.objects.create(alert=alert, step=step, actor=account, actor_label=label, note=note)


def _after_change(alert):
    """People of the household back to 'watched' once no warning is open for them; the dashboard refreshed."""
    open_alerts = Alert.objects.filter(status=AlertStatus.OPEN)
    people = MonitoredPerson.objects.filter(status=WatchStatus.WARNED)
    if alert.household_id:
        if not open_alerts.filter(household_id=alert.household_id).exists():
            people.filter(household_id=alert.household_id).exclude(
                resident_id__in=open_alerts.filter(resident__isnull=False).values("resident_id")
            ).update(status=WatchStatus.WATCHED)
    elif alert.resident_id and not open_alerts.filter(resident_id=alert.resident_id).exists():
        people.filter(resident_id=alert.resident_id).update(status=WatchStatus.WATCHED)
    for source in ("monitoring.alerts", "monitoring.now"):
        figures.refresh_soon(source, alert.region_id)


def _close(alert, *, status, actor, note, step, **links):
    """Open → handled or dismissed, only if still open as the user saw it."""
    today = timezone.localdate()
    account, _label = audit.actor_parts(actor)
    changed = Alert.objects.filter(pk=alert.pk, status=AlertStatus.OPEN).update(
        status=status, handled_on=today, handled_by=account, outcome=note, **links
    )
    if not changed:
        raise conflict(_("This warning has already been closed by someone else. Reload it."), "alert_closed")
    alert.refresh_from_db()
    _event(alert, step, actor, note)
    _after_change(alert)
    return alert


def _expect_open(alert):
    if alert.status != AlertStatus.OPEN:
        raise conflict(
            _("This warning is already closed (%(status)s).") % {"status": alert.get_status_display()}, "alert_closed"
        )


@transaction.atomic
def alert_dismiss(*, actor, alert, reason):
    """Nothing to do after all (the record was wrong, the family is known to be fine): closed with the reason."""
    require(actor, "monitoring.work", alert.region_id)
    _expect_open(alert)
    reason = (reason or "").strip()
    if not reason:
        raise invalid({"reason": [_("Say why the warning needs no action; the reason is kept with it.")]})
    return _close(alert, status=AlertStatus.DISMISSED, actor=actor, note=reason, step=AlertStep.DISMISSED)


@transaction.atomic
def alert_open_review(*, actor, alert, reason):
    """Open a review of the benefit the warning concerns (due today, at the head of the street's list); the warning
    is handled by it."""
    require(actor, "monitoring.work", alert.region_id)
    _expect_open(alert)
    if alert.action not in REVIEW_ACTIONS or alert.entitlement_id is None:
        raise conflict(_("This warning does not call for a review."), "not_a_review")
    entitlement = alert.entitlement
    if entitlement.status not in (EntitlementStatus.ACTIVE, EntitlementStatus.SUSPENDED):
        raise conflict(_("The benefit has ended; dismiss the warning with that reason instead."), "benefit_ended")
    reason = (reason or "").strip()
    if not reason:
        raise invalid({"reason": [_("Say what the review is to look at; it is recorded with the benefit.")]})
    event = relief_entitlements.review_request(actor=actor, entitlement=entitlement, reason=reason)
    return _close(alert, status=AlertStatus.HANDLED, actor=actor, note=reason, step=AlertStep.HANDLED, review=event)


@transaction.atomic
def alert_take(*, actor, alert):
    """A caseworker of the community takes the task over (the assigned one is away, or none was assigned)."""
    require(actor, "monitoring.work", alert.region_id)
    _expect_open(alert)
    if not getattr(actor, "pk", None):
        raise ApplicationError(_("Only staff take tasks."), code="forbidden", status=403)
    if alert.assignee_id == actor.pk:
        return alert
    changed = Alert.objects.filter(pk=alert.pk, status=AlertStatus.OPEN, assignee_id=alert.assignee_id).update(
        assignee=actor
    )
    if not changed:
        raise conflict(_("Someone else has just changed this task. Reload it."), "alert_changed")
    alert.refresh_from_db()
    _event(alert, AlertStep.ASSIGNED, actor)
    return alert


def _close_matching(alerts, *, actor, note, **links):
    """Close every open warning in `alerts` as handled (called by the receivers; each in its own transaction)."""
    closed = []
    for alert in alerts.filter(status=AlertStatus.OPEN).order_by("pk"):
        with transaction.atomic():
            try:
                closed.append(
                    _close(alert, status=AlertStatus.HANDLED, actor=actor, note=note, step=AlertStep.HANDLED, **links)
                )
            except ApplicationError:  # closed by someone meanwhile
                continue
    return closed


def handled_by_application(application):
    """An application filed for a household handles its open warnings that asked for one."""
    alerts = Alert.objects.filter(household_id=application.household_id, action=Action.APPLY)
    note = _("Application no. %(number)s filed (%(programme)s).") % {
        "number": application.pk,
        "programme": application.get_programme_display(),
    }
    return _close_matching(alerts, actor=application.accepted_by, note=note, application=application)


def handled_by_visit(visit):
    """A visit to a special-hardship elder handles the open warnings that asked for a visit to them."""
    resident_id = visit.elder.resident_id
    alerts = Alert.objects.filter(resident_id=resident_id, action=Action.VISIT)
    note = _("Visited on %(date)s.") % {"date": visit.visited_on.isoformat()}
    return _close_matching(alerts, actor=visit.visitor, note=note, visit=visit)
