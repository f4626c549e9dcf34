"""Relief applications API: filing, documents, the workflow's transitions, and entitlements.

Reads come scoped from relief.selectors.applications_for (an application outside the caller's region
subtree is 404); every write goes through relief.services.applications, which applies the guards (role,
region, separation of duties, the status a step starts from) and raises ApplicationError with its status."""

import django_filters
from django.db.models import Prefetch
from django.utils.translation import gettext_lazy
from drf_spectacular.utils import OpenApiResponse, PolymorphicProxySerializer, extend_schema
from rest_framework import generics, status
from rest_framework.exceptions import NotFound
from rest_framework.parsers import FormParser, MultiPartParser
from rest_framework.response import Response
from rest_framework.views import APIView

from civic import access
from civic.api.permissions import ScopePermission
from civic.api.serializers import ApiErrorSerializer
from civic.errors import ApplicationError
from civic.models import User
from relief import selectors
from relief.models import (
    Application,
    ApplicationEvent,
    CrossCheck,
    Document,
    Entitlement,
    EntitlementStatus,
    HomeVisit,
    Objection,
    Status,
)
from relief.models.applications import IncomeItem
from relief.programmes import Programme
from relief.services import applications as flow

from .application_serializers import (
    ReliefApplicationCreateInputSerializer,
    ReliefApplicationDetailOutputSerializer,
    ReliefApplicationListOutputSerializer,
    ReliefCrossCheckInputSerializer,
    ReliefDecisionInputSerializer,
    ReliefDemocraticReviewInputSerializer,
    ReliefDocumentInputSerializer,
    ReliefEntitlementOutputSerializer,
    ReliefHomeVisitInputSerializer,
    ReliefObjectionInputSerializer,
    ReliefOpinionInputSerializer,
)

ERROR = ApiErrorSerializer
LIST_ERRORS = {400: ERROR, 401: ERROR, 403: ERROR}
DETAIL_ERRORS = {401: ERROR, 403: ERROR, 404: ERROR}
# POSTs: 400 bad input, 403 the role or a guard refuses, 404 outside the caller's area, 409 the application is
# not at that step or someone else moved it on (or an Idempotency-Key is still running), 422 a reused key.
WRITE_ERRORS = {400: ERROR, 401: ERROR, 403: ERROR, 404: ERROR, 409: ERROR, 422: ERROR}


def _validated(serializer_class, request):
    serializer = serializer_class(data=request.data, context={"request": request})
    serializer.is_valid(raise_exception=True)
    return dict(serializer.validated_data)


def _with_everything(queryset):
    """One application with what its detail shows, in a fixed number of queries."""
    return queryset.select_related(
        "household", "region", "accepted_by", "opinion_by", "decided_by", "entitlement"
    ).prefetch_related(
        Prefetch("events", queryset=ApplicationEvent.objects.order_by("at", "pk")),
        Prefetch(
            "home_visits",
            queryset=HomeVisit.objects.select_related("first_investigator", "second_investigator").order_by("pk"),
        ),
        Prefetch("cross_checks", queryset=CrossCheck.objects.order_by("pk")),
        Prefetch("objections", queryset=Objection.objects.select_related("recorded_by").order_by("pk")),
        Prefetch("documents", queryset=Document.objects.select_related("uploaded_by").order_by("pk")),
        Prefetch("incomes", queryset=IncomeItem.objects.select_related("resident").order_by("pk")),
        "assets",
        "expenses",
    )


def _application(principal, pk):
    """The application, or 404 when it does not exist or lies outside the principal's area."""
    application = selectors.applications_for(principal).filter(pk=pk).first()
    if application is None:
        raise NotFound()
    return application


def _detail(principal, pk, queryset=None):
    queryset = selectors.applications_for(principal) if queryset is None else queryset
    application = _with_everything(queryset).filter(pk=pk).first()
    if application is None:
        raise NotFound()
    return ReliefApplicationDetailOutputSerializer(application).data


# --------------------------------------------------------------------------------------------- filters


class ApplicationFilter(django_filters.FilterSet):
    status = django_filters.ChoiceFilter(choices=Status.choices)
    programme = django_filters.ChoiceFilter(choices=Programme.choices)
    household = django_filters.NumberFilter(field_name="household_id")
    overdue = django_filters.BooleanFilter(
        method="filter_overdue",
        help_text=gettext_lazy("true: open applications whose current step is past its due date."),
    )

    class Meta:
        model = Application
        fields = ["status", "programme", "household", "overdue"]

    def filter_overdue(self, queryset, name, value):
        overdue = selectors.overdue_applications(self.request.user).values("pk")
        return queryset.filter(pk__in=overdue) if value else queryset.exclude(pk__in=overdue)


class EntitlementFilter(django_filters.FilterSet):
    status = django_filters.ChoiceFilter(choices=EntitlementStatus.choices)
    programme = django_filters.ChoiceFilter(choices=Programme.choices)
    household = django_filters.NumberFilter(field_name="household_id")

    class Meta:
        model = Entitlement
        fields = ["status", "programme", "household"]


# ------------------------------------------------------------------------------------------ applications


