"""Shapes of the relief money API: payment batches and their lines for banks, the bank's results, CPI
readings, and background jobs. Input serializers check shapes only (relief.services.disbursement and
relief.services.subsidies enforce the rules). Money is a string with two decimals ("1221.00"), never a
number; CPI readings are percentages with two decimals ("3.80")."""

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from civic.api.authentication import PartnerPrincipal
from civic.api.registry_serializers import OutputSerializer
from civic.models import Job, JobState
from relief.models import Batch, BatchLine, CpiReading, LineStatus
from relief.programmes import Programme

MONEY = {"max_digits": 12, "decimal_places": 2}
PERCENT = {"max_digits": 5, "decimal_places": 2}
REGION_CODE = r"^\d{12}$"
MONTH = r"^\d{4}-(0[1-9]|1[0-2])$"
# One request carries at most this many results; a larger file is sent in several requests.
MAX_RESULTS = 10_000
RESULT_STATUSES = [(status.value, status.label) for status in (LineStatus.PAID, LineStatus.FAILED)]


# ------------------------------------------------------------------------------------------------- jobs


class ReliefJobOutputSerializer(OutputSerializer):
    """A background job (a recompute, a batch run, a subsidy): its progress and, once done, its result."""

    region = serializers.CharField(source="region_id", help_text=gettext_lazy("The region whose data it touches."))
    percent = serializers.IntegerField(help_text=gettext_lazy("0–100; 100 only once done."))
    result = serializers.DictField(help_text=gettext_lazy("Totals once done, e.g. adjustments written and amount."))
    error = serializers.SerializerMethodField(help_text=gettext_lazy("Why it failed; empty unless failed."))

    class Meta:
        model = Job
        fields = [
            "id",
            "kind",
            "region",
            "state",
            "total",
            "done",
            "percent",
            "result",
            "error",
            "created_at",
            "finished_at",
        ]

    def get_error(self, job) -> str:
        if job.state != JobState.FAILED or not job.error:
            return ""
        # The stored text is the technical cause: staff read it, partner systems are told the job failed.
        if isinstance(self.context.get("principal"), PartnerPrincipal) or "principal" not in self.context:
            return _("The job failed; the civil-affairs bureau has been told and will run it again.")
        return job.error


# ---------------------------------------------------------------------------------------------- batches


class ReliefBatchLineCountsSerializer(serializers.Serializer):
    pending = serializers.IntegerField(help_text=gettext_lazy("Awaiting the bank's result."))
    paid = serializers.IntegerField()
    failed = serializers.IntegerField()
    carried = serializers.IntegerField(help_text=gettext_lazy("Failed and carried into a later batch."))


class ReliefBatchOutputSerializer(OutputSerializer):
    """One month's payments for one district."""

    region = serializers.CharField(source="region_id", help_text=gettext_lazy("12-digit code of the district."))
    region_name = serializers.CharField(source="region.name")
    month = serializers.DateField(help_text=gettext_lazy("The first day of the month paid."))
    amount_total = serializers.DecimalField(help_text=gettext_lazy("Sum of the monthly amounts."), **MONEY)
    adjustment_total = serializers.DecimalField(
        help_text=gettext_lazy("Sum of the adjustments (back-pay, subsidies, recoveries)."), **MONEY
    )
    total = serializers.DecimalField(help_text=gettext_lazy("To pay: amounts plus adjustments."), **MONEY)
    lines_by_status = serializers.SerializerMethodField(help_text=gettext_lazy("Lines by the bank's result."))

    class Meta:
        model = Batch
        fields = [
            "id",
            "region",
            "region_name",
            "month",
            "state",
            "line_count",
            "amount_total",
            "adjustment_total",
            "total",
            "lines_by_status",
            "generated_at",
            "created_at",
            "approved_at",
            "sent_at",
            "reconciled_at",
        ]
        extra_kwargs = {
            "state": {
                "help_text": gettext_lazy(
                    "draft → approved (by a second person) → sent to the bank → reconciled (every line paid or "
                    "carried into a later batch). Results are accepted while it is sent."
                )
            }
        }

    @extend_schema_field(ReliefBatchLineCountsSerializer)
    def get_lines_by_status(self, batch):
        counts = self.context.get("line_counts", {}).get(batch.pk, {})
        return {status: counts.get(status, 0) for status in LineStatus.values}


