"""Registry API: households and residents. Reads come scoped from civic.selectors, writes go through
civic.services.registry; an object outside the caller's region subtree is 404."""

import django_filters
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import generics, status
from rest_framework.response import Response
from rest_framework.views import APIView

from civic import access, audit, idnumbers, selectors
from civic.errors import ApplicationError
from civic.models import Household, IdReveal, Resident
from civic.services import registry

from .permissions import ScopePermission
from .registry_serializers import (
    HouseholdCreateInputSerializer,
    HouseholdDetailOutputSerializer,
    HouseholdListOutputSerializer,
    HouseholdUpdateInputSerializer,
    ResidentCreateInputSerializer,
    ResidentDetailOutputSerializer,
    ResidentListOutputSerializer,
    ResidentUpdateInputSerializer,
)
from .serializers import ApiErrorSerializer

READ_ERRORS = {401: ApiErrorSerializer, 403: ApiErrorSerializer}
LIST_ERRORS = {400: ApiErrorSerializer, **READ_ERRORS}
DETAIL_ERRORS = {**READ_ERRORS, 404: ApiErrorSerializer}
WRITE_ERRORS = {400: ApiErrorSerializer, **DETAIL_ERRORS}
# POSTs may carry an Idempotency-Key: 409 while the first request runs, 422 when reused with another body.
CREATE_ERRORS = {400: ApiErrorSerializer, **READ_ERRORS, 409: ApiErrorSerializer, 422: ApiErrorSerializer}


class RegistryPermissions:
    permission_classes = [ScopePermission]
    required_scopes = {"GET": "registry:read", "POST": "registry:write", "PATCH": "registry:write"}
    required_capabilities = {"GET": "registry.view", "POST": "registry.edit", "PATCH": "registry.edit"}


def _validated(serializer_class, request, **kwargs):
    """Input data checked for shape; the exception handler names errors with dotted keys (members.0.name)."""
    serializer = serializer_class(data=request.data, context={"request": request}, **kwargs)
    serializer.is_valid(raise_exception=True)
    return dict(serializer.validated_data)


def _member_values(resident):
    return {name: getattr(resident, name) for name in registry.MEMBER_FIELDS}


def _member_changes(household, changes):
    """PATCH sends only the fields that change; the service wants whole members, keyed by "pk"."""
    current = {member.pk: member for member in household.members.all()}
    members = []
    for change in changes:
        change = dict(change)
        pk = change.pop("id", None)
        if pk is None:
            members.append(change)
        else:
            base = _member_values(current[pk]) if pk in current else {}
            members.append({**base, **change, "pk": pk})
    return members


# -------------------------------------------------------------------------------------------- households


class HouseholdFilter(django_filters.FilterSet):
    region = django_filters.CharFilter(field_name="region_id", help_text=gettext_lazy("12-digit community code."))

    class Meta:
        model = Household
        fields = ["region"]


class HouseholdListCreateView(RegistryPermissions, generics.ListAPIView):
    """Households in the caller's area, oldest first; ID numbers masked."""

    serializer_class = HouseholdListOutputSerializer
    filterset_class = HouseholdFilter

    def get_queryset(self):
        return selectors.household_search(self.request.user, self.request.query_params.get("q", ""))

    def list(self, request, *args, **kwargs):
        # Member counts for the page only: one small grouped query instead of grouping every match.
        page = self.paginate_queryset(self.filter_queryset(self.get_queryset()))
        return self.get_paginated_response(self.get_serializer(selectors.attach_sizes(page), many=True).data)

    @extend_schema(
        operation_id="households_list",
        parameters=[
            OpenApiParameter(
                "q",
                str,
                description=gettext_lazy(
                    "A member's name (prefix), ID number or mobile number (exact), or part of the address."
                ),
            )
        ],
        responses={200: HouseholdListOutputSerializer(many=True), **LIST_ERRORS},
    )
    def get(self, request, *args, **kwargs):
        return super().get(request, *args, **kwargs)

    @extend_schema(
        operation_id="households_create",
        request=HouseholdCreateInputSerializer,
        responses={201: HouseholdDetailOutputSerializer, **CREATE_ERRORS},
    )
    def post(self, request):
        data = _validated(HouseholdCreateInputSerializer, request)
        household = registry.household_create(
            actor=request.user,
            region_code=data["region"],
            address=data["address"],
            members=data["members"],
            is_rural=data.get("is_rural"),
        )
        household = selectors.household_get(request.user, household.pk)
        return Response(HouseholdDetailOutputSerializer(household).data, status=status.HTTP_201_CREATED)


