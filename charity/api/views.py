"""Charity API: social organisations with their funds, fund ledgers, projects with their activities and pairings
(结对帮扶), read by partners with the charity:read scope and by staff who follow charity (charity.view); and
referrals of families from relief (政府救助 + 慈善帮扶), for staff only: there is no partner scope for them.

Reads come scoped from charity.selectors: organisations, funds and projects of the caller's area and of the regions
above it, pairings of its streets and households, referrals of the families living in it. Anything else is 404, as
if it did not exist. Writes go through charity.services, which apply the guards and raise ApplicationError with its
status."""

from django.db.models import Count, DecimalField, IntegerField, OuterRef, Prefetch, Subquery, Sum, Value
from django.db.models.functions import Coalesce
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import generics, status
from rest_framework.response import Response
from rest_framework.views import APIView

from charity import selectors, services
from charity.models import Fund, FundEntry, ProjectActivity, ReferralEvent
from civic.api import lookups
from civic.api.serializers import ApiErrorSerializer
from civic.errors import ApplicationError
from relief.api.permissions import AnyScopePermission

from .filters import FundFilter, OrganisationFilter, PairingFilter, ProjectFilter, ReferralFilter
from .serializers import (
    CharityFundEntryOutputSerializer,
    CharityFundOutputSerializer,
    CharityOrganisationDetailOutputSerializer,
    CharityOrganisationOutputSerializer,
    CharityPairingOutputSerializer,
    CharityProjectDetailOutputSerializer,
    CharityProjectOutputSerializer,
    CharityReferralAcceptInputSerializer,
    CharityReferralCreateInputSerializer,
    CharityReferralDetailOutputSerializer,
    CharityReferralHelpInputSerializer,
    CharityReferralOutputSerializer,
    CharityReferralReasonInputSerializer,
)

ERROR = ApiErrorSerializer
READ_FORBIDDEN = OpenApiResponse(
    ERROR,
    description=gettext_lazy(
        "permission_denied: the token lacks the charity:read scope, or the account may not follow charity."
    ),
)
LIST_ERRORS = {
    400: OpenApiResponse(ERROR, description=gettext_lazy("invalid: a filter's value; `fields` names each filter.")),
    401: ERROR,
    403: READ_FORBIDDEN,
}


def detail_errors(not_found):
    return {401: ERROR, 403: READ_FORBIDDEN, 404: OpenApiResponse(ERROR, description=not_found)}


REFERRAL_READ_FORBIDDEN = OpenApiResponse(
    ERROR,
    description=gettext_lazy(
        "permission_denied: a partner token (referrals are for staff only), or an account that may not follow charity."
    ),
)
REFERRAL_NOT_FOUND = OpenApiResponse(
    ERROR, description=gettext_lazy("not_found: no referral has this id among the families of your area.")
)
REUSED_KEY = OpenApiResponse(ERROR, description=gettext_lazy("idempotency_key_reused: the key came with another body."))
IN_PROGRESS = gettext_lazy("idempotency_in_progress: a request with this Idempotency-Key is still running.")
BAD_KEY = gettext_lazy("invalid_idempotency_key: the Idempotency-Key header is empty or too long.")
REFERRAL_CREATE_ERRORS = {
    400: OpenApiResponse(
        ERROR,
        description=format_lazy(
            "{} {}",
            gettext_lazy(
                "invalid: the body's shape or content; `fields` names each field: household (none in your area has "
                "this id), reason, application (a refused or partly-covering reason needs the family's application, "
                "refused or approved), need, amount_sought (above zero, to the fen), channel, and pairing, project "
                "or fund (none given for the channel, none you may refer to, ended or closed, another household's "
                "pairing, or not where the family lives)."
            ),
            BAD_KEY,
        ),
    ),
    401: ERROR,
    403: OpenApiResponse(
        ERROR,
        description=gettext_lazy(
            "permission_denied: a partner token (referrals are for staff only), or an account that may not refer "
            "families to charity."
        ),
    ),
    409: OpenApiResponse(
        ERROR,
        description=format_lazy(
            "{} {}",
            gettext_lazy("referral_open: the family is referred there already and awaits the outcome."),
            IN_PROGRESS,
        ),
    ),
    422: REUSED_KEY,
}
STEP_FORBIDDEN = gettext_lazy(
    "permission_denied: a partner token (referrals are for staff only), or an account that may not manage charity "
    "records."
)
HELP_FORBIDDEN = format_lazy(
    "{} {}",
    STEP_FORBIDDEN,
    gettext_lazy(
        "forbidden: the referral's pairing, project or fund is kept above your area: its own officers record the help."
    ),
)
FUND_ERRORS = detail_errors(gettext_lazy("not_found: no fund you may see has this id."))
INVALID_STATUS = gettext_lazy("invalid_status: the referral is not at a status this step starts from.")


