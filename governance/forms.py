"""Forms of the council pages: they check shapes (a date is a date, a count a whole number); governance.services
checks the rules (who may record where, what a meeting's items need, which step is open)."""

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from civic import access
from civic.forms import DateInput
from civic.models import Region, RegionLevel

from . import selectors
from .models import (
    CouncilLevel,
    DeliberationOutcome,
    MemberKind,
    MemberRole,
    MicroProjectStatus,
    ResolutionStatus,
    TopicCategory,
    TopicSource,
    TopicStatus,
)
from .services.micro_projects import MOVES

ALL = [("", _("All"))]


def date_field(label, required=True, **kwargs):
    return forms.DateField(label=label, required=required, widget=DateInput(), **kwargs)


def text_area(rows=3):
    return forms.Textarea(attrs={"rows": rows})


class CouncilChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        return f"{obj.name} · {obj.region.name}"


# ------------------------------------------------------------------------------------------------------ councils


class CouncilFilterForm(forms.Form):
    q = forms.CharField(label=pgettext_lazy("council", "Name"), max_length=60, required=False)
    level = forms.ChoiceField(label=_("Level"), choices=ALL + CouncilLevel.choices, required=False)


def region_choices(user):
    """The streets and communities of the user's area, grouped: a street council belongs to a street, the others
    to a community (the service checks the pair)."""
    regions = access.scope_queryset(
        user, Region.objects.filter(level__in=[RegionLevel.STREET, RegionLevel.COMMUNITY]), field="code"
    ).select_related("parent")
    streets, communities = [], []
    for region in regions.order_by("code"):
        if region.level == RegionLevel.STREET:
            streets.append((region.code, region.name))
        else:
            parent = f"{region.parent.name} › " if region.parent_id else ""
            communities.append((region.code, f"{parent}{region.name}"))
    choices = [("", "—")]
    if streets:
        choices.append((_("Street or town (for a street council)"), streets))
    if communities:
        choices.append((_("Community or village (for the other levels)"), communities))
    return choices


class CouncilCreateForm(forms.Form):
    level = forms.ChoiceField(label=_("Level"), choices=CouncilLevel.choices, initial=CouncilLevel.COMMUNITY)
    region = forms.ChoiceField(
        label=_("Area"),
        help_text=_(
            "A street council belongs to its street; a community, neighbourhood or building council to its community."
        ),
    )
    name = forms.CharField(label=pgettext_lazy("council", "Name"), max_length=120)
    place = forms.CharField(label=_("Meeting place"), max_length=120, required=False)
    established_on = date_field(_("Established"))

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["region"].choices = region_choices(user)
        self.fields["established_on"].initial = timezone.localdate()


class MemberForm(forms.Form):
    name = forms.CharField(label=_("Name"), max_length=50)
    kind = forms.ChoiceField(label=_("Represents"), choices=MemberKind.choices)
    role = forms.ChoiceField(label=_("Role"), choices=MemberRole.choices, initial=MemberRole.MEMBER)
    phone = forms.CharField(label=_("Phone"), max_length=20, required=False)
    joined_on = date_field(_("Joined"))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["joined_on"].initial = timezone.localdate()


class MemberLeaveForm(forms.Form):
    left_on = date_field(_("Left on"), required=False)


# -------------------------------------------------------------------------------------------------------- topics


class TopicFilterForm(forms.Form):
    q = forms.CharField(label=_("Title"), max_length=60, required=False)
    status = forms.ChoiceField(label=_("Status"), choices=ALL + TopicStatus.choices, required=False)
    source = forms.ChoiceField(
        label=pgettext_lazy("topic", "Source"), choices=ALL + TopicSource.choices, required=False
    )
    category = forms.ChoiceField(label=_("Category"), choices=ALL + TopicCategory.choices, required=False)
    council = CouncilChoiceField(label=_("Council"), queryset=None, required=False, empty_label=_("All"))

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["council"].queryset = selectors.councils_for(user).order_by("region_id", "name")


class TopicCreateForm(forms.Form):
    council = CouncilChoiceField(label=_("Council"), queryset=None)
    title = forms.CharField(label=_("Title"), max_length=200)
    description = forms.CharField(label=_("Description"), widget=text_area(4), required=False)
    source = forms.ChoiceField(
        label=pgettext_lazy("topic", "Source"), choices=TopicSource.choices, initial=TopicSource.RESIDENT
    )
    category = forms.ChoiceField(label=_("Category"), choices=TopicCategory.choices)
    proposer = forms.CharField(label=_("Proposer"), max_length=100)
    received_on = date_field(pgettext_lazy("topic", "Received"))
    external_ref = forms.CharField(
        label=_("Hotline reference"),
        max_length=40,
        required=False,
        help_text=_("For a hotline (12345) request: the same reference received twice is one topic."),
    )

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["council"].queryset = (
            selectors.councils_for(user).filter(is_active=True).order_by("region_id", "name")
        )
        self.fields["received_on"].initial = timezone.localdate()


class DeclineForm(forms.Form):
    reason = forms.CharField(
        label=_("Reason"), widget=text_area(2), help_text=_("The proposer is told why the topic is declined.")
    )


class MicroProjectCreateForm(forms.Form):
    name = forms.CharField(label=_("Project name"), max_length=120)
    budget = forms.DecimalField(label=_("Budget (yuan)"), max_digits=12, decimal_places=2, min_value=0)


# ------------------------------------------------------------------------------------------------------ meetings


