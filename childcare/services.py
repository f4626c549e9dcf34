"""Writes of child protection: child profiles and mandatory reports (强制报告).

A report is accepted from anyone obliged to report (staff with child.report; schools, hospitals and police through
the API with the childcare:report scope), gets a reference at once, and must be acted on by its deadline:
within CHILD_DANGER_HOURS (24) when the child is in immediate danger, otherwise CHILD_REPORT_HOURS (72). Its
states go received → assessed → plan → intervention or referral → follow-up → closed, each step by someone who
may open the case file (childcare.rules), with a note kept in its history; closing records the outcome the
reporter reads back."""

from datetime import timedelta
from uuid import uuid4

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from civic import access, audit, figures
from civic.errors import ApplicationError
from civic.models import LEVEL_DIGITS, Region, Resident, User
from civic.roles import Role

from . import rules
from .models import (
    OPEN_STATES,
    UNABLE_TO_SUPPORT,
    ChildCategory,
    ChildProfile,
    ChildVisit,
    MandatoryReport,
    ParentSituation,
    Referral,
    ReporterKind,
    ReportEvent,
    ReportState,
    RiskLevel,
    Situation,
)

CHILD_AGE = 18


def danger_hours():
    return getattr(settings, "CHILD_DANGER_HOURS", 24)


def report_hours():
    return getattr(settings, "CHILD_REPORT_HOURS", 72)


def _invalid(errors):
    return ApplicationError(_("Some fields are not valid."), code="invalid", fields=errors)


def _not_found():
    return ApplicationError(_("Not found."), code="not_found", status=404)


def _community(actor, code):
    region = Region.objects.filter(code=code or "", level="community").first()
    if region is None or not access.in_scope(actor, region.code):
        message = _("Choose a community or village in your area.")
        raise ApplicationError(message, code="not_found", fields={"region": [message]}, status=404)
    return region


def _director_of(region):
    return User.objects.filter(role=Role.CHILD_DIRECTOR, region=region, is_active=True).order_by("pk").first()


# ------------------------------------------------------------------------------------------- profiles


@transaction.atomic
def profile_register(
    *,
    actor,
    resident,
    categories,
    director,
    supervisor,
    guardian="",
    guardian_phone="",
    school="",
    father="",
    mother="",
):
    """A child's profile, with the community's child director and the street's supervisor assigned."""
    if not (
        access.can(actor, "child.direct") or access.can(actor, "child.supervise") or access.can(actor, "child.protect")
    ):
        raise ApplicationError(_("You may not register children."), code="forbidden", status=403)
    if not access.in_scope(actor, resident.region_id):
        raise _not_found()
    errors = {}
    school = (school or "").strip()
    if resident.age_on(timezone.localdate()) >= CHILD_AGE and not school:
        errors["resident"] = [_("A profile is for a child under 18, or older while still in school.")]
    categories = list(dict.fromkeys(categories or []))
    if not categories or not set(categories) <= set(ChildCategory.values):
        errors["categories"] = [_("Choose at least one category.")]
    if not (
        isinstance(director, User) and director.role == Role.CHILD_DIRECTOR and director.region_id == resident.region_id
    ):
        errors["director"] = [_("Choose the child director of the child's community.")]
    if not (
        isinstance(supervisor, User)
        and supervisor.role == Role.CHILD_SUPERVISOR
        and resident.region_id.startswith(supervisor.region.prefix)
    ):
        errors["supervisor"] = [_("Choose a child supervisor of the child's street.")]
    for name, value in (("father", father), ("mother", mother)):
        if value and value not in ParentSituation.values:
            errors[name] = [_("Choose the parent's situation.")]
    if ChildCategory.DE_FACTO_UNSUPPORTED in categories and not (
        {father, mother} <= UNABLE_TO_SUPPORT and {father, mother} != {ParentSituation.DECEASED}
    ):
        # Both parents unable to support, or the remaining one when the other has died (both dead: an orphan).
        errors["categories"] = [
            _(
                "A de-facto-unsupported child has both parents, or the remaining one, unable to support them: "
                "record each parent's situation."
            )
        ]
    if ChildProfile.objects.filter(resident=resident).exists():
        errors["resident"] = [_("This child has a profile already.")]
    if errors:
        raise _invalid(errors)
    return ChildProfile.objects.create(
        next_visit_due=timezone.localdate() + timedelta(days=30),
        resident=resident,
        region_id=resident.region_id,
        categories=categories,
        director=director,
        supervisor=supervisor,
        guardian=guardian.strip(),
        guardian_phone=guardian_phone.strip(),
        school=school.strip(),
        father=father,
        mother=mother,
    )


