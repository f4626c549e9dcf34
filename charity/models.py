"""Charity: social organisations, their pairings (结对帮扶) with streets and households, projects with activities,
funds with a ledger, and referrals of families from relief. A fund's balance is kept on the fund row and changed
only with the row locked, so two grants at once cannot overdraw it; the database refuses a negative balance in any
case."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from civic.models import Household, Region, Resident


class OrganisationKind(models.TextChoices):
    SOCIAL_GROUP = "social_group", _("Social group (社会团体)")
    PRIVATE_NON_ENTERPRISE = "private_non_enterprise", _("Social service institution (社会服务机构)")
    FOUNDATION = "foundation", _("Foundation (基金会)")
    OTHER = "other", _("Other")


class Grade(models.TextChoices):
    A1 = "1A", "1A"
    A2 = "2A", "2A"
    A3 = "3A", "3A"
    A4 = "4A", "4A"
    A5 = "5A", "5A"


class Organisation(models.Model):
    name = models.CharField(_("name"), max_length=120)
    kind = models.CharField(_("type"), max_length=24, choices=OrganisationKind.choices)
    credit_code = models.CharField(_("unified social credit code"), max_length=18, unique=True)
    grade = models.CharField(_("evaluation grade"), max_length=2, choices=Grade.choices, blank=True)
    grade_valid_from = models.DateField(_("grade valid from"), null=True, blank=True)
    grade_valid_until = models.DateField(_("grade valid until"), null=True, blank=True)
    region = models.ForeignKey(Region, verbose_name=_("region"), on_delete=models.PROTECT, related_name="+")
    contact_name = models.CharField(_("contact"), max_length=50, blank=True)
    contact_phone = models.CharField(_("contact phone"), max_length=20, blank=True)
    created_at = models.DateTimeField(pgettext_lazy("organisation", "registered"), auto_now_add=True)

    class Meta:
        verbose_name = _("social organisation")
        verbose_name_plural = _("social organisations")
        ordering = ["region", "name"]

    def __str__(self):
        return self.name


class Fund(models.Model):
    organisation = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="funds")
    name = models.CharField(_("name"), max_length=120)
    balance = models.DecimalField(_("balance"), max_digits=14, decimal_places=2, default=0)

    class Meta:
        verbose_name = _("fund")
        verbose_name_plural = _("funds")
        constraints = [models.CheckConstraint(condition=Q(balance__gte=0), name="charity_fund_never_negative")]

    def __str__(self):
        return self.name


class EntryKind(models.TextChoices):
    DONATION = "donation", _("Donation received")
    GRANT = "grant", _("Grant made")


class FundEntry(models.Model):
    """One line of a fund's ledger, with the balance after it."""

    fund = models.ForeignKey(Fund, on_delete=models.PROTECT, related_name="entries")
    kind = models.CharField(_("kind"), max_length=8, choices=EntryKind.choices)
    amount = models.DecimalField(_("amount"), max_digits=14, decimal_places=2)
    party = models.CharField(_("donor or recipient"), max_length=120)
    purpose = models.CharField(_("purpose"), max_length=200, blank=True)
    on = models.DateField(_("date"))
    balance_after = models.DecimalField(_("balance after"), max_digits=14, decimal_places=2)
    # A grant goes to a project or a household (or elsewhere, named in `party`); a donation may be restricted
    # to a project. The referral a grant answered, if any.
    project = models.ForeignKey(
        "Project",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="fund_entries",
        verbose_name=_("project"),
    )
    household = models.ForeignKey(
        Household, null=True, blank=True, on_delete=models.PROTECT, related_name="+", verbose_name=_("household")
    )
    referral = models.ForeignKey(
        "Referral", null=True, blank=True, on_delete=models.PROTECT, related_name="grants", verbose_name=_("referral")
    )
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    recorded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("ledger entry")
        verbose_name_plural = _("ledger entries")
        ordering = ["fund", "pk"]
        constraints = [
            models.CheckConstraint(condition=Q(amount__gt=0), name="charity_entry_amount_positive"),
            models.CheckConstraint(condition=Q(balance_after__gte=0), name="charity_entry_balance_not_negative"),
        ]

    def __str__(self):
        return f"{self.fund_id} {self.kind} {self.amount}"


class PairingTarget(models.TextChoices):
    STREET = "street", _("Street or town")
    HOUSEHOLD = "household", _("Household")


class PairingStatus(models.TextChoices):
    ACTIVE = "active", pgettext_lazy("pairing status", "Active")
    ENDED = "ended", pgettext_lazy("pairing status", "Ended")


