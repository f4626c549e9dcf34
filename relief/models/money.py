"""The money engine's records: monthly disbursement batches and their lines, adjustments waiting to be paid
(back-pay, recoveries, subsidies, failed payments carried over), CPI readings and one-off subsidies.

Amounts are Decimal yuan to the fen. A batch line pays one entitlement for one month (unique in the database);
a pending adjustment is paid by exactly one line: its entitlement's line for ``Adjustment.paid_month``."""

from django.conf import settings
from django.db import models
from django.db.models import Count, F, OuterRef, Q, Subquery
from django.db.models.functions import Coalesce
from django.utils.translation import gettext_lazy as _

from civic.models import Household, Region, Resident

from .applications import Entitlement
from .policy import ReliefPolicy, money


class AdjustmentKind(models.TextChoices):
    STANDARD_CHANGE = "standard_change", _("New standard")
    PRICE_SUBSIDY = "price_subsidy", _("Price-linked subsidy (价格临时补贴)")
    ONE_OFF_SUBSIDY = "one_off_subsidy", _("One-off living subsidy")
    CARRIED_OVER = "carried_over", _("Failed payment carried over")


class CpiReading(models.Model):
    """Monthly consumer price index, year on year, in percent (3.5 means prices rose 3.5%)."""

    region = models.ForeignKey(Region, verbose_name=_("region"), on_delete=models.PROTECT, related_name="+")
    month = models.DateField(_("month"), help_text=_("The first day of the month the index is for."))
    cpi = models.DecimalField(_("CPI, year on year (%)"), max_digits=5, decimal_places=2)
    food_cpi = models.DecimalField(
        _("food CPI, year on year (%)"), max_digits=5, decimal_places=2, null=True, blank=True
    )
    source = models.CharField(_("source"), max_length=120)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    recorded_at = models.DateTimeField(_("recorded"), auto_now_add=True)

    class Meta:
        verbose_name = _("CPI reading")
        verbose_name_plural = _("CPI readings")
        ordering = ["-month", "region"]
        constraints = [models.UniqueConstraint(fields=["region", "month"], name="relief_cpi_one_per_month")]

    def __str__(self):
        return f"{self.region_id} {self.month:%Y-%m} {self.cpi}"


class OneOffSubsidy(models.Model):
    """A living subsidy paid once to whole programmes by decision (Nantong 2022: 200 yuan to each of 60,737)."""

    region = models.ForeignKey(Region, verbose_name=_("region"), on_delete=models.PROTECT, related_name="+")
    decision = models.CharField(_("decision"), max_length=200, help_text=_("The document that grants it."))
    programmes = models.JSONField(_("programmes"))
    amount = money(_("amount"))
    per_person = models.BooleanField(_("per covered person"), default=True)
    decided_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    decided_at = models.DateTimeField(_("decided"), auto_now_add=True)

    class Meta:
        verbose_name = _("one-off subsidy")
        verbose_name_plural = _("one-off subsidies")
        ordering = ["-decided_at"]
        constraints = [models.CheckConstraint(condition=Q(amount__gt=0), name="relief_one_off_amount_positive")]

    def __str__(self):
        return self.decision


class BatchState(models.TextChoices):
    DRAFT = "draft", _("Draft")
    APPROVED = "approved", _("Approved")
    SENT = "sent", _("Sent to the bank")
    RECONCILED = "reconciled", _("Reconciled")


class Batch(models.Model):
    """One month's payments for one district (the paying unit)."""

    region = models.ForeignKey(Region, verbose_name=_("district"), on_delete=models.PROTECT, related_name="+")
    month = models.DateField(_("month"))
    state = models.CharField(_("state"), max_length=10, choices=BatchState.choices, default=BatchState.DRAFT)
    # Adjustments recorded up to this moment are paid by this batch; a resumed run uses the same cut-off.
    cutoff_at = models.DateTimeField(_("adjustments up to"))
    generated_at = models.DateTimeField(_("generated"), null=True, blank=True)
    line_count = models.PositiveIntegerField(_("lines"), default=0)
    amount_total = money(_("monthly amounts"), default=0)
    adjustment_total = money(_("adjustments"), default=0)
    total = money(_("total"), default=0)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    approved_at = models.DateTimeField(_("approved"), null=True, blank=True)
    sent_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    sent_at = models.DateTimeField(_("sent"), null=True, blank=True)
    reconciled_at = models.DateTimeField(_("reconciled"), null=True, blank=True)

    class Meta:
        verbose_name = _("disbursement batch")
        verbose_name_plural = _("disbursement batches")
        ordering = ["-month", "region"]
        constraints = [models.UniqueConstraint(fields=["region", "month"], name="relief_batch_one_per_month")]

    def __str__(self):
        return f"{self.region} {self.month:%Y-%m}"


class LineStatus(models.TextChoices):
    PENDING = "pending", _("Awaiting the bank")
    PAID = "paid", _("Paid")
    FAILED = "failed", _("Failed")
    CARRIED = "carried", _("Carried into the next batch")


# A line's number is YYYYMM × 10⁹ + its entitlement's id (202611000123456: November 2026, entitlement 123456), so
# the primary key itself allows one line per (entitlement, month), and a month's lines are one key range.
LINE_MONTH_FACTOR = 1_000_000_000


def line_number(month, entitlement_id):
    return month_prefix(month) + entitlement_id


def month_prefix(month):
    return (month.year * 100 + month.month) * LINE_MONTH_FACTOR


