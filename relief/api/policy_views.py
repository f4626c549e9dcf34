"""Relief policies API: the effective-dated regional policies (dibao standard and local options).

Reads need relief.quote or relief.policy (partners: the relief:quote or relief:policy scope) and show the
policies of the caller's region subtree and of the regions above it, whose policies apply there too. Writes
need relief.policy (partners: relief:policy) and go through relief.services.policies: only inside the
caller's subtree (404 otherwise), and never to a policy already in force (409 policy_in_force)."""

import django_filters
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import generics, status
from rest_framework.exceptions import NotFound
from rest_framework.permissions import BasePermission
from rest_framework.response import Response
from rest_framework.views import APIView

from civic import access
from civic.api.authentication import PartnerPrincipal
from civic.api.serializers import ApiErrorSerializer
from civic.errors import ApplicationError
from civic.models import Region
from relief import selectors
from relief.models import ReliefPolicy
from relief.models.policy import Area
from relief.services import policies as service

from .policy_serializers import (
    ReliefPolicyCreateInputSerializer,
    ReliefPolicyInForceQuerySerializer,
    ReliefPolicyOutputSerializer,
    ReliefPolicyUpdateInputSerializer,
)

ERROR = ApiErrorSerializer
LIST_ERRORS = {400: ERROR, 401: ERROR, 403: ERROR}
DETAIL_ERRORS = {401: ERROR, 403: ERROR, 404: ERROR}
# 404: the region (or the policy) is outside the caller's area; 409: on POST an Idempotency-Key still
# running, on PATCH a policy already in force; 422: an Idempotency-Key reused with another body.
CREATE_ERRORS = {400: ERROR, 401: ERROR, 403: ERROR, 404: ERROR, 409: ERROR, 422: ERROR}
UPDATE_ERRORS = {
    400: ERROR,
    401: ERROR,
    403: ERROR,
    404: ERROR,
    409: OpenApiResponse(
        ERROR, description=gettext_lazy("policy_in_force: the policy has started; publish a new one instead.")
    ),
}

READ_SCOPES = ("relief:quote", "relief:policy")
READ_CAPABILITIES = ("relief.quote", "relief.policy")


class PolicyPermission(BasePermission):
    """civic.api.permissions.ScopePermission, where a method may accept any one of several scopes or
    capabilities (reads: a quote or a policy scope)."""

    def has_permission(self, request, view):
        user = request.user
        if not getattr(user, "is_authenticated", False):
            return False
        method = "GET" if request.method in ("HEAD", "OPTIONS") else request.method
        if not hasattr(view, method.lower()):
            return True  # let the view answer 405 Method Not Allowed
        if isinstance(user, PartnerPrincipal):
            return bool(set(_alternatives(view.required_scopes.get(method))) & user.scopes)
        return any(access.can(user, c) for c in _alternatives(view.required_capabilities.get(method)))


def _alternatives(value):
    if value is None:
        return ()
    return (value,) if isinstance(value, str) else tuple(value)


class PolicyPermissions:
    permission_classes = [PolicyPermission]
    required_scopes = {"GET": READ_SCOPES, "POST": "relief:policy", "PATCH": "relief:policy"}
    required_capabilities = {"GET": READ_CAPABILITIES, "POST": "relief.policy", "PATCH": "relief.policy"}


def _validated(serializer_class, request, **kwargs):
    serializer = serializer_class(data=request.data, context={"request": request}, **kwargs)
    serializer.is_valid(raise_exception=True)
    return dict(serializer.validated_data)


def _policy(principal, pk):
    """A policy the principal may read, or 404."""
    policy = selectors.policies_for(principal).filter(pk=pk).first()
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
    in_force_on = django_filters.DateFilter(
        method="filter_in_force_on",
        help_text=gettext_lazy("For each region and area, only the policy in force on this date."),
    )

    class Meta:
        model = ReliefPolicy
        fields = ["region", "area", "in_force_on"]

    def filter_in_force_on(self, queryset, name, value):
        return selectors.policies_in_force_on(queryset, value)


class PolicyListCreateView(PolicyPermissions, generics.ListAPIView):
    """Policies of the caller's area and of the regions above it, oldest first."""

    serializer_class = ReliefPolicyOutputSerializer
    filterset_class = PolicyFilter

    def get_queryset(self):
        return selectors.policies_for(self.request.user)

    @extend_schema(
        operation_id="relief_policies_list",
        responses={200: ReliefPolicyOutputSerializer(many=True), **LIST_ERRORS},
        description=gettext_lazy(
            "Relief policies of your region, the regions inside it and the regions above it (whose policies "
            "apply in yours). With in_force_on, only the policy in force that day for each region and area."
        ),
    )
    def get(self, request, *args, **kwargs):
        return super().get(request, *args, **kwargs)

    @extend_schema(
        operation_id="relief_policies_create",
        request=ReliefPolicyCreateInputSerializer,
        responses={201: ReliefPolicyOutputSerializer, **CREATE_ERRORS},
        description=gettext_lazy(
            "Publish a policy for a province, city or district inside your region, with its top-ups. It is "
            "in force from effective_from until a later policy of the same region and area starts."
        ),
    )
    def post(self, request):
        data = _validated(ReliefPolicyCreateInputSerializer, request)
        policy = service.policy_publish(actor=request.user, **_service_arguments(data))
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
            "Correct a policy that is not yet in force. Once its start date has come a policy is never "
            "changed (409 policy_in_force): publish a new one with a later date instead."
        ),
    )
    def patch(self, request, id):
        policy = _policy(request.user, id)
        data = _validated(ReliefPolicyUpdateInputSerializer, request, partial=True)
        service.policy_update(actor=request.user, policy=policy, **_service_arguments(data))
        return _answer(request.user, id)


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
