"""Shapes of the low-income monitoring API (低收入人口动态监测): the records partner systems send through their
feeds and the receipt they get back, a partner's own records as stored, the early warnings (预警) raised with
their history, and the people watched. Input serializers check shapes only: monitoring.services.ingest checks
each record against its feed (monitoring.feeds) and names a wrong field as records[3].id_number. Money is a string
with two decimals ("1200.00").

A partner reads back only what it sent itself: no resident's name or id beyond that. Warnings and watched people
are read by staff and by tokens with monitoring:read, with names and masked ID numbers (110101********1234)."""

from django.utils import timezone
from django.utils.translation import gettext_lazy
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from civic.api.fields import NamedChoiceField
from civic.api.registry_serializers import OutputSerializer
from civic.models import Resident
from monitoring.models import (
    Action,
    Alert,
    AlertEvent,
    AlertStatus,
    AlertStep,
    Category,
    EndCause,
    FeedKind,
    FeedRecord,
    MatchStatus,
    MonitoredPerson,
    RuleCode,
    WatchStatus,
)

MONEY = {"max_digits": 14, "decimal_places": 2, "allow_null": True}


# --------------------------------------------------------------------------------------------------- enums


def MonitoringChoiceField(choices_class, **kwargs):
    return NamedChoiceField("Monitoring", choices_class, **kwargs)


# ------------------------------------------------------------------------------------------------- feeds


class MonitoringFeedRecordInputSerializer(serializers.Serializer):
    """One record of a feed. Which events it may name, and whether it carries an amount or a count, depends on the
    feed: the operation's description lists them."""

    reference = serializers.CharField(
        max_length=64,
        help_text=gettext_lazy(
            "The record's key in your system, unique within the feed: a record sent again with the same reference "
            "is not stored twice."
        ),
    )
    id_number = serializers.CharField(
        max_length=18, help_text=gettext_lazy("The person's 18-character resident ID number.")
    )
    name = serializers.CharField(
        max_length=50, required=False, allow_blank=True, help_text=gettext_lazy("The person's name, if you have it.")
    )
    date = serializers.DateField(
        help_text=gettext_lazy("When it happened (the death, the discharge, the registration …), as YYYY-MM-DD.")
    )
    event = serializers.CharField(
        max_length=20,
        required=False,
        allow_blank=True,
        help_text=gettext_lazy("What happened, one of the feed's events; left out, the feed's first event."),
    )
    amount = serializers.DecimalField(
        max_digits=12,
        decimal_places=2,
        required=False,
        allow_null=True,
        coerce_to_string=True,
        help_text=gettext_lazy(
            "Yuan, 0 or more, at most two decimals, as a string or a number: required, optional or refused by feed."
        ),
    )
    count = serializers.IntegerField(
        min_value=0,
        max_value=1000,
        required=False,
        allow_null=True,
        help_text=gettext_lazy("A whole number from 0 to 1000: optional or refused by feed."),
    )
    detail = serializers.CharField(
        max_length=200, required=False, allow_blank=True, help_text=gettext_lazy("A note; cut at 200 characters.")
    )


@extend_schema_field(MonitoringFeedRecordInputSerializer(many=True))
class RecordListField(serializers.ListField):
    """The records as sent: a list is all this checks; the service checks each record and names it by position."""

    child = serializers.JSONField()

    def to_internal_value(self, data):
        records = super().to_internal_value(data)
        # An ID number sent as a JSON number is read as its digits (the service expects text).
        return [
            {**r, "id_number": str(r["id_number"])}
            if isinstance(r, dict) and r.get("id_number") is not None and not isinstance(r["id_number"], str)
            else r
            for r in records
        ]


class MonitoringFeedRecordsInputSerializer(serializers.Serializer):
    records = RecordListField(
        help_text=gettext_lazy(
            "1 to 1000 records. If one is wrong, none is stored: `fields` names each wrong one as records[3].date."
        )
    )


class MonitoringFeedReceiptSerializer(serializers.Serializer):
    received = serializers.IntegerField(help_text=gettext_lazy("Records in the batch."))
    new = serializers.IntegerField(help_text=gettext_lazy("Records stored now."))
    repeated = serializers.IntegerField(
        help_text=gettext_lazy("Records whose reference had been received before: nothing changed for them.")
    )
    matched = serializers.IntegerField(help_text=gettext_lazy("New records matched to a resident by ID number."))
    unmatched = serializers.IntegerField(
        help_text=gettext_lazy("New records whose ID number no resident has; the bureau reviews them.")
    )
    unmatched_references = serializers.ListField(
        child=serializers.CharField(), help_text=gettext_lazy("The references of the new records not matched.")
    )


class MonitoringFeedRecordOutputSerializer(OutputSerializer):
    """A record you sent, as stored: whether it was matched to a resident, never who that is."""

    date = serializers.DateField(source="event_date", help_text=gettext_lazy("When it happened, as sent."))
    match = MonitoringChoiceField(
        MatchStatus,
        help_text=gettext_lazy(
            "pending: not yet matched; matched: a resident has this ID number; unmatched: none has (the nightly "
            "run tries again); set_aside: the bureau reviewed it and it concerns nobody here."
        ),
    )
    received_at = serializers.DateTimeField(help_text=gettext_lazy("When the record was first received."))

    class Meta:
        model = FeedRecord
        fields = ["reference", "event", "date", "match", "received_at"]


# ------------------------------------------------------------------------------------------------ people


class MonitoringResidentSerializer(OutputSerializer):
    id_number_masked = serializers.CharField(
        help_text=gettext_lazy("The ID number with the birth date hidden: 440402********1234.")
    )

    class Meta:
        model = Resident
        fields = ["id", "name", "id_number_masked"]