class MeetingForm(forms.Form):
    held_on = date_field(pgettext_lazy("meeting", "Date"))
    place = forms.CharField(label=_("Place"), max_length=120)
    minutes = forms.CharField(label=pgettext_lazy("meeting", "Minutes"), widget=text_area(6))
    attendees = forms.ModelMultipleChoiceField(
        label=_("Members present"), queryset=None, required=False, widget=forms.CheckboxSelectMultiple
    )
    other_participants = forms.IntegerField(
        label=_("Other participants"),
        min_value=0,
        initial=0,
        help_text=_("Residents, parties concerned and departments who took part, besides the members."),
    )

    def __init__(self, *args, council, **kwargs):
        super().__init__(*args, **kwargs)
        members = council.members.filter(left_on__isnull=True).order_by("role", "name")
        self.fields["attendees"].queryset = members
        self.fields["attendees"].label_from_instance = lambda m: f"{m.name} ({m.get_role_display()})"
        self.fields["held_on"].initial = timezone.localdate()
        self.fields["place"].initial = council.place


class AgendaItemForm(forms.Form):
    """One accepted topic of the council: on this meeting's agenda or not, and if so how it went. Prefixed by the
    topic, so the page works without JavaScript; only the items ticked go to the service."""

    on_agenda = forms.BooleanField(label=_("On the agenda"), required=False)
    outcome = forms.ChoiceField(label=_("Outcome"), choices=[("", "—"), *DeliberationOutcome.choices], required=False)
    votes_for = forms.IntegerField(label=_("Votes for"), min_value=0, initial=0, required=False)
    votes_against = forms.IntegerField(label=_("Against"), min_value=0, initial=0, required=False)
    votes_abstain = forms.IntegerField(label=_("Abstentions"), min_value=0, initial=0, required=False)
    notes = forms.CharField(label=_("Notes"), widget=text_area(2), required=False)
    resolution_text = forms.CharField(
        label=_("Resolution"), widget=text_area(2), required=False, help_text=_("When a resolution is made.")
    )
    owner = forms.CharField(label=_("Responsible"), max_length=100, required=False)
    due_on = date_field(_("Due"), required=False)

    def __init__(self, *args, topic, **kwargs):
        kwargs.setdefault("prefix", f"topic-{topic.pk}")
        super().__init__(*args, **kwargs)
        self.topic = topic

    @property
    def ticked(self):
        """The box as posted, whether or not the rest of the item is valid."""
        if not self.is_bound:
            return False
        widget = self.fields["on_agenda"].widget
        return widget.value_from_datadict(self.data, self.files, self.add_prefix("on_agenda"))


# --------------------------------------------------------------------------------------------------- resolutions


class ResolutionFilterForm(forms.Form):
    status = forms.ChoiceField(label=_("Status"), choices=ALL + ResolutionStatus.choices, required=False)
    overdue = forms.BooleanField(label=_("Overdue only"), required=False)


class ProgressForm(forms.Form):
    note = forms.CharField(label=_("What has been done"), widget=text_area(2))
    percent = forms.IntegerField(label=_("Done (%)"), min_value=0, max_value=100, required=False)


class ImplementedForm(forms.Form):
    outcome = forms.CharField(
        label=_("Outcome"), widget=text_area(3), help_text=_("What was done: this is what gets published.")
    )
    closed_on = date_field(_("Implemented on"))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["closed_on"].initial = timezone.localdate()


class NotImplementedForm(forms.Form):
    reason = forms.CharField(label=_("Why it could not be carried out"), widget=text_area(3))
    closed_on = date_field(_("Given up on"))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["closed_on"].initial = timezone.localdate()


# ------------------------------------------------------------------------------------------------ micro-projects


class MicroProjectFilterForm(forms.Form):
    q = forms.CharField(label=pgettext_lazy("micro-project", "Name"), max_length=60, required=False)
    status = forms.ChoiceField(label=_("Status"), choices=ALL + MicroProjectStatus.choices, required=False)


class MicroProjectUpdateForm(forms.Form):
    status = forms.ChoiceField(label=_("Status"))
    completion = forms.IntegerField(label=_("Completion (%)"), min_value=0, max_value=100, required=False)
    spent = forms.DecimalField(label=_("Spent (yuan)"), max_digits=12, decimal_places=2, min_value=0, required=False)
    completed_on = date_field(_("Completed on"), required=False, help_text=_("When completed; today if left empty."))

    def __init__(self, *args, project, **kwargs):
        super().__init__(*args, **kwargs)
        labels = dict(MicroProjectStatus.choices)
        moves = MOVES.get(project.status, set())
        self.fields["status"].choices = [(v, labels[v]) for v in MicroProjectStatus.values if v in moves]
        self.fields["completion"].initial = project.completion
        self.fields["spent"].initial = project.spent


# ------------------------------------------------------------------------------------------------------- figures

GROUPING_LABELS = {
    "council": _("Council"),
    "community": _("Community (or street, for street councils)"),
    "street": _("Street or town"),
}


class FiguresForm(forms.Form):
    by = forms.ChoiceField(
        label=_("Per"), choices=[(g, GROUPING_LABELS[g]) for g in selectors.GROUPINGS], required=False
    )
    as_of = date_field(_("Rate as of"), required=False)
    start = date_field(_("Period from"), required=False)
    end = date_field(pgettext_lazy("period", "to"), required=False)

    def clean(self):
        data = super().clean()
        if data.get("start") and data.get("end") and data["start"] > data["end"]:
            self.add_error("end", _("The period ends before it starts."))
        return data
