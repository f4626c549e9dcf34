"""Low-income monitoring API (低收入人口动态监测): partner systems send records through their feed, each with its own
scope monitoring:<feed>, and read back the records they sent; staff who follow monitoring (monitoring.view) and
partners with the monitoring:read scope read the early warnings raised and the people watched in their area.

Records go through monitoring.services.ingest, which checks the whole batch against its feed (monitoring.feeds)
before storing anything and raises ApplicationError with its status. A reference is stored once per feed, so a
batch may be sent again safely. Reads come scoped from monitoring.selectors: anything outside the caller's area
is 404, as if it did not exist."""

import django_filters
from django import forms
from django.db.models import Prefetch
from django.utils.functional import lazy
from django.utils.text import format_lazy
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework import generics, serializers
from rest_framework.exceptions import NotFound
from rest_framework.permissions import BasePermission
from rest_framework.response import Response
from rest_framework.views import APIView

from civic.api import lookups
from civic.api.authentication import PartnerPrincipal
from civic.api.serializers import ApiErrorSerializer
from monitoring import selectors
from monitoring.feeds import FEEDS
from monitoring.models import (
    Alert,
    AlertEvent,
    AlertStatus,
    Category,
    FeedRecord,
    MatchStatus,
    MonitoredPerson,
    RuleCode,
    WatchStatus,
)
from monitoring.services import ingest
from relief.api.permissions import AnyScopePermission

from .serializers import (
    MonitoringAlertDetailOutputSerializer,
    MonitoringAlertOutputSerializer,
    MonitoringFeedReceiptSerializer,
    MonitoringFeedRecordOutputSerializer,
    MonitoringFeedRecordsInputSerializer,
    MonitoringPersonOutputSerializer,
)

ERROR = ApiErrorSerializer
UNAUTHENTICATED = OpenApiResponse(
    ERROR,
    description=gettext_lazy(
        "not_authenticated: no credentials were sent. authentication_failed: the token is unknown or revoked."
    ),
)
FEED_FORBIDDEN = OpenApiResponse(
    ERROR,
    description=gettext_lazy(
        "permission_denied: the token lacks this feed's scope (monitoring:population for the population feed, and "
        "so on), or the caller is not a partner system: staff neither send nor read a partner's records."
    ),
)
FEED_NOT_FOUND = OpenApiResponse(
    ERROR, description=gettext_lazy("not_found: there is no feed of this name (see the feed parameter).")
)
READ_FORBIDDEN = OpenApiResponse(
    ERROR,
    description=gettext_lazy(
        "permission_denied: the token lacks the monitoring:read scope (a feed's token only sends its records), or "
        "the account may not follow low-income monitoring."
    ),
)
LIST_ERRORS = {
    400: OpenApiResponse(
        ERROR,
        description=gettext_lazy(
            "invalid: a filter's value (an unknown choice, a malformed date or boolean); `fields` names each filter."
        ),
    ),
    401: UNAUTHENTICATED,
    403: READ_FORBIDDEN,
}
RECEIVE_ERRORS = {
    400: OpenApiResponse(
        ERROR,
        description=gettext_lazy(
            "invalid: nothing of the batch is stored; `fields` names each wrong field by the record's position, "
            "records[3].id_number: reference (missing, longer than 64 characters, or twice in the batch), "
            "id_number (not a valid ID number), date (not YYYY-MM-DD, or in the future), event (not one of the "
            "feed's), amount or count (missing where the feed needs it, sent where it carries none, or out of "
            "range); records itself when there are none or more than 1000. invalid_idempotency_key: the "
            "Idempotency-Key header is empty or too long."
        ),
    ),
    401: UNAUTHENTICATED,
    403: FEED_FORBIDDEN,
    404: FEED_NOT_FOUND,
    409: OpenApiResponse(
        ERROR,
        description=gettext_lazy("idempotency_in_progress: a request with this Idempotency-Key is still running."),
    ),
    422: OpenApiResponse(ERROR, description=gettext_lazy("idempotency_key_reused: the key came with another body.")),
}


