"""Shapes of the relief applications API. Input serializers check shapes only (relief.services.applications
enforces the rules); output serializers say what a caller sees. Money is a string with two decimals. Lists
carry no names or ID numbers; document metadata never includes the stored file's path or contents."""

import re
from pathlib import PurePath

from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from civic import idnumbers
from civic.api.registry_serializers import OutputSerializer
from civic.models import Household, Resident
from relief.models import (
    Application,
    ApplicationEvent,
    CrossCheck,
    Document,
    Entitlement,
    HomeVisit,
    Objection,
    Opinion,
)
from relief.models.applications import OPEN_STATUSES, Asset, IncomeItem, Resolution, RigidExpense
from relief.programmes import (
    APPLIED_CHOICES,
    REQUIRED_DOCUMENTS,
    AssetKind,
    DocumentKind,
    ExpenseKind,
    IncomeKind,
)
from relief.services.applications import ALLOWED_UPLOADS

MONEY = {"max_digits": 12, "decimal_places": 2}
ID_LIKE = re.compile(r"\d{17}[\dXx]|\d{15}")

# What the first bytes of an allowed upload must be, so a renamed file of another type is refused.
SIGNATURES = {
    ".pdf": (b"%PDF-",),
    ".jpg": (b"\xff\xd8\xff",),
    ".jpeg": (b"\xff\xd8\xff",),
    ".png": (b"\x89PNG\r\n\x1a\n",),
}


# ----------------------------------------------------------------------------------------------- input


class ReliefIncomeInputSerializer(serializers.Serializer):
    resident = serializers.IntegerField(help_text=gettext_lazy("Id of a member of the household."))
    kind = serializers.ChoiceField(choices=IncomeKind.choices)
    monthly_amount = serializers.DecimalField(min_value=0, **MONEY)


class ReliefAssetInputSerializer(serializers.Serializer):
    kind = serializers.ChoiceField(choices=AssetKind.choices)
    description = serializers.CharField(max_length=200, required=False, allow_blank=True, default="")
    value = serializers.DecimalField(max_digits=14, decimal_places=2, min_value=0)


class ReliefExpenseInputSerializer(serializers.Serializer):
    kind = serializers.ChoiceField(choices=ExpenseKind.choices)
    monthly_amount = serializers.DecimalField(min_value=0, **MONEY)


class CityHouseholdField(serializers.PrimaryKeyRelatedField):
    """A household id, looked up in the whole city of the caller's region: any service point in the city
    may accept an application (全城通办), not only the family's own community."""

    def get_queryset(self):
        return households_in_city(self.context["request"].user)


def households_in_city(principal):
    """Households in the city of the principal's region (the first four digits of its code)."""
    region = getattr(principal, "region", None)
    if getattr(principal, "is_superuser", False):
        return Household.objects.all()
    if region is None:
        return Household.objects.none()
    return Household.objects.filter(region__code__startswith=region.prefix[:4])


class ReliefApplicationCreateInputSerializer(serializers.Serializer):
    household = CityHouseholdField(
        queryset=Household.objects.none(), help_text=gettext_lazy("Id of a household anywhere in your city.")
    )
    programme = serializers.ChoiceField(choices=APPLIED_CHOICES)
    incomes = ReliefIncomeInputSerializer(many=True, required=False, default=list)
    assets = ReliefAssetInputSerializer(many=True, required=False, default=list)
    expenses = ReliefExpenseInputSerializer(many=True, required=False, default=list)
    public_notice = serializers.BooleanField(
        required=False,
        allow_null=True,
        default=None,
        help_text=gettext_lazy("Leave out for the programme's default (公示 for dibao, 特困 and edge families)."),
    )

    def validate(self, data):
        members = {r.pk: r for r in Resident.objects.filter(household=data["household"])}
        errors, incomes = [], []
        for item in data["incomes"]:
            resident = members.get(item["resident"])
            errors.append({} if resident else {"resident": [_("A member listed is not in this household.")]})
            incomes.append({**item, "resident": resident})
        if any(errors):
            raise serializers.ValidationError({"incomes": errors})
        return {**data, "incomes": incomes}


