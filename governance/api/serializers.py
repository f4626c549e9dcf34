"""Shapes of the community-council API (议事协商): councils with their members and execution rate, topics with
their deliberations and resolution, meetings, resolutions with their history, micro-projects (民生微实事) and the
figures managers follow. Input serializers check shapes only (governance.services enforces the rules). Money is a
string with two decimals ("80000.00"); an execution rate is a string with four decimals ("0.9450"), or null when
nothing is due yet. Council members' phone numbers are shown only to staff who record council business."""

from decimal import ROUND_HALF_UP, Decimal

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from drf_spectacular.extensions import OpenApiSerializerFieldExtension
from drf_spectacular.plumbing import build_choice_field
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from civic.api.registry_serializers import OutputSerializer
from governance.models import (
    Council,
    CouncilLevel,
    CouncilMember,
    Deliberation,
    DeliberationOutcome,
    Meeting,
    MemberKind,
    MemberRole,
    MicroProject,
    MicroProjectStatus,
    Progress,
    ProgressKind,
    Resolution,
    ResolutionStatus,
    Topic,
    TopicCategory,
    TopicSource,
    TopicStatus,
)

MONEY = {"max_digits": 12, "decimal_places": 2}
RATE = {"max_digits": 5, "decimal_places": 4, "allow_null": True}
RATE_HELP = gettext_lazy("Implemented ÷ due, four decimals (0.9450); null when nothing is due.")
FOUR_PLACES = Decimal("0.0001")


def rate(implemented, due):
    """The execution rate as a Decimal with four places, computed from the counts (not from a float)."""
    if not due:
        return None
    return (Decimal(implemented) / Decimal(due)).quantize(FOUR_PLACES, rounding=ROUND_HALF_UP)


# --------------------------------------------------------------------------------------------------- enums


class GovernanceChoiceField(serializers.ChoiceField):
    """A choice among one of the governance models' TextChoices. The schema names its enum after the choices
    (GovernanceTopicStatusEnum, …): several apps have a status, a kind or a category, and an enum used in more
    than one place would otherwise get a made-up name."""

    def __init__(self, choices_class, **kwargs):
        self.enum_name = f"Governance{choices_class.__name__}Enum"
        super().__init__(choices=choices_class.choices, **kwargs)


class GovernanceChoiceFieldSchema(OpenApiSerializerFieldExtension):
    target_class = GovernanceChoiceField

    def get_name(self):
        return self.target.enum_name

    def map_serializer_field(self, auto_schema, direction):
        schema = build_choice_field(self.target)
        schema.pop("x-spec-enum-id", None)
        return schema


# ------------------------------------------------------------------------------------------------ councils


class GovernanceExecutionRateSerializer(serializers.Serializer):
    implemented = serializers.IntegerField(help_text=gettext_lazy("Resolutions implemented, among those due."))
    due = serializers.IntegerField(
        help_text=gettext_lazy(
            "Resolutions due: past their due date, or closed (implemented or not) earlier, as of today."
        )
    )
    rate = serializers.DecimalField(help_text=RATE_HELP, **RATE)


class GovernanceCouncilOutputSerializer(OutputSerializer):
    """A consultation council (议事会) at street, community, neighbourhood (小区) or building (楼栋) level."""

    level = GovernanceChoiceField(CouncilLevel)
    region = serializers.CharField(
        source="region_id",
        help_text=gettext_lazy(
            "12-digit code of the street (a street council) or of the community the council lies in."
        ),
    )
    region_name = serializers.CharField(source="region.name")
    members_count = serializers.IntegerField(help_text=gettext_lazy("Members now sitting on the council."))

    class Meta:
        model = Council
        fields = [
            "id",
            "name",
            "level",
            "region",
            "region_name",
            "place",
            "established_on",
            "is_active",
            "members_count",
        ]


class GovernanceMemberOutputSerializer(OutputSerializer):
    kind = GovernanceChoiceField(MemberKind, help_text=gettext_lazy("Whom the member represents."))
    role = GovernanceChoiceField(MemberRole)
    phone = serializers.SerializerMethodField(
        help_text=gettext_lazy(
            "The member's phone number, only for staff who record council business; null for everyone else, "
            "partner tokens included."
        )
    )

    class Meta:
        model = CouncilMember
        fields = ["id", "name", "role", "kind", "joined_on", "phone"]

    def get_phone(self, member) -> str | None:
        return member.phone if self.context.get("phones") else None