def step_errors(invalid, conflicts, forbidden):
    return {
        400: OpenApiResponse(ERROR, description=format_lazy("{} {}", invalid, BAD_KEY)),
        401: ERROR,
        403: OpenApiResponse(ERROR, description=forbidden),
        404: REFERRAL_NOT_FOUND,
        409: OpenApiResponse(ERROR, description=format_lazy("{} {}", conflicts, IN_PROGRESS)),
        422: REUSED_KEY,
    }


def _validated(serializer_class, request):
    serializer = serializer_class(data=request.data, context={"request": request})
    serializer.is_valid(raise_exception=True)
    return dict(serializer.validated_data)


class ReadPermissions:
    permission_classes = [AnyScopePermission]
    required_scopes = {"GET": "charity:read"}
    required_capabilities = {"GET": "charity.view"}


# -------------------------------------------------------------------------------------------- organisations


class OrganisationListView(ReadPermissions, generics.ListAPIView):
    serializer_class = CharityOrganisationOutputSerializer
    filterset_class = OrganisationFilter

    def get_queryset(self):
        return selectors.organisations_for(self.request.user)

    @extend_schema(
        operation_id="charity_organisations_list",
        responses={200: CharityOrganisationOutputSerializer(many=True), **LIST_ERRORS},
        description=gettext_lazy(
            "Social organisations of your area and of the regions above it, by id: type, unified social credit "
            "code, evaluation grade and whether it is valid today."
        ),
    )
    def get(self, request, *args, **kwargs):
        return super().get(request, *args, **kwargs)


class OrganisationDetailView(ReadPermissions, APIView):
    @extend_schema(
        operation_id="charity_organisations_retrieve",
        responses={
            200: CharityOrganisationDetailOutputSerializer,
            **detail_errors(gettext_lazy("not_found: no organisation you may see has this id.")),
        },
        description=gettext_lazy("A social organisation with its grade's validity and its funds' balances."),
    )
    def get(self, request, id):
        queryset = selectors.organisations_for(request.user).prefetch_related(
            Prefetch("funds", queryset=Fund.objects.order_by("pk"))
        )
        return Response(CharityOrganisationDetailOutputSerializer(lookups.one_or_404(queryset, id)).data)


# ---------------------------------------------------------------------------------------------------- funds


class FundListView(ReadPermissions, generics.ListAPIView):
    serializer_class = CharityFundOutputSerializer
    filterset_class = FundFilter

    def get_queryset(self):
        return selectors.funds_for(self.request.user)

    @extend_schema(
        operation_id="charity_funds_list",
        responses={200: CharityFundOutputSerializer(many=True), **LIST_ERRORS},
        description=gettext_lazy("Funds of the organisations you may see, by id, with what each holds now."),
    )
    def get(self, request, *args, **kwargs):
        return super().get(request, *args, **kwargs)


class FundDetailView(ReadPermissions, APIView):
    @extend_schema(
        operation_id="charity_funds_retrieve",
        responses={200: CharityFundOutputSerializer, **FUND_ERRORS},
    )
    def get(self, request, id):
        return Response(CharityFundOutputSerializer(lookups.one_or_404(selectors.funds_for(request.user), id)).data)


class FundEntryListView(ReadPermissions, generics.ListAPIView):
    serializer_class = CharityFundEntryOutputSerializer

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):
            return FundEntry.objects.none()
        fund = lookups.one_or_404(selectors.funds_for(self.request.user), self.kwargs["id"])
        return FundEntry.objects.filter(fund=fund).select_related("household")

    @extend_schema(
        operation_id="charity_funds_entries_list",
        responses={200: CharityFundEntryOutputSerializer(many=True), 400: ERROR, **FUND_ERRORS},
        description=gettext_lazy(
            "A fund's ledger in the order it was kept: donations in, grants out, each with the balance after it. "
            "A grant to a household names the household by its file number only."
        ),
    )
    def get(self, request, *args, **kwargs):
        return super().get(request, *args, **kwargs)


# ------------------------------------------------------------------------------------------------- projects

ZERO = Value(0, output_field=DecimalField(max_digits=14, decimal_places=2))


def _projects(principal):
    """The projects the principal may see, with funds raised (from the selector) and spent on activities."""
    spent = (
        ProjectActivity.objects.filter(project=OuterRef("pk"))
        .order_by()
        .values("project")
        .annotate(total=Sum("spent"))
        .values("total")
    )
    return selectors.projects_for(principal).annotate(spent=Coalesce(Subquery(spent), ZERO))