class HouseholdDetailView(RegistryPermissions, APIView):
    @extend_schema(
        operation_id="households_retrieve", responses={200: HouseholdDetailOutputSerializer, **DETAIL_ERRORS}
    )
    def get(self, request, id):
        return Response(HouseholdDetailOutputSerializer(selectors.household_get(request.user, id)).data)

    @extend_schema(
        operation_id="households_partial_update",
        request=HouseholdUpdateInputSerializer,
        responses={200: HouseholdDetailOutputSerializer, **WRITE_ERRORS},
    )
    def patch(self, request, id):
        household = selectors.household_get(request.user, id)
        data = _validated(HouseholdUpdateInputSerializer, request, partial=True)
        registry.household_update(
            actor=request.user,
            household=household,
            region_code=data.get("region", household.region_id),
            address=data.get("address", household.address),
            is_rural=data.get("is_rural", household.is_rural),
            members=_member_changes(household, data.get("members", [])),
        )
        return Response(HouseholdDetailOutputSerializer(selectors.household_get(request.user, id)).data)


# --------------------------------------------------------------------------------------------- residents


class ResidentFilter(django_filters.FilterSet):
    id_number = django_filters.CharFilter(
        method="filter_id_number", help_text=gettext_lazy("The full 18-character ID number.")
    )
    household = django_filters.NumberFilter(field_name="household_id")
    name = django_filters.CharFilter(field_name="name", lookup_expr="startswith")

    class Meta:
        model = Resident
        fields = ["id_number", "household", "name"]

    def filter_id_number(self, queryset, name, value):
        return queryset.filter(id_number=idnumbers.normalise(value))


class ResidentListCreateView(RegistryPermissions, generics.ListAPIView):
    """Residents in the caller's area; ID numbers masked."""

    serializer_class = ResidentListOutputSerializer
    filterset_class = ResidentFilter

    def get_queryset(self):
        return selectors.residents_for(self.request.user).select_related("household", "region")

    @extend_schema(
        operation_id="residents_list", responses={200: ResidentListOutputSerializer(many=True), **LIST_ERRORS}
    )
    def get(self, request, *args, **kwargs):
        return super().get(request, *args, **kwargs)

    @extend_schema(
        operation_id="residents_create",
        request=ResidentCreateInputSerializer,
        responses={201: ResidentDetailOutputSerializer, **CREATE_ERRORS},
        description=gettext_lazy("Add a member to an existing household. The answer shows the ID number masked."),
    )
    def post(self, request):
        data = _validated(ResidentCreateInputSerializer, request)
        household = data.pop("household")
        resident = registry.resident_add(actor=request.user, household=household, member=data)
        resident = selectors.resident_get(request.user, resident.pk)
        return Response(ResidentDetailOutputSerializer(resident).data, status=status.HTTP_201_CREATED)


class ResidentDetailView(RegistryPermissions, APIView):
    @extend_schema(
        operation_id="residents_retrieve",
        responses={200: ResidentDetailOutputSerializer, **DETAIL_ERRORS},
        description=gettext_lazy(
            "`id_number` is the full number for staff allowed to see it and partners with the "
            "registry:reveal_id scope; each such answer is logged. Otherwise it is masked."
        ),
    )
    def get(self, request, id):
        resident = selectors.resident_get(request.user, id)
        reveal = access.may_reveal_id(request.user)
        if reveal:
            audit.record_reveals(actor=request.user, residents=[resident], channel=IdReveal.Channel.API)
        return Response(ResidentDetailOutputSerializer(resident, context={"reveal": reveal}).data)

    @extend_schema(
        operation_id="residents_partial_update",
        request=ResidentUpdateInputSerializer,
        responses={200: ResidentDetailOutputSerializer, **WRITE_ERRORS},
        description=gettext_lazy("Change a member's fields. The answer shows the ID number masked."),
    )
    def patch(self, request, id):
        resident = selectors.resident_get(request.user, id)
        data = _validated(ResidentUpdateInputSerializer, request, partial=True)
        household = resident.household
        if household is None:
            message = _("This person is not a member of any household; add them to one first.")
            raise ApplicationError(message, code="no_household", fields={"household": [message]})
        try:
            registry.household_update(
                actor=request.user,
                household=household,
                region_code=household.region_id,
                address=household.address,
                is_rural=household.is_rural,
                members=[{**_member_values(resident), **data, "pk": resident.pk}],
            )
        except ApplicationError as exc:
            raise _as_resident_error(exc) from None
        return Response(ResidentDetailOutputSerializer(selectors.resident_get(request.user, id)).data)


def _as_resident_error(exc):
    """The household service names this member's fields members.0.<field>; here they are plain <field>."""
    fields = {}
    for key, messages in exc.fields.items():
        if key.startswith("members.0."):
            key = key.removeprefix("members.0.")
        elif key == "members":  # the count of heads
            key = "relationship"
        fields[key] = messages
    return ApplicationError(exc.message, code=exc.code, fields=fields, status=exc.status)
