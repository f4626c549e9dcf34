"""Community-council API (议事协商): councils with their members and execution rate, topics, meetings, resolutions
with their history, micro-projects (民生微实事) and the figures managers follow, read by partners with the
governance:read scope and by staff who follow councils (governance.view); and topics sent in by a hotline (12345)
system with the governance:hotline scope, or recorded by staff (governance.record).

Reads come scoped from governance.selectors: the councils of the caller's area and everything of theirs. Anything
else is 404, as if it did not exist. Writes go through governance.services, which apply the guards and raise
ApplicationError with its status. A hotline's ticket number makes its request one topic however often it is sent."""

import django_filters
from django.db.models import Count, Prefetch, Q
from django.utils import timezone
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import generics, status
from rest_framework.exceptions import NotFound
from rest_framework.response import Response
from rest_framework.views import APIView

from civic import access
from civic.api import lookups
from civic.api.authentication import PartnerPrincipal
from civic.api.serializers import ApiErrorSerializer
from governance import selectors, services
from governance.models import (
    Council,
    CouncilLevel,
    Deliberation,
    Meeting,
    MicroProject,
    MicroProjectStatus,
    Progress,
    Resolution,
    ResolutionStatus,
    Topic,
    TopicCategory,
    TopicSource,
    TopicStatus,
)
from relief.api.permissions import AnyScopePermission

from .serializers import (
    GovernanceCouncilDetailOutputSerializer,
    GovernanceCouncilOutputSerializer,
    GovernanceFiguresInputSerializer,
    GovernanceFiguresOutputSerializer,
    GovernanceMeetingOutputSerializer,
    GovernanceMicroProjectOutputSerializer,
    GovernanceResolutionDetailOutputSerializer,
    GovernanceResolutionOutputSerializer,
    GovernanceTopicCreateInputSerializer,
    GovernanceTopicDetailOutputSerializer,
    GovernanceTopicOutputSerializer,
    figures_body,
)

ERROR = ApiErrorSerializer
UNAUTHENTICATED = OpenApiResponse(
    ERROR,
    description=gettext_lazy(
        "not_authenticated: no credentials were sent. authentication_failed: the token is unknown or revoked."
    ),
)
READ_FORBIDDEN = OpenApiResponse(
    ERROR,
    description=gettext_lazy(
        "permission_denied: the token lacks the governance:read scope (a hotline token may only send topics), or "
        "the account may not follow community councils."
    ),
)
LIST_ERRORS = {
    400: OpenApiResponse(
        ERROR,
        description=gettext_lazy(
            "invalid: a filter's value (an unknown choice, a malformed date or id); `fields` names each filter."
        ),
    ),
    401: UNAUTHENTICATED,
    403: READ_FORBIDDEN,
}


def detail_errors(not_found):
    return {401: UNAUTHENTICATED, 403: READ_FORBIDDEN, 404: OpenApiResponse(ERROR, description=not_found)}


TOPIC_CREATE_ERRORS = {
    400: OpenApiResponse(
        ERROR,
        description=gettext_lazy(
            "invalid: the body's shape or content; `fields` names each field: council (no longer meets), title, "
            "category, proposer, received_on (malformed or in the future), reference (missing from a hotline "
            "token, longer than 40 characters), source. invalid_idempotency_key: the Idempotency-Key header is "
            "empty or too long."
        ),
    ),
    401: UNAUTHENTICATED,
    403: OpenApiResponse(
        ERROR,
        description=gettext_lazy(
            "permission_denied: the token lacks the governance:hotline scope, or the account may not record "
            "council business."
        ),
    ),
    404: OpenApiResponse(
        ERROR, description=gettext_lazy("not_found: no council has this id, or it lies outside your area.")
    ),
    409: OpenApiResponse(
        ERROR,
        description=gettext_lazy(
            "reference_reused: this reference was sent before for another council; nothing is recorded. "
            "idempotency_in_progress: a request with this Idempotency-Key is still running."
        ),
    ),
    422: OpenApiResponse(ERROR, description=gettext_lazy("idempotency_key_reused: the key came with another body.")),
}


class ReadPermissions:
    permission_classes = [AnyScopePermission]
    required_scopes = {"GET": "governance:read"}
    required_capabilities = {"GET": "governance.view"}


# ------------------------------------------------------------------------------------------------ councils


