"""Elder-care API: meal check-ins from hall terminals, meal halls with their menus and daily counts, and the
special-hardship elderly with their visits.

Check-ins: a hall's terminal token (eldercare:meals) records meals for the halls it is bound to; staff who record
elder care (eldercare.record) for the halls of their area; meal-hall operators (meals.operate) for their own halls.
Anything else is 404, as if the hall did not exist. Reads come scoped from eldercare.selectors; writes go through
eldercare.services, which apply the guards and raise ApplicationError with its status."""

import django_filters
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext_lazy
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import generics, status
from rest_framework.exceptions import NotFound
from rest_framework.response import Response
from rest_framework.views import APIView

from civic.api import lookups
from civic.api.serializers import ApiErrorSerializer
from eldercare import selectors, services
from eldercare.models import CaredElder, Meal, MealHall, Risk, Visit
from relief.api.permissions import AnyScopePermission

from .serializers import (
    EldercareElderOutputSerializer,
    EldercareHallCountsInputSerializer,
    EldercareHallCountsOutputSerializer,
    EldercareMealCheckInInputSerializer,
    EldercareMealHallOutputSerializer,
    EldercareMealOutputSerializer,
    EldercareVisitInputSerializer,
    EldercareVisitOutputSerializer,
    EldercareVisitRecordOutputSerializer,
    counts_by_meal,
)

ERROR = ApiErrorSerializer
LIST_ERRORS = {400: ERROR, 401: ERROR, 403: ERROR}
DETAIL_ERRORS = {401: ERROR, 403: ERROR, 404: ERROR}
REUSED_KEY = OpenApiResponse(ERROR, description=gettext_lazy("idempotency_key_reused: the key came with another body."))
CHECK_IN_ERRORS = {
    400: OpenApiResponse(
        ERROR,
        description=gettext_lazy(
            "invalid: the body's shape (neither or both of id_number and card_number, an unknown meal, a "
            "check-in time in the future); `fields` names each field."
        ),
    ),
    401: ERROR,
    403: OpenApiResponse(
        ERROR, description=gettext_lazy("permission_denied: the token or account may not record meals.")
    ),
    404: OpenApiResponse(
        ERROR,
        description=gettext_lazy(
            "not_found: the hall does not exist, is outside your area, or this terminal is not bound to it. "
            "unknown_resident: no resident has this ID number or meal card number."
        ),
    ),
    409: OpenApiResponse(
        ERROR,
        description=gettext_lazy(
            "Refused: nothing is recorded and no subsidy is paid. not_enrolled: the elder is not enrolled "
            "for meals. not_eligible: under 60 (or deceased). over_daily_limit: the elder has already had this "
            "subsidised meal today, at another hall. meal_not_served: the hall does not serve that meal. "
            "hall_closed: the hall is closed. no_policy: no meal policy is in force for the hall on that day, "
            "or it sets no price for the elder's group. idempotency_in_progress: a request with this "
            "Idempotency-Key is still running."
        ),
    ),
    422: REUSED_KEY,
}
VISIT_ERRORS = {
    400: OpenApiResponse(
        ERROR,
        description=gettext_lazy("invalid: the body's shape, no findings, or a visit in the future."),
    ),
    401: ERROR,
    403: OpenApiResponse(ERROR, description=gettext_lazy("permission_denied: only staff who record visits may.")),
    404: OpenApiResponse(
        ERROR, description=gettext_lazy("not_found: the elder is not on the visiting list of your area.")
    ),
    409: OpenApiResponse(
        ERROR, description=gettext_lazy("idempotency_in_progress: a request with this Idempotency-Key is running.")
    ),
    422: REUSED_KEY,
}


def _validated(serializer_class, data):
    serializer = serializer_class(data=data)
    serializer.is_valid(raise_exception=True)
    return dict(serializer.validated_data)


# -------------------------------------------------------------------------------------------------- meals


