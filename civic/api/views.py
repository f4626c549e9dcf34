from drf_spectacular.utils import extend_schema
from rest_framework import generics
from rest_framework.permissions import IsAuthenticated
from rest_framework.response import Response
from rest_framework.views import APIView

from civic import access
from civic.models import Region

from .authentication import PartnerPrincipal
from .permissions import ScopePermission
from .serializers import MeSerializer, RegionSerializer


class MeView(APIView):
    """Who is calling: a staff account or a partner token, with its region, scopes and capabilities."""

    permission_classes = [IsAuthenticated]

    @extend_schema(responses=MeSerializer, operation_id="me")
    def get(self, request):
        user = request.user
        partner = isinstance(user, PartnerPrincipal)
        data = {
            "kind": "partner" if partner else "staff",
            "name": str(user),
            "role": user.role,
            "region": user.region,
            "scopes": sorted(user.scopes) if partner else [],
            "capabilities": sorted(access.capabilities(user)),
        }
        return Response(MeSerializer(data).data)


class RegionListView(generics.ListAPIView):
    """Regions inside the caller's region, by code."""

    serializer_class = RegionSerializer
    permission_classes = [ScopePermission]
    required_scopes = {"GET": "regions:read"}
    required_capabilities = {"GET": "regions.view"}
    filterset_fields = ["level", "parent", "is_rural"]

    def get_queryset(self):
        return access.scope_queryset(self.request.user, Region.objects.all(), field="code")


class RegionDetailView(generics.RetrieveAPIView):
    serializer_class = RegionSerializer
    permission_classes = [ScopePermission]
    required_scopes = {"GET": "regions:read"}
    required_capabilities = {"GET": "regions.view"}
    lookup_field = "code"

    def get_queryset(self):
        return access.scope_queryset(self.request.user, Region.objects.all(), field="code")
