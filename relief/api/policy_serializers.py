"""Shapes of the relief policy API. Input serializers check shapes only (relief.services.policies enforces
the rules); money, shares and percentages are strings with their decimals ("1100.00", "0.4000", "3.50")."""

from django.utils.translation import gettext_lazy as _
from rest_framework import serializers

from civic.api.registry_serializers import OutputSerializer
from relief.models import PolicyState, PolicyTopUp, ReliefPolicy
from relief.models.policy import Area
from relief.money.sql import MONTHLY_CASH
from relief.programmes import BasicKind, CareBasis, Programme, Rounding, TopUpCategory, TopUpKind, TopUpMode

from .money_serializers import ReliefJobOutputSerializer

MONEY = {"max_digits": 12, "decimal_places": 2}
SHARE = {"max_digits": 6, "decimal_places": 4}
PERCENT = {"max_digits": 5, "decimal_places": 2}
REGION_CODE = r"^\d{12}$"
# The programmes the price-linked subsidy may be paid to: the monthly cash ones.
PRICE_PROGRAMMES = [(value, Programme(value).label) for value in MONTHLY_CASH]


# ----------------------------------------------------------------------------------------------- input


class ReliefPolicyTopUpInputSerializer(serializers.Serializer):
    category = serializers.ChoiceField(choices=TopUpCategory.choices)
    min_age = serializers.IntegerField(
        min_value=0,
        max_value=150,
        required=False,
        allow_null=True,
        default=None,
        help_text=_("For the elderly (required there): the age the band starts at."),
    )
    kind = serializers.ChoiceField(choices=TopUpKind.choices)
    value = serializers.DecimalField(
        max_digits=10,
        decimal_places=2,
        help_text=_("Percent of the standard (at most 200) or yuan per month; not negative."),
    )


OPTIONAL = {"required": False}


class ReliefPolicyCreateInputSerializer(serializers.Serializer):
    """A new policy. Fields left out take their defaults (see the answer); `topups` defaults to none."""

    region = serializers.RegexField(
        REGION_CODE, help_text=_("12-digit code of the province, city or district the policy is for.")
    )
    area = serializers.ChoiceField(choices=Area.choices)
    effective_from = serializers.DateField(help_text=_("The policy is in force from this day."))
    name = serializers.CharField(max_length=100, help_text=_("For example, the decision that set it."))
    dibao_standard = serializers.DecimalField(help_text=_("Yuan per person per month; more than zero."), **MONEY)
    rounding = serializers.ChoiceField(choices=Rounding.choices, **OPTIONAL)
    floor_share = serializers.DecimalField(
        allow_null=True,
        help_text=_("E.g. 0.2: each covered member gets at least 0.2 × the standard; null for no floor."),
        **SHARE,
        **OPTIONAL,
    )
    topup_mode = serializers.ChoiceField(choices=TopUpMode.choices, **OPTIONAL)
    topups = ReliefPolicyTopUpInputSerializer(many=True, help_text=_("Top-ups by category (分类施保)."), **OPTIONAL)
    tekun_basic_kind = serializers.ChoiceField(choices=BasicKind.choices, **OPTIONAL)
    tekun_basic_value = serializers.DecimalField(max_digits=10, decimal_places=2, **OPTIONAL)
    care_basis = serializers.ChoiceField(choices=CareBasis.choices, **OPTIONAL)
    minimum_wage = serializers.DecimalField(
        allow_null=True, help_text=_("Monthly; required when care_basis is wage_share."), **MONEY, **OPTIONAL
    )
    care_full_dispersed = serializers.DecimalField(**SHARE, **OPTIONAL)
    care_partial_dispersed = serializers.DecimalField(**SHARE, **OPTIONAL)
    care_self_dispersed = serializers.DecimalField(**SHARE, **OPTIONAL)
    care_full_centralised = serializers.DecimalField(**SHARE, **OPTIONAL)
    care_partial_centralised = serializers.DecimalField(**SHARE, **OPTIONAL)
    care_self_centralised = serializers.DecimalField(**SHARE, **OPTIONAL)
    edge_multiplier = serializers.DecimalField(max_digits=4, decimal_places=2, **OPTIONAL)
    asset_months = serializers.DecimalField(max_digits=5, decimal_places=1, **OPTIONAL)
    max_homes = serializers.IntegerField(min_value=0, max_value=32767, **OPTIONAL)
    disposable_income_annual = serializers.DecimalField(allow_null=True, **MONEY, **OPTIONAL)
    rigid_share = serializers.DecimalField(**SHARE, **OPTIONAL)
    temp_aid_max_months = serializers.DecimalField(max_digits=4, decimal_places=1, **OPTIONAL)
    temp_aid_street_limit = serializers.DecimalField(**MONEY, **OPTIONAL)
    temp_aid_district_limit = serializers.DecimalField(**MONEY, **OPTIONAL)
    price_cpi_threshold = serializers.DecimalField(
        help_text=_(
            "Price-linked subsidy (价格临时补贴): paid when the CPI rises at least this much (%), year on year."
        ),
        **PERCENT,
        **OPTIONAL,
    )
    price_food_threshold = serializers.DecimalField(
        help_text=_("… or when the food CPI rises at least this much (%), year on year."), **PERCENT, **OPTIONAL
    )
    price_minimum = serializers.DecimalField(
        help_text=_("The price-linked subsidy per covered person is at least this (yuan)."), **MONEY, **OPTIONAL
    )
    price_programmes = serializers.ListField(
        child=serializers.ChoiceField(choices=PRICE_PROGRAMMES),
        help_text=_("The programmes whose recipients get the price-linked subsidy."),
        **OPTIONAL,
    )


