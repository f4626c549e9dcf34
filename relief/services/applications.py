"""The relief application workflow (DOMAIN.md): accepted → investigation (home visit by two people,
information cross-check) → street opinion → 公示 7 days (an objection sends it back to investigation) →
district decision → entitlement from the next month.

Each step: the guard (role capability, region, separation of duties, the status it starts from), a
compare-and-set status update so that of two people acting at once exactly one wins, and an event row, all in
one transaction. Deadlines are working days (civic.workdays)."""

from datetime import timedelta
from decimal import Decimal
from pathlib import PurePath

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from civic import access, audit, workdays
from civic.errors import ApplicationError
from civic.models import Resident, User
from relief import quoting
from relief.models import (
    Application,
    ApplicationEvent,
    Asset,
    CrossCheck,
    DemocraticReview,
    Document,
    Entitlement,
    EntitlementStatus,
    HomeVisit,
    IncomeItem,
    Objection,
    Opinion,
    RigidExpense,
    Status,
)
from relief.models.applications import OPEN_STATUSES, Resolution, ReviewClass
from relief.models.policy import Area
from relief.programmes import (
    DEDUCTIBLE_EXPENSES,
    EXCLUSIVE,
    REQUIRED_DOCUMENTS,
    TEMPORARY,
    Approval,
    AssetKind,
    CareForm,
    DocumentKind,
    Programme,
)
from relief.services import entitlements

ALLOWED_UPLOADS = {".pdf", ".jpg", ".jpeg", ".png"}
MAX_UPLOAD_BYTES = 10 * 1024 * 1024

# Statutory time limits, in working days (DOMAIN.md).
INVESTIGATION_STARTS_WITHIN = 3
INVESTIGATION_TAKES = 10
DECISION_WITHIN = 10
# 特困: the street investigates within 15 working days and the district confirms within 15.
SLOWER = {Programme.TEKUN: (15, 15)}
TEKUN_CHECK_SHARE = Decimal("0.3")  # the district checks at least 30% of 特困 cases in person


def _investigation_takes(application):
    return SLOWER.get(application.programme, (INVESTIGATION_TAKES, DECISION_WITHIN))[0]


def _decision_within(application):
    return SLOWER.get(application.programme, (INVESTIGATION_TAKES, DECISION_WITHIN))[1]


WHOLE_PROCEDURE = 30
NOTICE_DAYS = 7  # calendar days of public notice
NOTICE_BY_DEFAULT = {Programme.DIBAO, Programme.TEKUN, Programme.EDGE}


def _today():
    return timezone.localdate()


def _forbidden(message=None):
    return ApplicationError(message or _("You may not do this for this application."), code="forbidden", status=403)


def _require(actor, capability, application):
    if not access.can(actor, capability) or not access.in_scope(actor, application.region_id):
        raise _forbidden()


def _event(application, action, from_status, to_status, actor, note=""):
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


def _expect(application, *statuses):
    """A step taken from the wrong status is refused plainly (the application as the user saw it)."""
    if application.status not in statuses:
        raise ApplicationError(
            _("This step is not possible while the application is “%(status)s”.")
            % {"status": application.get_status_display()},
            code="wrong_status",
            status=409,
        )


def _move(application, *, expected, to, actor, action, note="", **fields):
    """Compare-and-set the status: only one of two people acting at once gets the row."""
    expected = (expected,) if isinstance(expected, str) else tuple(expected)
    _expect(application, *expected)
    changed = Application.objects.filter(pk=application.pk, status__in=expected).update(status=to, **fields)
    if not changed:
        current = Application.objects.filter(pk=application.pk).values_list("status", flat=True).first()
        raise ApplicationError(
            _("This application has just been moved on by someone else (it is now “%(status)s”). Reload it.")
            % {"status": Status(current).label if current else "-"},
            code="conflict",
            status=409,
        )
    _event(application, action, application.status, to, actor, note)
    application.refresh_from_db()
    return application


# ------------------------------------------------------------------------------------------------ filing


