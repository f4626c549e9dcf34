"""Child-protection API: mandatory reports (强制报告) from partner systems.

A school, hospital or police system with the childcare:report scope files a report for a community inside its
token's region and gets a reference and the deadline at once; staff with child.report may file through the API
too. The reporter reads the report back by its reference: the token that filed it, and nobody else (any other
token, and staff, who follow cases on the pages, get 404 as if the reference did not exist). The read-back shows
the state and, once the case is closed, the outcome; never the child or the case file. Writes go through
childcare.services, which applies the guards and raises ApplicationError with its status."""

from django.utils.translation import gettext_lazy
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework import status
from rest_framework.exceptions import NotFound
from rest_framework.response import Response
from rest_framework.views import APIView

from childcare import rules, services
from childcare.models import MandatoryReport
from civic.api.authentication import PartnerPrincipal
from civic.api.permissions import ScopePermission
from civic.api.serializers import ApiErrorSerializer

from .serializers import (
    ChildcareReportInputSerializer,
    ChildcareReportReceiptSerializer,
    ChildcareReportStatusSerializer,
)

ERROR = ApiErrorSerializer
REPORT_ERRORS = {
    400: OpenApiResponse(
        ERROR,
        description=gettext_lazy(
            "invalid: the body's shape or content (an unknown reporter kind or situation, no account, neither the "
            "child's ID number nor a description, an ID number of no resident or of an adult); `fields` names each "
            "field. invalid_idempotency_key: the Idempotency-Key header is empty or too long."
        ),
    ),
    401: ERROR,
    403: OpenApiResponse(
        ERROR,
        description=gettext_lazy(
            "permission_denied: the token lacks the childcare:report scope, or the account may not file reports."
        ),
    ),
    404: OpenApiResponse(
        ERROR,
        description=gettext_lazy(
            "not_found: region is not a community or village inside your region; `fields` names region."
        ),
    ),
    409: OpenApiResponse(
        ERROR, description=gettext_lazy("idempotency_in_progress: a request with this Idempotency-Key is running.")
    ),
    422: OpenApiResponse(ERROR, description=gettext_lazy("idempotency_key_reused: the key came with another body.")),
}
READ_BACK_ERRORS = {
    401: ERROR,
    403: OpenApiResponse(
        ERROR, description=gettext_lazy("permission_denied: the token lacks the childcare:report scope.")
    ),
    404: OpenApiResponse(
        ERROR,
        description=gettext_lazy(
            "not_found: no report has this reference, or another token filed it. Only the filing token reads a "
            "report back; staff follow cases on the portal's pages."
        ),
    ),
}


class ReportCreateView(APIView):
    permission_classes = [ScopePermission]
    required_scopes = {"POST": "childcare:report"}
    required_capabilities = {"POST": "child.report"}

    @extend_schema(
        operation_id="childcare_reports_create",
        request=ChildcareReportInputSerializer,
        responses={
            201: OpenApiResponse(
                ChildcareReportReceiptSerializer,
                description=gettext_lazy("The report is accepted: its reference and the deadline to act by."),
            ),
            **REPORT_ERRORS,
        },
        description=gettext_lazy(
            "File a mandatory report of suspected harm to a minor. Name the child by resident ID number or, when "
            "it is not known, describe the child. The report is accepted at once: the answer gives its reference "
            "and act_by, 24 hours ahead when the child is in immediate danger, otherwise 72 hours. Keep the "
            "reference to read the outcome back. Send an Idempotency-Key so a retry does not file it twice."
        ),
    )
    def post(self, request):
        serializer = ChildcareReportInputSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        report = services.report_receive(
            actor=request.user,
            region_code=data["region"],
            reporter_kind=data["reporter_kind"],
            reporter_name=data["reporter_name"],
            reporter_contact=data["reporter_contact"],
            situation=data["situation"],
            account=data["account"],
            immediate_danger=data["immediate_danger"],
            child_id_number=data["child_id_number"],
            child_description=data["child_description"],
        )
        return Response(ChildcareReportReceiptSerializer(report).data, status=status.HTTP_201_CREATED)


class ReportDetailView(APIView):
    permission_classes = [ScopePermission]
    required_scopes = {"GET": "childcare:report"}
    # Staff pass the permission only to be told 404: a report is read back by the token that filed it.
    required_capabilities = {"GET": "child.report"}

    @extend_schema(
        operation_id="childcare_reports_retrieve",
        parameters=[
            OpenApiParameter(
                "reference",
                str,
                OpenApiParameter.PATH,
                description=gettext_lazy("The reference given when the report was filed."),
            )
        ],
        responses={200: ChildcareReportStatusSerializer, **READ_BACK_ERRORS},
        description=gettext_lazy(
            "Read back a report you filed: its state and, once the case is closed, the outcome and when it closed. "
            "Only the token that filed the report may read it."
        ),
    )
    def get(self, request, reference):
        report = MandatoryReport.objects.filter(reference=reference.strip().upper()).first()
        if report is None:
            raise NotFound()
        user = request.user
        allowed = isinstance(user, PartnerPrincipal) and report.reporter_token_id == user.token.pk
        # Need-to-know: every attempt on an existing report is kept with its case file, shown or refused.
        rules.log_view(user, report=report, allowed=allowed, channel="api")
        if not allowed:
            raise NotFound()
        return Response(ChildcareReportStatusSerializer(report).data)
