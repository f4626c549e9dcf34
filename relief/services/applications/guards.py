"""What every step shares: the statutory time limits, the role and region guard, the compare-and-set
status change and the event row."""

from decimal import Decimal

from django.utils import timezone
from django.utils.translation import gettext as _

from civic import access, audit
from civic.errors import ApplicationError
from relief import figures
from relief.models import (
    Application,
    ApplicationEvent,
    Status,
)
from relief.programmes import (
    Programme,
)

# Statutory time limits, in working days (DOMAIN.md).
INVESTIGATION_STARTS_WITHIN = 3
INVESTIGATION_TAKES = 10
DECISION_WITHIN = 10
WHOLE_PROCEDURE = 30
# 特困: the street investigates within 15 working days and the district confirms within 15.
SLOWER = {Programme.TEKUN: (15, 15)}
NOTICE_DAYS = 7  # calendar days of public notice
NOTICE_BY_DEFAULT = {Programme.DIBAO, Programme.TEKUN, Programme.EDGE}
TEKUN_CHECK_SHARE = Decimal("0.3")  # the district checks at least 30% of 特困 cases in person


def investigation_takes(application):
    return SLOWER.get(application.programme, (INVESTIGATION_TAKES, DECISION_WITHIN))[0]


def decision_within(application):
    return SLOWER.get(application.programme, (INVESTIGATION_TAKES, DECISION_WITHIN))[1]


def local_today():
    return timezone.localdate()


def forbidden(message=None):
    return ApplicationError(message or _("You may not do this for this application."), code="forbidden", status=403)


def require(actor, capability, application):
    if not access.can(actor, capability) or not access.in_scope(actor, application.region_id):
        raise forbidden()


def record_event(application, action, from_status, to_status, actor, note=""):
    account, label = audit.actor_parts(actor)
    ApplicationEvent.objects.create(
        application=application,
        action=action,
        from_status=from_status,
        to_status=to_status,
        actor=account,
        actor_label=label,
        note=note,
    )


def expect_status(application, *statuses):
    """A step taken from the wrong status is refused plainly (the application as the user saw it)."""
    if application.status not in statuses:
        raise ApplicationError(
            _("This step is not possible while the application is “%(status)s”.")
            % {"status": application.get_status_display()},
            code="wrong_status",
            status=409,
        )


def move_status(application, *, expected, to, actor, action, note="", **fields):
    """Compare-and-set the status: only one of two people acting at once gets the row."""
    expected = (expected,) if isinstance(expected, str) else tuple(expected)
    expect_status(application, *expected)
    changed = Application.objects.filter(pk=application.pk, status__in=expected).update(status=to, **fields)
    if not changed:
        current = Application.objects.filter(pk=application.pk).values_list("status", flat=True).first()
        raise ApplicationError(
            _("This application has just been moved on by someone else (it is now “%(status)s”). Reload it.")
            % {"status": Status(current).label if current else "-"},
            code="conflict",
            status=409,
        )
    record_event(application, action, application.status, to, actor, note)
    application.refresh_from_db()
    figures.application_changed(application)
    return application
