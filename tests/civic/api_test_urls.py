"""The portal's URLs plus two test-only endpoints that exercise the API conventions."""

from django.urls import path
from rest_framework import serializers
from rest_framework.permissions import IsAuthenticated
from rest_framework.response import Response
from rest_framework.views import APIView

from civic.errors import ApplicationError
from civic.urls import handler404, handler500  # noqa: F401
from civic.urls import urlpatterns as portal_urls

calls = []


class EchoSerializer(serializers.Serializer):
    name = serializers.CharField(max_length=10)
    amount = serializers.DecimalField(max_digits=12, decimal_places=2)


class EchoView(APIView):
    permission_classes = [IsAuthenticated]

    def post(self, request):
        serializer = EchoSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        calls.append(serializer.validated_data)
        if serializer.validated_data["name"] == "boom":
            raise RuntimeError("server fault")
        if serializer.validated_data["name"] == "refuse":
            raise ApplicationError("Refused by rule.", code="refused", fields={"name": ["not this one"]}, status=409)
        return Response({"call": len(calls), "name": serializer.validated_data["name"]}, status=201)


urlpatterns = [path("api/v1/test-echo/", EchoView.as_view())] + portal_urls
