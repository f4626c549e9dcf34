"""Community consultation (议事协商, "有事好商量"): councils at street, community, neighbourhood (小区) and building
(楼栋) level with their members; topics from residents, committees or hotlines, accepted or declined, deliberated at
meetings with votes, resolved or not; resolutions implemented by an owner by a due date with progress updates, the
outcome published; micro-projects (民生微实事) funding what a topic asked for.

Execution rate (DOMAIN.md) = implemented resolutions ÷ resolutions due, where a resolution is due once its due date
has passed or its implementation has closed (implemented, or not with a reason), whichever comes first."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from civic.models import ApiToken, Region, Resident


class CouncilLevel(models.TextChoices):
    STREET = "street", _("Street or town")
    COMMUNITY = "community", _("Community or village")
    NEIGHBOURHOOD = "neighbourhood", _("Neighbourhood (小区)")
    BUILDING = "building", _("Building (楼栋)")


class Council(models.Model):
    """A consultation council (议事会). `region` is the street for a street council, else the community the
    neighbourhood or building lies in: the council is seen and recorded from there."""

    name = models.CharField(_("name"), max_length=120)
    level = models.CharField(_("level"), max_length=14, choices=CouncilLevel.choices)
    region = models.ForeignKey(Region, verbose_name=_("area"), on_delete=models.PROTECT, related_name="+")
    place = models.CharField(_("meeting place"), max_length=120, blank=True)
    established_on = models.DateField(_("established"))
    is_active = models.BooleanField(_("active"), default=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")

    class Meta:
        verbose_name = _("council")
        verbose_name_plural = _("councils")
        ordering = ["region", "level", "name"]
        constraints = [models.UniqueConstraint(fields=["region", "name"], name="governance_council_name_unique")]

    def __str__(self):
        return self.name


class MemberKind(models.TextChoices):
    RESIDENT = "resident", _("Resident representative")
    PARTY = "party", _("Party member or cadre")
    OWNERS = "owners", _("Owners' committee")
    PROPERTY = "property", _("Property-management company")
    DEPUTY = "deputy", _("People's congress deputy or CPPCC member")
    ORGANISATION = "organisation", _("Social organisation or business")
    OTHER = "other", _("Other")


class MemberRole(models.TextChoices):
    CHAIR = "chair", _("Chair")
    SECRETARY = "secretary", _("Secretary")
    MEMBER = "member", pgettext_lazy("council", "Member")


class CouncilMember(models.Model):
    council = models.ForeignKey(Council, on_delete=models.CASCADE, related_name="members")
    name = models.CharField(pgettext_lazy("person", "name"), max_length=50)
    kind = models.CharField(_("represents"), max_length=12, choices=MemberKind.choices)
    role = models.CharField(_("role"), max_length=10, choices=MemberRole.choices, default=MemberRole.MEMBER)
    resident = models.ForeignKey(
        Resident, null=True, blank=True, on_delete=models.SET_NULL, related_name="+", verbose_name=_("resident")
    )
    phone = models.CharField(_("phone"), max_length=20, blank=True)
    joined_on = models.DateField(_("joined"))
    left_on = models.DateField(_("left"), null=True, blank=True)

    class Meta:
        verbose_name = _("council member")
        verbose_name_plural = _("council members")
        ordering = ["council", "left_on", "role", "name"]

    def __str__(self):
        return self.name


class TopicSource(models.TextChoices):
    RESIDENT = "resident", _("Residents")
    COMMITTEE = "committee", _("Residents' committee")
    HOTLINE = "hotline", _("Hotline (12345)")
    MEMBER = "member", _("Council member")
    OTHER = "other", _("Other")


class TopicCategory(models.TextChoices):
    ELEVATOR = "elevator", _("Elevators in old buildings")
    PROPERTY = "property", _("Property management and environment")
    DISPUTE = "dispute", _("Neighbourhood disputes")
    ASSETS = "assets", _("Collective assets")
    FACILITIES = "facilities", _("Public facilities")
    SAFETY = "safety", _("Safety")
    SERVICES = "services", _("Services for residents")
    OTHER = "other", _("Other")


class TopicStatus(models.TextChoices):
    PROPOSED = "proposed", _("Proposed")
    ACCEPTED = "accepted", _("Accepted, awaiting a meeting")
    DECLINED = "declined", _("Declined")
    RESOLVED = "resolved", _("Resolution made")
    NOT_RESOLVED = "not_resolved", _("No resolution")


class Topic(models.Model):
    council = models.ForeignKey(Council, on_delete=models.PROTECT, related_name="topics", verbose_name=_("council"))
    # The council's region, kept on the topic for scoping and set-based counts.
    region = models.ForeignKey(Region, on_delete=models.PROTECT, related_name="+")
    title = models.CharField(_("title"), max_length=200)
    description = models.TextField(_("description"), blank=True)
    source = models.CharField(_("source"), max_length=10, choices=TopicSource.choices)
    category = models.CharField(_("category"), max_length=12, choices=TopicCategory.choices)
    proposer = models.CharField(_("proposer"), max_length=100)
    # A hotline system's own reference: the same request sent twice is one topic.
    external_ref = models.CharField(_("hotline reference"), max_length=40, blank=True)
    received_on = models.DateField(_("received"))
    status = models.CharField(_("status"), max_length=12, choices=TopicStatus.choices, default=TopicStatus.PROPOSED)
    decline_reason = models.TextField(_("reason declined"), blank=True)
    # Who filed it: a staff account, or the partner token of the hotline system that sent it.
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    created_by_token = models.ForeignKey(ApiToken, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("topic")
        verbose_name_plural = _("topics")
        ordering = ["-received_on", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["source", "external_ref"], condition=~Q(external_ref=""), name="governance_topic_external_ref"
            )
        ]

    def __str__(self):
        return self.title


class Meeting(models.Model):
    council = models.ForeignKey(Council, on_delete=models.PROTECT, related_name="meetings", verbose_name=_("council"))
    region = models.ForeignKey(Region, on_delete=models.PROTECT, related_name="+")
    held_on = models.DateField(_("date"))
    place = models.CharField(_("place"), max_length=120)
    # Members present, and everyone else who took part (residents, parties concerned, departments).
    attendees = models.ManyToManyField(
        CouncilMember, blank=True, related_name="meetings", verbose_name=_("members present")
    )
    other_participants = models.PositiveIntegerField(_("other participants"), default=0)
    minutes = models.TextField(_("minutes"))
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    recorded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("meeting")
        verbose_name_plural = _("meetings")
        ordering = ["-held_on", "-pk"]

    def __str__(self):
        return f"{self.council} {self.held_on}"


class DeliberationOutcome(models.TextChoices):
    RESOLVED = "resolved", _("Resolution made")
    NOT_RESOLVED = "not_resolved", _("No resolution")
    DEFERRED = "deferred", _("Deferred to another meeting")


class Deliberation(models.Model):
    """A topic discussed at a meeting, with the vote."""

    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="deliberations")
    topic = models.ForeignKey(Topic, on_delete=models.PROTECT, related_name="deliberations")
    votes_for = models.PositiveIntegerField(_("for"), default=0)
    votes_against = models.PositiveIntegerField(_("against"), default=0)
    votes_abstain = models.PositiveIntegerField(_("abstentions"), default=0)
    outcome = models.CharField(_("outcome"), max_length=12, choices=DeliberationOutcome.choices)
    notes = models.TextField(_("notes"), blank=True)

    class Meta:
        ordering = ["meeting", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["meeting", "topic"], name="governance_topic_once_per_meeting"),
        ]

    def __str__(self):
        return f"{self.topic} @ {self.meeting_id}"


class ResolutionStatus(models.TextChoices):
    IN_PROGRESS = "in_progress", _("Being implemented")
    IMPLEMENTED = "implemented", _("Implemented")
    NOT_IMPLEMENTED = "not_implemented", _("Not implemented")


class Resolution(models.Model):
    topic = models.OneToOneField(Topic, on_delete=models.PROTECT, related_name="resolution")
    deliberation = models.OneToOneField(Deliberation, on_delete=models.PROTECT, related_name="resolution")
    council = models.ForeignKey(Council, on_delete=models.PROTECT, related_name="resolutions")
    region = models.ForeignKey(Region, on_delete=models.PROTECT, related_name="+")
    text = models.TextField(_("resolution"))
    owner = models.CharField(_("responsible"), max_length=100)
    due_on = models.DateField(_("due"))
    status = models.CharField(
        _("status"), max_length=16, choices=ResolutionStatus.choices, default=ResolutionStatus.IN_PROGRESS
    )
    # The day implementation closed (implemented, or given up with a reason): from then on it counts as due.
    closed_on = models.DateField(pgettext_lazy("resolution", "closed"), null=True, blank=True)
    not_implemented_reason = models.TextField(_("why not implemented"), blank=True)
    outcome = models.TextField(_("outcome"), blank=True)
    published_on = models.DateField(_("outcome published"), null=True, blank=True)
    last_reminded_on = models.DateField(_("last reminder"), null=True, blank=True)

    class Meta:
        verbose_name = _("resolution")
        verbose_name_plural = _("resolutions")
        ordering = ["due_on", "pk"]
        indexes = [models.Index(fields=["status", "due_on"], name="governance_resolution_due_idx")]
        constraints = [
            models.CheckConstraint(
                condition=Q(status="in_progress", closed_on__isnull=True)
                | (~Q(status="in_progress") & Q(closed_on__isnull=False)),
                name="governance_resolution_closed_when_done",
            ),
            models.CheckConstraint(
                condition=Q(published_on__isnull=True) | Q(closed_on__isnull=False),
                name="governance_publish_after_closing",
            ),
        ]

    def __str__(self):
        return self.text[:40]


class ProgressKind(models.TextChoices):
    UPDATE = "update", _("Progress update")
    REMINDER = "reminder", _("Overdue reminder")
    IMPLEMENTED = "implemented", _("Implemented")
    NOT_IMPLEMENTED = "not_implemented", _("Not implemented")
    PUBLISHED = "published", _("Outcome published")


class Progress(models.Model):
    """A resolution's history: updates by its owner, reminders sent when overdue, the closing and publishing."""

    resolution = models.ForeignKey(Resolution, on_delete=models.CASCADE, related_name="progress")
    kind = models.CharField(_("kind"), max_length=16, choices=ProgressKind.choices)
    on = models.DateField(_("date"))
    note = models.TextField(_("note"), blank=True)
    percent = models.PositiveSmallIntegerField(_("done (%)"), null=True, blank=True)
    by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["at", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(percent__isnull=True) | Q(percent__lte=100), name="governance_progress_percent"
            )
        ]

    def __str__(self):
        return f"{self.resolution_id} {self.kind} {self.on}"


