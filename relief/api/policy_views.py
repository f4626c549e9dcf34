"""Relief policies API: the effective-dated regional policies (dibao standard and local options).

A policy is drafted, simulated, then published by a second member of staff (four eyes); only published
policies are in force (quotes, the in-force lookup, entitlements). Reads need relief.quote or relief.policy
(partners: the relief:quote or relief:policy scope) and show the policies of the caller's region subtree and
of the regions above it, whose policies apply there too; drafts only to callers who may write policies.
Drafting, correcting and simulating need relief.policy (partners: relief:policy); publishing is for staff
with relief.policy only. Writes go through relief.services.policies: only inside the caller's subtree (404
otherwise), and never to a published policy (409 policy_published)."""

import django_filters
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import generics, status
from rest_framework.exceptions import NotFound
from rest_framework.response import Response
from rest_framework.views import APIView

from civic import access
from civic.api.serializers import ApiErrorSerializer
from civic.errors import ApplicationError
from civic.models import Region
from relief import selectors
from relief.models import PolicyState, ReliefPolicy
from relief.models.policy import Area
from relief.services import policies as service

from .permissions import AnyScopePermission
from .policy_serializers import (
    ReliefPolicyCreateInputSerializer,
    ReliefPolicyInForceQuerySerializer,
    ReliefPolicyOutputSerializer,
    ReliefPolicyPublishOutputSerializer,
    ReliefPolicyUpdateInputSerializer,
)

ERROR = ApiErrorSerializer
LIST_ERRORS = {400: ERROR, 401: ERROR, 403: ERROR}
DETAIL_ERRORS = {401: ERROR, 403: ERROR, 404: ERROR}
IDEMPOTENCY_409 = gettext_lazy("idempotency_in_progress: a request with this Idempotency-Key is still running.")
REUSED_KEY = OpenApiResponse(ERROR, description=gettext_lazy("idempotency_key_reused: the key came with another body."))
# 404: the region (or the policy) is outside the caller's area; 409: an Idempotency-Key still running;
# 422: an Idempotency-Key reused with another body.
CREATE_ERRORS = {
    400: ERROR,
    401: ERROR,
    403: ERROR,
    404: ERROR,
    409: OpenApiResponse(ERROR, description=IDEMPOTENCY_409),
    422: REUSED_KEY,
}
PUBLISHED_409 = gettext_lazy("policy_published: the policy was published; draft a new one with a later date instead.")
UPDATE_ERRORS = {400: ERROR, 401: ERROR, 403: ERROR, 404: ERROR, 409: OpenApiResponse(ERROR, description=PUBLISHED_409)}
SIMULATE_ERRORS = {
    400: ERROR,
    401: ERROR,
    403: ERROR,
    404: ERROR,
    409: OpenApiResponse(
        ERROR, description=gettext_lazy("policy_published, or idempotency_in_progress for a running Idempotency-Key.")
    ),
    422: REUSED_KEY,
}
PUBLISH_ERRORS = {
    400: OpenApiResponse(
        ERROR, description=gettext_lazy("invalid: the draft breaks a rule now, e.g. a policy published meanwhile.")
    ),
    401: ERROR,
    403: OpenApiResponse(
        ERROR,
        description=gettext_lazy(
            "permission_denied: not staff with relief.policy; separation_of_duties: you drafted it."
        ),
    ),
    404: ERROR,
    409: OpenApiResponse(
        ERROR,
        description=gettext_lazy(
            "not_simulated: simulate the draft first; policy_published: published already; job_running: its "
            "recompute is running; idempotency_in_progress."
        ),
    ),
    422: REUSED_KEY,
}

READ_SCOPES = ("relief:quote", "relief:policy")
READ_CAPABILITIES = ("relief.quote", "relief.policy")


class PolicyPermissions:
    permission_classes = [AnyScopePermission]
    required_scopes = {"GET": READ_SCOPES, "POST": "relief:policy", "PATCH": "relief:policy"}
    required_capabilities = {"GET": READ_CAPABILITIES, "POST": "relief.policy", "PATCH": "relief.policy"}


def _validated(serializer_class, request, **kwargs):
    serializer = serializer_class(data=request.data, context={"request": request}, **kwargs)
    serializer.is_valid(raise_exception=True)
    return dict(serializer.validated_data)


def _readable(principal):
    """Policies the principal may read: drafts only for those who may write policies."""
    policies = selectors.policies_for(principal).select_related("published_by")
    if not access.can(principal, "relief.policy"):
        policies = policies.filter(state=PolicyState.PUBLISHED)
    return policies


def _policy(principal, pk):
    """A policy the principal may read, or 404."""
    policy = _readable(principal).filter(pk=pk).first()
    if policy is None:
        raise NotFound()
    return policy


def _answer(principal, pk, status_code=status.HTTP_200_OK):
    return Response(ReliefPolicyOutputSerializer(_policy(principal, pk)).data, status=status_code)


def _service_arguments(data):
    data = dict(data)
    arguments = {"region_code": data.pop("region", None), "topups": data.pop("topups", None)}
    return {**{k: v for k, v in arguments.items() if v is not None}, **data}


class PolicyFilter(django_filters.FilterSet):
    region = django_filters.CharFilter(
        field_name="region_id", help_text=gettext_lazy("12-digit code of the province, city or district.")
    )
    area = django_filters.ChoiceFilter(choices=Area.choices)
    state = django_filters.ChoiceFilter(choices=PolicyState.choices)
    in_force_on = django_filters.DateFilter(
        method="filter_in_force_on",
        help_text=gettext_lazy("For each region and area, only the published policy in force on this date."),
    )

    class Meta:
        model = ReliefPolicy
        fields = ["region", "area", "state", "in_force_on"]

    def filter_in_force_on(self, queryset, name, value):
        return selectors.policies_in_force_on(queryset, value)


