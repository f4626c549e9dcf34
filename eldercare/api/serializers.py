"""Shapes of the elder-care API: meal check-ins from hall terminals, meal halls and their daily counts, and the
special-hardship elderly with their visits. Input serializers check shapes only (eldercare.services enforces the
rules). Money is a string with two decimals ("12.00"), never a number. Names and ID numbers are always masked:
a terminal shows who was checked in without learning who they are."""

from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from civic.api.registry_serializers import OutputSerializer
from civic.privacy import mask_name
from eldercare.models import CaredElder, ElderCategory, HallMenu, Meal, MealHall, MealType, Risk, Visit

MONEY = {"max_digits": 12, "decimal_places": 2}


# -------------------------------------------------------------------------------------------------- meals


class EldercareMealCheckInInputSerializer(serializers.Serializer):
    hall = serializers.IntegerField(help_text=gettext_lazy("The meal hall's id; a terminal sends its own hall."))
    id_number = serializers.CharField(
        max_length=32,
        required=False,
        allow_blank=True,
        help_text=gettext_lazy("The elder's 18-character resident ID number; send this or card_number."),
    )
    card_number = serializers.CharField(
        max_length=30,
        required=False,
        allow_blank=True,
        help_text=gettext_lazy("The elder's meal card number; send this or id_number."),
    )
    meal_type = serializers.ChoiceField(choices=MealType.choices)
    served_at = serializers.DateTimeField(
        required=False,
        allow_null=True,
        default=None,
        help_text=gettext_lazy(
            "When the elder checked in, ISO 8601 with the time zone; defaults to now. Its local date is the "
            "meal's day; not in the future."
        ),
    )

    def validate(self, attrs):
        id_number = (attrs.get("id_number") or "").strip()
        card_number = (attrs.get("card_number") or "").strip()
        if bool(id_number) == bool(card_number):
            message = _("Send either the ID number or the meal card number.")
            raise serializers.ValidationError({"id_number": [message], "card_number": [message]})
        return {**attrs, "id_number": id_number or None, "card_number": card_number or None}


class EldercareMealOutputSerializer(OutputSerializer):
    """One subsidised meal, with what it cost and who paid what, as recorded on the day."""

    resident_name = serializers.SerializerMethodField(help_text=gettext_lazy("The elder's name, masked (张*明)."))
    resident_id_number = serializers.CharField(
        source="resident.id_number_masked", help_text=gettext_lazy("The elder's ID number, masked.")
    )
    hall_name = serializers.CharField(source="hall.name")
    day = serializers.DateField(source="served_on", help_text=gettext_lazy("The local date of the meal."))
    price = serializers.DecimalField(help_text=gettext_lazy("The hall's full price of the meal."), **MONEY)
    elder_paid = serializers.DecimalField(help_text=gettext_lazy("What the elder pays at the counter."), **MONEY)
    city_share = serializers.DecimalField(help_text=gettext_lazy("The city's subsidy."), **MONEY)
    district_share = serializers.DecimalField(help_text=gettext_lazy("The district's subsidy."), **MONEY)
    street_share = serializers.DecimalField(help_text=gettext_lazy("The street's subsidy."), **MONEY)

    class Meta:
        model = Meal
        fields = [
            "id",
            "resident_name",
            "resident_id_number",
            "hall",
            "hall_name",
            "day",
            "meal_type",
            "served_at",
            "tier",
            "price",
            "elder_paid",
            "city_share",
            "district_share",
            "street_share",
            "source",
        ]
        extra_kwargs = {
            "tier": {
                "help_text": gettext_lazy(
                    "What the elder pays follows from the tier: low_income (dibao, 特困 or edge, 60 or over), "
                    "age_80 (80 or over) or age_60 (60 to 79)."
                )
            }
        }

    def get_resident_name(self, meal) -> str:
        return mask_name(meal.resident.name)


# -------------------------------------------------------------------------------------------------- halls


class EldercareMealCountsSerializer(serializers.Serializer):
    breakfast = serializers.IntegerField()
    lunch = serializers.IntegerField()
    dinner = serializers.IntegerField()


def counts_by_meal(counts):
    return {meal_type: counts.get(meal_type, 0) for meal_type in MealType.values}


class EldercareHallMenuOutputSerializer(OutputSerializer):
    price = serializers.DecimalField(help_text=gettext_lazy("The full price, before subsidies."), **MONEY)

    class Meta:
        model = HallMenu
        fields = ["meal_type", "price"]