def _councils(principal):
    return selectors.councils_for(principal).annotate(
        members_count=Count("members", filter=Q(members__left_on__isnull=True))
    )


class CouncilFilter(django_filters.FilterSet):
    level = django_filters.ChoiceFilter(choices=CouncilLevel.choices)
    region = django_filters.CharFilter(
        method="filter_region",
        help_text=gettext_lazy("A region's 12-digit code: the councils of that region and the regions below it."),
    )
    q = django_filters.CharFilter(
        method="filter_q", help_text=gettext_lazy("Part of the council's name or meeting place.")
    )

    class Meta:
        model = Council
        fields = ["level", "region", "q"]

    def filter_region(self, queryset, name, value):
        return lookups.in_region(queryset, value)

    def filter_q(self, queryset, name, value):
        value = value.strip()
        return queryset.filter(Q(name__icontains=value) | Q(place__icontains=value)) if value else queryset


class CouncilListView(ReadPermissions, generics.ListAPIView):
    serializer_class = GovernanceCouncilOutputSerializer
    filterset_class = CouncilFilter

    def get_queryset(self):
        return _councils(self.request.user)

    @extend_schema(
        operation_id="governance_councils_list",
        responses={200: GovernanceCouncilOutputSerializer(many=True), **LIST_ERRORS},
        description=gettext_lazy(
            "Consultation councils (议事会) of your area, by id: street, community, neighbourhood (小区) and "
            "building (楼栋) councils, with how many members sit on each."
        ),
    )
    def get(self, request, *args, **kwargs):
        return super().get(request, *args, **kwargs)


class CouncilDetailView(ReadPermissions, APIView):
    @extend_schema(
        operation_id="governance_councils_retrieve",
        responses={
            200: GovernanceCouncilDetailOutputSerializer,
            **detail_errors(gettext_lazy("not_found: no council of your area has this id.")),
        },
        description=gettext_lazy(
            "A council with its current members (name, role, whom they represent; phone numbers only for staff "
            "who record council business) and its execution rate as of today: implemented resolutions ÷ "
            "resolutions due."
        ),
    )
    def get(self, request, id):
        council = lookups.one_or_404(_councils(request.user).prefetch_related("members"), id)
        rate = selectors.execution_rate(selectors.resolutions_for(request.user).filter(council=council))
        context = {"phones": access.can(request.user, "governance.record"), "execution_rate": rate}
        return Response(GovernanceCouncilDetailOutputSerializer(council, context=context).data)


# -------------------------------------------------------------------------------------------------- topics


class TopicFilter(django_filters.FilterSet):
    status = django_filters.ChoiceFilter(choices=TopicStatus.choices)
    source = django_filters.ChoiceFilter(choices=TopicSource.choices)
    category = django_filters.ChoiceFilter(choices=TopicCategory.choices)
    council = django_filters.NumberFilter(field_name="council_id", help_text=gettext_lazy("The council's id."))
    received_after = django_filters.DateFilter(
        field_name="received_on", lookup_expr="gte", help_text=gettext_lazy("Received on or after this day.")
    )
    received_before = django_filters.DateFilter(
        field_name="received_on", lookup_expr="lte", help_text=gettext_lazy("Received on or before this day.")
    )

    class Meta:
        model = Topic
        fields = ["status", "source", "category", "council", "received_after", "received_before"]


def _topic_detail(principal, pk):
    deliberations = Deliberation.objects.select_related("meeting").order_by("meeting__held_on", "pk")
    queryset = (
        selectors.topics_for(principal)
        .select_related("resolution")
        .prefetch_related(Prefetch("deliberations", queryset=deliberations))
    )
    return lookups.one_or_404(queryset, pk)