@transaction.atomic
def application_file(
    *,
    actor,
    household,
    programme,
    incomes=(),
    assets=(),
    expenses=(),
    documents=(),
    public_notice=None,
    self_care_failures=0,
    care_form=CareForm.DISPERSED,
    aid_months=Decimal(1),
):
    """Accept an application. Any caseworker in the city may accept (全城通办); it goes to the household's
    street. `incomes` are (resident, kind, monthly amount) for members of the household; `assets` are
    (kind, description, value); `expenses` (kind, monthly amount); `documents` (kind, uploaded file).
    特困 applications carry the self-care assessment; temporary aid the months of the standard asked for."""
    if not access.can(actor, "relief.apply"):
        raise _forbidden()
    members = {r.pk: r for r in Resident.objects.filter(household=household)}
    for resident, _kind, amount in incomes:
        if resident.pk not in members:
            raise ApplicationError(_("%(name)s is not a member of this household.") % {"name": resident.name})
        if amount < 0:
            raise ApplicationError(_("An income cannot be negative."), fields={"incomes": [str(amount)]})
    if not 0 <= self_care_failures <= 6:
        message = _("Between 0 and 6 of the six daily activities.")
        raise ApplicationError(message, fields={"self_care_failures": [message]})
    if aid_months <= 0:
        message = _("Ask for more than 0 months of the standard.")
        raise ApplicationError(message, fields={"aid_months": [message]})
    if any(value < 0 for _kind, _description, value in assets):
        raise ApplicationError(_("A value cannot be negative."), fields={"assets": [_("A value cannot be negative.")]})
    if any(amount < 0 for _kind, amount in expenses):
        message = _("An amount cannot be negative.")
        raise ApplicationError(message, fields={"expenses": [message]})
    for _kind, upload in documents:
        check_upload(upload)
    if programme in EXCLUSIVE:
        _refuse_overlap(household, programme)
    today = _today()
    application = Application.objects.create(
        household=household,
        region_id=household.region_id,
        programme=programme,
        area=Area.RURAL if household.is_rural else Area.URBAN,
        public_notice=programme in NOTICE_BY_DEFAULT if public_notice is None else public_notice,
        accepted_at=timezone.now(),
        accepted_by=actor,
        accepted_in=getattr(actor, "region", None),
        step_due=workdays.add_working_days(today, INVESTIGATION_STARTS_WITHIN),
        overall_due=workdays.add_working_days(today, WHOLE_PROCEDURE),
        self_care_failures=self_care_failures,
        care_form=care_form,
        aid_months=aid_months,
    )
    IncomeItem.objects.bulk_create(
        IncomeItem(application=application, resident=r, kind=k, monthly_amount=a) for r, k, a in incomes
    )
    Asset.objects.bulk_create(Asset(application=application, kind=k, description=d, value=v) for k, d, v in assets)
    RigidExpense.objects.bulk_create(
        RigidExpense(application=application, kind=k, monthly_amount=a) for k, a in expenses
    )
    for kind, upload in documents:
        document_add(actor=actor, application=application, kind=kind, upload=upload, _filing=True)
    _event(application, "filed", "", Status.ACCEPTED, actor)
    return application


def check_upload(upload):
    """Type and size of an uploaded document; raises ApplicationError naming the rule."""
    suffix = PurePath(upload.name or "").suffix.lower()
    if suffix not in ALLOWED_UPLOADS:
        message = _("Upload a PDF, JPG or PNG file; “%(name)s” is not one.") % {"name": upload.name}
        raise ApplicationError(message, code="invalid_file", fields={"documents": [message]})
    if upload.size > MAX_UPLOAD_BYTES:
        message = _("“%(name)s” is larger than 10 MB.") % {"name": upload.name}
        raise ApplicationError(message, code="invalid_file", fields={"documents": [message]})


@transaction.atomic
def document_add(*, actor, application, kind, upload, _filing=False):
    if not _filing:
        _require(actor, "relief.apply", application)
        _expect(application, *OPEN_STATUSES)
    if kind not in DocumentKind.values:
        raise ApplicationError(_("Unknown kind of document."), fields={"kind": [kind]})
    check_upload(upload)
    document = Document(application=application, kind=kind, original_name=(upload.name or "")[:200], uploaded_by=actor)
    document.file.save(upload.name, upload, save=False)
    document.save()
    if not _filing:
        _event(
            application, "document_added", application.status, application.status, actor, document.get_kind_display()
        )
    return document


def missing_documents(application):
    present = set(application.documents.values_list("kind", flat=True))
    return [kind for kind in REQUIRED_DOCUMENTS if kind not in present]