class ReliefDocumentInputSerializer(serializers.Serializer):
    kind = serializers.ChoiceField(choices=DocumentKind.choices)
    file = serializers.FileField(help_text=gettext_lazy("A PDF, JPG or PNG file of at most 10 MB."))

    def validate_file(self, upload):
        # The service checks the name and size; here the content must match the name too.
        suffix = PurePath(upload.name or "").suffix.lower()
        if suffix in ALLOWED_UPLOADS:
            head = upload.read(16)
            upload.seek(0)
            if not head.startswith(SIGNATURES[suffix]):
                raise serializers.ValidationError(
                    _("The content of “%(name)s” is not a PDF, JPG or PNG file.") % {"name": upload.name}
                )
        return upload


class ReliefHomeVisitInputSerializer(serializers.Serializer):
    visited_on = serializers.DateField()
    second_investigator = serializers.IntegerField(
        help_text=gettext_lazy("Staff account id of the second investigator (you are the first).")
    )
    findings = serializers.CharField()


class ReliefCrossCheckInputSerializer(serializers.Serializer):
    source = serializers.CharField(max_length=100)
    passed = serializers.BooleanField(help_text=gettext_lazy("True when the data agree with the declaration."))
    details = serializers.CharField(required=False, allow_blank=True, default="")


class ReliefOpinionInputSerializer(serializers.Serializer):
    opinion = serializers.ChoiceField(choices=Opinion.choices)
    reasons = serializers.CharField()


class ReliefObjectionInputSerializer(serializers.Serializer):
    received_on = serializers.DateField()
    content = serializers.CharField()
    resolution = serializers.ChoiceField(choices=Resolution.choices, default=Resolution.REINVESTIGATE)


class ReliefDemocraticReviewInputSerializer(serializers.Serializer):
    held_on = serializers.DateField()
    participants = serializers.IntegerField(min_value=0)
    supports = serializers.BooleanField()
    minutes = serializers.CharField()


class ReliefDecisionInputSerializer(serializers.Serializer):
    approve = serializers.BooleanField()
    checked_in_person = serializers.BooleanField(
        required=False, default=False, help_text=gettext_lazy("The district verified the case itself.")
    )
    reasons = serializers.CharField(
        required=False, allow_blank=True, default="", help_text=gettext_lazy("Required when refusing.")
    )


# ---------------------------------------------------------------------------------------------- output


class ReliefStaffSerializer(serializers.Serializer):
    id = serializers.IntegerField(source="pk")
    name = serializers.CharField(source="__str__")


class ReliefExplanationLineSerializer(serializers.Serializer):
    text = serializers.CharField()
    amount = serializers.DecimalField(max_digits=14, decimal_places=2, allow_null=True)


class ReliefEventOutputSerializer(OutputSerializer):
    actor = serializers.CharField(source="actor_label")

    class Meta:
        model = ApplicationEvent
        fields = ["action", "from_status", "to_status", "actor", "at", "note"]


class ReliefHomeVisitOutputSerializer(OutputSerializer):
    first_investigator = ReliefStaffSerializer()
    second_investigator = ReliefStaffSerializer()

    class Meta:
        model = HomeVisit
        fields = ["id", "visited_on", "first_investigator", "second_investigator", "findings"]


class ReliefCrossCheckOutputSerializer(OutputSerializer):
    class Meta:
        model = CrossCheck
        fields = ["id", "source", "passed", "details", "received_at"]


class ReliefObjectionOutputSerializer(OutputSerializer):
    recorded_by = ReliefStaffSerializer()

    class Meta:
        model = Objection
        fields = ["id", "received_on", "content", "recorded_by"]


class ReliefDocumentOutputSerializer(OutputSerializer):
    """Metadata only: never the stored path or the contents."""

    name = serializers.SerializerMethodField(help_text=gettext_lazy("The uploaded file's name, ID numbers masked."))
    uploaded_by = ReliefStaffSerializer()

    class Meta:
        model = Document
        fields = ["id", "kind", "name", "uploaded_at", "uploaded_by"]

    def get_name(self, document) -> str:
        return ID_LIKE.sub(lambda match: idnumbers.mask(match.group()), document.original_name)


class ReliefIncomeOutputSerializer(OutputSerializer):
    resident_name = serializers.CharField(source="resident.name")
    monthly_amount = serializers.DecimalField(**MONEY)

    class Meta:
        model = IncomeItem
        fields = ["id", "resident", "resident_name", "kind", "monthly_amount"]


class ReliefAssetOutputSerializer(OutputSerializer):
    value = serializers.DecimalField(max_digits=14, decimal_places=2)

    class Meta:
        model = Asset
        fields = ["id", "kind", "description", "value"]