class TopicListCreateView(generics.ListAPIView):
    permission_classes = [AnyScopePermission]
    required_scopes = {"GET": "governance:read", "POST": "governance:hotline"}
    required_capabilities = {"GET": "governance.view", "POST": ("governance.record", "governance.intake")}
    serializer_class = GovernanceTopicOutputSerializer
    filterset_class = TopicFilter

    def get_queryset(self):
        return selectors.topics_for(self.request.user)

    @extend_schema(
        operation_id="governance_topics_list",
        responses={200: GovernanceTopicOutputSerializer(many=True), **LIST_ERRORS},
        description=gettext_lazy(
            "Topics (议题) before the councils of your area, by id: from residents, the residents' committee, a "
            "hotline or a member, with where each stands."
        ),
    )
    def get(self, request, *args, **kwargs):
        return super().get(request, *args, **kwargs)

    @extend_schema(
        operation_id="governance_topics_create",
        request=GovernanceTopicCreateInputSerializer,
        responses={
            201: OpenApiResponse(GovernanceTopicOutputSerializer, description=gettext_lazy("The topic, filed now.")),
            200: OpenApiResponse(
                GovernanceTopicOutputSerializer,
                description=gettext_lazy(
                    "This reference was sent before for the same council: that topic, unchanged (the body sent "
                    "now is not applied)."
                ),
            ),
            **TOPIC_CREATE_ERRORS,
        },
        description=format_lazy(
            "{} {}",
            gettext_lazy(
                "File a resident's request as a topic for a council of your area: a hotline (12345) system with "
                "the governance:hotline scope, whose topics are always hotline topics and must carry the "
                "hotline's ticket number as reference; or staff who record council business. The topic starts "
                "as proposed; the council accepts or declines it."
            ),
            gettext_lazy(
                "Sending the same reference again is harmless: it answers 200 with the topic filed the first "
                "time. The same reference for another council is refused (409 reference_reused). An "
                "Idempotency-Key header replays the stored answer as well."
            ),
        ),
    )
    def post(self, request):
        partner = isinstance(request.user, PartnerPrincipal)
        data = lookups.validated(GovernanceTopicCreateInputSerializer, request.data, partner=partner)
        council = Council.objects.filter(pk=data["council"]).first()
        if council is None:
            raise NotFound()
        topic, created = services.topic_create(
            actor=request.user,
            council=council,
            title=data["title"],
            description=data["description"],
            source=TopicSource.HOTLINE if partner else data["source"],
            category=data["category"],
            proposer=data["proposer"],
            received_on=data["received_on"],
            external_ref=data["reference"],
        )
        topic = Topic.objects.select_related("council").get(pk=topic.pk)
        answer = status.HTTP_201_CREATED if created else status.HTTP_200_OK
        return Response(GovernanceTopicOutputSerializer(topic).data, status=answer)


class TopicDetailView(ReadPermissions, APIView):
    @extend_schema(
        operation_id="governance_topics_retrieve",
        responses={
            200: GovernanceTopicDetailOutputSerializer,
            **detail_errors(gettext_lazy("not_found: no topic of your area's councils has this id.")),
        },
        description=gettext_lazy(
            "A topic with the meetings that deliberated it (votes and outcome) and the resolution it became, "
            "with where its implementation stands."
        ),
    )
    def get(self, request, id):
        return Response(GovernanceTopicDetailOutputSerializer(_topic_detail(request.user, id)).data)


# ------------------------------------------------------------------------------------------------ meetings


class MeetingFilter(django_filters.FilterSet):
    council = django_filters.NumberFilter(field_name="council_id", help_text=gettext_lazy("The council's id."))
    held_after = django_filters.DateFilter(
        field_name="held_on", lookup_expr="gte", help_text=gettext_lazy("Held on or after this day.")
    )
    held_before = django_filters.DateFilter(
        field_name="held_on", lookup_expr="lte", help_text=gettext_lazy("Held on or before this day.")
    )

    class Meta:
        model = Meeting
        fields = ["council", "held_after", "held_before"]


class MeetingListView(ReadPermissions, generics.ListAPIView):
    serializer_class = GovernanceMeetingOutputSerializer
    filterset_class = MeetingFilter

    def get_queryset(self):
        deliberations = Deliberation.objects.select_related("topic").order_by("pk")
        return (
            selectors.meetings_for(self.request.user)
            .annotate(members_present=Count("attendees", distinct=True))
            .prefetch_related(Prefetch("deliberations", queryset=deliberations))
        )

    @extend_schema(
        operation_id="governance_meetings_list",
        responses={200: GovernanceMeetingOutputSerializer(many=True), **LIST_ERRORS},
        description=gettext_lazy(
            "Meetings of your area's councils, by id: when and where, who took part, the minutes, and each topic "
            "deliberated with its vote and outcome."
        ),
    )
    def get(self, request, *args, **kwargs):
        return super().get(request, *args, **kwargs)


# --------------------------------------------------------------------------------------------- resolutions