def _refuse_overlap(household, programme, *, deciding=None):
    """dibao, 特困 and edge exclude each other for one person at one time: no member of the household may
    be covered by one of them already (wherever they lived when it was granted), and the household may
    not have another open application for one."""
    people = Resident.objects.filter(household=household)
    covered = (
        Entitlement.objects.filter(
            members__in=people,
            programme__in=EXCLUSIVE,
            status__in=[EntitlementStatus.ACTIVE, EntitlementStatus.SUSPENDED],
        )
        .values_list("members__name", flat=True)
        .distinct()
    )
    names = sorted({name for name in covered if name})
    if names:
        raise ApplicationError(
            _("%(names)s already receive dibao, 特困 or edge-family support; one person may have only one of them.")
            % {"names": "、".join(names)},
            code="exclusive_programme",
            fields={"programme": [programme]},
        )
    pending = Application.objects.filter(household=household, programme__in=EXCLUSIVE, status__in=OPEN_STATUSES)
    if deciding is not None:
        pending = pending.exclude(pk=deciding.pk)
    if pending.exists():
        raise ApplicationError(
            _("This household already has an open application for dibao, 特困 or edge-family support."),
            code="exclusive_programme",
            fields={"programme": [programme]},
        )


# -------------------------------------------------------------------------------------------- investigation


@transaction.atomic
def investigation_start(*, actor, application):
    _require(actor, "relief.review", application)
    _expect(application, Status.ACCEPTED)
    missing = missing_documents(application)
    if missing:
        message = _("The document checklist is incomplete: %(missing)s.") % {
            "missing": "、".join(str(DocumentKind(kind).label) for kind in missing)
        }
        raise ApplicationError(message, code="documents_missing", fields={"documents": [message]})
    return _move(
        application,
        expected=Status.ACCEPTED,
        to=Status.INVESTIGATING,
        actor=actor,
        action="investigation_started",
        step_due=workdays.add_working_days(_today(), _investigation_takes(application)),
    )


@transaction.atomic
def home_visit_record(*, actor, application, visited_on, second_investigator, findings):
    """The actor is the first investigator; the second must be another member of staff working there."""
    _require(actor, "relief.apply", application)
    _expect(application, Status.INVESTIGATING)
    if not isinstance(second_investigator, User) or second_investigator.pk == actor.pk:
        message = _("A home visit needs two investigators: name a second person.")
        raise ApplicationError(message, fields={"second_investigator": [message]})
    if not access.in_scope(second_investigator, application.region_id) or not access.can(
        second_investigator, "relief.apply"
    ):
        message = _("The second investigator must be staff of this community or street.")
        raise ApplicationError(message, fields={"second_investigator": [message]})
    if visited_on > _today():
        message = _("A visit cannot be recorded before it happens.")
        raise ApplicationError(message, fields={"visited_on": [message]})
    visit = HomeVisit.objects.create(
        application=application,
        visited_on=visited_on,
        first_investigator=actor,
        second_investigator=second_investigator,
        findings=findings,
    )
    _event(application, "home_visit", application.status, application.status, actor, findings[:200])
    return visit


@transaction.atomic
def cross_check_record(*, actor, application, source, passed, details=""):
    """Posted by the verification centre's system (a partner token with the relief scope) or by staff."""
    if not access.in_scope(actor, application.region_id) or not (
        access.can(actor, "relief.review") or access.can(actor, "relief.cross_check")
    ):
        raise _forbidden()
    _expect(application, Status.INVESTIGATING)
    check = CrossCheck.objects.create(application=application, source=source, passed=passed, details=details)
    _event(application, "cross_check", application.status, application.status, actor, details[:200])
    return check