class Pairing(models.Model):
    """结对帮扶: an organisation (or a named donor) paired with a street/town or with a household for a period.
    One organisation with two towns is two pairings. `region` is the street, or the household's community: the
    pairing is seen and managed there."""

    organisation = models.ForeignKey(
        Organisation,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="pairings",
        verbose_name=_("organisation"),
    )
    donor_name = models.CharField(_("donor"), max_length=120, blank=True)
    target = models.CharField(_("paired with"), max_length=10, choices=PairingTarget.choices)
    region = models.ForeignKey(Region, verbose_name=_("area"), on_delete=models.PROTECT, related_name="+")
    household = models.ForeignKey(
        Household, null=True, blank=True, on_delete=models.PROTECT, related_name="+", verbose_name=_("household")
    )
    started_on = models.DateField(_("from"))
    ends_on = models.DateField(_("until"), null=True, blank=True)
    status = models.CharField(_("status"), max_length=8, choices=PairingStatus.choices, default=PairingStatus.ACTIVE)
    commitment = models.CharField(_("what is promised"), max_length=200, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("pairing")
        verbose_name_plural = _("pairings")
        ordering = ["-started_on", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(organisation__isnull=False) | ~Q(donor_name=""), name="charity_pairing_has_a_helper"
            ),
            models.CheckConstraint(
                condition=(Q(target="household") & Q(household__isnull=False))
                | (Q(target="street") & Q(household__isnull=True)),
                name="charity_pairing_target_matches",
            ),
            models.UniqueConstraint(
                fields=["organisation", "region"],
                condition=Q(status="active", target="street"),
                name="charity_one_active_street_pairing",
            ),
            models.UniqueConstraint(
                fields=["organisation", "donor_name", "household"],
                condition=Q(status="active", target="household"),
                name="charity_one_active_household_pairing",
            ),
        ]

    def __str__(self):
        return f"{self.helper_name} ↔ {self.household or self.region}"

    @property
    def helper_name(self):
        return self.organisation.name if self.organisation_id else self.donor_name


class PairingActivity(models.Model):
    pairing = models.ForeignKey(Pairing, on_delete=models.PROTECT, related_name="activities")
    on = models.DateField(_("date"))
    description = models.CharField(_("what was done"), max_length=300)
    beneficiaries = models.PositiveIntegerField(_("number of beneficiaries"), default=0)
    value = models.DecimalField(_("value (yuan)"), max_digits=12, decimal_places=2, default=0)
    household = models.ForeignKey(
        Household, null=True, blank=True, on_delete=models.PROTECT, related_name="+", verbose_name=_("household")
    )
    referral = models.ForeignKey(
        "Referral", null=True, blank=True, on_delete=models.PROTECT, related_name="pairing_activities"
    )
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    recorded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("pairing activity")
        verbose_name_plural = _("pairing activities")
        ordering = ["-on", "-pk"]
        constraints = [models.CheckConstraint(condition=Q(value__gte=0), name="charity_pairing_value_not_negative")]

    def __str__(self):
        return f"{self.on} {self.description[:30]}"


class ProjectCategory(models.TextChoices):
    STUDENT_AID = "student_aid", _("Student aid (助学)")
    CONDOLENCE = "condolence", _("Condolence visits (慰问)")
    PUBLIC_WELFARE = "public_welfare", _("Public-welfare activity (公益活动)")
    ELDERLY_AID = "elderly_aid", _("Elderly aid (助老)")
    SKILLS = "skills", _("Skills training (技能培训)")
    EMERGENCY_TRAINING = "emergency_training", _("Emergency training (应急培训)")
    CONSTRUCTION = "construction", _("Construction (建设)")
    EMERGENCY_RELIEF = "emergency_relief", _("Emergency relief (应急救灾)")
    VOLUNTEERING = "volunteering", _("Volunteering (志愿服务)")
    MEDICAL_AID = "medical_aid", _("Medical aid (助医)")


class ProjectStatus(models.TextChoices):
    PLANNED = "planned", _("Planned")
    RUNNING = "running", pgettext_lazy("project status", "Running")
    COMPLETED = "completed", _("Completed")
    CANCELLED = "cancelled", _("Cancelled")