class ProjectListView(ReadPermissions, generics.ListAPIView):
    serializer_class = CharityProjectOutputSerializer
    filterset_class = ProjectFilter

    def get_queryset(self):
        return _projects(self.request.user)

    @extend_schema(
        operation_id="charity_projects_list",
        responses={200: CharityProjectOutputSerializer(many=True), **LIST_ERRORS},
        description=gettext_lazy(
            "Charity projects running in your area or above it, by id: category, status, budget, funds raised "
            "(grants made to the project) and spent (on its activities)."
        ),
    )
    def get(self, request, *args, **kwargs):
        return super().get(request, *args, **kwargs)


class ProjectDetailView(ReadPermissions, APIView):
    @extend_schema(
        operation_id="charity_projects_retrieve",
        responses={
            200: CharityProjectDetailOutputSerializer,
            **detail_errors(gettext_lazy("not_found: no project you may see has this id.")),
        },
        description=gettext_lazy(
            "A project with its activities: date, place, what was done, how many were helped and how many of "
            "them are named residents. Never who they are."
        ),
    )
    def get(self, request, id):
        activities = ProjectActivity.objects.annotate(named_beneficiaries=Count("residents")).order_by("-on", "-pk")
        queryset = _projects(request.user).prefetch_related(Prefetch("activities", queryset=activities))
        return Response(CharityProjectDetailOutputSerializer(lookups.one_or_404(queryset, id)).data)


# ------------------------------------------------------------------------------------------------- pairings


def _pairings(principal):
    return selectors.pairings_for(principal).annotate(
        activity_count=Count("activities"),
        beneficiaries=Coalesce(Sum("activities__beneficiaries"), Value(0, output_field=IntegerField())),
    )


class PairingListView(ReadPermissions, generics.ListAPIView):
    serializer_class = CharityPairingOutputSerializer
    filterset_class = PairingFilter

    def get_queryset(self):
        return _pairings(self.request.user)

    @extend_schema(
        operation_id="charity_pairings_list",
        responses={200: CharityPairingOutputSerializer(many=True), **LIST_ERRORS},
        description=gettext_lazy(
            "Pairings (结对帮扶) with the streets and households of your area, by id: the helper, the street or "
            "the household's file number, the period, the status, and the activities and people helped so far."
        ),
    )
    def get(self, request, *args, **kwargs):
        return super().get(request, *args, **kwargs)


class PairingDetailView(ReadPermissions, APIView):
    @extend_schema(
        operation_id="charity_pairings_retrieve",
        responses={
            200: CharityPairingOutputSerializer,
            **detail_errors(gettext_lazy("not_found: no pairing in your area has this id.")),
        },
    )
    def get(self, request, id):
        return Response(CharityPairingOutputSerializer(lookups.one_or_404(_pairings(request.user), id)).data)


# ------------------------------------------------------------------------------------------------ referrals


class ReferralPermissions:
    """Staff only: no partner scope opens referrals (a token is 403)."""

    permission_classes = [AnyScopePermission]
    required_scopes = {}
    required_capabilities = {"GET": "charity.view"}


def _referral_detail(principal, pk):
    queryset = selectors.referrals_for(principal).prefetch_related(
        Prefetch("events", queryset=ReferralEvent.objects.select_related("by").order_by("at", "pk"))
    )
    return CharityReferralDetailOutputSerializer(lookups.one_or_404(queryset, pk)).data


class ReferralListCreateView(ReferralPermissions, generics.ListAPIView):
    required_capabilities = {"GET": "charity.view", "POST": "charity.refer"}
    serializer_class = CharityReferralOutputSerializer
    filterset_class = ReferralFilter

    def get_queryset(self):
        return selectors.referrals_for(self.request.user)

    @extend_schema(
        operation_id="charity_referrals_list",
        responses={
            200: CharityReferralOutputSerializer(many=True),
            400: LIST_ERRORS[400],
            401: ERROR,
            403: REFERRAL_READ_FORBIDDEN,
        },
        description=gettext_lazy(
            "Referrals of the families living in your area, by id (staff only): where each family was referred, "
            "the answer due, the status and the outcome."
        ),
    )
    def get(self, request, *args, **kwargs):
        return super().get(request, *args, **kwargs)

    @extend_schema(
        operation_id="charity_referrals_create",
        request=CharityReferralCreateInputSerializer,
        responses={
            201: OpenApiResponse(
                CharityReferralDetailOutputSerializer,
                description=gettext_lazy("The referral, awaiting an answer by answer_due."),
            ),
            **REFERRAL_CREATE_ERRORS,
        },
        description=gettext_lazy(
            "Refer a family that relief cannot cover (or covers only in part) to a pairing, a project or a fund "
            "(caseworkers). The answer is due in five working days."
        ),
    )
    def post(self, request):
        data = _validated(CharityReferralCreateInputSerializer, request)
        referral = services.referral_create(actor=request.user, **data)
        return Response(_referral_detail(request.user, referral.pk), status=status.HTTP_201_CREATED)