class ReliefBatchLineOutputSerializer(OutputSerializer):
    """One payment of the roster, as sent to the bank."""

    region = serializers.CharField(source="region_id", help_text=gettext_lazy("12-digit code of the community."))
    region_name = serializers.CharField(source="region.name")
    payee_name = serializers.CharField(source="payee.name", allow_null=True, default=None)
    id_number = serializers.SerializerMethodField(
        help_text=gettext_lazy(
            "The payee's ID number: whole for callers who may see it (each time is logged), otherwise masked."
        )
    )
    programme = serializers.ChoiceField(choices=Programme.choices)
    amount = serializers.DecimalField(help_text=gettext_lazy("The monthly amount."), **MONEY)
    adjustment = serializers.DecimalField(
        help_text=gettext_lazy("Back-pay, subsidies and recoveries paid with this line (negative: recovered)."),
        **MONEY,
    )
    total = serializers.DecimalField(help_text=gettext_lazy("To pay: amount plus adjustment."), **MONEY)
    account = serializers.CharField(help_text=gettext_lazy("The bank account to pay into; empty when none is on file."))
    attempts = serializers.IntegerField(help_text=gettext_lazy("Times sent to the bank."))
    household_size = serializers.IntegerField(help_text=gettext_lazy("People in the household."))

    class Meta:
        model = BatchLine
        fields = [
            "id",
            "month",
            "region",
            "region_name",
            "payee_name",
            "id_number",
            "programme",
            "household_size",
            "covered_members",
            "amount",
            "adjustment",
            "total",
            "account",
            "status",
            "attempts",
            "failure_reason",
            "result_at",
        ]

    @extend_schema_field(serializers.CharField(allow_null=True))
    def get_id_number(self, line):
        if line.payee is None:
            return None
        return line.payee.id_number if self.context.get("reveal") else line.payee.id_number_masked


# ------------------------------------------------------------------------------------------ bank results


class ReliefBankResultInputSerializer(serializers.Serializer):
    """One row of the bank's results (documentation of a row; the service checks every row)."""

    line = serializers.IntegerField(
        help_text=gettext_lazy("The line number from the roster (YYYYMM × 10⁹ + the entitlement's id).")
    )
    status = serializers.ChoiceField(choices=RESULT_STATUSES)
    reason = serializers.CharField(
        max_length=200, required=False, allow_blank=True, help_text=gettext_lazy("Required when failed.")
    )


@extend_schema_field(ReliefBankResultInputSerializer(many=True))
class BankResultRowsField(serializers.ListField):
    """The rows as sent: each must be an object; what it holds is checked by the service, row by row, so that
    every problem of a file is reported at once under its row number."""

    child = serializers.JSONField()

    def to_internal_value(self, data):
        rows = super().to_internal_value(data)
        errors = {
            f"{number}": [_("Each result is an object with line, status and reason.")]
            for number, row in enumerate(rows, start=1)
            if not isinstance(row, dict)
        }
        if errors:
            raise serializers.ValidationError(errors)
        return rows


class ReliefBankResultsInputSerializer(serializers.Serializer):
    results = BankResultRowsField(
        allow_empty=False,
        max_length=MAX_RESULTS,
        help_text=gettext_lazy("At most 10,000 rows a request; send a larger file in several requests."),
    )


class ReliefBankResultsOutputSerializer(serializers.Serializer):
    paid = serializers.IntegerField(help_text=gettext_lazy("Lines newly recorded as paid by this request."))
    failed = serializers.IntegerField(help_text=gettext_lazy("Lines newly recorded as failed by this request."))
    batch = ReliefBatchOutputSerializer(help_text=gettext_lazy("The batch afterwards."))


# -------------------------------------------------------------------------------------------------- CPI


class ReliefCpiReadingInputSerializer(serializers.Serializer):
    region = serializers.RegexField(REGION_CODE, help_text=gettext_lazy("12-digit code of the province or city."))
    month = serializers.RegexField(MONTH, help_text=gettext_lazy("The month the index is for, as YYYY-MM."))
    cpi = serializers.DecimalField(help_text=gettext_lazy("CPI, year on year, in percent (3.5: up 3.5%)."), **PERCENT)
    food_cpi = serializers.DecimalField(
        required=False,
        allow_null=True,
        default=None,
        help_text=gettext_lazy("Food CPI, year on year, in percent; leave out when not published."),
        **PERCENT,
    )
    source = serializers.CharField(
        max_length=120,
        required=False,
        allow_blank=True,
        default="",
        help_text=gettext_lazy("Where the figure comes from; defaults to your system's name."),
    )


class ReliefCpiReadingOutputSerializer(OutputSerializer):
    region = serializers.CharField(source="region_id")
    region_name = serializers.CharField(source="region.name")
    month = serializers.DateField(help_text=gettext_lazy("The first day of the month the index is for."))
    cpi = serializers.DecimalField(**PERCENT)
    food_cpi = serializers.DecimalField(allow_null=True, **PERCENT)

    class Meta:
        model = CpiReading
        fields = ["id", "region", "region_name", "month", "cpi", "food_cpi", "source", "recorded_at"]


class ReliefCpiRecordOutputSerializer(serializers.Serializer):
    reading = ReliefCpiReadingOutputSerializer()
    job = ReliefJobOutputSerializer(
        help_text=gettext_lazy("Writes the price-linked subsidy wherever a policy's thresholds are met.")
    )