class Project(models.Model):
    """A charity project in a region. Its funds raised are the grants made to it from funds (the ledger)."""

    organisation = models.ForeignKey(
        Organisation, on_delete=models.PROTECT, related_name="projects", verbose_name=_("organisation")
    )
    name = models.CharField(_("name"), max_length=120)
    category = models.CharField(_("category"), max_length=20, choices=ProjectCategory.choices)
    region = models.ForeignKey(Region, verbose_name=_("area"), on_delete=models.PROTECT, related_name="+")
    budget = models.DecimalField(_("budget (yuan)"), max_digits=14, decimal_places=2)
    status = models.CharField(_("status"), max_length=10, choices=ProjectStatus.choices, default=ProjectStatus.PLANNED)
    starts_on = models.DateField(_("starts"))
    ends_on = models.DateField(_("ends"), null=True, blank=True)
    description = models.TextField(_("description"), blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("charity project")
        verbose_name_plural = _("charity projects")
        ordering = ["-starts_on", "pk"]
        constraints = [models.CheckConstraint(condition=Q(budget__gte=0), name="charity_project_budget_not_negative")]

    def __str__(self):
        return self.name


class ProjectActivity(models.Model):
    project = models.ForeignKey(Project, on_delete=models.PROTECT, related_name="activities")
    on = models.DateField(_("date"))
    place = models.CharField(_("place"), max_length=120)
    description = models.CharField(_("what was done"), max_length=300, blank=True)
    beneficiaries = models.PositiveIntegerField(_("number of beneficiaries"))
    # Named beneficiaries, when they are residents of the registry; never more than the number above.
    residents = models.ManyToManyField(Resident, blank=True, related_name="+", verbose_name=_("named beneficiaries"))
    spent = models.DecimalField(_("spent (yuan)"), max_digits=12, decimal_places=2, default=0)
    referral = models.ForeignKey(
        "Referral", null=True, blank=True, on_delete=models.PROTECT, related_name="project_activities"
    )
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    recorded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("project activity")
        verbose_name_plural = _("project activities")
        ordering = ["-on", "-pk"]
        constraints = [models.CheckConstraint(condition=Q(spent__gte=0), name="charity_activity_spent_not_negative")]

    def __str__(self):
        return f"{self.on} {self.place}"


class ReferralReason(models.TextChoices):
    REFUSED = "refused", _("Relief application refused")
    PARTLY_COVERED = "partly_covered", _("Relief covers the need only in part")
    JUDGEMENT = "judgement", _("Caseworker's judgement")


class ReferralChannel(models.TextChoices):
    PAIRING = "pairing", _("Pairing")
    PROJECT = "project", _("Project")
    FUND = "fund", _("Fund")


class ReferralStatus(models.TextChoices):
    REFERRED = "referred", _("Referred, awaiting an answer")
    ACCEPTED = "accepted", _("Accepted, help being arranged")
    DECLINED = "declined", _("Declined")
    HELPED = "helped", _("Help given")
    CLOSED = "closed", _("Closed without help")


class Referral(models.Model):
    """政府救助 + 慈善帮扶: a family relief cannot cover, or covers only in part, referred to a pairing, project or
    fund, and followed to an outcome. Scoped by the household's community."""

    household = models.ForeignKey(Household, on_delete=models.PROTECT, related_name="+", verbose_name=_("household"))
    region = models.ForeignKey(Region, verbose_name=_("community"), on_delete=models.PROTECT, related_name="+")
    application = models.ForeignKey(
        "relief.Application",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("relief application"),
    )
    reason = models.CharField(_("reason"), max_length=16, choices=ReferralReason.choices)
    need = models.TextField(_("what the family needs"))
    amount_sought = models.DecimalField(
        _("amount sought (yuan)"), max_digits=12, decimal_places=2, null=True, blank=True
    )
    channel = models.CharField(
        pgettext_lazy("charity referral", "referred to"), max_length=8, choices=ReferralChannel.choices
    )
    pairing = models.ForeignKey(Pairing, null=True, blank=True, on_delete=models.PROTECT, related_name="referrals")
    project = models.ForeignKey(Project, null=True, blank=True, on_delete=models.PROTECT, related_name="referrals")
    fund = models.ForeignKey(Fund, null=True, blank=True, on_delete=models.PROTECT, related_name="referrals")
    status = models.CharField(
        _("status"), max_length=10, choices=ReferralStatus.choices, default=ReferralStatus.REFERRED
    )
    answer_due = models.DateField(_("answer due"))
    outcome = models.TextField(_("outcome"), blank=True)
    help_value = models.DecimalField(_("value of help (yuan)"), max_digits=12, decimal_places=2, default=0)
    helped_on = models.DateField(_("helped on"), null=True, blank=True)
    referred_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    referred_at = models.DateTimeField(_("referred"), auto_now_add=True)
    closed_at = models.DateTimeField(pgettext_lazy("referral", "closed"), null=True, blank=True)

    class Meta:
        verbose_name = _("charity referral")
        verbose_name_plural = _("charity referrals")
        ordering = ["-referred_at", "-pk"]
        indexes = [models.Index(fields=["status", "answer_due"], name="charity_referral_due_idx")]
        constraints = [
            models.CheckConstraint(
                condition=(
                    Q(channel="pairing") & Q(pairing__isnull=False) & Q(project__isnull=True) & Q(fund__isnull=True)
                )
                | (Q(channel="project") & Q(project__isnull=False) & Q(pairing__isnull=True) & Q(fund__isnull=True))
                | (Q(channel="fund") & Q(fund__isnull=False) & Q(pairing__isnull=True) & Q(project__isnull=True)),
                name="charity_referral_one_target",
            ),
            models.CheckConstraint(condition=Q(help_value__gte=0), name="charity_referral_value_not_negative"),
        ]

    def __str__(self):
        return self.number

    @property
    def number(self):
        return f"CR{self.referred_at:%Y}-{self.pk:06d}" if self.pk and self.referred_at else ""

    @property
    def target(self):
        return self.pairing or self.project or self.fund

    @property
    def is_open(self):
        return self.status in (ReferralStatus.REFERRED, ReferralStatus.ACCEPTED)


class ReferralEvent(models.Model):
    """The referral's history: every step with who, when and the note."""

    referral = models.ForeignKey(Referral, on_delete=models.CASCADE, related_name="events")
    status = models.CharField(_("status"), max_length=10, choices=ReferralStatus.choices)
    note = models.TextField(_("note"), blank=True)
    by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["at", "pk"]

    def __str__(self):
        return f"{self.referral_id} {self.status}"
