from django.utils.translation import gettext_lazy as _
from rest_framework import serializers

from civic.models import Region


class RegionSerializer(serializers.ModelSerializer):
    parent = serializers.CharField(source="parent_id", allow_null=True, read_only=True)

    class Meta:
        model = Region
        fields = ["code", "name", "level", "parent", "is_rural"]


class MeSerializer(serializers.Serializer):
    kind = serializers.ChoiceField(choices=["staff", "partner"])
    name = serializers.CharField()
    role = serializers.CharField()
    region = RegionSerializer(allow_null=True)
    scopes = serializers.ListField(child=serializers.CharField())
    capabilities = serializers.ListField(child=serializers.CharField())


class ApiErrorSerializer(serializers.Serializer):
    """The one error shape (civic.api.errors), for the schema."""

    code = serializers.CharField(help_text=_("Stable machine-readable code, e.g. invalid_id_number."))
    message = serializers.CharField(help_text=_("What went wrong, in the caller's language."))
    fields = serializers.DictField(
        child=serializers.ListField(child=serializers.CharField()),
        help_text=_("Messages per field; nested fields are dotted, e.g. members.0.id_number."),
    )
