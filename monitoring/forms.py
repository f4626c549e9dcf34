"""Forms of the monitoring pages: they check shapes (a date is a date, a number a number); monitoring.services
checks the rules (who may act where, which step is open, what each rule's settings may be)."""

from django import forms
from django.utils.translation import gettext_lazy as _

from civic import access
from civic.forms import DateInput
from civic.models import Region, RegionLevel

from .models import AlertStatus, Category, RuleCode, WatchStatus
from .rules import SPECS

ALL = [("", _("All"))]


def text_area(rows=3):
    return forms.Textarea(attrs={"rows": rows})


def communities(user):
    """The communities of the user's area, for the filters."""
    return access.scope_queryset(user, Region.objects.filter(level=RegionLevel.COMMUNITY), field="code").order_by(
        "code"
    )


class CommunityChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        return obj.name


# ------------------------------------------------------------------------------------------------------ warnings


class WorkFilterForm(forms.Form):
    rule = forms.ChoiceField(label=_("Warning"), choices=ALL + RuleCode.choices, required=False)


class AlertFilterForm(forms.Form):
    q = forms.CharField(
        label=_("Household number or name"),
        max_length=50,
        required=False,
        help_text=_("A household file number (e.g. 440402005001-0000012) or part of a person's name."),
    )
    status = forms.ChoiceField(label=_("Status"), choices=ALL + AlertStatus.choices, required=False)
    rule = forms.ChoiceField(label=_("Warning"), choices=ALL + RuleCode.choices, required=False)
    community = CommunityChoiceField(label=_("Community"), queryset=None, required=False, empty_label=_("All"))
    overdue = forms.BooleanField(label=_("Past due only"), required=False)
    found_from = forms.DateField(label=_("Found from"), required=False, widget=DateInput())
    found_to = forms.DateField(label=_("Found until"), required=False, widget=DateInput())

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["community"].queryset = communities(user)

    def clean(self):
        data = super().clean()
        start, end = data.get("found_from"), data.get("found_to")
        if start and end and end < start:
            self.add_error("found_to", _("The end comes before the start."))
        return data


class DismissForm(forms.Form):
    reason = forms.CharField(
        label=_("Why no action is needed"),
        widget=text_area(3),
        required=False,  # the service says why it is needed, next to the field
        help_text=_("E.g. the record concerned someone else of the same name; the family was visited and is fine."),
    )


class ReviewForm(forms.Form):
    reason = forms.CharField(
        label=_("What the review is to look at"),
        widget=text_area(3),
        required=False,
        help_text=_("Recorded with the benefit; the review falls due today and heads the street's list."),
    )


# -------------------------------------------------------------------------------------------------------- people


class PersonFilterForm(forms.Form):
    q = forms.CharField(
        label=_("Name or ID number"),
        max_length=50,
        required=False,
        help_text=_("Part of a name, or a full ID number."),
    )
    category = forms.ChoiceField(label=_("Category"), choices=ALL + Category.choices, required=False)
    status = forms.ChoiceField(label=_("Status"), choices=ALL + WatchStatus.choices, required=False)
    community = CommunityChoiceField(label=_("Community"), queryset=None, required=False, empty_label=_("All"))

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["community"].queryset = communities(user)


class PersonAddForm(forms.Form):
    id_number = forms.CharField(label=_("ID number"), max_length=20)
    reason = forms.CharField(
        label=_("Why watched"),
        widget=text_area(3),
        required=False,
        help_text=_("E.g. a hotline call about hardship, what a visit found, a neighbour's word."),
    )


class PersonEndForm(forms.Form):
    reason = forms.CharField(label=_("Why the watch ends"), widget=text_area(3), required=False)


# ------------------------------------------------------------------------------------------------------- records


class RecordMatchForm(forms.Form):
    id_number = forms.CharField(label=_("Resident's ID number"), max_length=20, required=False)


class RecordSetAsideForm(forms.Form):
    reason = forms.CharField(label=_("Why set aside"), widget=text_area(2), required=False)


# --------------------------------------------------------------------------------------------------------- rules


class RuleForm(forms.Form):
    """A rule's settings; the fields the rule does not use are removed, the others labelled as they mean for it."""

    enabled = forms.BooleanField(label=_("In use"), required=False)
    programmes = forms.MultipleChoiceField(
        label=_("Programmes"), widget=forms.CheckboxSelectMultiple, required=False, choices=()
    )
    threshold = forms.DecimalField(label=_("Threshold"), required=False, max_digits=8, decimal_places=2)
    min_amount = forms.DecimalField(label=_("At least (yuan)"), required=False, max_digits=12, decimal_places=2)
    window_days = forms.IntegerField(label=_("Looking back (days)"), required=False)
    deadline_days = forms.IntegerField(
        label=_("Task deadline (working days)"),
        help_text=_("The caseworker has this many working days from the day the warning is found."),
    )
    urgent = forms.BooleanField(
        label=_("Urgent"), required=False, help_text=_("Urgent tasks head the caseworker's list.")
    )

    OPTIONAL = ("programmes", "threshold", "min_amount", "window_days")

    def __init__(self, *args, rule, **kwargs):
        spec = SPECS[rule.code]
        kwargs.setdefault(
            "initial",
            {
                "enabled": rule.enabled,
                "programmes": list(rule.programmes or []),
                "threshold": rule.threshold,
                "min_amount": rule.min_amount,
                "window_days": rule.window_days,
                "deadline_days": rule.deadline_days,
                "urgent": rule.urgent,
            },
        )
        super().__init__(*args, **kwargs)
        for name in self.OPTIONAL:
            if name in spec.settings:
                self.fields[name].label = spec.settings[name]
            else:
                del self.fields[name]
        if "programmes" in self.fields:
            self.fields["programmes"].choices = list(spec.programme_choices)

    def settings(self):
        """The cleaned values to hand to services.rules.rule_update."""
        return {name: self.cleaned_data.get(name) for name in self.fields}
