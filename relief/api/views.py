from django.utils import timezone
from drf_spectacular.utils import extend_schema
from rest_framework.response import Response
from rest_framework.views import APIView

from civic import access
from civic.api.permissions import ScopePermission
from civic.api.serializers import ApiErrorSerializer
from civic.models import Region
from relief import quoting
from relief.models.policy import Area

from .serializers import QuoteInputSerializer, QuoteOutputSerializer


class QuoteView(APIView):
    """Compute an amount and its explanation for a described household, without saving anything."""

    permission_classes = [ScopePermission]
    required_scopes = {"POST": "relief:quote"}
    required_capabilities = {"POST": "relief.quote"}

    @extend_schema(
        operation_id="relief_quotes_create",
        request=QuoteInputSerializer,
        responses={
            200: QuoteOutputSerializer,
            400: ApiErrorSerializer,
            401: ApiErrorSerializer,
            403: ApiErrorSerializer,
            404: ApiErrorSerializer,
            409: ApiErrorSerializer,
            422: ApiErrorSerializer,
        },
    )
    def post(self, request):
        serializer = QuoteInputSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        region = access.get_in_scope_or_404(
            request.user, Region.objects.filter(level="community"), field="code", code=data["region"]
        )
        area = data.get("area") or (Area.RURAL if region.is_rural else Area.URBAN)
        policy, quote = quoting.quote_for(
            programme=data["programme"],
            region_code=region.code,
            area=area,
            on=data.get("date") or timezone.localdate(),
            household=quoting.household_from_data(data),
            failures=data["self_care_failures"],
            form=data["care_form"],
            months=data["months"],
        )
        body = {
            "programme": quote.programme,
            "eligible": quote.eligible,
            "amount": quote.amount,
            "approval": quote.approval,
            "lines": [{"text": line.text, "amount": line.amount} for line in quote.lines],
            "policy": policy,
        }
        return Response(QuoteOutputSerializer(body).data)