def _feeds_text():
    """What each feed carries, from monitoring.feeds, in the reader's language (a Markdown list)."""
    rules = {
        "required": _("%(field)s required: %(label)s"),
        "optional": _("%(field)s optional: %(label)s"),
        "": _("no %(field)s"),
    }
    lines = []
    for name, feed in FEEDS.items():
        events = ", ".join(f"`{key}` ({label})" for key, label in feed.events.items())
        fields = (("amount", feed.amount, feed.amount_label), ("count", feed.count, feed.count_label))
        carried = "; ".join(rules[rule] % {"field": f"`{field}`", "label": label} for field, rule, label in fields)
        lines.append(
            _("- **%(feed)s** (%(label)s, scope `%(scope)s`): events %(events)s; %(carried)s.")
            % {"feed": name, "label": feed.label, "scope": feed.scope, "events": events, "carried": carried}
        )
    return "\n".join(lines)


feeds_text = lazy(_feeds_text, str)

FEED_PARAMETER = OpenApiParameter(
    "feed",
    OpenApiTypes.STR,
    OpenApiParameter.PATH,
    enum=list(FEEDS),
    description=gettext_lazy("The feed: each has its own scope, monitoring:<feed>, and its own events."),
)


def _feed(name):
    if name not in FEEDS:
        raise NotFound()
    return name


class FeedScopePermission(BasePermission):
    """A feed's own scope, monitoring:<feed>, for partner systems only: staff neither send nor read a partner's
    records. An unknown feed passes, for the view to answer 404."""

    def has_permission(self, request, view):
        user = request.user
        if not getattr(user, "is_authenticated", False):
            return False
        feed = FEEDS.get(view.kwargs.get("feed"))
        if feed is None:
            return True
        return isinstance(user, PartnerPrincipal) and feed.scope in user.scopes


class ReadPermissions:
    permission_classes = [AnyScopePermission]
    required_scopes = {"GET": "monitoring:read"}
    required_capabilities = {"GET": "monitoring.view"}


class StrictBooleanField(forms.NullBooleanField):
    """true or false (1 or 0); anything else is refused rather than ignored."""

    def to_python(self, value):
        if value in (None, ""):
            return None
        if value in (True, "true", "True", "1"):
            return True
        if value in (False, "false", "False", "0"):
            return False
        raise forms.ValidationError(serializers.BooleanField.default_error_messages["invalid"], code="invalid")

    def validate(self, value):
        pass


class BooleanFilter(django_filters.BooleanFilter):
    field_class = StrictBooleanField

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("widget", forms.TextInput)  # the value as sent, for the field to judge
        super().__init__(*args, **kwargs)


# ------------------------------------------------------------------------------------------------- feeds


class FeedRecordFilter(django_filters.FilterSet):
    reference = django_filters.CharFilter(help_text=gettext_lazy("Your reference of one record."))
    match = django_filters.ChoiceFilter(choices=MatchStatus.choices)

    class Meta:
        model = FeedRecord
        fields = ["reference", "match"]


class FeedRecordsView(generics.ListAPIView):
    permission_classes = [FeedScopePermission]
    serializer_class = MonitoringFeedRecordOutputSerializer
    filterset_class = FeedRecordFilter

    def get_queryset(self):
        token = getattr(self.request.user, "token", None)
        if token is None:  # the schema generator
            return FeedRecord.objects.none()
        return FeedRecord.objects.filter(feed=self.kwargs["feed"], sender=token)

    @extend_schema(
        operation_id="monitoring_feed_records_list",
        parameters=[FEED_PARAMETER],
        responses={
            200: MonitoringFeedRecordOutputSerializer(many=True),
            **LIST_ERRORS,
            403: FEED_FORBIDDEN,
            404: FEED_NOT_FOUND,
        },
        description=gettext_lazy(
            "The records of this feed your token sent, in the order received: whether each was matched to a "
            "resident (never who that is). Filter by reference to check one record."
        ),
    )
    def get(self, request, *args, **kwargs):
        _feed(kwargs["feed"])
        return super().get(request, *args, **kwargs)

    @extend_schema(
        operation_id="monitoring_feed_records_create",
        parameters=[FEED_PARAMETER],
        request=MonitoringFeedRecordsInputSerializer,
        responses={
            200: OpenApiResponse(
                MonitoringFeedReceiptSerializer,
                description=gettext_lazy(
                    "The batch is received: how many records were new, how many had been received before (sent "
                    "again, they change nothing), and which new ones no resident's ID number matched."
                ),
            ),
            404: FEED_NOT_FOUND,
            **RECEIVE_ERRORS,
        },
        description=format_lazy(
            "{}\n\n{}\n\n{}",
            gettext_lazy(
                "Send a batch of records of this feed, with the feed's scope monitoring:<feed>. Every record names a "
                "person by ID number, a date and your own reference; per feed it also carries an event, and an "
                "amount or a count where the feed has one. The batch is checked whole: if one record is wrong, "
                "none is stored. Records are matched to residents by ID number; the nightly run raises the "
                "early warnings."
            ),
            feeds_text(),
            gettext_lazy(
                "A reference already received for the feed is not stored again (counted as repeated), so a batch "
                "may be resent after a failure. An Idempotency-Key header replays the stored answer as well."
            ),
        ),
    )
    def post(self, request, feed):
        feed = _feed(feed)
        data = lookups.validated(MonitoringFeedRecordsInputSerializer, request.data)
        receipt = ingest.records_receive(sender=request.user, feed_kind=feed, records=data["records"])
        return Response(MonitoringFeedReceiptSerializer(receipt).data)