class PolicyListCreateView(PolicyPermissions, generics.ListAPIView):
    """Policies of the caller's area and of the regions above it, oldest first."""

    serializer_class = ReliefPolicyOutputSerializer
    filterset_class = PolicyFilter

    def get_queryset(self):
        return _readable(self.request.user)

    @extend_schema(
        operation_id="relief_policies_list",
        responses={200: ReliefPolicyOutputSerializer(many=True), **LIST_ERRORS},
        description=gettext_lazy(
            "Relief policies of your region, the regions inside it and the regions above it (whose policies "
            "apply in yours). Drafts are listed only for callers who may write policies. With in_force_on, "
            "only the published policy in force that day for each region and area."
        ),
    )
    def get(self, request, *args, **kwargs):
        return super().get(request, *args, **kwargs)

    @extend_schema(
        operation_id="relief_policies_create",
        request=ReliefPolicyCreateInputSerializer,
        responses={201: ReliefPolicyOutputSerializer, **CREATE_ERRORS},
        description=gettext_lazy(
            "Draft a policy for a province, city or district inside your region, with its top-ups. A draft is "
            "not in force: correct it with PATCH, simulate it, and have a second member of staff publish it. "
            "Once published it is in force from effective_from (the first day of a month) until a later "
            "published policy of the same region and area starts."
        ),
    )
    def post(self, request):
        data = _validated(ReliefPolicyCreateInputSerializer, request)
        policy = service.policy_draft(actor=request.user, **_service_arguments(data))
        return _answer(request.user, policy.pk, status.HTTP_201_CREATED)


class PolicyDetailView(PolicyPermissions, APIView):
    @extend_schema(
        operation_id="relief_policies_retrieve",
        responses={200: ReliefPolicyOutputSerializer, **DETAIL_ERRORS},
    )
    def get(self, request, id):
        return _answer(request.user, id)

    @extend_schema(
        operation_id="relief_policies_partial_update",
        request=ReliefPolicyUpdateInputSerializer,
        responses={200: ReliefPolicyOutputSerializer, **UPDATE_ERRORS},
        description=gettext_lazy(
            "Correct a draft; the change clears its simulation. A published policy is never changed "
            "(409 policy_published): draft a new one with a later start date instead."
        ),
    )
    def patch(self, request, id):
        policy = _policy(request.user, id)
        data = _validated(ReliefPolicyUpdateInputSerializer, request, partial=True)
        service.policy_update(actor=request.user, policy=policy, **_service_arguments(data))
        return _answer(request.user, id)


class PolicySimulateView(APIView):
    permission_classes = [AnyScopePermission]
    required_scopes = {"POST": "relief:policy"}
    required_capabilities = {"POST": "relief.policy"}

    @extend_schema(
        operation_id="relief_policies_simulate_create",
        request=None,
        responses={200: ReliefPolicyOutputSerializer, **SIMULATE_ERRORS},
        description=gettext_lazy(
            "Work out what publishing the draft would do, per district: the entitlements it governs, how many "
            "change, the monthly totals before and after, and the back-pay for months already paid. The answer "
            "is the draft with its simulation; nothing else is changed."
        ),
    )
    def post(self, request, id):
        policy = _policy(request.user, id)
        service.policy_simulate(actor=request.user, policy=policy)
        return _answer(request.user, id)


class PolicyPublishView(APIView):
    """Staff only: a partner system may draft and simulate but never publish."""

    permission_classes = [AnyScopePermission]
    required_scopes = {}
    required_capabilities = {"POST": "relief.policy"}

    @extend_schema(
        operation_id="relief_policies_publish_create",
        request=None,
        responses={200: ReliefPolicyPublishOutputSerializer, **PUBLISH_ERRORS},
        description=gettext_lazy(
            "Publish a simulated draft. Staff only, and not the person who drafted it (four eyes). When its "
            "start date has come, the recompute of the entitlements it governs starts at once, with back-pay "
            "for months already paid: follow the job at /api/v1/relief/jobs/{id}/. A later start date is "
            "applied on the day."
        ),
    )
    def post(self, request, id):
        policy = _policy(request.user, id)
        policy, job = service.policy_publish(actor=request.user, policy=policy)
        body = {"policy": _policy(request.user, policy.pk), "job": job}
        return Response(ReliefPolicyPublishOutputSerializer(body, context={"principal": request.user}).data)


class PolicyInForceView(PolicyPermissions, APIView):
    """The policy a household's amounts are worked out under: the one relief quotes use."""

    @extend_schema(
        operation_id="relief_policies_in_force_retrieve",
        parameters=[ReliefPolicyInForceQuerySerializer],
        responses={200: ReliefPolicyOutputSerializer, **LIST_ERRORS, 404: ERROR},
        description=gettext_lazy(
            "The policy in force for a community on a date: the most specific region's (district, city, "
            "province) latest policy that has started. 404 no_policy when there is none."
        ),
    )
    def get(self, request):
        serializer = ReliefPolicyInForceQuerySerializer(data=request.query_params)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        community = access.get_in_scope_or_404(
            request.user, Region.objects.filter(level="community"), field="code", code=data["region"]
        )
        area = data.get("area") or (Area.RURAL if community.is_rural else Area.URBAN)
        on = data.get("date") or timezone.localdate()
        policy = selectors.policy_in_force(community.code, area, on)
        if policy is None:
            message = _("No relief policy is in force for this region on %(date)s.") % {"date": on.isoformat()}
            raise ApplicationError(message, code="no_policy", fields={"region": [message]}, status=404)
        return _answer(request.user, policy.pk)
