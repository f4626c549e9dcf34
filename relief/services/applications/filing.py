"""Accepting an application (全城通办), its documents, and the one-programme-per-person rule."""

from decimal import Decimal
from pathlib import PurePath

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from civic import access, workdays
from civic.errors import ApplicationError
from civic.models import Resident
from civic.signals import send_after_commit
from relief import signals
from relief.models import (
    Application,
    Asset,
    Document,
    Entitlement,
    EntitlementStatus,
    IncomeItem,
    RigidExpense,
    Status,
)
from relief.models.applications import OPEN_STATUSES
from relief.models.policy import Area
from relief.programmes import (
    APPLIED,
    EXCLUSIVE,
    REQUIRED_DOCUMENTS,
    CareForm,
    DocumentKind,
)

from .guards import (
    INVESTIGATION_STARTS_WITHIN,
    NOTICE_BY_DEFAULT,
    WHOLE_PROCEDURE,
    expect_status,
    forbidden,
    local_today,
    record_event,
    require,
)

ALLOWED_UPLOADS = {".pdf", ".jpg", ".jpeg", ".png"}
MAX_UPLOAD_BYTES = 10 * 1024 * 1024


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
    account="",
):
    """Accept an application. Any caseworker in the city may accept (全城通办); it goes to the household's
    street. `incomes` are (resident, kind, monthly amount) for members of the household; `assets` are
    (kind, description, value); `expenses` (kind, monthly amount); `documents` (kind, uploaded file).
    特困 applications carry the self-care assessment; temporary aid the months of the standard asked for.
    `account`: where a granted benefit is paid (digits, 10 to 30), usually the head's social-security card."""
    if not access.can(actor, "relief.apply"):
        raise forbidden()
    if programme not in APPLIED:
        message = _("Choose a relief programme; children's allowances are claimed through child protection.")
        raise ApplicationError(message, fields={"programme": [message]})
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
    account = check_account(account)
    for _kind, upload in documents:
        check_upload(upload)
    if programme in EXCLUSIVE:
        refuse_overlap(household, programme)
    today = local_today()
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
        account=account,
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
    record_event(application, "filed", "", Status.ACCEPTED, actor)
    send_after_commit(signals.application_filed, application=application)
    return application


def check_account(account):
    """A payment account is 10 to 30 digits (spaces allowed for reading); empty until the family gives one."""
    compact = "".join((account or "").split())
    if compact and not (compact.isdigit() and 10 <= len(compact) <= 30):
        message = _("An account number is 10 to 30 digits.")
        raise ApplicationError(message, fields={"account": [message]})
    return compact


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
        require(actor, "relief.apply", application)
        expect_status(application, *OPEN_STATUSES)
    if kind not in DocumentKind.values:
        raise ApplicationError(_("Unknown kind of document."), fields={"kind": [kind]})
    check_upload(upload)
    document = Document(application=application, kind=kind, original_name=(upload.name or "")[:200], uploaded_by=actor)
    document.file.save(upload.name, upload, save=False)
    document.save()
    if not _filing:
        record_event(
            application, "document_added", application.status, application.status, actor, document.get_kind_display()
        )
    return document


def missing_documents(application):
    present = set(application.documents.values_list("kind", flat=True))
    return [kind for kind in REQUIRED_DOCUMENTS if kind not in present]


def refuse_overlap(household, programme, *, deciding=None):
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
