"""Relief applications and their statutory workflow (DOMAIN.md), and the entitlements they create.

Status changes go through relief.services.applications: a guard, a compare-and-set update of the status,
and an ApplicationEvent row in the same transaction."""

import uuid
from pathlib import PurePath

from django.conf import settings
from django.core.validators import MaxValueValidator
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from civic.models import Household, Region, Resident
from relief.programmes import AssetKind, CareForm, DocumentKind, ExpenseKind, IncomeKind, Programme

from .policy import Area


class Status(models.TextChoices):
    ACCEPTED = "accepted", _("Accepted")
    INVESTIGATING = "investigating", _("Being investigated")
    NOTICE = "notice", _("Public notice (公示)")
    DECIDING = "deciding", _("Awaiting the district's decision")
    APPROVED = "approved", _("Approved")
    REFUSED = "refused", _("Refused")


OPEN_STATUSES = (Status.ACCEPTED, Status.INVESTIGATING, Status.NOTICE, Status.DECIDING)


class Opinion(models.TextChoices):
    APPROVE = "approve", _("Recommend approval")
    REFUSE = "refuse", _("Recommend refusal")


class Application(models.Model):
    household = models.ForeignKey(Household, verbose_name=_("household"), on_delete=models.PROTECT, related_name="+")
    # The household's community when filed: the street and district that handle it, and the scope.
    region = models.ForeignKey(Region, verbose_name=_("community"), on_delete=models.PROTECT, related_name="+")
    # Where the benefit is paid: usually the head's social-security card (社保卡) account.
    account = models.CharField(_("payment account"), max_length=40, blank=True)
    programme = models.CharField(_("programme"), max_length=20, choices=Programme.choices)
    area = models.CharField(_("urban or rural"), max_length=5, choices=Area.choices)
    status = models.CharField(_("status"), max_length=16, choices=Status.choices, default=Status.ACCEPTED)
    public_notice = models.BooleanField(
        _("public notice"), default=True, help_text=_("Off for programmes or cases where notice is not allowed.")
    )
    accepted_at = models.DateTimeField(_("accepted"))
    accepted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("accepted by"), on_delete=models.PROTECT, related_name="+"
    )
    # Where it was accepted: any service point in the city may accept (全城通办).
    accepted_in = models.ForeignKey(
        Region, verbose_name=_("accepted at"), null=True, on_delete=models.PROTECT, related_name="+"
    )
    step_due = models.DateField(_("current step due"), null=True, blank=True)
    overall_due = models.DateField(_("whole procedure due"))
    opinion = models.CharField(_("street opinion"), max_length=8, choices=Opinion.choices, blank=True)
    opinion_text = models.TextField(_("reasons for the opinion"), blank=True)
    opinion_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    notice_from = models.DateField(_("notice from"), null=True, blank=True)
    notice_until = models.DateField(_("notice until"), null=True, blank=True)
    decided_at = models.DateTimeField(_("decided"), null=True, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    decision_reasons = models.TextField(_("written reasons"), blank=True)
    district_checked = models.BooleanField(_("checked in person by the district"), default=False)
    amount = models.DecimalField(_("monthly amount"), max_digits=12, decimal_places=2, null=True, blank=True)
    explanation = models.JSONField(_("how the amount was reached"), default=list, blank=True)
    # 特困: the six-activity self-care assessment and the form of care the person chose.
    self_care_failures = models.PositiveSmallIntegerField(
        _("daily activities not possible (0–6)"), default=0, validators=[MaxValueValidator(6)]
    )
    care_form = models.CharField(_("form of care"), max_length=12, choices=CareForm.choices, default=CareForm.DISPERSED)
    # Temporary aid: months of the standard asked for; emergency aid may be paid first by the street.
    aid_months = models.DecimalField(_("months of the standard"), max_digits=4, decimal_places=1, default=1)
    paid_first_at = models.DateTimeField(_("paid first"), null=True, blank=True)
    paperwork_due = models.DateField(_("paperwork due"), null=True, blank=True)

    class Meta:
        verbose_name = _("relief application")
        verbose_name_plural = _("relief applications")
        indexes = [models.Index(fields=["status", "step_due"], name="relief_app_status_due_idx")]

    def __str__(self):
        return self.number

    @property
    def number(self):
        return f"{self.accepted_at:%Y}-{self.pk:07d}" if self.pk else ""


class IncomeItem(models.Model):
    application = models.ForeignKey(Application, on_delete=models.CASCADE, related_name="incomes")
    resident = models.ForeignKey(Resident, verbose_name=_("member"), on_delete=models.PROTECT, related_name="+")
    kind = models.CharField(_("kind"), max_length=16, choices=IncomeKind.choices)
    monthly_amount = models.DecimalField(_("monthly amount"), max_digits=12, decimal_places=2)

    class Meta:
        constraints = [models.CheckConstraint(condition=Q(monthly_amount__gte=0), name="relief_income_not_negative")]

    def __str__(self):
        return f"{self.kind} {self.monthly_amount}"


class Asset(models.Model):
    application = models.ForeignKey(Application, on_delete=models.CASCADE, related_name="assets")
    kind = models.CharField(_("kind"), max_length=10, choices=AssetKind.choices)
    description = models.CharField(_("description"), max_length=200, blank=True)
    value = models.DecimalField(_("value (yuan)"), max_digits=14, decimal_places=2, default=0)

    class Meta:
        constraints = [models.CheckConstraint(condition=Q(value__gte=0), name="relief_asset_not_negative")]

    def __str__(self):
        return f"{self.kind} {self.value}"


class RigidExpense(models.Model):
    application = models.ForeignKey(Application, on_delete=models.CASCADE, related_name="expenses")
    kind = models.CharField(_("kind"), max_length=10, choices=ExpenseKind.choices)
    monthly_amount = models.DecimalField(_("monthly amount"), max_digits=12, decimal_places=2)

    class Meta:
        constraints = [models.CheckConstraint(condition=Q(monthly_amount__gte=0), name="relief_expense_not_negative")]

    def __str__(self):
        return f"{self.kind} {self.monthly_amount}"


def document_path(document, filename):
    # Never the family's name or ID number in a path: the application's number and a random part only.
    return f"relief/{document.application_id}/{uuid.uuid4().hex}{PurePath(filename).suffix.lower()}"


class Document(models.Model):
    application = models.ForeignKey(Application, on_delete=models.CASCADE, related_name="documents")
    kind = models.CharField(_("kind"), max_length=12, choices=DocumentKind.choices)
    file = models.FileField(_("file"), upload_to=document_path)
    original_name = models.CharField(_("file name"), max_length=200)
    uploaded_at = models.DateTimeField(_("uploaded"), auto_now_add=True)
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")

    def __str__(self):
        return self.original_name


class Step(models.TextChoices):
    FILED = "filed", _("Application accepted")
    DOCUMENT_ADDED = "document_added", _("Document added")
    INVESTIGATION_STARTED = "investigation_started", _("Investigation started")
    HOME_VISIT = "home_visit", _("Home visit")
    CROSS_CHECK = "cross_check", _("Information cross-check")
    OPINION_GIVEN = "opinion_given", _("Street opinion given")
    OBJECTION = "objection", _("Objection to the notice")
    DEMOCRATIC_REVIEW = "democratic_review", _("Democratic review")
    NOTICE_ENDED = "notice_ended", _("Public notice ended")
    APPROVED = "approved", _("Approved")
    REFUSED = "refused", _("Refused")
    PAID_FIRST = "paid_first", _("Emergency aid paid first")


class ApplicationEvent(models.Model):
    """One step of the workflow: who did what, when, from which status to which, and why."""

    application = models.ForeignKey(Application, on_delete=models.CASCADE, related_name="events")
    action = models.CharField(_("step"), max_length=30, choices=Step.choices)
    from_status = models.CharField(max_length=16, choices=Status.choices, blank=True)
    to_status = models.CharField(max_length=16, choices=Status.choices)
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+")
    actor_label = models.CharField(max_length=120)
    at = models.DateTimeField(_("when"), auto_now_add=True)
    note = models.TextField(_("note"), blank=True)

    class Meta:
        ordering = ["at", "pk"]

    def __str__(self):
        return f"{self.application_id} {self.action}"


class HomeVisit(models.Model):
    """The economic investigation's home visit: always two investigators."""

    application = models.ForeignKey(Application, on_delete=models.CASCADE, related_name="home_visits")
    visited_on = models.DateField(_("visited on"))
    first_investigator = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    second_investigator = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    findings = models.TextField(_("findings"))

    class Meta:
        constraints = [
            models.CheckConstraint(
                condition=~Q(first_investigator=models.F("second_investigator")), name="relief_visit_two_people"
            )
        ]

    def __str__(self):
        return f"{self.application_id} {self.visited_on}"


class CrossCheck(models.Model):
    """The information cross-check (家庭经济状况核对) posted by the verification centre."""

    application = models.ForeignKey(Application, on_delete=models.CASCADE, related_name="cross_checks")
    source = models.CharField(_("source"), max_length=100)
    passed = models.BooleanField(_("consistent with the declaration"))
    details = models.TextField(_("details"), blank=True)
    received_at = models.DateTimeField(_("received"), auto_now_add=True)

    def __str__(self):
        return f"{self.application_id} {self.source}"


class Resolution(models.TextChoices):
    REINVESTIGATE = "reinvestigate", _("Investigate again")
    DEMOCRATIC_REVIEW = "democratic_review", _("Democratic review (民主评议)")


class Objection(models.Model):
    application = models.ForeignKey(Application, on_delete=models.CASCADE, related_name="objections")
    received_on = models.DateField(_("received on"))
    content = models.TextField(_("objection"))
    resolution = models.CharField(
        _("how it is resolved"), max_length=20, choices=Resolution.choices, default=Resolution.REINVESTIGATE
    )
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    recorded_at = models.DateTimeField(_("recorded"), default=timezone.now)

    def __str__(self):
        return f"{self.application_id} {self.received_on}"


class DemocraticReview(models.Model):
    """民主评议: community representatives weigh the objection; then the street gives a new opinion."""

    application = models.ForeignKey(Application, on_delete=models.CASCADE, related_name="democratic_reviews")
    held_on = models.DateField(_("held on"))
    participants = models.PositiveSmallIntegerField(_("participants"))
    supports = models.BooleanField(_("the majority supports the application"))
    minutes = models.TextField(_("minutes"))
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    recorded_at = models.DateTimeField(_("recorded"), default=timezone.now)

    def __str__(self):
        return f"{self.application_id} {self.held_on}"


class EntitlementStatus(models.TextChoices):
    ACTIVE = "active", _("Active")
    SUSPENDED = "suspended", _("Suspended")
    ENDED = "ended", _("Ended")


class ReviewClass(models.TextChoices):
    """How often the benefit is reviewed (动态管理): stable households and 特困 yearly, households with irregular
    income and working-age members every six months."""

    YEARLY = "yearly", _("Yearly")
    SIX_MONTHLY = "six_monthly", _("Every six months")


class Entitlement(models.Model):
    household = models.ForeignKey(Household, on_delete=models.PROTECT, related_name="+")
    region = models.ForeignKey(Region, on_delete=models.PROTECT, related_name="+")
    programme = models.CharField(_("programme"), max_length=20, choices=Programme.choices)
    # Empty for benefits granted outside this system's application flow (migrated cases).
    application = models.OneToOneField(
        Application, null=True, blank=True, on_delete=models.PROTECT, related_name="entitlement"
    )
    amount = models.DecimalField(_("monthly amount"), max_digits=12, decimal_places=2)
    # The standard the amount follows; a new standard re-points it when it recomputes the amount.
    policy = models.ForeignKey(
        "relief.ReliefPolicy", null=True, blank=True, on_delete=models.SET_NULL, related_name="+", db_index=False
    )
    covered_count = models.PositiveSmallIntegerField(_("covered members"), default=0)
    payee = models.ForeignKey(
        Resident, verbose_name=_("paid to"), null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    account = models.CharField(
        _("account"), max_length=40, blank=True, help_text=_("Usually the social-security card.")
    )
    # The amount as a function of the standard S, so that a new standard recomputes it in SQL (relief.money):
    # round(max(members × S − income, floor_share × members × S, 0) + share × S + fixed) + offset.
    # dibao: members and counted income for the gap, top-ups as shares or fixed sums; 特困: basic and care as
    # shares of S or fixed sums. `offset` keeps an amount changed by hand at a review.
    basis_members = models.PositiveSmallIntegerField(default=0)
    basis_income = models.DecimalField(max_digits=12, decimal_places=2, default=0)
    basis_floor_share = models.DecimalField(max_digits=6, decimal_places=4, null=True, blank=True)
    basis_share = models.DecimalField(max_digits=8, decimal_places=4, default=0)
    basis_fixed = models.DecimalField(max_digits=12, decimal_places=2, default=0)
    basis_offset = models.DecimalField(max_digits=12, decimal_places=2, default=0)
    starts_on = models.DateField(_("paid from"))
    ends_on = models.DateField(_("paid until"), null=True, blank=True)
    status = models.CharField(
        _("status"), max_length=10, choices=EntitlementStatus.choices, default=EntitlementStatus.ACTIVE
    )
    # The people the benefit covers: dibao, 特困 and edge exclude each other per person, wherever they live now.
    members = models.ManyToManyField(Resident, verbose_name=_("covered members"), related_name="entitlements")
    review_due = models.DateField(_("next review due"))
    review_class = models.CharField(
        _("review interval"), max_length=12, choices=ReviewClass.choices, default=ReviewClass.YEARLY
    )
    # The last day of the last month paid in a gradual exit (渐退期); the daily job ends the benefit after it.
    gradual_exit_until = models.DateField(_("gradual exit until"), null=True, blank=True)
    ended_reason = models.TextField(_("reason for ending"), blank=True)

    class Meta:
        verbose_name = _("entitlement")
        verbose_name_plural = _("entitlements")
        indexes = [
            models.Index(fields=["status", "review_due"], name="relief_ent_status_review_idx"),
            # The nightly check for one account paying several households (monitoring).
            models.Index(fields=["account"], name="relief_ent_account_idx", condition=~Q(account="")),
        ]

    def __str__(self):
        return f"{self.get_programme_display()} {self.amount}"
