"""Relief money API: monthly payment batches and their rosters for the bank, the bank's results, CPI readings
for the price-linked subsidy, and the progress of background jobs.

Batches: staff with money.manage, or bank systems with the relief:bank scope; a batch whose district lies
outside the caller's region is 404. CPI readings: staff with money.subsidy, or statistics systems with the
relief:cpi scope. Writes go through relief.services.disbursement and relief.services.subsidies, which apply
the guards and raise ApplicationError with its status."""

import re
from datetime import date

import django_filters
from django.core.validators import RegexValidator
from django.db.models import Count
from django.utils.translation import gettext_lazy
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import generics, status
from rest_framework.exceptions import NotFound
from rest_framework.response import Response
from rest_framework.views import APIView

from civic import access, audit
from civic.api.permissions import ScopePermission
from civic.api.serializers import ApiErrorSerializer
from civic.models import IdReveal, Job
from relief.models import Batch, BatchLine, BatchState, CpiReading, LineStatus
from relief.services import disbursement, subsidies

from .money_serializers import (
    MONTH,
    ReliefBankResultsInputSerializer,
    ReliefBankResultsOutputSerializer,
    ReliefBatchLineOutputSerializer,
    ReliefBatchOutputSerializer,
    ReliefCpiReadingInputSerializer,
    ReliefCpiReadingOutputSerializer,
    ReliefCpiRecordOutputSerializer,
    ReliefJobOutputSerializer,
)
from .permissions import AnyScopePermission

ERROR = ApiErrorSerializer
LIST_ERRORS = {400: ERROR, 401: ERROR, 403: ERROR}
DETAIL_ERRORS = {401: ERROR, 403: ERROR, 404: ERROR}
LINES_ERRORS = {400: ERROR, 401: ERROR, 403: ERROR, 404: ERROR}
REUSED_KEY = OpenApiResponse(ERROR, description=gettext_lazy("idempotency_key_reused: the key came with another body."))
RESULTS_ERRORS = {
    400: OpenApiResponse(
        ERROR,
        description=gettext_lazy(
            "invalid_rows: nothing was recorded; `fields` names each row with a problem as results.N, N the "
            "row's number counting from 1 (the messages use the same numbers). invalid: the body's shape."
        ),
    ),
    401: ERROR,
    403: ERROR,
    404: OpenApiResponse(ERROR, description=gettext_lazy("The batch does not exist or is outside your region.")),
    409: OpenApiResponse(
        ERROR,
        description=gettext_lazy(
            "wrong_state: the batch is not sent to the bank (not yet, or already reconciled); "
            "idempotency_in_progress: a request with this Idempotency-Key is still running."
        ),
    ),
    422: REUSED_KEY,
}
CPI_CREATE_ERRORS = {
    400: ERROR,
    401: ERROR,
    403: ERROR,
    404: OpenApiResponse(ERROR, description=gettext_lazy("The region is not in your area.")),
    409: OpenApiResponse(
        ERROR,
        description=gettext_lazy(
            "duplicate: a reading for this region and month is already recorded; job_running; idempotency_in_progress."
        ),
    ),
    422: REUSED_KEY,
}

MONTH_VALIDATOR = RegexValidator(re.compile(MONTH), gettext_lazy("Give the month as YYYY-MM."))


def _month_start(text):
    year, month = text.split("-")
    return date(int(year), int(month), 1)


class MonthFilter(django_filters.CharFilter):
    """A month as YYYY-MM; matches the first day of that month."""

    def __init__(self, **kwargs):
        kwargs.setdefault("help_text", gettext_lazy("The month, as YYYY-MM."))
        super().__init__(validators=[MONTH_VALIDATOR], **kwargs)

    def filter(self, queryset, value):
        if not value:
            return queryset
        return queryset.filter(**{self.field_name: _month_start(value)})


# ---------------------------------------------------------------------------------------------- batches


class BatchPermissions:
    permission_classes = [ScopePermission]
    required_scopes = {"GET": "relief:bank", "POST": "relief:bank"}
    required_capabilities = {"GET": "money.manage", "POST": "money.manage"}


def _batches(principal):
    return access.scope_queryset(principal, Batch.objects.select_related("region"), field="region__code")