class GovernanceCouncilDetailOutputSerializer(GovernanceCouncilOutputSerializer):
    members = serializers.SerializerMethodField(
        help_text=gettext_lazy("Current members: the chair and secretary first, then by name.")
    )
    execution_rate = serializers.SerializerMethodField(
        help_text=gettext_lazy("The council's resolutions as of today (DOMAIN.md: implemented ÷ due).")
    )

    class Meta(GovernanceCouncilOutputSerializer.Meta):
        fields = [*GovernanceCouncilOutputSerializer.Meta.fields, "members", "execution_rate"]

    @extend_schema_field(GovernanceMemberOutputSerializer(many=True))
    def get_members(self, council):
        order = {role: i for i, role in enumerate(MemberRole.values)}
        members = sorted(
            (m for m in council.members.all() if m.left_on is None), key=lambda m: (order[m.role], m.name, m.pk)
        )
        return GovernanceMemberOutputSerializer(members, many=True, context=self.context).data

    @extend_schema_field(GovernanceExecutionRateSerializer)
    def get_execution_rate(self, council):
        implemented, due = self.context["execution_rate"][:2]
        body = {"implemented": implemented, "due": due, "rate": rate(implemented, due)}
        return GovernanceExecutionRateSerializer(body).data


# -------------------------------------------------------------------------------------------------- topics


class GovernanceTopicOutputSerializer(OutputSerializer):
    """A topic (议题): where it came from, what it is about, and where it stands."""

    council_name = serializers.CharField(source="council.name")
    region = serializers.CharField(source="region_id", help_text=gettext_lazy("12-digit code of the council's area."))
    source = GovernanceChoiceField(TopicSource)
    category = GovernanceChoiceField(TopicCategory)
    status = GovernanceChoiceField(
        TopicStatus,
        help_text=gettext_lazy(
            "proposed → accepted (awaiting a meeting) or declined (with a reason); after a meeting, resolved "
            "(a resolution was made) or not_resolved."
        ),
    )
    reference = serializers.CharField(
        source="external_ref", help_text=gettext_lazy("The hotline's own ticket number; blank if none.")
    )

    class Meta:
        model = Topic
        fields = [
            "id",
            "council",
            "council_name",
            "region",
            "title",
            "description",
            "source",
            "category",
            "proposer",
            "reference",
            "received_on",
            "status",
            "decline_reason",
            "created_at",
        ]


class GovernanceDeliberationOutputSerializer(OutputSerializer):
    """A topic deliberated at a meeting, with the vote."""

    meeting = serializers.IntegerField(source="meeting_id")
    held_on = serializers.DateField(source="meeting.held_on")
    outcome = GovernanceChoiceField(DeliberationOutcome)

    class Meta:
        model = Deliberation
        fields = ["meeting", "held_on", "votes_for", "votes_against", "votes_abstain", "outcome", "notes"]


class GovernanceResolutionSummarySerializer(OutputSerializer):
    status = GovernanceChoiceField(ResolutionStatus)
    overdue = serializers.SerializerMethodField(
        help_text=gettext_lazy("Still being implemented and past its due date.")
    )

    class Meta:
        model = Resolution
        fields = [
            "id",
            "text",
            "owner",
            "due_on",
            "status",
            "overdue",
            "closed_on",
            "outcome",
            "not_implemented_reason",
            "published_on",
        ]

    def get_overdue(self, resolution) -> bool:
        today = self.context.get("today") or timezone.localdate()
        return resolution.status == ResolutionStatus.IN_PROGRESS and resolution.due_on < today


class GovernanceTopicDetailOutputSerializer(GovernanceTopicOutputSerializer):
    deliberations = GovernanceDeliberationOutputSerializer(
        many=True, help_text=gettext_lazy("The meetings that discussed the topic, oldest first, with the votes.")
    )
    resolution = serializers.SerializerMethodField(
        help_text=gettext_lazy("The resolution the topic became, with where its implementation stands; null if none.")
    )

    class Meta(GovernanceTopicOutputSerializer.Meta):
        fields = [*GovernanceTopicOutputSerializer.Meta.fields, "deliberations", "resolution"]

    @extend_schema_field(GovernanceResolutionSummarySerializer(allow_null=True))
    def get_resolution(self, topic):
        try:
            resolution = topic.resolution
        except Resolution.DoesNotExist:
            return None
        return GovernanceResolutionSummarySerializer(resolution, context=self.context).data