class BatchLineQuerySet(models.QuerySet):
    def of_month(self, month):
        """The month's lines: a range of the primary key."""
        start = month_prefix(month)
        return self.filter(pk__gte=start, pk__lt=start + LINE_MONTH_FACTOR)

    def of_batch(self, batch):
        return self.of_month(batch.month).filter(batch_id=batch.pk)

    def of_entitlement(self, entitlement_id, months):
        """An entitlement's lines for these months: one primary-key lookup each."""
        return self.filter(pk__in=[line_number(month, entitlement_id) for month in months])

    def with_household_size(self):
        """The number of people in the household now (the roster's "household size")."""
        people = (
            Resident.objects.filter(household=OuterRef("household_id"))
            .order_by()
            .values("household")
            .annotate(n=Count("pk"))
            .values("n")
        )
        return self.annotate(household_size=Coalesce(Subquery(people), 0))


class BatchLine(models.Model):
    """One entitlement's payment for one month, as sent to the bank (name, account and covered members as they
    were). Written only by the batch generation (relief.money.batches) from entitlements joined to their batch, and
    never deleted, so the table carries no foreign-key constraints: at a million lines a month their checks would
    cost more than writing the lines. The relations are still declared for the ORM."""

    id = models.BigIntegerField(_("line number"), primary_key=True)
    batch = models.ForeignKey(
        Batch, on_delete=models.DO_NOTHING, related_name="lines", db_index=False, db_constraint=False
    )
    entitlement = models.ForeignKey(
        Entitlement, on_delete=models.DO_NOTHING, related_name="lines", db_index=False, db_constraint=False
    )
    month = models.DateField(_("month"))
    region = models.ForeignKey(
        Region, on_delete=models.DO_NOTHING, related_name="+", db_index=False, db_constraint=False
    )
    household = models.ForeignKey(
        Household, on_delete=models.DO_NOTHING, related_name="+", db_index=False, db_constraint=False
    )
    payee = models.ForeignKey(
        Resident, null=True, on_delete=models.DO_NOTHING, related_name="+", db_index=False, db_constraint=False
    )
    programme = models.CharField(_("programme"), max_length=20)
    covered_members = models.PositiveSmallIntegerField(_("covered members"))
    amount = money(_("monthly amount"))
    adjustment = money(_("adjustment"))
    total = money(_("to pay"))
    account = models.CharField(_("account"), max_length=40, blank=True)
    status = models.CharField(_("status"), max_length=8, choices=LineStatus.choices, default=LineStatus.PENDING)
    failure_reason = models.CharField(_("reason for failure"), max_length=200, blank=True)
    attempts = models.PositiveSmallIntegerField(_("times sent"), default=1)
    result_at = models.DateTimeField(_("bank result"), null=True, blank=True)

    objects = BatchLineQuerySet.as_manager()

    class Meta:
        verbose_name = _("batch line")
        verbose_name_plural = _("batch lines")
        constraints = [
            # The number carries its entitlement (and so one line per entitlement and month).
            models.CheckConstraint(
                condition=Q(entitlement_id=F("id") % LINE_MONTH_FACTOR), name="relief_line_number_entitlement"
            ),
            models.CheckConstraint(condition=Q(total__gte=0), name="relief_line_total_not_negative"),
        ]

    def __str__(self):
        return f"{self.entitlement_id} {self.month:%Y-%m} {self.total}"


class Adjustment(models.Model):
    """A change to what an entitlement is paid: a new standard (old and new amount, with back-pay when it took
    effect in the past), a subsidy, or a failed payment carried over. ``amount`` is what the next batch still
    has to pay (negative: to recover); ``paid_month`` names the batch line that paid it."""

    entitlement = models.ForeignKey(Entitlement, on_delete=models.PROTECT, related_name="adjustments")
    kind = models.CharField(_("kind"), max_length=20, choices=AdjustmentKind.choices)
    amount = money(_("to pay with the next batch"), default=0)
    old_amount = money(_("monthly amount before"), null=True, blank=True)
    new_amount = money(_("monthly amount after"), null=True, blank=True)
    months = models.PositiveSmallIntegerField(_("months of back-pay"), default=0)
    reason = models.TextField(_("reason"))
    policy = models.ForeignKey(ReliefPolicy, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    cpi_reading = models.ForeignKey(CpiReading, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    subsidy = models.ForeignKey(OneOffSubsidy, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    source_line = models.OneToOneField(
        BatchLine, null=True, blank=True, on_delete=models.PROTECT, related_name="carried_as"
    )
    # The month whose batch line pays it (that entitlement's line for that month); empty while pending.
    paid_month = models.DateField(_("paid with the batch of"), null=True, blank=True)
    created_at = models.DateTimeField(_("recorded"), auto_now_add=True)

    class Meta:
        verbose_name = _("adjustment")
        verbose_name_plural = _("adjustments")
        ordering = ["created_at", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["entitlement", "policy"], condition=Q(policy__isnull=False), name="relief_adj_once_per_policy"
            ),
            models.UniqueConstraint(
                fields=["entitlement", "cpi_reading"],
                condition=Q(cpi_reading__isnull=False),
                name="relief_adj_once_per_cpi",
            ),
            models.UniqueConstraint(
                fields=["entitlement", "subsidy"],
                condition=Q(subsidy__isnull=False),
                name="relief_adj_once_per_subsidy",
            ),
        ]
        indexes = [
            models.Index(fields=["policy"], name="relief_adj_policy_idx", condition=Q(policy__isnull=False)),
        ]

    def __str__(self):
        return f"{self.entitlement_id} {self.kind} {self.amount}"
