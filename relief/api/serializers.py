from django.utils.translation import gettext_lazy as _
from rest_framework import serializers

from relief.models.policy import Area
from relief.programmes import APPLIED_CHOICES, CareForm, IncomeKind, Programme

MONEY = {"max_digits": 12, "decimal_places": 2, "min_value": 0}


class IncomeSerializer(serializers.Serializer):
    kind = serializers.ChoiceField(choices=IncomeKind.choices)
    amount = serializers.DecimalField(help_text=_("Monthly, yuan."), **MONEY)


class QuoteMemberSerializer(serializers.Serializer):
    name = serializers.CharField(required=False, allow_blank=True, max_length=50)
    age = serializers.IntegerField(min_value=0, max_value=130)
    incomes = IncomeSerializer(many=True, required=False, default=list)
    disability_grade = serializers.IntegerField(min_value=1, max_value=4, required=False, allow_null=True)
    serious_illness = serializers.BooleanField(required=False, default=False)
    student = serializers.BooleanField(required=False, default=False)
    covered = serializers.BooleanField(
        required=False, default=True, help_text=_("False for a member living in the household but not covered.")
    )


class QuoteInputSerializer(serializers.Serializer):
    programme = serializers.ChoiceField(choices=APPLIED_CHOICES)
    region = serializers.RegexField(r"^\d{12}$", help_text=_("12-digit code of the household's community."))
    area = serializers.ChoiceField(
        choices=Area.choices, required=False, help_text=_("Defaults to the community's urban or rural setting.")
    )
    date = serializers.DateField(required=False, help_text=_("The policy in force on this date; default today."))
    members = QuoteMemberSerializer(many=True, min_length=1, max_length=30)
    single_parent = serializers.BooleanField(required=False, default=False)
    rigid_deduction = serializers.DecimalField(required=False, default=0, **MONEY)
    rigid_expenditure = serializers.DecimalField(required=False, default=0, **MONEY)
    self_care_failures = serializers.IntegerField(
        min_value=0, max_value=6, required=False, default=0, help_text=_("特困: daily activities not possible (0–6).")
    )
    care_form = serializers.ChoiceField(choices=CareForm.choices, required=False, default=CareForm.DISPERSED)
    months = serializers.DecimalField(
        max_digits=4,
        decimal_places=1,
        min_value=0,
        required=False,
        default=1,
        help_text=_("Temporary aid: months of the standard."),
    )

    def validate(self, data):
        if data["programme"] == Programme.TEKUN and sum(m["covered"] for m in data["members"]) != 1:
            raise serializers.ValidationError(
                {"members": [_("特困 support is for one person: mark exactly one member covered.")]}
            )
        return data


class QuoteLineSerializer(serializers.Serializer):
    text = serializers.CharField()
    amount = serializers.DecimalField(max_digits=14, decimal_places=2, allow_null=True)


class QuotePolicySerializer(serializers.Serializer):
    id = serializers.IntegerField()
    name = serializers.CharField()
    region = serializers.CharField(source="region_id")
    area = serializers.CharField()
    effective_from = serializers.DateField()
    dibao_standard = serializers.DecimalField(max_digits=12, decimal_places=2)


class QuoteOutputSerializer(serializers.Serializer):
    programme = serializers.CharField()
    eligible = serializers.BooleanField()
    amount = serializers.DecimalField(
        max_digits=14, decimal_places=2, help_text=_("Monthly amount, or the one-off sum for temporary aid.")
    )
    approval = serializers.CharField(allow_null=True)
    lines = QuoteLineSerializer(many=True)
    policy = QuotePolicySerializer()