# ------------------------------------------------------------------------------------------- reports


def _reference(report):
    return f"QZ{timezone.localtime(report.received_at):%Y}{report.pk:07d}"


@transaction.atomic
def report_receive(
    *,
    actor,
    region_code,
    reporter_kind,
    reporter_name,
    situation,
    account,
    immediate_danger=False,
    reporter_contact="",
    child_id_number="",
    child_description="",
):
    """Accept a report; returns it with its reference. The child is a known resident (by ID number, inside the
    reporter's area) or a description."""
    if not access.can(actor, "child.report"):
        raise ApplicationError(_("You may not file mandatory reports here."), code="forbidden", status=403)
    region = _community(actor, region_code)
    errors = {}
    if reporter_kind not in ReporterKind.values:
        errors["reporter_kind"] = [_("Choose who is reporting.")]
    if not (reporter_name or "").strip():
        errors["reporter_name"] = [_("Name the reporter or their organisation.")]
    if situation not in Situation.values:
        errors["situation"] = [_("Choose the situation.")]
    if not (account or "").strip():
        errors["account"] = [_("Say what was seen or heard.")]
    child = None
    child_description = (child_description or "").strip()
    if child_id_number:
        # Looked up inside the reporter's area only; a number not found there is kept with the description, so
        # the report is accepted whatever the reporter knows, and nothing tells them who is registered where.
        number = str(child_id_number).strip().upper()
        found = access.scope_queryset(actor, Resident.objects.filter(id_number=number)).first()
        if found is not None and found.age_on(timezone.localdate()) < CHILD_AGE:
            child = found
        else:
            child_description = " ".join(
                filter(None, [_("ID number given: %(number)s") % {"number": number}, child_description])
            )
    elif not child_description:
        errors["child_description"] = [_("Give the child's ID number or describe the child.")]
    if errors:
        raise _invalid(errors)
    now = timezone.now()
    hours = danger_hours() if immediate_danger else report_hours()
    account_user, label = audit.actor_parts(actor)
    report = MandatoryReport.objects.create(
        reference=f"new-{uuid4().hex[:12]}",  # replaced by the numbered reference below
        region=region,
        reporter_kind=reporter_kind,
        reporter_name=reporter_name.strip(),
        reporter_contact=(reporter_contact or "").strip(),
        reporter_token=getattr(actor, "token", None),
        child=child,
        child_description=child_description,
        situation=situation,
        immediate_danger=bool(immediate_danger),
        account=account.strip(),
        received_at=now,
        act_by=now + timedelta(hours=hours),
        assigned_to=_director_of(region),
    )
    report.reference = _reference(report)
    report.save(update_fields=["reference"])
    ReportEvent.objects.create(report=report, new_state=ReportState.RECEIVED, actor_label=label, note="")
    return report


# The steps, in order: (from states, to state).
STEPS = {
    "assess": ((ReportState.RECEIVED,), ReportState.ASSESSED),
    "plan": ((ReportState.ASSESSED,), ReportState.PLANNED),
    "intervene": ((ReportState.PLANNED,), ReportState.INTERVENTION),
    "refer": ((ReportState.PLANNED,), ReportState.REFERRED),
    "follow_up": ((ReportState.INTERVENTION, ReportState.REFERRED), ReportState.FOLLOW_UP),
    "close": ((ReportState.FOLLOW_UP,), ReportState.CLOSED),
}