class GovernanceTopicCreateInputSerializer(serializers.Serializer):
    council = serializers.IntegerField(help_text=gettext_lazy("The council's id; inside your area."))
    title = serializers.CharField(max_length=200)
    description = serializers.CharField(max_length=4000, required=False, allow_blank=True, default="")
    category = GovernanceChoiceField(TopicCategory)
    proposer = serializers.CharField(
        max_length=100, help_text=gettext_lazy("Who asked: a resident, a group, or the hotline itself.")
    )
    received_on = serializers.DateField(
        required=False,
        allow_null=True,
        default=None,
        input_formats=["%Y-%m-%d"],
        help_text=gettext_lazy("The day the request came in, as YYYY-MM-DD; defaults to today; not in the future."),
    )
    reference = serializers.CharField(
        max_length=40,
        required=False,
        allow_blank=True,
        default="",
        help_text=gettext_lazy(
            "The hotline's ticket number: required for hotline tokens. The same reference sent again is the same "
            "topic (200)."
        ),
    )
    source = GovernanceChoiceField(
        TopicSource,
        required=False,
        default=TopicSource.HOTLINE,
        help_text=gettext_lazy(
            "Where the topic came from; staff only, defaults to hotline. A partner token's topics are always "
            "hotline topics, whatever it sends."
        ),
    )

    def validate(self, attrs):
        if self.context.get("partner") and not attrs.get("reference"):
            raise serializers.ValidationError({"reference": [_("Send the hotline's ticket number.")]})
        return attrs


# ------------------------------------------------------------------------------------------------ meetings


class GovernanceMeetingItemOutputSerializer(OutputSerializer):
    topic_title = serializers.CharField(source="topic.title")
    outcome = GovernanceChoiceField(DeliberationOutcome)

    class Meta:
        model = Deliberation
        fields = ["topic", "topic_title", "votes_for", "votes_against", "votes_abstain", "outcome"]


class GovernanceMeetingOutputSerializer(OutputSerializer):
    """A council meeting: who took part and what was deliberated."""

    council_name = serializers.CharField(source="council.name")
    region = serializers.CharField(source="region_id", help_text=gettext_lazy("12-digit code of the council's area."))
    members_present = serializers.IntegerField(help_text=gettext_lazy("Council members present."))
    participants = serializers.SerializerMethodField(
        help_text=gettext_lazy("Everyone who took part: members present and other participants.")
    )
    deliberations = GovernanceMeetingItemOutputSerializer(
        many=True, help_text=gettext_lazy("The topics on the agenda with their votes and outcomes.")
    )

    class Meta:
        model = Meeting
        fields = [
            "id",
            "council",
            "council_name",
            "region",
            "held_on",
            "place",
            "members_present",
            "other_participants",
            "participants",
            "minutes",
            "deliberations",
        ]

    def get_participants(self, meeting) -> int:
        return meeting.members_present + meeting.other_participants


# --------------------------------------------------------------------------------------------- resolutions


class GovernanceResolutionOutputSerializer(GovernanceResolutionSummarySerializer):
    """A resolution: what was resolved, who carries it out by when, and the outcome."""

    council_name = serializers.CharField(source="council.name")
    region = serializers.CharField(source="region_id", help_text=gettext_lazy("12-digit code of the council's area."))
    topic_title = serializers.CharField(source="topic.title")
    meeting = serializers.IntegerField(source="deliberation.meeting_id", help_text=gettext_lazy("The meeting's id."))
    resolved_on = serializers.DateField(
        source="deliberation.meeting.held_on", help_text=gettext_lazy("The day of the meeting that resolved it.")
    )

    class Meta(GovernanceResolutionSummarySerializer.Meta):
        fields = [
            "id",
            "council",
            "council_name",
            "region",
            "topic",
            "topic_title",
            "meeting",
            "resolved_on",
            *GovernanceResolutionSummarySerializer.Meta.fields[1:],
            "last_reminded_on",
        ]


class GovernanceProgressOutputSerializer(OutputSerializer):
    kind = GovernanceChoiceField(
        ProgressKind,
        help_text=gettext_lazy(
            "update: the owner's progress; reminder: sent while overdue; implemented, not_implemented: the "
            "closing; published: the outcome made public."
        ),
    )
    by = serializers.SerializerMethodField(
        help_text=gettext_lazy("The member of staff who recorded it; null for reminders.")
    )

    class Meta:
        model = Progress
        fields = ["kind", "on", "note", "percent", "by"]

    def get_by(self, progress) -> str | None:
        return str(progress.by) if progress.by_id else None


class GovernanceResolutionDetailOutputSerializer(GovernanceResolutionOutputSerializer):
    progress = GovernanceProgressOutputSerializer(
        many=True, help_text=gettext_lazy("The resolution's history, in the order it was recorded.")
    )

    class Meta(GovernanceResolutionOutputSerializer.Meta):
        fields = [*GovernanceResolutionOutputSerializer.Meta.fields, "progress"]


# ------------------------------------------------------------------------------------------ micro-projects