class ResolutionFilter(django_filters.FilterSet):
    status = django_filters.ChoiceFilter(choices=ResolutionStatus.choices)
    overdue = django_filters.BooleanFilter(
        method="filter_overdue",
        help_text=gettext_lazy("true: still being implemented and past the due date; false: all the others."),
    )
    council = django_filters.NumberFilter(field_name="council_id", help_text=gettext_lazy("The council's id."))

    class Meta:
        model = Resolution
        fields = ["status", "overdue", "council"]

    def filter_overdue(self, queryset, name, value):
        overdue = Q(status=ResolutionStatus.IN_PROGRESS, due_on__lt=timezone.localdate())
        return queryset.filter(overdue) if value else queryset.exclude(overdue)


class ResolutionListView(ReadPermissions, generics.ListAPIView):
    serializer_class = GovernanceResolutionOutputSerializer
    filterset_class = ResolutionFilter

    def get_queryset(self):
        return selectors.resolutions_for(self.request.user)

    @extend_schema(
        operation_id="governance_resolutions_list",
        responses={200: GovernanceResolutionOutputSerializer(many=True), **LIST_ERRORS},
        description=gettext_lazy(
            "Resolutions of your area's councils, by id: what was resolved, who carries it out by when, whether "
            "it is overdue, and the outcome (implemented, or not with the reason; published)."
        ),
    )
    def get(self, request, *args, **kwargs):
        return super().get(request, *args, **kwargs)


class ResolutionDetailView(ReadPermissions, APIView):
    @extend_schema(
        operation_id="governance_resolutions_retrieve",
        responses={
            200: GovernanceResolutionDetailOutputSerializer,
            **detail_errors(gettext_lazy("not_found: no resolution of your area's councils has this id.")),
        },
        description=gettext_lazy(
            "A resolution with its history: progress updates, reminders while overdue, the closing and the "
            "publication of the outcome."
        ),
    )
    def get(self, request, id):
        progress = Progress.objects.select_related("by").order_by("at", "pk")
        queryset = selectors.resolutions_for(request.user).prefetch_related(Prefetch("progress", queryset=progress))
        return Response(GovernanceResolutionDetailOutputSerializer(lookups.one_or_404(queryset, id)).data)


# ------------------------------------------------------------------------------------------ micro-projects


class MicroProjectFilter(django_filters.FilterSet):
    status = django_filters.ChoiceFilter(choices=MicroProjectStatus.choices)
    council = django_filters.NumberFilter(
        field_name="topic__council_id", help_text=gettext_lazy("The id of the council whose topic it funds.")
    )

    class Meta:
        model = MicroProject
        fields = ["status", "council"]


class MicroProjectListView(ReadPermissions, generics.ListAPIView):
    serializer_class = GovernanceMicroProjectOutputSerializer
    filterset_class = MicroProjectFilter

    def get_queryset(self):
        return selectors.micro_projects_for(self.request.user)

    @extend_schema(
        operation_id="governance_micro_projects_list",
        responses={200: GovernanceMicroProjectOutputSerializer(many=True), **LIST_ERRORS},
        description=gettext_lazy(
            "Micro-projects (民生微实事) of your area, by id: the topic each funds, budget and spending, status "
            "and how far along it is."
        ),
    )
    def get(self, request, *args, **kwargs):
        return super().get(request, *args, **kwargs)


# ------------------------------------------------------------------------------------------------- figures


class FiguresView(ReadPermissions, APIView):
    @extend_schema(
        operation_id="governance_figures_retrieve",
        parameters=[GovernanceFiguresInputSerializer],
        responses={
            200: GovernanceFiguresOutputSerializer,
            400: OpenApiResponse(
                ERROR,
                description=gettext_lazy(
                    "invalid: by is not council, community or street, a date is malformed, or the period starts "
                    "after it ends; `fields` names each parameter."
                ),
            ),
            401: UNAUTHENTICATED,
            403: READ_FORBIDDEN,
        },
        description=gettext_lazy(
            "The figures managers follow, one row per council, community or street of your area: resolutions "
            "due and implemented as of a day with the execution rate (DOMAIN.md: implemented ÷ due), and the "
            "meetings, participants and topics of a period."
        ),
    )
    def get(self, request):
        data = lookups.validated(GovernanceFiguresInputSerializer, request.query_params)
        figures = selectors.figures(
            request.user, data["by"], as_of=data.get("as_of"), start=data.get("start"), end=data.get("end")
        )
        return Response(GovernanceFiguresOutputSerializer(figures_body(figures)).data)