class ApplicationListCreateView(generics.ListAPIView):
    """Relief applications in the caller's area, oldest first. No names or ID numbers in the list."""

    permission_classes = [ScopePermission]
    required_scopes = {"GET": "relief:read"}
    required_capabilities = {"GET": "relief.view", "POST": "relief.apply"}
    serializer_class = ReliefApplicationListOutputSerializer
    filterset_class = ApplicationFilter

    def get_queryset(self):
        return selectors.applications_for(self.request.user)

    @extend_schema(
        operation_id="relief_applications_list",
        responses={200: ReliefApplicationListOutputSerializer(many=True), **LIST_ERRORS},
    )
    def get(self, request, *args, **kwargs):
        return super().get(request, *args, **kwargs)

    @extend_schema(
        operation_id="relief_applications_create",
        request=ReliefApplicationCreateInputSerializer,
        responses={201: ReliefApplicationDetailOutputSerializer, **WRITE_ERRORS},
        description=gettext_lazy(
            "Accept an application (全城通办): the household may live anywhere in your city; the application "
            "goes to the household's street. Documents are added afterwards, one request each."
        ),
    )
    def post(self, request):
        data = _validated(ReliefApplicationCreateInputSerializer, request)
        application = flow.application_file(
            actor=request.user,
            household=data["household"],
            programme=data["programme"],
            incomes=[(i["resident"], i["kind"], i["monthly_amount"]) for i in data["incomes"]],
            assets=[(a["kind"], a["description"], a["value"]) for a in data["assets"]],
            expenses=[(e["kind"], e["monthly_amount"]) for e in data["expenses"]],
            public_notice=data["public_notice"],
        )
        # Who filed for a family in another part of the city sees what they filed, though not afterwards.
        body = _detail(request.user, application.pk, queryset=Application.objects.all())
        return Response(body, status=status.HTTP_201_CREATED)


class ApplicationDetailView(APIView):
    permission_classes = [ScopePermission]
    required_scopes = {"GET": "relief:read"}
    required_capabilities = {"GET": "relief.view"}

    @extend_schema(
        operation_id="relief_applications_retrieve",
        responses={200: ReliefApplicationDetailOutputSerializer, **DETAIL_ERRORS},
    )
    def get(self, request, id):
        return Response(_detail(request.user, id))


# ------------------------------------------------------------------------------------------- transitions


class TransitionView(APIView):
    """A POST that moves an application on (or records a step of it) and answers with the application.

    Staff need at least relief.view here; the service checks the capability the step needs."""

    permission_classes = [ScopePermission]
    required_scopes = {}
    required_capabilities = {"POST": "relief.view"}
    input_serializer = None
    success_status = status.HTTP_200_OK

    def perform(self, request, application, data):
        raise NotImplementedError

    def answer(self, request, pk):
        return _detail(request.user, pk)

    def handle(self, request, id):
        application = _application(request.user, id)
        data = _validated(self.input_serializer, request) if self.input_serializer else {}
        self.perform(request, application, data)
        return Response(self.answer(request, application.pk), status=self.success_status)


def _transition_schema(operation_id, request, description, created=False):
    return extend_schema(
        operation_id=operation_id,
        request=request,
        responses={(201 if created else 200): ReliefApplicationDetailOutputSerializer, **WRITE_ERRORS},
        description=description,
    )


class DocumentCreateView(TransitionView):
    parser_classes = [MultiPartParser, FormParser]
    input_serializer = ReliefDocumentInputSerializer
    success_status = status.HTTP_201_CREATED

    def perform(self, request, application, data):
        try:
            flow.document_add(actor=request.user, application=application, kind=data["kind"], upload=data["file"])
        except ApplicationError as exc:
            if "documents" in exc.fields:  # the service names its filing form's field; here it is `file`
                exc.fields = {"file": exc.fields["documents"]}
            raise

    @extend_schema(
        operation_id="relief_applications_documents_create",
        request={"multipart/form-data": ReliefDocumentInputSerializer},
        responses={201: ReliefApplicationDetailOutputSerializer, **WRITE_ERRORS},
        description=gettext_lazy("Add a document to an open application (multipart: kind and file)."),
    )
    def post(self, request, id):
        return self.handle(request, id)


class InvestigationView(TransitionView):
    def perform(self, request, application, data):
        flow.investigation_start(actor=request.user, application=application)

    @_transition_schema(
        "relief_applications_investigation_create",
        None,
        gettext_lazy("The street starts the economic investigation once the document checklist is complete."),
    )
    def post(self, request, id):
        return self.handle(request, id)


class HomeVisitCreateView(TransitionView):
    input_serializer = ReliefHomeVisitInputSerializer
    success_status = status.HTTP_201_CREATED

    def perform(self, request, application, data):
        # An unknown account is passed on as nobody: the service then names the field, after its own guards.
        second = User.objects.filter(pk=data["second_investigator"], is_active=True).select_related("region").first()
        flow.home_visit_record(
            actor=request.user,
            application=application,
            visited_on=data["visited_on"],
            second_investigator=second,
            findings=data["findings"],
        )

    @_transition_schema(
        "relief_applications_home_visits_create",
        ReliefHomeVisitInputSerializer,
        gettext_lazy("Record the home visit: you are the first investigator, name the second."),
        created=True,
    )
    def post(self, request, id):
        return self.handle(request, id)