class GovernanceMicroProjectOutputSerializer(OutputSerializer):
    """民生微实事: a small project funded for what a topic asked for."""

    topic_title = serializers.CharField(source="topic.title")
    council = serializers.IntegerField(source="topic.council_id")
    council_name = serializers.CharField(source="topic.council.name")
    region = serializers.CharField(source="region_id", help_text=gettext_lazy("12-digit code of the council's area."))
    budget = serializers.DecimalField(help_text=gettext_lazy("The budget, in yuan."), **MONEY)
    spent = serializers.DecimalField(help_text=gettext_lazy("Spent so far, in yuan."), **MONEY)
    status = GovernanceChoiceField(MicroProjectStatus)
    completion = serializers.IntegerField(help_text=gettext_lazy("Per cent done, 0 to 100."))

    class Meta:
        model = MicroProject
        fields = [
            "id",
            "name",
            "topic",
            "topic_title",
            "council",
            "council_name",
            "region",
            "budget",
            "spent",
            "status",
            "completion",
            "completed_on",
            "created_at",
        ]


# ------------------------------------------------------------------------------------------------- figures


class FiguresBy(models.TextChoices):
    """selectors.GROUPINGS, with names."""

    COUNCIL = "council", gettext_lazy("Per council")
    COMMUNITY = "community", gettext_lazy("Per community")
    STREET = "street", gettext_lazy("Per street")


class GovernanceFiguresInputSerializer(serializers.Serializer):
    by = serializers.ChoiceField(
        choices=FiguresBy.choices,
        required=False,
        default="council",
        help_text=gettext_lazy(
            "One row per council, per community (a street council counts under its street), or per street."
        ),
    )
    as_of = serializers.DateField(
        required=False,
        input_formats=["%Y-%m-%d"],
        help_text=gettext_lazy("The day resolutions due and implemented are counted to; defaults to today."),
    )
    start = serializers.DateField(
        required=False,
        input_formats=["%Y-%m-%d"],
        help_text=gettext_lazy("First day of the period for meetings and topics; defaults to 1 January of as_of."),
    )
    end = serializers.DateField(
        required=False,
        input_formats=["%Y-%m-%d"],
        help_text=gettext_lazy("Last day of the period; defaults to as_of."),
    )

    def validate(self, attrs):
        start, end, as_of = attrs.get("start"), attrs.get("end"), attrs.get("as_of")
        last = end or as_of or timezone.localdate()
        if start and start > last:
            raise serializers.ValidationError({"start": [_("The period starts after it ends.")]})
        return attrs


class GovernanceFiguresCountsSerializer(serializers.Serializer):
    due = serializers.IntegerField(help_text=gettext_lazy("Resolutions due as of the day."))
    implemented = serializers.IntegerField(help_text=gettext_lazy("Of those, implemented by then."))
    rate = serializers.DecimalField(help_text=RATE_HELP, **RATE)
    meetings = serializers.IntegerField(help_text=gettext_lazy("Meetings held in the period."))
    participants = serializers.IntegerField(
        help_text=gettext_lazy("Members present and other participants at those meetings.")
    )
    topics = serializers.IntegerField(help_text=gettext_lazy("Topics received in the period."))
    resolved = serializers.IntegerField(help_text=gettext_lazy("Of those, topics that became a resolution."))


class GovernanceFiguresRowSerializer(GovernanceFiguresCountsSerializer):
    key = serializers.CharField(
        help_text=gettext_lazy("The council's id (by=council), or the 12-digit code of the community or street.")
    )
    label = serializers.CharField(help_text=gettext_lazy("The council's or the region's name."))


class GovernanceFiguresOutputSerializer(serializers.Serializer):
    by = GovernanceChoiceField(FiguresBy)
    as_of = serializers.DateField()
    start = serializers.DateField()
    end = serializers.DateField()
    rows = GovernanceFiguresRowSerializer(many=True, help_text=gettext_lazy("By the row's name."))
    total = GovernanceFiguresCountsSerializer(help_text=gettext_lazy("All rows together."))


def figures_body(figures):
    """selectors.figures as the API shows it: keys as text (a street's as its 12-digit code), rates as decimals."""

    def counts(row):
        return {**row, "rate": rate(row["implemented"], row["due"])}

    rows = []
    for row in figures["rows"]:
        key = str(row["key"])
        if figures["grouping"] == "street":
            key = key.ljust(12, "0")
        rows.append({**counts(row), "key": key, "label": row["label"]})
    return {
        "by": figures["grouping"],
        "as_of": figures["as_of"],
        "start": figures["start"],
        "end": figures["end"],
        "rows": rows,
        "total": counts(figures["total"]),
    }