@transaction.atomic
def report_step(*, actor, report, step, note="", risk_level="", plan="", referred_to="", outcome=""):
    """Move a report on by one step. Only someone who may open its case file may act (404 otherwise)."""
    report = MandatoryReport.objects.select_for_update().get(pk=report.pk)
    if not rules.may_open_report(actor, report):
        raise _not_found()
    if step not in STEPS:
        raise ApplicationError(_("Unknown step."), code="invalid")
    expected, to = STEPS[step]
    if report.state not in expected:
        raise ApplicationError(
            _("This report is “%(state)s”; that step is not possible now.") % {"state": report.get_state_display()},
            code="wrong_state",
            status=409,
        )
    fields = {"state": to}
    errors = {}
    if step == "assess":
        if risk_level not in RiskLevel.values:
            errors["risk_level"] = [_("Choose the risk level.")]
        fields["risk_level"] = risk_level
    if step == "plan":
        if not plan.strip():
            errors["plan"] = [_("Write the plan.")]
        fields["plan"] = plan.strip()
    if step == "refer":
        if referred_to not in Referral.values:
            errors["referred_to"] = [_("Choose where the case is referred.")]
        fields["referred_to"] = referred_to
    if step == "close":
        if not outcome.strip():
            errors["outcome"] = [_("Record the outcome: the reporter is told it.")]
        fields["outcome"] = outcome.strip()
        fields["closed_at"] = timezone.now()
    if errors:
        raise _invalid(errors)
    if report.acted_at is None:
        fields["acted_at"] = timezone.now()
    MandatoryReport.objects.filter(pk=report.pk).update(**fields)
    ReportEvent.objects.create(
        report=report,
        old_state=report.state,
        new_state=to,
        note=(note or "").strip(),
        actor_label=audit.actor_parts(actor)[1],
    )
    return MandatoryReport.objects.get(pk=report.pk)


def district_of(region_code):
    return region_code[: LEVEL_DIGITS["district"]]


@transaction.atomic
def overdue_alert(now=None):
    """The alert job (every few minutes): mark each open report whose deadline passed without action, once, with a
    line in its history. Returns how many were newly marked."""
    now = now or timezone.now()
    late = MandatoryReport.objects.filter(
        state__in=OPEN_STATES, acted_at__isnull=True, act_by__lt=now, overdue_since__isnull=True
    )
    ids = list(late.select_for_update(skip_locked=True).values_list("pk", flat=True))
    marked = MandatoryReport.objects.filter(pk__in=ids, overdue_since__isnull=True).update(overdue_since=now)
    ReportEvent.objects.bulk_create(
        ReportEvent(
            report_id=pk,
            old_state="",
            new_state=state,
            note=_("Not acted on by the deadline."),
            actor_label=audit.SYSTEM,
        )
        for pk, state in MandatoryReport.objects.filter(pk__in=ids).values_list("pk", "state")
    )
    for region_code in set(MandatoryReport.objects.filter(pk__in=ids).values_list("region_id", flat=True)):
        figures.refresh_soon("childcare.reports_now", region_code)
    return marked


@transaction.atomic
def visit_record(*, actor, profile, visited_on, findings):
    """A director's (or supervisor's) visit; the next falls due after the profile's interval."""
    if not rules.may_open_profile(actor, profile):
        raise _not_found()
    if profile.closed_on is not None:
        raise ApplicationError(_("This child's profile is closed."), code="wrong_state", status=409)
    errors = {}
    if not (findings or "").strip():
        errors["findings"] = [_("Write down what the visit found.")]
    if visited_on > timezone.localdate():
        errors["visited_on"] = [_("A visit cannot be in the future.")]
    if errors:
        raise _invalid(errors)
    visit = ChildVisit.objects.create(profile=profile, visited_on=visited_on, visitor=actor, findings=findings.strip())
    latest = profile.visits.order_by("-visited_on").values_list("visited_on", flat=True).first()
    ChildProfile.objects.filter(pk=profile.pk).update(next_visit_due=latest + timedelta(days=profile.visit_every_days))
    return visit
