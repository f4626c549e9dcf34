"""Shapes of the registry API: input serializers check shapes only (the services enforce the rules),
output serializers say what a caller sees. ID numbers are masked everywhere except `id_number` on a
single resident, which the view fills in only for callers who may see it."""

from django.utils.translation import gettext_lazy as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from civic import selectors
from civic.models import DisabilityCategory, Household, HukouType, Relationship, Resident, WorkAbility

# ---------------------------------------------------------------------------------------------- errors


# ----------------------------------------------------------------------------------------------- input


class MemberInputSerializer(serializers.Serializer):
    """A person's registry fields. Birth date and sex are not sent: they come from the ID number."""

    id_number = serializers.CharField(max_length=32, help_text=_("18-character resident ID number."))
    name = serializers.CharField(max_length=50)
    relationship = serializers.ChoiceField(choices=Relationship.choices)
    phone = serializers.CharField(max_length=20, required=False, allow_blank=True)
    hukou_type = serializers.ChoiceField(choices=HukouType.choices, required=False)
    disability_category = serializers.ChoiceField(choices=DisabilityCategory.choices, required=False, allow_blank=True)
    disability_grade = serializers.IntegerField(min_value=1, max_value=4, required=False, allow_null=True)
    serious_illness = serializers.BooleanField(required=False)
    illness_note = serializers.CharField(max_length=100, required=False, allow_blank=True)
    work_ability = serializers.ChoiceField(choices=WorkAbility.choices, required=False)


class MemberChangeInputSerializer(MemberInputSerializer):
    """With `id`: change that current member (fields not sent keep their values). Without: a new member."""

    id = serializers.IntegerField(required=False, help_text=_("A current member's id; leave out for a new member."))

    def validate(self, attrs):
        if attrs.get("id") is None:
            missing = [name for name in ("id_number", "name", "relationship") if name not in attrs]
            if missing:
                message = serializers.Field.default_error_messages["required"]
                raise serializers.ValidationError({name: [message] for name in missing})
        return attrs


class HouseholdCreateInputSerializer(serializers.Serializer):
    region = serializers.CharField(max_length=12, help_text=_("12-digit code of the community or village."))
    address = serializers.CharField(max_length=200)
    is_rural = serializers.BooleanField(required=False, help_text=_("Defaults to the community's own setting."))
    members = MemberInputSerializer(many=True, allow_empty=False, help_text=_("Exactly one has relationship head."))


class HouseholdUpdateInputSerializer(serializers.Serializer):
    """Sent with PATCH: every field is optional; members not listed keep their values."""

    region = serializers.CharField(max_length=12, help_text=_("Move the household to this community."))
    address = serializers.CharField(max_length=200)
    is_rural = serializers.BooleanField()
    members = MemberChangeInputSerializer(many=True)


class ScopedHouseholdField(serializers.PrimaryKeyRelatedField):
    """A household id, looked up only among the households the caller may see."""

    def get_queryset(self):
        return selectors.households_for(self.context["request"].user)


class ResidentCreateInputSerializer(MemberInputSerializer):
    household = ScopedHouseholdField(queryset=Household.objects.none(), help_text=_("The household to join."))


class ResidentUpdateInputSerializer(MemberInputSerializer):
    """Sent with PATCH: every field is optional. Correcting the ID number also corrects birth date and sex."""


# ---------------------------------------------------------------------------------------------- output


class OutputSerializer(serializers.ModelSerializer):
    """Answers only: every field read-only."""

    def get_fields(self):
        fields = super().get_fields()
        for field in fields.values():
            field.read_only, field.required = True, False
        return fields


class ResidentSummarySerializer(OutputSerializer):
    id_number_masked = serializers.CharField(read_only=True)

    class Meta:
        model = Resident
        fields = ["id", "name", "id_number_masked"]


class MemberOutputSerializer(OutputSerializer):
    id_number_masked = serializers.CharField(read_only=True)

    class Meta:
        model = Resident
        fields = [
            "id",
            "name",
            "id_number_masked",
            "sex",
            "birth_date",
            "relationship",
            "phone",
            "hukou_type",
            "disability_category",
            "disability_grade",
            "serious_illness",
            "illness_note",
            "work_ability",
        ]


class HouseholdListOutputSerializer(OutputSerializer):
    number = serializers.CharField(read_only=True, help_text=_("File number: community code and sequence."))
    region = serializers.CharField(source="region_id", read_only=True)
    region_name = serializers.CharField(source="region.name", read_only=True)
    head = ResidentSummarySerializer(read_only=True, allow_null=True)
    size = serializers.SerializerMethodField(help_text=_("Number of current members."))

    class Meta:
        model = Household
        fields = ["id", "number", "region", "region_name", "address", "is_rural", "head", "size", "updated_at"]

    def get_size(self, household) -> int:
        size = getattr(household, "size", None)
        return size if size is not None else len(household.members.all())


class HouseholdDetailOutputSerializer(HouseholdListOutputSerializer):
    members = MemberOutputSerializer(many=True, read_only=True, help_text=_("ID numbers masked here."))

    class Meta(HouseholdListOutputSerializer.Meta):
        fields = [*HouseholdListOutputSerializer.Meta.fields, "created_at", "members"]


class ResidentListOutputSerializer(OutputSerializer):
    id_number_masked = serializers.CharField(read_only=True)
    household_number = serializers.CharField(source="household.number", read_only=True, allow_null=True)
    region = serializers.CharField(source="region_id", read_only=True, allow_null=True)
    region_name = serializers.CharField(source="region.name", read_only=True, allow_null=True)

    class Meta:
        model = Resident
        fields = [
            "id",
            "name",
            "id_number_masked",
            "sex",
            "birth_date",
            "household",
            "household_number",
            "relationship",
            "region",
            "region_name",
            "phone",
            "hukou_type",
            "disability_category",
            "disability_grade",
            "serious_illness",
            "illness_note",
            "work_ability",
            "updated_at",
        ]


class ResidentDetailOutputSerializer(ResidentListOutputSerializer):
    """One resident. `id_number` is the full number only on GET for callers who may see it."""

    # The view decides with access.may_reveal_id and logs the reveal; it passes context["reveal"].

    id_number = serializers.SerializerMethodField(
        help_text=_("The full number for callers who may see it (each time is logged); otherwise masked.")
    )

    class Meta(ResidentListOutputSerializer.Meta):
        fields = [*ResidentListOutputSerializer.Meta.fields, "id_number", "created_at"]

    @extend_schema_field(OpenApiTypes.STR)
    def get_id_number(self, resident):
        return resident.id_number if self.context.get("reveal") else resident.id_number_masked