class MealCheckInView(APIView):
    permission_classes = [AnyScopePermission]
    required_scopes = {"POST": "eldercare:meals"}
    required_capabilities = {"POST": ("eldercare.record", "meals.operate")}

    @extend_schema(
        operation_id="eldercare_meals_create",
        request=EldercareMealCheckInInputSerializer,
        responses={
            201: OpenApiResponse(EldercareMealOutputSerializer, description=gettext_lazy("The meal, recorded now.")),
            200: OpenApiResponse(
                EldercareMealOutputSerializer,
                description=gettext_lazy(
                    "The same elder, hall, day and meal was recorded already: the first record, unchanged."
                ),
            ),
            **CHECK_IN_ERRORS,
        },
        description=gettext_lazy(
            "Check an elder in for a subsidised meal at a hall: by ID number or meal card number. The answer says "
            "what the elder pays at the counter (elder_paid) and what the city, the district and the street pay. "
            "Sending the same check-in again (the same elder, hall, day and meal) is harmless: it answers 200 with "
            "the first record and nothing is paid twice. A refusal (409) records nothing and pays no subsidy; "
            "its code says why."
        ),
    )
    def post(self, request):
        data = _validated(EldercareMealCheckInInputSerializer, request.data)
        hall = MealHall.objects.filter(pk=data["hall"]).first()
        if hall is None:
            raise NotFound()
        meal, created = services.meal_record(
            actor=request.user,
            hall=hall,
            meal_type=data["meal_type"],
            served_at=data["served_at"],
            id_number=data["id_number"],
            card_number=data["card_number"],
        )
        meal = Meal.objects.select_related("resident", "hall").get(pk=meal.pk)
        answer = status.HTTP_201_CREATED if created else status.HTTP_200_OK
        return Response(EldercareMealOutputSerializer(meal).data, status=answer)


# -------------------------------------------------------------------------------------------------- halls


class HallPermissions:
    permission_classes = [AnyScopePermission]
    required_scopes = {"GET": ("eldercare:meals", "eldercare:read")}
    required_capabilities = {"GET": ("eldercare.view", "meals.operate")}


def _halls(principal):
    return selectors.halls_for(principal).prefetch_related("menu")


def _hall(principal, pk):
    """The hall, or 404 when it does not exist or the principal may not see it (outside the area, another
    operator's, a terminal's other halls)."""
    hall = _halls(principal).filter(pk=pk).first()
    if hall is None:
        raise NotFound()
    return hall


def _hall_data(halls):
    counts = selectors.daily_counts([hall.pk for hall in halls], timezone.localdate())
    return EldercareMealHallOutputSerializer(halls, many=True, context={"counts": counts}).data


class HallFilter(django_filters.FilterSet):
    region = django_filters.CharFilter(
        method="filter_region", help_text=gettext_lazy("A region's 12-digit code: the halls of its communities.")
    )
    is_open = django_filters.BooleanFilter()

    class Meta:
        model = MealHall
        fields = ["region", "is_open"]

    def filter_region(self, queryset, name, value):
        return lookups.in_region(queryset, value)


class HallListView(HallPermissions, generics.ListAPIView):
    serializer_class = EldercareMealHallOutputSerializer
    filterset_class = HallFilter

    def get_queryset(self):
        return _halls(self.request.user)

    def list(self, request, *args, **kwargs):
        page = self.paginate_queryset(self.filter_queryset(self.get_queryset()))
        return self.get_paginated_response(_hall_data(page))

    @extend_schema(
        operation_id="eldercare_halls_list",
        responses={200: EldercareMealHallOutputSerializer(many=True), **LIST_ERRORS},
        description=gettext_lazy(
            "Meal halls you may see, by id: a terminal its own hall, an operator their halls, staff and partners "
            "the halls of their area. Each with its menu and prices and today's subsidised meals by meal."
        ),
    )
    def get(self, request, *args, **kwargs):
        return super().get(request, *args, **kwargs)


class HallDetailView(HallPermissions, APIView):
    @extend_schema(
        operation_id="eldercare_halls_retrieve", responses={200: EldercareMealHallOutputSerializer, **DETAIL_ERRORS}
    )
    def get(self, request, id):
        return Response(_hall_data([_hall(request.user, id)])[0])