class ReliefPolicyUpdateInputSerializer(ReliefPolicyCreateInputSerializer):
    """Sent with PATCH to a draft: every field is optional; fields not sent keep their values. `topups`, when
    sent, replace all of the policy's top-ups. Any change clears the draft's simulation."""


class ReliefPolicyInForceQuerySerializer(serializers.Serializer):
    region = serializers.RegexField(REGION_CODE, help_text=_("12-digit code of the household's community."))
    area = serializers.ChoiceField(
        choices=Area.choices, required=False, help_text=_("Defaults to the community's urban or rural setting.")
    )
    date = serializers.DateField(required=False, help_text=_("The policy in force on this date; default today."))


# ---------------------------------------------------------------------------------------------- output


class ReliefPolicyTopUpOutputSerializer(OutputSerializer):
    value = serializers.DecimalField(max_digits=10, decimal_places=2)

    class Meta:
        model = PolicyTopUp
        fields = ["id", "category", "min_age", "kind", "value"]


class ReliefPolicySimulationRegionSerializer(serializers.Serializer):
    region = serializers.CharField(help_text=_("12-digit code of the district."))
    name = serializers.CharField()
    entitlements = serializers.IntegerField(help_text=_("Entitlements the policy governs there."))
    changed = serializers.IntegerField(help_text=_("How many of them get a new monthly amount."))
    old_total = serializers.DecimalField(help_text=_("Monthly total now."), **MONEY)
    new_total = serializers.DecimalField(help_text=_("Monthly total under the policy."), **MONEY)
    back_pay = serializers.DecimalField(
        help_text=_("Owed for months already paid since the policy's start (negative: to recover)."), **MONEY
    )


class ReliefPolicySimulationTotalsSerializer(serializers.Serializer):
    entitlements = serializers.IntegerField()
    changed = serializers.IntegerField()
    old_total = serializers.DecimalField(**MONEY)
    new_total = serializers.DecimalField(**MONEY)
    back_pay = serializers.DecimalField(**MONEY)


class ReliefPolicySimulationSerializer(serializers.Serializer):
    """What publishing the draft would do, worked out when it was simulated."""

    as_of = serializers.DateField(help_text=_("The day the amounts were compared on."))
    standard = serializers.DecimalField(help_text=_("The draft's dibao standard."), **MONEY)
    regions = ReliefPolicySimulationRegionSerializer(many=True, help_text=_("Per district."))
    totals = ReliefPolicySimulationTotalsSerializer()


class ReliefPolicyOutputSerializer(OutputSerializer):
    region = serializers.CharField(source="region_id")
    region_name = serializers.CharField(source="region.name")
    region_level = serializers.CharField(source="region.level")
    topups = ReliefPolicyTopUpOutputSerializer(many=True, help_text=_("Top-ups by category (分类施保)."))
    price_programmes = serializers.ListField(
        child=serializers.ChoiceField(choices=PRICE_PROGRAMMES),
        help_text=_("The programmes whose recipients get the price-linked subsidy."),
    )
    simulation = ReliefPolicySimulationSerializer(
        allow_null=True,
        help_text=_("What publishing would do, from the latest simulation; null until simulated and after a change."),
    )
    editable = serializers.SerializerMethodField(
        help_text=_("True while the policy is a draft; a published policy is never changed.")
    )
    created_by = serializers.SerializerMethodField(
        help_text=_("The staff account that drafted it; null for a partner system (see the history).")
    )
    published_by = serializers.SerializerMethodField(
        help_text=_("The staff account that published it (never the one that drafted it); null for a draft.")
    )

    class Meta:
        model = ReliefPolicy
        fields = [
            "id",
            "region",
            "region_name",
            "region_level",
            "area",
            "effective_from",
            "name",
            "dibao_standard",
            "rounding",
            "floor_share",
            "topup_mode",
            "topups",
            "tekun_basic_kind",
            "tekun_basic_value",
            "care_basis",
            "minimum_wage",
            "care_full_dispersed",
            "care_partial_dispersed",
            "care_self_dispersed",
            "care_full_centralised",
            "care_partial_centralised",
            "care_self_centralised",
            "edge_multiplier",
            "asset_months",
            "max_homes",
            "disposable_income_annual",
            "rigid_share",
            "temp_aid_max_months",
            "temp_aid_street_limit",
            "temp_aid_district_limit",
            "price_cpi_threshold",
            "price_food_threshold",
            "price_minimum",
            "price_programmes",
            "state",
            "editable",
            "simulation",
            "simulated_at",
            "created_at",
            "created_by",
            "published_at",
            "published_by",
            "applied_at",
        ]
        extra_kwargs = {
            "state": {"help_text": _("draft: may be corrected, simulated and published; published: in use.")},
            "applied_at": {
                "help_text": _("When the entitlements it governs were recomputed under it; null until then.")
            },
        }

    def get_editable(self, policy) -> bool:
        return policy.state == PolicyState.DRAFT

    def get_created_by(self, policy) -> str | None:
        return str(policy.created_by) if policy.created_by_id else None

    def get_published_by(self, policy) -> str | None:
        return str(policy.published_by) if policy.published_by_id else None


class ReliefPolicyPublishOutputSerializer(serializers.Serializer):
    policy = ReliefPolicyOutputSerializer()
    job = ReliefJobOutputSerializer(
        allow_null=True,
        help_text=_(
            "The recompute of the entitlements the policy governs, started at once when its start date has "
            "come; null when it starts later, on the day."
        ),
    )
