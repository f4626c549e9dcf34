"""Investigation, street opinion, public notice, objections and democratic review."""

from datetime import timedelta

from django.db import transaction
from django.utils.translation import gettext as _

from civic import access, workdays
from civic.errors import ApplicationError
from civic.models import User
from relief.models import (
    Application,
    CrossCheck,
    DemocraticReview,
    HomeVisit,
    Objection,
    Opinion,
    Status,
)
from relief.models.applications import Resolution
from relief.programmes import (
    DocumentKind,
)

from .filing import missing_documents
from .guards import (
    NOTICE_DAYS,
    decision_within,
    expect_status,
    forbidden,
    investigation_takes,
    local_today,
    move_status,
    record_event,
    require,
)


@transaction.atomic
def investigation_start(*, actor, application):
    require(actor, "relief.review", application)
    expect_status(application, Status.ACCEPTED)
    missing = missing_documents(application)
    if missing:
        message = _("The document checklist is incomplete: %(missing)s.") % {
            "missing": "、".join(str(DocumentKind(kind).label) for kind in missing)
        }
        raise ApplicationError(message, code="documents_missing", fields={"documents": [message]})
    return move_status(
        application,
        expected=Status.ACCEPTED,
        to=Status.INVESTIGATING,
        actor=actor,
        action="investigation_started",
        step_due=workdays.add_working_days(local_today(), investigation_takes(application)),
    )


@transaction.atomic
def home_visit_record(*, actor, application, visited_on, second_investigator, findings):
    """The actor is the first investigator; the second must be another member of staff working there."""
    require(actor, "relief.apply", application)
    expect_status(application, Status.INVESTIGATING)
    if not isinstance(second_investigator, User) or second_investigator.pk == actor.pk:
        message = _("A home visit needs two investigators: name a second person.")
        raise ApplicationError(message, fields={"second_investigator": [message]})
    if not access.in_scope(second_investigator, application.region_id) or not access.can(
        second_investigator, "relief.apply"
    ):
        message = _("The second investigator must be staff of this community or street.")
        raise ApplicationError(message, fields={"second_investigator": [message]})
    if visited_on > local_today():
        message = _("A visit cannot be recorded before it happens.")
        raise ApplicationError(message, fields={"visited_on": [message]})
    visit = HomeVisit.objects.create(
        application=application,
        visited_on=visited_on,
        first_investigator=actor,
        second_investigator=second_investigator,
        findings=findings,
    )
    record_event(application, "home_visit", application.status, application.status, actor, findings[:200])
    return visit


@transaction.atomic
def cross_check_record(*, actor, application, source, passed, details=""):
    """Posted by the verification centre's system (a partner token with the relief scope) or by staff."""
    if not access.in_scope(actor, application.region_id) or not (
        access.can(actor, "relief.review") or access.can(actor, "relief.cross_check")
    ):
        raise forbidden()
    expect_status(application, Status.INVESTIGATING)
    check = CrossCheck.objects.create(application=application, source=source, passed=passed, details=details)
    record_event(application, "cross_check", application.status, application.status, actor, details[:200])
    return check


@transaction.atomic
def opinion_give(*, actor, application, opinion, reasons):
    """The street's preliminary opinion; then the public notice, or straight to the district."""
    require(actor, "relief.review", application)
    expect_status(application, Status.INVESTIGATING)
    if democratic_review_pending(application):
        raise ApplicationError(
            _("The objection goes to a democratic review: record it before the new opinion."),
            code="democratic_review_pending",
        )
    if not application.home_visits.exists() or not application.cross_checks.exists():
        raise ApplicationError(
            _("Record the home visit and the information cross-check before giving the street's opinion."),
            code="investigation_incomplete",
        )
    if not reasons.strip():
        raise ApplicationError(_("Give the reasons for the opinion."), fields={"reasons": [_("Required.")]})
    today = local_today()
    common = {"opinion": opinion, "opinion_text": reasons, "opinion_by": actor}
    if application.public_notice:
        until = today + timedelta(days=NOTICE_DAYS)
        return move_status(
            application,
            expected=Status.INVESTIGATING,
            to=Status.NOTICE,
            actor=actor,
            action="opinion_given",
            note=Opinion(opinion).label,
            notice_from=today,
            notice_until=until,
            step_due=until,
            **common,
        )
    return move_status(
        application,
        expected=Status.INVESTIGATING,
        to=Status.DECIDING,
        actor=actor,
        action="opinion_given",
        note=Opinion(opinion).label,
        step_due=workdays.add_working_days(today, decision_within(application)),
        **common,
    )