def _batch(principal, pk):
    """The batch, or 404 when it does not exist or its district lies outside the principal's region."""
    batch = _batches(principal).filter(pk=pk).first()
    if batch is None:
        raise NotFound()
    return batch


def _line_counts(batches):
    """{batch id: {status: lines}} for these batches, in one grouped query per month."""
    counts, months = {}, {}
    for batch in batches:
        months.setdefault(batch.month, []).append(batch.pk)
    for month, ids in months.items():  # a month's lines are one key range
        rows = BatchLine.objects.of_month(month).filter(batch_id__in=ids).values_list("batch_id", "status")
        for batch_id, line_status, n in rows.annotate(n=Count("pk")).order_by():
            counts.setdefault(batch_id, {})[line_status] = n
    return counts


def _batch_data(batch):
    return ReliefBatchOutputSerializer(batch, context={"line_counts": _line_counts([batch])}).data


class BatchFilter(django_filters.FilterSet):
    month = MonthFilter(field_name="month")
    state = django_filters.ChoiceFilter(choices=BatchState.choices)

    class Meta:
        model = Batch
        fields = ["month", "state"]


class BatchListView(BatchPermissions, generics.ListAPIView):
    """Payment batches of the districts in the caller's region, oldest first."""

    serializer_class = ReliefBatchOutputSerializer
    filterset_class = BatchFilter

    def get_queryset(self):
        return _batches(self.request.user)

    def list(self, request, *args, **kwargs):
        page = self.paginate_queryset(self.filter_queryset(self.get_queryset()))
        context = {"line_counts": _line_counts(page)}
        return self.get_paginated_response(ReliefBatchOutputSerializer(page, many=True, context=context).data)

    @extend_schema(
        operation_id="relief_batches_list",
        responses={200: ReliefBatchOutputSerializer(many=True), **LIST_ERRORS},
        description=gettext_lazy(
            "Monthly payment batches of the districts in your region, with their totals and lines by result. "
            "A bank reads the batches sent to it (state=sent) and fetches each roster from its lines."
        ),
    )
    def get(self, request, *args, **kwargs):
        return super().get(request, *args, **kwargs)


class BatchDetailView(BatchPermissions, APIView):
    @extend_schema(
        operation_id="relief_batches_retrieve",
        responses={200: ReliefBatchOutputSerializer, **DETAIL_ERRORS},
    )
    def get(self, request, id):
        return Response(_batch_data(_batch(request.user, id)))


class BatchLineFilter(django_filters.FilterSet):
    status = django_filters.ChoiceFilter(choices=LineStatus.choices)

    class Meta:
        model = BatchLine
        fields = ["status"]


class BatchLineListView(BatchPermissions, generics.ListAPIView):
    """The roster: one line per payment, by id."""

    serializer_class = ReliefBatchLineOutputSerializer
    filterset_class = BatchLineFilter

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):
            return BatchLine.objects.none()
        batch = _batch(self.request.user, self.kwargs["id"])
        return BatchLine.objects.of_batch(batch).with_household_size().select_related("region", "payee")

    def list(self, request, *args, **kwargs):
        page = self.paginate_queryset(self.filter_queryset(self.get_queryset()))
        reveal = access.may_reveal_id(request.user)
        if reveal:
            payees = [line.payee for line in page if line.payee is not None]
            audit.record_reveals(actor=request.user, residents=payees, channel=IdReveal.Channel.API)
        data = ReliefBatchLineOutputSerializer(page, many=True, context={"reveal": reveal}).data
        return self.get_paginated_response(data)

    @extend_schema(
        operation_id="relief_batches_lines_list",
        responses={200: ReliefBatchLineOutputSerializer(many=True), **LINES_ERRORS},
        description=gettext_lazy(
            "The batch's roster for the bank, by line id: payee, account, amounts and the bank's result so far. "
            "ID numbers are whole only for callers who may see them (staff allowed to, partners with the "
            "registry:reveal_id scope); each page that shows them is logged. Otherwise they are masked."
        ),
    )
    def get(self, request, *args, **kwargs):
        return super().get(request, *args, **kwargs)