class EldercareMealHallOutputSerializer(OutputSerializer):
    """A meal hall: where it is, who runs it, what it serves at what price, and today's meals so far."""

    region = serializers.CharField(source="region_id", help_text=gettext_lazy("12-digit code of the community."))
    region_name = serializers.CharField(source="region.name")
    menu = serializers.SerializerMethodField(help_text=gettext_lazy("The meals served, breakfast to dinner."))
    today = serializers.SerializerMethodField(help_text=gettext_lazy("Today's subsidised meals by meal."))

    class Meta:
        model = MealHall
        fields = [
            "id",
            "name",
            "operator",
            "address",
            "region",
            "region_name",
            "capacity",
            "service_hours",
            "is_open",
            "menu",
            "today",
        ]

    @extend_schema_field(EldercareHallMenuOutputSerializer(many=True))
    def get_menu(self, hall):
        order = {meal_type: i for i, meal_type in enumerate(MealType.values)}
        items = sorted(hall.menu.all(), key=lambda item: order[item.meal_type])
        return EldercareHallMenuOutputSerializer(items, many=True).data

    @extend_schema_field(EldercareMealCountsSerializer)
    def get_today(self, hall):
        return counts_by_meal(self.context.get("counts", {}).get(hall.pk, {}))


class EldercareHallCountsOutputSerializer(serializers.Serializer):
    hall = serializers.IntegerField()
    day = serializers.DateField()
    counts = EldercareMealCountsSerializer(help_text=gettext_lazy("Subsidised meals recorded, by meal."))
    total = serializers.IntegerField()


class EldercareHallCountsInputSerializer(serializers.Serializer):
    day = serializers.DateField(
        required=False,
        input_formats=["%Y-%m-%d"],
        help_text=gettext_lazy("The day, as YYYY-MM-DD; defaults to today."),
    )


# ------------------------------------------------------------------------------------------------ elderly


class EldercareElderOutputSerializer(OutputSerializer):
    """A special-hardship elder on the visiting list, with when the next visit is due."""

    name = serializers.SerializerMethodField(help_text=gettext_lazy("The elder's name, masked (张*明)."))
    region = serializers.CharField(source="region_id", help_text=gettext_lazy("12-digit code of the community."))
    region_name = serializers.CharField(source="region.name")
    categories = serializers.ListField(child=serializers.ChoiceField(choices=ElderCategory.choices))
    risk = serializers.ChoiceField(
        choices=Risk.choices,
        help_text=gettext_lazy("Sets how often the elder is visited: high weekly, key monthly, general quarterly."),
    )
    overdue = serializers.SerializerMethodField(help_text=gettext_lazy("The next visit's due date has passed."))
    last_visited_on = serializers.DateField(allow_null=True, help_text=gettext_lazy("The latest visit; null if none."))

    class Meta:
        model = CaredElder
        fields = [
            "id",
            "name",
            "region",
            "region_name",
            "categories",
            "risk",
            "next_visit_due",
            "overdue",
            "overdue_since",
            "last_visited_on",
        ]

    def get_name(self, elder) -> str:
        return mask_name(elder.resident.name)

    def get_overdue(self, elder) -> bool:
        return elder.next_visit_due < self.context.get("today", timezone.localdate())


class EldercareVisitInputSerializer(serializers.Serializer):
    visited_on = serializers.DateField(help_text=gettext_lazy("The day of the visit; not in the future."))
    findings = serializers.CharField(max_length=4000, help_text=gettext_lazy("What the visit found."))
    risks = serializers.CharField(
        max_length=4000, required=False, allow_blank=True, default="", help_text=gettext_lazy("Risks found.")
    )
    follow_up = serializers.CharField(
        max_length=4000, required=False, allow_blank=True, default="", help_text=gettext_lazy("What happens next.")
    )
    risk = serializers.ChoiceField(
        choices=Risk.choices,
        required=False,
        allow_null=True,
        default=None,
        help_text=gettext_lazy("The risk level as re-assessed on the visit; leave out to keep it."),
    )


class EldercareVisitOutputSerializer(OutputSerializer):
    visitor = serializers.SerializerMethodField(help_text=gettext_lazy("The member of staff who visited."))

    class Meta:
        model = Visit
        fields = ["id", "elder", "visited_on", "visitor", "findings", "risks", "follow_up", "recorded_at"]

    def get_visitor(self, visit) -> str:
        return str(visit.visitor)


class EldercareVisitRecordOutputSerializer(serializers.Serializer):
    visit = EldercareVisitOutputSerializer()
    elder = EldercareElderOutputSerializer(
        help_text=gettext_lazy("The elder afterwards, with the next visit's due date.")
    )