@transaction.atomic
def objection_record(*, actor, application, received_on, content, resolution=Resolution.REINVESTIGATE):
    """An objection during the notice sends the case back: to a new investigation, or to a democratic
    review (民主评议); either way a new opinion and a new notice follow."""
    require(actor, "relief.apply", application)
    expect_status(application, Status.NOTICE)
    if not content.strip():
        raise ApplicationError(_("Write down the objection."), fields={"content": [_("Required.")]})
    if resolution not in Resolution.values:
        raise ApplicationError(_("Choose how the objection is resolved."), fields={"resolution": [resolution]})
    Objection.objects.create(
        application=application, received_on=received_on, content=content, resolution=resolution, recorded_by=actor
    )
    return move_status(
        application,
        expected=Status.NOTICE,
        to=Status.INVESTIGATING,
        actor=actor,
        action="objection",
        note=content[:200],
        opinion="",
        notice_from=None,
        notice_until=None,
        step_due=workdays.add_working_days(local_today(), investigation_takes(application)),
    )


def democratic_review_pending(application):
    """The latest objection asked for a democratic review that has not been held since."""
    objection = application.objections.order_by("-recorded_at", "-pk").first()
    if objection is None or objection.resolution != Resolution.DEMOCRATIC_REVIEW:
        return False
    return not application.democratic_reviews.filter(recorded_at__gte=objection.recorded_at).exists()


@transaction.atomic
def democratic_review_record(*, actor, application, held_on, participants, supports, minutes):
    require(actor, "relief.apply", application)
    expect_status(application, Status.INVESTIGATING)
    if not democratic_review_pending(application):
        raise ApplicationError(_("No objection is waiting for a democratic review."), code="wrong_status", status=409)
    if participants < 3:
        message = _("A democratic review needs at least 3 participants.")
        raise ApplicationError(message, fields={"participants": [message]})
    if held_on > local_today():
        message = _("A review cannot be recorded before it is held.")
        raise ApplicationError(message, fields={"held_on": [message]})
    if not minutes.strip():
        raise ApplicationError(_("Write the minutes."), fields={"minutes": [_("Required.")]})
    review = DemocraticReview.objects.create(
        application=application,
        held_on=held_on,
        participants=participants,
        supports=supports,
        minutes=minutes,
        recorded_by=actor,
    )
    record_event(application, "democratic_review", application.status, application.status, actor, minutes[:200])
    return review


def notice_close(application, *, actor=None):
    """After the notice period without objection, the case goes to the district."""
    if application.status != Status.NOTICE or application.notice_until >= local_today():
        return application
    return move_status(
        application,
        expected=Status.NOTICE,
        to=Status.DECIDING,
        actor=actor,
        action="notice_ended",
        step_due=workdays.add_working_days(application.notice_until, decision_within(application)),
    )


def notices_close_due():
    """Daily: move every application whose notice has ended to the district. Returns how many moved."""
    moved = 0
    due = Application.objects.filter(status=Status.NOTICE, notice_until__lt=local_today()).values_list("pk", flat=True)
    for pk in due.iterator(chunk_size=500):
        with transaction.atomic():
            application = Application.objects.select_for_update(skip_locked=True).filter(pk=pk).first()
            if application is not None:
                notice_close(application)
                moved += 1
    return moved
