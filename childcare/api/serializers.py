"""Shapes of the child-protection API: a mandatory report (强制报告) as a partner system (a school, a hospital,
the police) files it, the receipt with its reference and deadline, and the status the reporter reads back.
Input serializers check shapes only (childcare.services enforces the rules). Nothing here ever carries the
child's identity, the account or the case notes back out: the reporter learns the state and, once the case is
closed, the outcome."""

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from childcare.models import MandatoryReport, ReporterKind, ReportState, Situation
from civic.api.registry_serializers import OutputSerializer


class ChildcareReportInputSerializer(serializers.Serializer):
    reporter_kind = serializers.ChoiceField(
        choices=ReporterKind.choices, help_text=gettext_lazy("Who is reporting: a school, a hospital, the police…")
    )
    reporter_name = serializers.CharField(
        max_length=120, help_text=gettext_lazy("The reporting person or organisation.")
    )
    reporter_contact = serializers.CharField(
        max_length=60,
        required=False,
        allow_blank=True,
        default="",
        help_text=gettext_lazy("How to reach the reporter with questions and the outcome."),
    )
    region = serializers.CharField(
        max_length=12,
        help_text=gettext_lazy("12-digit code of the community or village where the child is, inside your region."),
    )
    child_id_number = serializers.CharField(
        max_length=32,
        required=False,
        allow_blank=True,
        default="",
        help_text=gettext_lazy("The child's 18-character resident ID number, when known; else describe the child."),
    )
    child_description = serializers.CharField(
        max_length=2000,
        required=False,
        allow_blank=True,
        default="",
        help_text=gettext_lazy(
            "Who the child is when the ID number is not known: name, age, school, class, where they were seen."
        ),
    )
    situation = serializers.ChoiceField(choices=Situation.choices, help_text=gettext_lazy("The suspected harm."))
    immediate_danger = serializers.BooleanField(
        required=False,
        default=False,
        help_text=gettext_lazy("The child is in danger now: the report must be acted on within 24 hours, not 72."),
    )
    account = serializers.CharField(max_length=8000, help_text=gettext_lazy("What was seen or heard, and when."))

    def validate(self, attrs):
        id_number = attrs.get("child_id_number", "").strip()
        description = attrs.get("child_description", "").strip()
        if not id_number and not description:
            message = _("Give the child's ID number or describe the child.")
            raise serializers.ValidationError({"child_id_number": [message], "child_description": [message]})
        return {**attrs, "child_id_number": id_number, "child_description": description}


class ChildcareReportReceiptSerializer(OutputSerializer):
    """The report as accepted: its reference, to quote and to read the outcome back with, and its deadline."""

    # A plain string here: the states are listed once, on the read-back.
    state = serializers.CharField(help_text=gettext_lazy("received: the report's first state."))

    class Meta:
        model = MandatoryReport
        fields = ["reference", "received_at", "act_by", "state"]
        extra_kwargs = {
            "reference": {"help_text": gettext_lazy("Quote it; read the report's progress back with it.")},
            "act_by": {
                "help_text": gettext_lazy(
                    "By when civil affairs must act: 24 hours after receipt when the child is in immediate danger, "
                    "otherwise 72 hours."
                )
            },
        }


class ChildcareReportStatusSerializer(OutputSerializer):
    """What the reporter is told: how far the report has gone and, once closed, the outcome. Never who the child
    is or what is in the case file."""

    state = serializers.ChoiceField(
        choices=ReportState.choices,
        help_text=gettext_lazy("received → assessed → planned → intervention or referred → follow_up → closed."),
    )
    outcome = serializers.SerializerMethodField(
        help_text=gettext_lazy("What came of the report, as told to the reporter; null until it is closed.")
    )

    class Meta:
        model = MandatoryReport
        fields = ["reference", "received_at", "state", "outcome", "closed_at"]
        extra_kwargs = {"closed_at": {"help_text": gettext_lazy("When the case was closed; null while it is open.")}}

    @extend_schema_field(serializers.CharField(allow_null=True))
    def get_outcome(self, report):
        return report.outcome if report.state == ReportState.CLOSED else None
