"""Charity: social organisations and their funds. A fund's balance is kept on the fund row and changed only with the
row locked, so two grants at once cannot overdraw it; the database refuses a negative balance in any case."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from civic.models import Region


class OrganisationKind(models.TextChoices):
    SOCIAL_GROUP = "social_group", _("Social group (社会团体)")
    PRIVATE_NON_ENTERPRISE = "private_non_enterprise", _("Private non-enterprise unit (民办非企业单位)")
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
    created_at = models.DateTimeField(_("registered"), auto_now_add=True)

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
