"""Child protection: child profiles with their director and supervisor, and mandatory reports (强制报告) with
deadlines, states and an outcome the reporter can read back. Case files are need-to-know: every view is logged."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from civic.models import ApiToken, Region, Resident


class ChildCategory(models.TextChoices):
    ORPHAN_INSTITUTIONAL = "orphan_institutional", _("Orphan, in an institution (集中养育)")
    ORPHAN_SCATTERED = "orphan_scattered", _("Orphan, scattered (散居)")
    DE_FACTO_UNSUPPORTED = "de_facto_unsupported", _("De-facto unsupported (事实无人抚养)")
    DIFFICULTY_POVERTY = "difficulty_poverty", _("In difficulty: family poverty")
    DIFFICULTY_DISABILITY = "difficulty_disability", _("In difficulty: own disability")
    DIFFICULTY_GUARDIANSHIP = "difficulty_guardianship", _("In difficulty: lack of guardianship")
    DIFFICULTY_HARM = "difficulty_harm", _("In difficulty: harmed")
    LEFT_BEHIND = "left_behind", _("Left-behind (留守)")


class ParentSituation(models.TextChoices):
    """A parent's situation, for de-facto-unsupported children: both parents (or the remaining one) severely
    disabled, seriously ill, imprisoned, in compulsory rehabilitation or missing six months or more."""

    ABLE = "able", _("Able to support the child")
    DECEASED = "deceased", _("Deceased")
    SEVERELY_DISABLED = "severely_disabled", _("Severely disabled")
    SERIOUSLY_ILL = "seriously_ill", _("Seriously ill")
    IMPRISONED = "imprisoned", _("Imprisoned")
    COMPULSORY_REHAB = "compulsory_rehab", _("In compulsory drug rehabilitation")
    MISSING = "missing", _("Missing for six months or more")


UNABLE_TO_SUPPORT = frozenset(ParentSituation.values) - {ParentSituation.ABLE}


class ChildProfile(models.Model):
    resident = models.OneToOneField(Resident, verbose_name=_("child"), on_delete=models.PROTECT, related_name="+")
    region = models.ForeignKey(Region, verbose_name=_("community"), on_delete=models.PROTECT, related_name="+")
    categories = models.JSONField(_("categories"), default=list)
    father = models.CharField(_("father's situation"), max_length=20, choices=ParentSituation.choices, blank=True)
    mother = models.CharField(_("mother's situation"), max_length=20, choices=ParentSituation.choices, blank=True)
    guardian = models.CharField(_("guardian or carer"), max_length=100, blank=True)
    guardian_phone = models.CharField(_("guardian's phone"), max_length=20, blank=True)
    school = models.CharField(_("school"), max_length=100, blank=True)
    director = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("child director"), on_delete=models.PROTECT, related_name="+"
    )
    supervisor = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("child supervisor"), on_delete=models.PROTECT, related_name="+"
    )
    # The director visits at this interval (e.g. monthly for children in difficulty, quarterly for others).
    visit_every_days = models.PositiveSmallIntegerField(_("visit every (days)"), default=30)
    next_visit_due = models.DateField(_("next visit due"), null=True, blank=True)
    created_at = models.DateTimeField(pgettext_lazy("case file", "registered"), auto_now_add=True)
    closed_on = models.DateField(pgettext_lazy("case file", "closed"), null=True, blank=True)

    class Meta:
        verbose_name = _("child profile")
        verbose_name_plural = _("child profiles")
        ordering = ["region", "pk"]

    def __str__(self):
        return str(self.resident)


class Situation(models.TextChoices):
    SEXUAL_HARM = "sexual_harm", _("Sexual harm")
    PREGNANCY_UNDER_14 = "pregnancy_under_14", _("Pregnancy under 14")
    REPEATED_INJURIES = "repeated_injuries", _("Repeated or unexplained injuries")
    MALNUTRITION = "malnutrition", _("Malnutrition or neglect")
    ABANDONMENT = "abandonment", _("Abandonment")
    TRAFFICKING = "trafficking", _("Trafficking")
    ORGANISED_BEGGING = "organised_begging", _("Organised begging")
    OTHER = "other", _("Other harm")


class ReporterKind(models.TextChoices):
    SCHOOL = "school", _("School")
    HOSPITAL = "hospital", _("Hospital")
    POLICE = "police", _("Police")
    COMMUNITY = "community", _("Community committee")
    OTHER = "other", _("Other")


class ReportState(models.TextChoices):
    RECEIVED = "received", _("Received")
    ASSESSED = "assessed", _("Assessed")
    PLANNED = "planned", _("Plan made")
    INTERVENTION = "intervention", _("Intervention")
    REFERRED = "referred", _("Referred")
    FOLLOW_UP = "follow_up", _("Follow-up")
    CLOSED = "closed", _("Closed")


OPEN_STATES = tuple(s for s in ReportState.values if s != ReportState.CLOSED)


class RiskLevel(models.TextChoices):
    HIGH = "high", _("High")
    MEDIUM = "medium", _("Medium")
    LOW = "low", _("Low")


class Referral(models.TextChoices):
    POLICE = "police", _("Police")
    HEALTH = "health", _("Health")
    EDUCATION = "education", pgettext_lazy("referral", "Education")
    TEMPORARY_GUARDIANSHIP = "temporary_guardianship", _("Temporary guardianship")


class MandatoryReport(models.Model):
    """A report of suspected harm to a minor. Whoever receives it must accept it, act within the deadline and tell
    the reporter the outcome, which the reporter reads back by the reference number."""

    reference = models.CharField(_("reference"), max_length=20, unique=True)
    region = models.ForeignKey(Region, verbose_name=_("community"), on_delete=models.PROTECT, related_name="+")
    reporter_kind = models.CharField(_("reporter"), max_length=10, choices=ReporterKind.choices)
    reporter_name = models.CharField(_("reporter's name or organisation"), max_length=120)
    reporter_contact = models.CharField(_("reporter's contact"), max_length=60, blank=True)
    # A partner system (school, hospital, police) that reported through the API; it alone reads the outcome back.
    reporter_token = models.ForeignKey(ApiToken, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    child = models.ForeignKey(
        Resident, verbose_name=_("child"), null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    child_description = models.TextField(_("the child, when not identified"), blank=True)
    situation = models.CharField(_("situation"), max_length=20, choices=Situation.choices)
    immediate_danger = models.BooleanField(_("immediate danger"), default=False)
    account = models.TextField(_("what was seen or heard"))
    received_at = models.DateTimeField(_("received"))
    act_by = models.DateTimeField(_("act by"))
    state = models.CharField(_("state"), max_length=12, choices=ReportState.choices, default=ReportState.RECEIVED)
    risk_level = models.CharField(_("risk level"), max_length=6, choices=RiskLevel.choices, blank=True)
    acted_at = models.DateTimeField(_("first acted on"), null=True, blank=True)
    plan = models.TextField(_("plan"), blank=True)
    referred_to = models.CharField(_("referred to"), max_length=24, choices=Referral.choices, blank=True)
    outcome = models.TextField(_("outcome told to the reporter"), blank=True)
    assigned_to = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("assigned to"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    closed_at = models.DateTimeField(pgettext_lazy("case file", "closed"), null=True, blank=True)
    # Set by the alert job when the deadline passed without action; shown on the overdue list.
    overdue_since = models.DateTimeField(_("overdue since"), null=True, blank=True)

    class Meta:
        verbose_name = _("mandatory report")
        verbose_name_plural = _("mandatory reports")
        ordering = ["-received_at"]
        constraints = [
            models.CheckConstraint(
                condition=Q(child__isnull=False) | ~Q(child_description=""), name="childcare_report_names_a_child"
            )
        ]
        indexes = [models.Index(fields=["state", "act_by"], name="childcare_report_due_idx")]

    def __str__(self):
        return self.reference


class ReportEvent(models.Model):
    report = models.ForeignKey(MandatoryReport, on_delete=models.CASCADE, related_name="events")
    old_state = models.CharField(max_length=12, choices=ReportState.choices, blank=True)
    new_state = models.CharField(max_length=12, choices=ReportState.choices)
    note = models.TextField(_("note"), blank=True)
    actor_label = models.CharField(max_length=120)
    at = models.DateTimeField(_("when"), auto_now_add=True)

    class Meta:
        ordering = ["at", "pk"]

    def __str__(self):
        return f"{self.report_id} {self.old_state}→{self.new_state}"


class CaseView(models.Model):
    """Someone opened a case file (a child's profile or a report): need-to-know, so every view is kept."""

    profile = models.ForeignKey(ChildProfile, null=True, blank=True, on_delete=models.CASCADE, related_name="views")
    report = models.ForeignKey(MandatoryReport, null=True, blank=True, on_delete=models.CASCADE, related_name="views")
    viewer = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    viewer_label = models.CharField(max_length=120)
    allowed = models.BooleanField(_("shown"))
    channel = models.CharField(max_length=8)
    at = models.DateTimeField(auto_now_add=True, db_index=True)

    class Meta:
        ordering = ["-at"]

    def __str__(self):
        return f"{self.viewer_label} {self.at:%Y-%m-%d %H:%M}"


# ---------------------------------------------------------------------------------------------- allowances


class AllowanceKind(models.TextChoices):
    ORPHAN_INSTITUTIONAL = "orphan_institutional", _("Orphan, in an institution (集中养育)")
    ORPHAN_SCATTERED = "orphan_scattered", _("Orphan, scattered (散居)")
    DE_FACTO_UNSUPPORTED = "de_facto_unsupported", _("De-facto unsupported child (事实无人抚养儿童)")


class AllowanceStandard(models.Model):
    """The monthly basic living allowance per child, effective-dated per city or district. A de-facto-unsupported
    child gets the scattered orphans' standard."""

    region = models.ForeignKey(
        Region,
        verbose_name=_("region"),
        on_delete=models.PROTECT,
        related_name="+",
        limit_choices_to={"level__in": ["province", "city", "district"]},
    )
    effective_from = models.DateField(_("in force from"))
    institutional = models.DecimalField(_("orphans in an institution (per month)"), max_digits=10, decimal_places=2)
    scattered = models.DecimalField(_("scattered orphans (per month)"), max_digits=10, decimal_places=2)

    class Meta:
        verbose_name = _("child allowance standard")
        verbose_name_plural = _("child allowance standards")
        ordering = ["region", "-effective_from"]
        constraints = [models.UniqueConstraint(fields=["region", "effective_from"], name="childcare_standard_once")]

    def __str__(self):
        return f"{self.region_id} {self.effective_from}"

    def amount_for(self, kind):
        return self.institutional if kind == AllowanceKind.ORPHAN_INSTITUTIONAL else self.scattered


class ClaimState(models.TextChoices):
    FILED = "filed", _("Filed, the street verifies")
    VERIFIED = "verified", _("Verified, the district confirms")
    CONFIRMED = "confirmed", _("Confirmed: paid from next month")
    REFUSED = "refused", _("Refused")


class AllowanceClaim(models.Model):
    """A claim for a child's allowance: the street verifies within 15 working days (no public notice: the child's
    privacy), the district confirms within 15; confirmation grants a monthly entitlement paid with the batches."""

    profile = models.ForeignKey(ChildProfile, on_delete=models.PROTECT, related_name="claims")
    kind = models.CharField(_("kind"), max_length=24, choices=AllowanceKind.choices)
    payee_name = models.CharField(_("paid to (guardian or carer)"), max_length=100)
    account = models.CharField(_("payment account"), max_length=40)
    state = models.CharField(_("state"), max_length=10, choices=ClaimState.choices, default=ClaimState.FILED)
    filed_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    filed_at = models.DateTimeField(_("filed"), auto_now_add=True)
    due_on = models.DateField(_("current step due"))
    verified_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    verified_at = models.DateTimeField(_("verified"), null=True, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    decided_at = models.DateTimeField(_("decided"), null=True, blank=True)
    reasons = models.TextField(_("reasons"), blank=True)
    amount = models.DecimalField(_("monthly allowance"), max_digits=10, decimal_places=2, null=True, blank=True)
    explanation = models.JSONField(_("how the amount was worked out"), default=list, blank=True)
    entitlement = models.OneToOneField(
        "relief.Entitlement", null=True, blank=True, on_delete=models.PROTECT, related_name="child_claim"
    )

    class Meta:
        verbose_name = _("child allowance claim")
        verbose_name_plural = _("child allowance claims")
        ordering = ["-filed_at"]

    def __str__(self):
        return f"{self.profile_id} {self.kind}"


class ChildVisit(models.Model):
    """A child director's visit to a child on their caseload."""

    profile = models.ForeignKey(ChildProfile, on_delete=models.PROTECT, related_name="visits")
    visited_on = models.DateField(pgettext_lazy("child visit", "visited on"))
    visitor = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    findings = models.TextField(pgettext_lazy("child visit", "findings"))
    recorded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("child visit")
        verbose_name_plural = _("child visits")
        ordering = ["-visited_on", "-pk"]

    def __str__(self):
        return f"{self.profile_id} {self.visited_on}"
