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
