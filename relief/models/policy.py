"""Effective-dated regional relief policy: the dibao standard and every local option of the rules.

A policy belongs to a city or a district and to urban or rural households; the one in force for a
household is the most specific region's latest policy whose start date has come (relief.selectors)."""

from decimal import Decimal

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _

from civic.models import Region
from relief import rules
from relief.programmes import (
    BasicKind,
    CareBasis,
    CareForm,
    CareLevel,
    Rounding,
    TopUpCategory,
    TopUpKind,
    TopUpMode,
)


def money(verbose_name, **kwargs):
    return models.DecimalField(verbose_name, max_digits=12, decimal_places=2, **kwargs)


def share(verbose_name, **kwargs):
    return models.DecimalField(verbose_name, max_digits=6, decimal_places=4, **kwargs)


def default_price_programmes():
    return ["dibao", "tekun"]


class Area(models.TextChoices):
    URBAN = "urban", _("Urban")
    RURAL = "rural", _("Rural")


class PolicyState(models.TextChoices):
    DRAFT = "draft", _("Draft")
    PUBLISHED = "published", _("Published")


class ReliefPolicy(models.Model):
    region = models.ForeignKey(
        Region,
        verbose_name=_("region"),
        on_delete=models.PROTECT,
        limit_choices_to={"level__in": ["province", "city", "district"]},
        related_name="relief_policies",
    )
    area = models.CharField(_("urban or rural"), max_length=5, choices=Area.choices)
    effective_from = models.DateField(_("in force from"))
    name = models.CharField(_("name"), max_length=100, help_text=_("For example, the decision that set it."))
    dibao_standard = money(_("dibao standard (per person per month)"))
    rounding = models.CharField(_("rounding"), max_length=8, choices=Rounding.choices, default=Rounding.FEN)
    floor_share = share(
        _("floor per member (share of the standard)"),
        null=True,
        blank=True,
        help_text=_("E.g. 0.2: each covered member gets at least 0.2 × the standard. Leave empty for no floor."),
    )
    topup_mode = models.CharField(
        _("top-ups (分类施保)"), max_length=8, choices=TopUpMode.choices, default=TopUpMode.HIGHEST
    )
    tekun_basic_kind = models.CharField(
        _("特困 basic living"), max_length=8, choices=BasicKind.choices, default=BasicKind.MULTIPLE
    )
    tekun_basic_value = models.DecimalField(
        _("特困 basic: multiple or yuan"), max_digits=10, decimal_places=2, default=Decimal("1.3")
    )
    care_basis = models.CharField(
        _("特困 care standard based on"), max_length=12, choices=CareBasis.choices, default=CareBasis.DIBAO_SHARE
    )
    minimum_wage = money(_("minimum wage (monthly)"), null=True, blank=True)
    care_full_dispersed = share(_("care, fully dependent, at home"), default=Decimal("0.4"))
    care_partial_dispersed = share(_("care, partly dependent, at home"), default=Decimal("0.2"))
    care_self_dispersed = share(_("care, self-sufficient, at home"), default=Decimal("0.1"))
    care_full_centralised = share(_("care, fully dependent, in an institution"), default=Decimal("0.4"))
    care_partial_centralised = share(_("care, partly dependent, in an institution"), default=Decimal("0.2"))
    care_self_centralised = share(_("care, self-sufficient, in an institution"), default=Decimal("0.1"))
    edge_multiplier = models.DecimalField(
        _("edge family threshold (× standard)"), max_digits=4, decimal_places=2, default=Decimal("1.5")
    )
    asset_months = models.DecimalField(
        _("financial assets at most (months of the standard per person)"),
        max_digits=5,
        decimal_places=1,
        default=Decimal("24"),
    )
    max_homes = models.PositiveSmallIntegerField(_("homes at most"), default=1)
    disposable_income_annual = money(_("last year's per-capita disposable income (annual)"), null=True, blank=True)
    rigid_share = share(_("rigid spending over this share of income"), default=Decimal("0.6"))
    temp_aid_max_months = models.DecimalField(
        _("temporary aid: at most this many months of the standard"), max_digits=4, decimal_places=1, default=6
    )
    temp_aid_street_limit = money(_("temporary aid a street may approve, up to"), default=Decimal("3000"))
    temp_aid_district_limit = money(
        _("temporary aid a district may approve, up to"),
        default=Decimal("20000"),
        help_text=_("Larger amounts are decided case by case (一事一议)."),
    )
    # 价格临时补贴: when the CPI (or the food CPI) rises this much year on year, recipients of these
    # programmes get standard × the rise for that month, at least the minimum, per covered person.
    price_cpi_threshold = models.DecimalField(
        _("price subsidy: CPI at least (%)"), max_digits=5, decimal_places=2, default=Decimal("3.5")
    )
    price_food_threshold = models.DecimalField(
        _("price subsidy: food CPI at least (%)"), max_digits=5, decimal_places=2, default=Decimal("6")
    )
    price_minimum = money(_("price subsidy: at least (per person)"), default=Decimal("0"))
    price_programmes = models.JSONField(_("price subsidy: programmes"), default=default_price_programmes, blank=True)
    # Drafted by one person, simulated, published by another (four eyes).
    state = models.CharField(_("state"), max_length=10, choices=PolicyState.choices, default=PolicyState.DRAFT)
    simulation = models.JSONField(_("simulation"), null=True, blank=True)
    simulated_at = models.DateTimeField(_("simulated"), null=True, blank=True)
    published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("published by"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    published_at = models.DateTimeField(_("published"), null=True, blank=True)
    # When the recompute of the entitlements it governs finished.
    applied_at = models.DateTimeField(_("applied to entitlements"), null=True, blank=True)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("created by"), null=True, blank=True, on_delete=models.PROTECT
    )
    created_by_label = models.CharField(_("drafted by"), max_length=120, blank=True)

    class Meta:
        verbose_name = _("relief policy")
        verbose_name_plural = _("relief policies")
        ordering = ["region", "area", "-effective_from"]
        constraints = [
            models.UniqueConstraint(
                fields=["region", "area", "effective_from"],
                condition=models.Q(state="published"),
                name="relief_policy_one_per_day",
            ),
            models.CheckConstraint(condition=models.Q(dibao_standard__gt=0), name="relief_policy_standard_positive"),
        ]

    def __str__(self):
        return f"{self.name} ({self.get_area_display()}, {self.effective_from})"

    def clean(self):
        if self.care_basis == CareBasis.WAGE_SHARE and not self.minimum_wage:
            raise ValidationError({"minimum_wage": _("Enter the minimum wage: the care standard is a share of it.")})
        street, district = self.temp_aid_street_limit, self.temp_aid_district_limit
        if street is not None and district is not None and district < street:
            raise ValidationError({"temp_aid_district_limit": _("The district's limit cannot be below the street's.")})

    def as_rules(self):
        """The plain parameters the pure rules take."""
        return rules.Policy(
            dibao_standard=self.dibao_standard,
            rounding=self.rounding,
            floor_share=self.floor_share,
            topup_mode=self.topup_mode,
            topups=tuple(rules.TopUpRule(t.category, t.kind, t.value, t.min_age) for t in self.topups.all()),
            tekun_basic_kind=self.tekun_basic_kind,
            tekun_basic_value=self.tekun_basic_value,
            care_basis=self.care_basis,
            minimum_wage=self.minimum_wage,
            care={
                (form, level): getattr(self, f"care_{level}_{form}")
                for form in CareForm.values
                for level in CareLevel.values
            },
            edge_multiplier=self.edge_multiplier,
            asset_months=self.asset_months,
            max_homes=self.max_homes,
            disposable_income_annual=self.disposable_income_annual,
            rigid_share=self.rigid_share,
            temp_aid_max_months=self.temp_aid_max_months,
            temp_aid_street_limit=self.temp_aid_street_limit,
            temp_aid_district_limit=self.temp_aid_district_limit,
        )


class PolicyTopUp(models.Model):
    """One 分类施保 rule: members of a category get a percentage of the standard or a fixed sum on top."""

    policy = models.ForeignKey(ReliefPolicy, on_delete=models.CASCADE, related_name="topups")
    category = models.CharField(_("category"), max_length=20, choices=TopUpCategory.choices)
    min_age = models.PositiveSmallIntegerField(
        _("from age"), null=True, blank=True, help_text=_("For the elderly: the age the band starts at.")
    )
    kind = models.CharField(_("kind"), max_length=8, choices=TopUpKind.choices)
    value = models.DecimalField(_("percent or yuan"), max_digits=10, decimal_places=2)

    class Meta:
        verbose_name = _("top-up (分类施保)")
        verbose_name_plural = _("top-ups (分类施保)")

    def __str__(self):
        return f"{self.get_category_display()} {self.value}"

    def clean(self):
        if self.category == TopUpCategory.ELDERLY and self.min_age is None:
            raise ValidationError({"min_age": _("Give the age the elderly band starts at.")})
        if self.value is not None and self.value < 0:
            raise ValidationError({"value": _("A top-up cannot be negative.")})