@transaction.atomic
def opinion_give(*, actor, application, opinion, reasons):
    """The street's preliminary opinion; then the public notice, or straight to the district."""
    _require(actor, "relief.review", application)
    _expect(application, Status.INVESTIGATING)
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
    today = _today()
    common = {"opinion": opinion, "opinion_text": reasons, "opinion_by": actor}
    if application.public_notice:
        until = today + timedelta(days=NOTICE_DAYS)
        return _move(
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
    return _move(
        application,
        expected=Status.INVESTIGATING,
        to=Status.DECIDING,
        actor=actor,
        action="opinion_given",
        note=Opinion(opinion).label,
        step_due=workdays.add_working_days(today, _decision_within(application)),
        **common,
    )


@transaction.atomic
def objection_record(*, actor, application, received_on, content, resolution=Resolution.REINVESTIGATE):
    """An objection during the notice sends the case back: to a new investigation, or to a democratic
    review (民主评议); either way a new opinion and a new notice follow."""
    _require(actor, "relief.apply", application)
    _expect(application, Status.NOTICE)
    if not content.strip():
        raise ApplicationError(_("Write down the objection."), fields={"content": [_("Required.")]})
    if resolution not in Resolution.values:
        raise ApplicationError(_("Choose how the objection is resolved."), fields={"resolution": [resolution]})
    Objection.objects.create(
        application=application, received_on=received_on, content=content, resolution=resolution, recorded_by=actor
    )
    return _move(
        application,
        expected=Status.NOTICE,
        to=Status.INVESTIGATING,
        actor=actor,
        action="objection",
        note=content[:200],
        opinion="",
        notice_from=None,
        notice_until=None,
        step_due=workdays.add_working_days(_today(), _investigation_takes(application)),
    )


def democratic_review_pending(application):
    """The latest objection asked for a democratic review that has not been held since."""
    objection = application.objections.order_by("-recorded_at", "-pk").first()
    if objection is None or objection.resolution != Resolution.DEMOCRATIC_REVIEW:
        return False
    return not application.democratic_reviews.filter(recorded_at__gte=objection.recorded_at).exists()


@transaction.atomic
def democratic_review_record(*, actor, application, held_on, participants, supports, minutes):
    _require(actor, "relief.apply", application)
    _expect(application, Status.INVESTIGATING)
    if not democratic_review_pending(application):
        raise ApplicationError(_("No objection is waiting for a democratic review."), code="wrong_status", status=409)
    if participants < 3:
        message = _("A democratic review needs at least 3 participants.")
        raise ApplicationError(message, fields={"participants": [message]})
    if held_on > _today():
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
    _event(application, "democratic_review", application.status, application.status, actor, minutes[:200])
    return review


def notice_close(application, *, actor=None):
    """After the notice period without objection, the case goes to the district."""
    if application.status != Status.NOTICE or application.notice_until >= _today():
        return application
    return _move(
        application,
        expected=Status.NOTICE,
        to=Status.DECIDING,
        actor=actor,
        action="notice_ended",
        step_due=workdays.add_working_days(application.notice_until, _decision_within(application)),
    )


def notices_close_due():
    """Daily: move every application whose notice has ended to the district. Returns how many moved."""
    moved = 0
    due = Application.objects.filter(status=Status.NOTICE, notice_until__lt=_today()).values_list("pk", flat=True)
    for pk in due.iterator(chunk_size=500):
        with transaction.atomic():
            application = Application.objects.select_for_update(skip_locked=True).filter(pk=pk).first()
            if application is not None:
                notice_close(application)
                moved += 1
    return moved


# ---------------------------------------------------------------------------------------------- decision


def _first_of_next_month(day):
    return (day.replace(day=1) + timedelta(days=32)).replace(day=1)


def _household_facts(application, on):
    members = []
    incomes = {}
    for item in application.incomes.all():
        incomes.setdefault(item.resident_id, []).append({"kind": item.kind, "amount": item.monthly_amount})
    for resident in Resident.objects.filter(household=application.household_id).order_by("pk"):
        members.append(
            {
                "name": resident.name,
                "age": resident.age_on(on),
                "incomes": incomes.get(resident.pk, []),
                "disability_grade": resident.disability_grade,
                "serious_illness": resident.serious_illness,
            }
        )
    assets = list(application.assets.all())
    expenses = list(application.expenses.all())
    return {
        "members": members,
        "rigid_deduction": sum((e.monthly_amount for e in expenses if e.kind in DEDUCTIBLE_EXPENSES), Decimal(0)),
        "rigid_expenditure": sum((e.monthly_amount for e in expenses), Decimal(0)),
        "assets": {
            "financial": sum((a.value for a in assets if a.kind == AssetKind.FINANCIAL), Decimal(0)),
            "homes": sum(a.kind == AssetKind.HOME for a in assets),
            "vehicles": sum(a.kind == AssetKind.VEHICLE for a in assets),
            "businesses": sum(a.kind == AssetKind.BUSINESS for a in assets),
        },
    }


def application_quote(application, on=None):
    """The amount the rules give for this application on a date: the same function the quote API calls."""
    on = on or _today()
    _policy, quote = quoting.quote_for(
        programme=application.programme,
        region_code=application.region_id,
        area=application.area,
        on=on,
        household=quoting.household_from_data(_household_facts(application, on)),
        failures=application.self_care_failures,
        form=application.care_form,
        months=application.aid_months,
    )
    return quote


def _review_class(application, start):
    """Households with working-age members every 6 months; stable households and 特困 yearly."""
    if application.programme == Programme.DIBAO:
        ages = [r.age_on(start) for r in Resident.objects.filter(household=application.household_id)]
        if any(18 <= age < 60 for age in ages):
            return ReviewClass.SIX_MONTHLY
    return ReviewClass.YEARLY


@transaction.atomic
def decide(*, actor, application, approve, reasons="", checked_in_person=False):
    """The district's decision. Who accepted the case or gave the street's opinion may not decide it.
    `checked_in_person`: the district verified the case itself (it must do so for ≥ 30% of 特困 cases)."""
    _require(actor, "relief.decide", application)
    access.ensure_different_people(application.accepted_by, actor, step=_("decide on it"))
    access.ensure_different_people(application.opinion_by, actor, step=_("decide on it"))
    application = notice_close(application, actor=actor)
    if application.status != Status.DECIDING:
        raise ApplicationError(
            _("The district decides after the street's opinion and the notice; this application is “%(status)s”.")
            % {"status": application.get_status_display()},
            code="not_ready",
            status=409,
        )
    now = timezone.now()
    if not approve:
        if not reasons.strip():
            message = _("A refusal needs written reasons for the family.")
            raise ApplicationError(message, fields={"reasons": [message]})
        return _move(
            application,
            expected=Status.DECIDING,
            to=Status.REFUSED,
            actor=actor,
            action="refused",
            note=reasons,
            decided_at=now,
            decided_by=actor,
            decision_reasons=reasons,
            district_checked=checked_in_person,
            step_due=None,
        )
    if application.programme in EXCLUSIVE:
        _refuse_overlap(application.household, application.programme, deciding=application)
    quote = application_quote(application)
    if not quote.eligible:
        raise ApplicationError(
            _("By the rules in force the household is not eligible; refuse with reasons or correct the incomes."),
            code="not_eligible",
        )
    application = _move(
        application,
        expected=Status.DECIDING,
        to=Status.APPROVED,
        actor=actor,
        action="approved",
        note=reasons,
        decided_at=now,
        decided_by=actor,
        decision_reasons=reasons,
        amount=quote.amount,
        explanation=_explanation(quote),
        district_checked=checked_in_person,
        step_due=None,
    )
    if application.programme in TEMPORARY:
        return application  # a one-off payment, no monthly entitlement
    start = _first_of_next_month(timezone.localdate(now))
    review_class = _review_class(application, start)
    entitlement = Entitlement.objects.create(
        household=application.household,
        region=application.region,
        programme=application.programme,
        application=application,
        amount=quote.amount,
        starts_on=start,
        review_class=review_class,
        review_due=entitlements.next_review_due(review_class, timezone.localdate(now)),
    )
    entitlement.members.set(Resident.objects.filter(household=application.household_id))
    return application


# ------------------------------------------------------------------------------ emergency temporary aid

PAPERWORK_WITHIN = 5  # working days after paying first


def _explanation(quote):
    return [
        {"text": line.text, "amount": str(line.amount) if line.amount is not None else None} for line in quote.lines
    ]


@transaction.atomic
def emergency_pay_first(*, actor, application, reasons):
    """急难型 aid within the street's limit: the street pays at once (先行救助) and the paperwork follows
    within 5 working days. Above the limit the case takes the normal road to the district."""
    _require(actor, "relief.review", application)
    access.ensure_different_people(application.accepted_by, actor, step=_("pay it"))
    if application.programme != Programme.TEMP_EMERGENCY:
        raise ApplicationError(_("Only emergency temporary aid may be paid first."), code="not_emergency")
    if not reasons.strip():
        message = _("Say why the aid cannot wait.")
        raise ApplicationError(message, fields={"reasons": [message]})
    quote = application_quote(application)
    if quote.approval != Approval.STREET:
        raise ApplicationError(
            _("%(amount)s yuan is above what the street may pay first; the district decides after the investigation.")
            % {"amount": quote.amount},
            code="above_street_limit",
            status=409,
        )
    now = timezone.now()
    return _move(
        application,
        expected=(Status.ACCEPTED, Status.INVESTIGATING),
        to=Status.APPROVED,
        actor=actor,
        action="paid_first",
        note=reasons,
        decided_at=now,
        decided_by=actor,
        decision_reasons=reasons,
        amount=quote.amount,
        explanation=_explanation(quote),
        paid_first_at=now,
        paperwork_due=workdays.add_working_days(timezone.localdate(now), PAPERWORK_WITHIN),
        step_due=None,
    )