class CrossCheckCreateView(TransitionView):
    """For the verification centre's system: a partner token with the relief:cross_check scope."""

    required_scopes = {"POST": "relief:cross_check"}
    input_serializer = ReliefCrossCheckInputSerializer
    success_status = status.HTTP_201_CREATED

    def perform(self, request, application, data):
        flow.cross_check_record(
            actor=request.user,
            application=application,
            source=data["source"],
            passed=data["passed"],
            details=data["details"],
        )

    def answer(self, request, pk):
        # A partner allowed only to post results does not read the case file back.
        if access.can(request.user, "relief.view"):
            return super().answer(request, pk)
        application = selectors.applications_for(request.user).get(pk=pk)
        return ReliefApplicationListOutputSerializer(application).data

    @extend_schema(
        operation_id="relief_applications_cross_checks_create",
        request=ReliefCrossCheckInputSerializer,
        responses={
            201: OpenApiResponse(
                PolymorphicProxySerializer(
                    component_name="ReliefCrossCheckAnswer",
                    serializers=[ReliefApplicationDetailOutputSerializer, ReliefApplicationListOutputSerializer],
                    resource_type_field_name=None,
                ),
                description=gettext_lazy(
                    "The application; only its summary for callers without relief:read (relief.view)."
                ),
            ),
            **WRITE_ERRORS,
        },
        description=gettext_lazy("Post the result of the information cross-check (家庭经济状况核对)."),
    )
    def post(self, request, id):
        return self.handle(request, id)


class OpinionView(TransitionView):
    input_serializer = ReliefOpinionInputSerializer

    def perform(self, request, application, data):
        flow.opinion_give(actor=request.user, application=application, opinion=data["opinion"], reasons=data["reasons"])

    @_transition_schema(
        "relief_applications_opinion_create",
        ReliefOpinionInputSerializer,
        gettext_lazy("The street's opinion, after the home visit and the cross-check; then the public notice."),
    )
    def post(self, request, id):
        return self.handle(request, id)


class ObjectionCreateView(TransitionView):
    input_serializer = ReliefObjectionInputSerializer
    success_status = status.HTTP_201_CREATED

    def perform(self, request, application, data):
        flow.objection_record(actor=request.user, application=application, **data)

    @_transition_schema(
        "relief_applications_objections_create",
        ReliefObjectionInputSerializer,
        gettext_lazy(
            "An objection during the public notice sends the application back to investigation or to a "
            "democratic review (民主评议)."
        ),
        created=True,
    )
    def post(self, request, id):
        return self.handle(request, id)


class DemocraticReviewCreateView(TransitionView):
    input_serializer = ReliefDemocraticReviewInputSerializer
    success_status = status.HTTP_201_CREATED

    def perform(self, request, application, data):
        flow.democratic_review_record(actor=request.user, application=application, **data)

    @_transition_schema(
        "relief_applications_democratic_reviews_create",
        ReliefDemocraticReviewInputSerializer,
        gettext_lazy("The democratic review an objection asked for; the street then gives a new opinion."),
        created=True,
    )
    def post(self, request, id):
        return self.handle(request, id)


class DecisionView(TransitionView):
    input_serializer = ReliefDecisionInputSerializer

    def perform(self, request, application, data):
        flow.decide(actor=request.user, application=application, **data)

    @_transition_schema(
        "relief_applications_decision_create",
        ReliefDecisionInputSerializer,
        gettext_lazy(
            "The district's decision after the notice. Approval fixes the amount with its explanation and "
            "creates the entitlement from next month; a refusal needs written reasons."
        ),
    )
    def post(self, request, id):
        return self.handle(request, id)


# ------------------------------------------------------------------------------------------ entitlements


class EntitlementPermissions:
    permission_classes = [ScopePermission]
    required_scopes = {"GET": "relief:read"}
    required_capabilities = {"GET": "relief.view"}

    def get_queryset(self):
        entitlements = Entitlement.objects.select_related("household", "region", "application")
        return access.scope_queryset(self.request.user, entitlements)


class EntitlementListView(EntitlementPermissions, generics.ListAPIView):
    serializer_class = ReliefEntitlementOutputSerializer
    filterset_class = EntitlementFilter

    @extend_schema(
        operation_id="relief_entitlements_list",
        responses={200: ReliefEntitlementOutputSerializer(many=True), **LIST_ERRORS},
    )
    def get(self, request, *args, **kwargs):
        return super().get(request, *args, **kwargs)


class EntitlementDetailView(EntitlementPermissions, generics.RetrieveAPIView):
    serializer_class = ReliefEntitlementOutputSerializer
    lookup_url_kwarg = "id"

    @extend_schema(
        operation_id="relief_entitlements_retrieve",
        responses={200: ReliefEntitlementOutputSerializer, **DETAIL_ERRORS},
    )
    def get(self, request, *args, **kwargs):
        return super().get(request, *args, **kwargs)