class ReferralDetailView(ReferralPermissions, APIView):
    @extend_schema(
        operation_id="charity_referrals_retrieve",
        responses={
            200: CharityReferralDetailOutputSerializer,
            401: ERROR,
            403: REFERRAL_READ_FORBIDDEN,
            404: REFERRAL_NOT_FOUND,
        },
        description=gettext_lazy("A referral with what the family needs and every step taken on it."),
    )
    def get(self, request, id):
        return Response(_referral_detail(request.user, id))


class ReferralStepView(ReferralPermissions, APIView):
    """A POST that takes a step on a referral (those who manage charity records where the family lives) and
    answers with the referral."""

    required_capabilities = {"POST": "charity.manage"}
    input_serializer = None

    def perform(self, actor, referral, data):
        raise NotImplementedError

    def handle(self, request, id):
        referral = lookups.one_or_404(selectors.referrals_for(request.user), id)
        data = _validated(self.input_serializer, request)
        self.perform(request.user, referral, data)
        return Response(_referral_detail(request.user, id))


def _step_schema(operation_id, request, description, invalid, conflicts=INVALID_STATUS, forbidden=STEP_FORBIDDEN):
    return extend_schema(
        operation_id=operation_id,
        request=request,
        responses={
            200: OpenApiResponse(CharityReferralDetailOutputSerializer, description=gettext_lazy("The referral.")),
            **step_errors(invalid, conflicts, forbidden),
        },
        description=description,
    )


class ReferralAcceptView(ReferralStepView):
    input_serializer = CharityReferralAcceptInputSerializer

    def perform(self, actor, referral, data):
        services.referral_accept(actor=actor, referral=referral, note=data["note"])

    @_step_schema(
        "charity_referrals_accept_create",
        CharityReferralAcceptInputSerializer,
        gettext_lazy("Accept a referral awaiting an answer: help is being arranged."),
        gettext_lazy("invalid: the note is too long."),
    )
    def post(self, request, id):
        return self.handle(request, id)


class ReferralDeclineView(ReferralStepView):
    input_serializer = CharityReferralReasonInputSerializer

    def perform(self, actor, referral, data):
        services.referral_decline(actor=actor, referral=referral, reason=data["reason"])

    @_step_schema(
        "charity_referrals_decline_create",
        CharityReferralReasonInputSerializer,
        gettext_lazy("Decline a referral awaiting an answer, with the reason the caseworker tells the family."),
        gettext_lazy("invalid: no reason; `fields` names reason."),
    )
    def post(self, request, id):
        return self.handle(request, id)


# The services name the channel's own fields; here the body's field is `value`.
HELP_FIELDS = {"amount": "value", "spent": "value"}


class ReferralHelpView(ReferralStepView):
    input_serializer = CharityReferralHelpInputSerializer

    def perform(self, actor, referral, data):
        try:
            services.referral_help(actor=actor, referral=referral, **data)
        except ApplicationError as exc:
            exc.fields = {HELP_FIELDS.get(name, name): errors for name, errors in exc.fields.items()}
            raise

    @_step_schema(
        "charity_referrals_help_create",
        CharityReferralHelpInputSerializer,
        gettext_lazy(
            "Record the help given, through the referral's channel, and close the referral as helped: through a "
            "fund, a grant to the household (the fund's balance drops by value); through a project, an activity "
            "naming the family's members; through a pairing, an activity for the household."
        ),
        gettext_lazy(
            "invalid: `fields` names each field: description (none), value (not an amount to the fen, or not above "
            "zero through a fund), on (in the future, or before the project or pairing started), project (not "
            "running) or pairing (ended)."
        ),
        gettext_lazy(
            "invalid_status: the referral is declined, closed or helped already. insufficient_funds: the fund "
            "holds less than value; nothing is granted."
        ),
        HELP_FORBIDDEN,
    )
    def post(self, request, id):
        return self.handle(request, id)


class ReferralCloseView(ReferralStepView):
    input_serializer = CharityReferralReasonInputSerializer

    def perform(self, actor, referral, data):
        services.referral_close(actor=actor, referral=referral, reason=data["reason"])

    @_step_schema(
        "charity_referrals_close_create",
        CharityReferralReasonInputSerializer,
        gettext_lazy(
            "Close an open referral without help (the family no longer needs it, moved away, refused it), "
            "with the reason."
        ),
        gettext_lazy("invalid: no reason; `fields` names reason."),
    )
    def post(self, request, id):
        return self.handle(request, id)