class ReliefExpenseOutputSerializer(OutputSerializer):
    monthly_amount = serializers.DecimalField(**MONEY)

    class Meta:
        model = RigidExpense
        fields = ["id", "kind", "monthly_amount"]


class ReliefEntitlementSummarySerializer(OutputSerializer):
    amount = serializers.DecimalField(**MONEY)

    class Meta:
        model = Entitlement
        fields = ["id", "amount", "starts_on", "ends_on", "status", "review_due"]


class ReliefApplicationListOutputSerializer(OutputSerializer):
    number = serializers.CharField(help_text=gettext_lazy("Year of acceptance and sequence."))
    household_number = serializers.CharField(source="household.number")
    region = serializers.CharField(source="region_id", help_text=gettext_lazy("The household's community."))
    region_name = serializers.CharField(source="region.name")
    overdue = serializers.SerializerMethodField(help_text=gettext_lazy("The current step is past its due date."))
    amount = serializers.DecimalField(
        allow_null=True, help_text=gettext_lazy("Monthly amount, once approved."), **MONEY
    )

    class Meta:
        model = Application
        fields = [
            "id",
            "number",
            "household",
            "household_number",
            "region",
            "region_name",
            "programme",
            "area",
            "status",
            "public_notice",
            "accepted_at",
            "step_due",
            "overall_due",
            "overdue",
            "decided_at",
            "amount",
        ]

    def get_overdue(self, application) -> bool:
        return (
            application.status in OPEN_STATUSES
            and application.step_due is not None
            and application.step_due < timezone.localdate()
        )


class ReliefApplicationDetailOutputSerializer(ReliefApplicationListOutputSerializer):
    accepted_by = ReliefStaffSerializer()
    accepted_in = serializers.CharField(source="accepted_in_id", allow_null=True)
    opinion_by = ReliefStaffSerializer(allow_null=True)
    decided_by = ReliefStaffSerializer(allow_null=True)
    explanation = ReliefExplanationLineSerializer(
        many=True, help_text=gettext_lazy("How the amount was reached, line by line, once approved.")
    )
    incomes = ReliefIncomeOutputSerializer(many=True)
    assets = ReliefAssetOutputSerializer(many=True)
    expenses = ReliefExpenseOutputSerializer(many=True)
    documents = ReliefDocumentOutputSerializer(many=True)
    missing_documents = serializers.SerializerMethodField(
        help_text=gettext_lazy("Kinds of the checklist not yet uploaded.")
    )
    events = ReliefEventOutputSerializer(many=True)
    home_visits = ReliefHomeVisitOutputSerializer(many=True)
    cross_checks = ReliefCrossCheckOutputSerializer(many=True)
    objections = ReliefObjectionOutputSerializer(many=True)
    entitlement = serializers.SerializerMethodField()

    class Meta(ReliefApplicationListOutputSerializer.Meta):
        fields = [
            *ReliefApplicationListOutputSerializer.Meta.fields,
            "accepted_by",
            "accepted_in",
            "opinion",
            "opinion_text",
            "opinion_by",
            "notice_from",
            "notice_until",
            "decided_by",
            "decision_reasons",
            "explanation",
            "incomes",
            "assets",
            "expenses",
            "documents",
            "missing_documents",
            "events",
            "home_visits",
            "cross_checks",
            "objections",
            "entitlement",
        ]

    @extend_schema_field(serializers.ListField(child=serializers.ChoiceField(choices=DocumentKind.choices)))
    def get_missing_documents(self, application):
        present = {document.kind for document in application.documents.all()}
        return [kind for kind in REQUIRED_DOCUMENTS if kind not in present]

    @extend_schema_field(ReliefEntitlementSummarySerializer(allow_null=True))
    def get_entitlement(self, application):
        try:
            entitlement = application.entitlement
        except Entitlement.DoesNotExist:
            return None
        return ReliefEntitlementSummarySerializer(entitlement).data


class ReliefEntitlementOutputSerializer(OutputSerializer):
    household_number = serializers.CharField(source="household.number")
    region = serializers.CharField(source="region_id")
    region_name = serializers.CharField(source="region.name")
    application_number = serializers.CharField(source="application.number")
    amount = serializers.DecimalField(**MONEY)

    class Meta:
        model = Entitlement
        fields = [
            "id",
            "household",
            "household_number",
            "region",
            "region_name",
            "programme",
            "application",
            "application_number",
            "amount",
            "starts_on",
            "ends_on",
            "status",
            "review_due",
        ]