# ------------------------------------------------------------------------------------------------ alerts


class AlertFilter(django_filters.FilterSet):
    status = django_filters.ChoiceFilter(choices=AlertStatus.choices)
    rule = django_filters.ChoiceFilter(choices=RuleCode.choices)
    region = django_filters.CharFilter(
        method="filter_region",
        help_text=gettext_lazy("A region's 12-digit code: the warnings of that region and the regions below it."),
    )
    urgent = BooleanFilter(help_text=gettext_lazy("true: urgent warnings only; false: the others."))
    due_before = django_filters.DateFilter(
        field_name="due_on", lookup_expr="lte", help_text=gettext_lazy("Due on or before this day.")
    )

    class Meta:
        model = Alert
        fields = ["status", "rule", "region", "urgent", "due_before"]

    def filter_region(self, queryset, name, value):
        return lookups.in_region(queryset, value)


class AlertListView(ReadPermissions, generics.ListAPIView):
    serializer_class = MonitoringAlertOutputSerializer
    filterset_class = AlertFilter

    def get_queryset(self):
        return selectors.alerts_for(self.request.user)

    @extend_schema(
        operation_id="monitoring_alerts_list",
        responses={200: MonitoringAlertOutputSerializer(many=True), **LIST_ERRORS},
        description=gettext_lazy(
            "Early warnings (预警) raised in your area, by id: the rule, the person or household, what the "
            "caseworker is to do by when, and how it ended (handled, or dismissed with the reason)."
        ),
    )
    def get(self, request, *args, **kwargs):
        return super().get(request, *args, **kwargs)


class AlertDetailView(ReadPermissions, APIView):
    @extend_schema(
        operation_id="monitoring_alerts_retrieve",
        responses={
            200: MonitoringAlertDetailOutputSerializer,
            401: UNAUTHENTICATED,
            403: READ_FORBIDDEN,
            404: OpenApiResponse(ERROR, description=gettext_lazy("not_found: no warning of your area has this id.")),
        },
        description=gettext_lazy(
            "A warning with the partner record that raised it, the benefits it concerns, what handled it and its "
            "history: found, assigned, handled or dismissed."
        ),
    )
    def get(self, request, id):
        events = AlertEvent.objects.order_by("at", "pk")
        queryset = selectors.alerts_for(request.user).prefetch_related(Prefetch("events", queryset=events))
        return Response(MonitoringAlertDetailOutputSerializer(lookups.one_or_404(queryset, id)).data)


# ------------------------------------------------------------------------------------------------ people


class PersonFilter(django_filters.FilterSet):
    category = django_filters.ChoiceFilter(choices=Category.choices)
    status = django_filters.ChoiceFilter(choices=WatchStatus.choices)
    region = django_filters.CharFilter(
        method="filter_region",
        help_text=gettext_lazy("A region's 12-digit code: the people of that region and the regions below it."),
    )

    class Meta:
        model = MonitoredPerson
        fields = ["category", "status", "region"]

    def filter_region(self, queryset, name, value):
        return lookups.in_region(queryset, value)


class PersonListView(ReadPermissions, generics.ListAPIView):
    serializer_class = MonitoringPersonOutputSerializer
    filterset_class = PersonFilter

    def get_queryset(self):
        return selectors.people_for(self.request.user)

    @extend_schema(
        operation_id="monitoring_people_list",
        responses={200: MonitoringPersonOutputSerializer(many=True), **LIST_ERRORS},
        description=gettext_lazy(
            "The people watched (监测对象) in your area, by id: why (their benefit, or added by a caseworker), "
            "since when, and whether a warning is open for them; with names and masked ID numbers."
        ),
    )
    def get(self, request, *args, **kwargs):
        return super().get(request, *args, **kwargs)