class MicroProjectStatus(models.TextChoices):
    PLANNED = "planned", _("Planned")
    UNDERWAY = "underway", _("Underway")
    COMPLETED = "completed", _("Completed")
    CANCELLED = "cancelled", _("Cancelled")


class MicroProject(models.Model):
    """民生微实事: a small public works or service project, funded for what a topic asked for."""

    topic = models.ForeignKey(Topic, on_delete=models.PROTECT, related_name="micro_projects", verbose_name=_("topic"))
    region = models.ForeignKey(Region, on_delete=models.PROTECT, related_name="+")
    name = models.CharField(_("name"), max_length=120)
    budget = models.DecimalField(_("budget (yuan)"), max_digits=12, decimal_places=2)
    spent = models.DecimalField(_("spent (yuan)"), max_digits=12, decimal_places=2, default=0)
    status = models.CharField(
        _("status"), max_length=10, choices=MicroProjectStatus.choices, default=MicroProjectStatus.PLANNED
    )
    completion = models.PositiveSmallIntegerField(_("completion (%)"), default=0)
    completed_on = models.DateField(_("completed"), null=True, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("micro-project (民生微实事)")
        verbose_name_plural = _("micro-projects (民生微实事)")
        ordering = ["-created_at", "-pk"]
        constraints = [
            models.CheckConstraint(condition=Q(budget__gte=0) & Q(spent__gte=0), name="governance_micro_money"),
            models.CheckConstraint(condition=Q(completion__lte=100), name="governance_micro_completion"),
            models.CheckConstraint(
                condition=~Q(status="completed") | (Q(completion=100) & Q(completed_on__isnull=False)),
                name="governance_micro_completed_fully",
            ),
        ]

    def __str__(self):
        return self.name