class MonitoringPersonOutputSerializer(OutputSerializer):
    """A person watched (监测对象): why, since when, and whether a warning is open for them."""

    resident = MonitoringResidentSerializer()
    region = serializers.CharField(
        source="region_id", help_text=gettext_lazy("12-digit code of the person's community.")
    )
    region_name = serializers.CharField(source="region.name")
    household = serializers.IntegerField(
        source="household_id", allow_null=True, help_text=gettext_lazy("The household's id; null if none.")
    )
    category = MonitoringChoiceField(
        Category,
        help_text=gettext_lazy(
            "Why watched: tekun, dibao, edge, rigid follow the person's live benefit; added: by a caseworker."
        ),
    )
    status = MonitoringChoiceField(
        WatchStatus, help_text=gettext_lazy("watched; warned: a warning is open; ended: no longer watched.")
    )
    end_cause = MonitoringChoiceField(
        EndCause, allow_blank=True, help_text=gettext_lazy("Why no longer watched; blank while watched.")
    )

    class Meta:
        model = MonitoredPerson
        fields = [
            "id",
            "resident",
            "region",
            "region_name",
            "household",
            "category",
            "status",
            "added_by_hand",
            "reason",
            "since",
            "ended_on",
            "end_cause",
        ]


# ------------------------------------------------------------------------------------------------ alerts


class MonitoringAlertOutputSerializer(OutputSerializer):
    """An early warning (预警) and the task it gives the community's caseworker."""

    rule = MonitoringChoiceField(RuleCode, help_text=gettext_lazy("The rule that raised it."))
    region = serializers.CharField(source="region_id", help_text=gettext_lazy("12-digit code of the community."))
    region_name = serializers.CharField(source="region.name")
    household = serializers.IntegerField(
        source="household_id", allow_null=True, help_text=gettext_lazy("The household's id; null if none.")
    )
    resident = MonitoringResidentSerializer(
        allow_null=True, help_text=gettext_lazy("The person it concerns; null when it concerns a household.")
    )
    amount = serializers.DecimalField(
        help_text=gettext_lazy("The figure the rule compared (costs, an amount paid after a death …); null if none."),
        **MONEY,
    )
    base_amount = serializers.DecimalField(
        help_text=gettext_lazy("What it was compared with (a year's income, the standard …); null if none."),
        **MONEY,
    )
    action = MonitoringChoiceField(Action, help_text=gettext_lazy("What the caseworker is to do."))
    programme = serializers.CharField(
        help_text=gettext_lazy("For action apply: the programme suggested; blank otherwise.")
    )
    status = MonitoringChoiceField(
        AlertStatus,
        help_text=gettext_lazy(
            "open; handled: by the review, application or visit it asked for; dismissed: with the reason in outcome."
        ),
    )
    overdue = serializers.SerializerMethodField(help_text=gettext_lazy("Still open and past its due date."))
    assignee = serializers.SerializerMethodField(
        help_text=gettext_lazy("The caseworker it is assigned to; null if nobody yet.")
    )

    class Meta:
        model = Alert
        fields = [
            "id",
            "rule",
            "region",
            "region_name",
            "household",
            "resident",
            "amount",
            "base_amount",
            "action",
            "programme",
            "urgent",
            "found_on",
            "due_on",
            "overdue",
            "assignee",
            "status",
            "handled_on",
            "outcome",
        ]

    def get_overdue(self, alert) -> bool:
        today = self.context.get("today") or timezone.localdate()
        return alert.status == AlertStatus.OPEN and alert.due_on < today

    def get_assignee(self, alert) -> str | None:
        return str(alert.assignee) if alert.assignee_id else None


class MonitoringAlertRecordSerializer(OutputSerializer):
    """The partner record that raised the warning."""

    feed = MonitoringChoiceField(FeedKind)
    date = serializers.DateField(source="event_date")

    class Meta:
        model = FeedRecord
        fields = ["feed", "reference", "event", "date", "amount", "count", "detail", "received_at"]


class MonitoringAlertEventSerializer(OutputSerializer):
    step = MonitoringChoiceField(AlertStep)
    by = serializers.CharField(
        source="actor_label", help_text=gettext_lazy("Who took the step: a caseworker, or the nightly run.")
    )

    class Meta:
        model = AlertEvent
        fields = ["step", "at", "by", "note"]


class MonitoringAlertDetailOutputSerializer(MonitoringAlertOutputSerializer):
    record = MonitoringAlertRecordSerializer(
        allow_null=True, help_text=gettext_lazy("The partner record that raised it; null for the registry checks.")
    )
    entitlement = serializers.IntegerField(
        source="entitlement_id", allow_null=True, help_text=gettext_lazy("The benefit it concerns; null if none.")
    )
    other_entitlement = serializers.IntegerField(
        source="other_entitlement_id",
        allow_null=True,
        help_text=gettext_lazy("The second benefit, for two programmes or two households; null otherwise."),
    )
    application = serializers.IntegerField(
        source="application_id", allow_null=True, help_text=gettext_lazy("The application that handled it.")
    )
    review = serializers.IntegerField(
        source="review_id", allow_null=True, help_text=gettext_lazy("The benefit's review event that handled it.")
    )
    visit = serializers.IntegerField(
        source="visit_id", allow_null=True, help_text=gettext_lazy("The visit that handled it.")
    )
    events = MonitoringAlertEventSerializer(
        many=True, help_text=gettext_lazy("Its history, oldest first: found, assigned, handled or dismissed …")
    )

    class Meta(MonitoringAlertOutputSerializer.Meta):
        fields = [
            *MonitoringAlertOutputSerializer.Meta.fields,
            "record",
            "entitlement",
            "other_entitlement",
            "application",
            "review",
            "visit",
            "events",
        ]