class HallCountsView(HallPermissions, APIView):
    @extend_schema(
        operation_id="eldercare_halls_counts_retrieve",
        parameters=[EldercareHallCountsInputSerializer],
        responses={200: EldercareHallCountsOutputSerializer, 400: ERROR, **DETAIL_ERRORS},
        description=gettext_lazy("Subsidised meals a hall recorded on a day, by meal."),
    )
    def get(self, request, id):
        hall = _hall(request.user, id)
        day = _validated(EldercareHallCountsInputSerializer, request.query_params).get("day") or timezone.localdate()
        counts = counts_by_meal(selectors.daily_counts([hall.pk], day).get(hall.pk, {}))
        body = {"hall": hall.pk, "day": day, "counts": counts, "total": sum(counts.values())}
        return Response(EldercareHallCountsOutputSerializer(body).data)


# ------------------------------------------------------------------------------------------------ elderly


def _elders(principal):
    return selectors.elders_for(principal).annotate(last_visited_on=Max("visits__visited_on"))


def _elder(principal, pk):
    """The elder, or 404 when they are not on the visiting list of the principal's area."""
    elder = _elders(principal).filter(pk=pk).first()
    if elder is None:
        raise NotFound()
    return elder


class ElderFilter(django_filters.FilterSet):
    risk = django_filters.ChoiceFilter(choices=Risk.choices)
    region = django_filters.CharFilter(
        method="filter_region", help_text=gettext_lazy("A region's 12-digit code: the elderly of its communities.")
    )
    overdue = django_filters.BooleanFilter(
        method="filter_overdue", help_text=gettext_lazy("true: the elderly whose next visit is past due.")
    )

    class Meta:
        model = CaredElder
        fields = ["risk", "region", "overdue"]

    def filter_region(self, queryset, name, value):
        return lookups.in_region(queryset, value)

    def filter_overdue(self, queryset, name, value):
        today = timezone.localdate()
        return queryset.filter(next_visit_due__lt=today) if value else queryset.exclude(next_visit_due__lt=today)


class ElderListView(generics.ListAPIView):
    permission_classes = [AnyScopePermission]
    required_scopes = {"GET": "eldercare:read"}
    required_capabilities = {"GET": "eldercare.view"}
    serializer_class = EldercareElderOutputSerializer
    filterset_class = ElderFilter

    def get_queryset(self):
        return _elders(self.request.user)

    @extend_schema(
        operation_id="eldercare_elders_list",
        responses={200: EldercareElderOutputSerializer(many=True), **LIST_ERRORS},
        description=gettext_lazy(
            "Special-hardship elderly on the visiting list of your area, by id: masked name, community, "
            "categories, risk level, when the next visit is due and whether it is overdue."
        ),
    )
    def get(self, request, *args, **kwargs):
        return super().get(request, *args, **kwargs)


class VisitListCreateView(generics.ListAPIView):
    permission_classes = [AnyScopePermission]
    required_scopes = {"GET": "eldercare:read"}
    required_capabilities = {"GET": "eldercare.view", "POST": "eldercare.record"}
    serializer_class = EldercareVisitOutputSerializer

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):
            return Visit.objects.none()
        elder = _elder(self.request.user, self.kwargs["id"])
        return Visit.objects.filter(elder=elder).select_related("visitor")

    @extend_schema(
        operation_id="eldercare_elders_visits_list",
        responses={200: EldercareVisitOutputSerializer(many=True), 400: ERROR, **DETAIL_ERRORS},
        description=gettext_lazy("An elder's visits, in the order they were recorded."),
    )
    def get(self, request, *args, **kwargs):
        return super().get(request, *args, **kwargs)

    @extend_schema(
        operation_id="eldercare_elders_visits_create",
        request=EldercareVisitInputSerializer,
        responses={201: EldercareVisitRecordOutputSerializer, **VISIT_ERRORS},
        description=gettext_lazy(
            "Record a visit to an elder (staff only). The next visit falls due by the risk level, counted from "
            "the latest visit; send risk to re-assess it."
        ),
    )
    def post(self, request, id):
        elder = _elder(request.user, id)
        data = _validated(EldercareVisitInputSerializer, request.data)
        visit = services.visit_record(actor=request.user, elder=elder, **data)
        visit = Visit.objects.select_related("visitor").get(pk=visit.pk)
        body = {"visit": visit, "elder": _elder(request.user, id)}
        return Response(EldercareVisitRecordOutputSerializer(body).data, status=status.HTTP_201_CREATED)