class BatchResultsView(BatchPermissions, APIView):
    @extend_schema(
        operation_id="relief_batches_results_create",
        request=ReliefBankResultsInputSerializer,
        responses={200: ReliefBankResultsOutputSerializer, **RESULTS_ERRORS},
        description=gettext_lazy(
            "The bank's result for each line of a sent batch: paid, or failed with the bank's reason. All or "
            "nothing: when any row has a problem nothing is recorded and every problem is named. A result "
            "already recorded the same way is accepted again (a resent file) and not counted; a different "
            "one is refused. At most 10,000 rows a request: send a larger file in several requests, each "
            "with its own Idempotency-Key. Once every line is paid (or carried over) the batch is reconciled."
        ),
    )
    def post(self, request, id):
        batch = _batch(request.user, id)
        serializer = ReliefBankResultsInputSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        counts = disbursement.results_apply(
            actor=request.user, batch=batch, results=serializer.validated_data["results"]
        )
        batch = _batches(request.user).get(pk=batch.pk)
        body = {**counts, "batch": batch}
        context = {"line_counts": _line_counts([batch])}
        return Response(ReliefBankResultsOutputSerializer(body, context=context).data)


# -------------------------------------------------------------------------------------------------- CPI


class CpiReadingFilter(django_filters.FilterSet):
    region = django_filters.CharFilter(field_name="region_id", help_text=gettext_lazy("12-digit code."))
    month = MonthFilter(field_name="month")

    class Meta:
        model = CpiReading
        fields = ["region", "month"]


class CpiReadingListCreateView(generics.ListAPIView):
    """CPI readings of the caller's region and of the regions above it, oldest first."""

    permission_classes = [ScopePermission]
    required_scopes = {"GET": "relief:cpi", "POST": "relief:cpi"}
    required_capabilities = {"GET": "money.subsidy", "POST": "money.subsidy"}
    serializer_class = ReliefCpiReadingOutputSerializer
    filterset_class = CpiReadingFilter

    def get_queryset(self):
        readings = CpiReading.objects.select_related("region")
        return access.scope_queryset_with_ancestors(self.request.user, readings, field="region__code")

    @extend_schema(
        operation_id="relief_cpi_readings_list",
        responses={200: ReliefCpiReadingOutputSerializer(many=True), **LIST_ERRORS},
        description=gettext_lazy(
            "Monthly CPI readings (year on year, percent) of your region, the regions inside it and the "
            "regions above it."
        ),
    )
    def get(self, request, *args, **kwargs):
        return super().get(request, *args, **kwargs)

    @extend_schema(
        operation_id="relief_cpi_readings_create",
        request=ReliefCpiReadingInputSerializer,
        responses={201: ReliefCpiRecordOutputSerializer, **CPI_CREATE_ERRORS},
        description=gettext_lazy(
            "Record a month's CPI reading for a province or city in your region: one per region and month. "
            "A job then writes the price-linked subsidy (价格临时补贴) for the recipients of every policy "
            "whose thresholds the reading meets; the next batch pays it. Follow the job at "
            "/api/v1/relief/jobs/{id}/."
        ),
    )
    def post(self, request):
        serializer = ReliefCpiReadingInputSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        reading, job = subsidies.cpi_record(
            actor=request.user,
            region_code=data["region"],
            month=data["month"],
            cpi=data["cpi"],
            food_cpi=data["food_cpi"],
            source=data["source"],
        )
        reading = CpiReading.objects.select_related("region").get(pk=reading.pk)
        body = ReliefCpiRecordOutputSerializer({"reading": reading, "job": job}, context={"principal": request.user})
        return Response(body.data, status=status.HTTP_201_CREATED)


# ------------------------------------------------------------------------------------------------- jobs


class JobDetailView(APIView):
    """Any caller who may start one of these jobs may follow the jobs of its region."""

    permission_classes = [AnyScopePermission]
    required_scopes = {"GET": ("relief:bank", "relief:cpi", "relief:policy")}
    required_capabilities = {"GET": ("money.manage", "money.subsidy", "relief.policy")}

    @extend_schema(
        operation_id="relief_jobs_retrieve",
        responses={200: ReliefJobOutputSerializer, **DETAIL_ERRORS},
        description=gettext_lazy(
            "A background job's progress (done of total, percent) and, once done, its result. 404 when the "
            "region it works on is outside yours."
        ),
    )
    def get(self, request, id):
        job = access.get_in_scope_or_404(request.user, Job.objects.select_related("region"), pk=id)
        return Response(ReliefJobOutputSerializer(job, context={"principal": request.user}).data)
