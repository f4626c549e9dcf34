"""Serializer fields shared by the apps' APIs."""

from drf_spectacular.extensions import OpenApiSerializerFieldExtension
from drf_spectacular.plumbing import build_choice_field
from rest_framework import serializers


class NamedChoiceField(serializers.ChoiceField):
    """A choice among a model's TextChoices whose schema enum is named `<App><Choices>Enum` (CharityReferralStatusEnum,
    GovernanceTopicStatusEnum, …). Several apps have a status, a kind or a category; without a name of its own an
    enum used in more than one place gets a made-up one, and adding an app would rename another app's enum."""

    def __init__(self, app, choices_class, **kwargs):
        self.enum_name = f"{app}{choices_class.__name__}Enum"
        super().__init__(choices=choices_class.choices, **kwargs)


class NamedChoiceFieldSchema(OpenApiSerializerFieldExtension):
    target_class = NamedChoiceField

    def get_name(self):
        return self.target.enum_name

    def map_serializer_field(self, auto_schema, direction):
        schema = build_choice_field(self.target)
        schema.pop("x-spec-enum-id", None)
        return schema
