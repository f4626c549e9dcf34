"""Forms of the child-protection pages: they check shapes; childcare.services checks the rules."""

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from civic import access
from civic.forms import DateInput
from civic.forms.registry import phone_validator
from civic.models import User
from civic.roles import Role

from .models import (
    AllowanceKind,
    ChildCategory,
    ParentSituation,
    Referral,
    ReporterKind,
    ReportState,
    RiskLevel,
    Situation,
)


def community_choices(communities):
    return [("", "—")] + [(c.code, f"{c.parent.name if c.parent else ''} {c.name}".strip()) for c in communities]


# ------------------------------------------------------------------------------------------ mandatory reports


class ReportFilterForm(forms.Form):
    state = forms.ChoiceField(label=_("State"), choices=[("", _("All")), *ReportState.choices], required=False)
    overdue = forms.BooleanField(label=_("Overdue only"), required=False)


class ReportIntakeForm(forms.Form):
    region = forms.ChoiceField(label=_("Community or village"))
    reporter_kind = forms.ChoiceField(label=_("Who is reporting"), choices=[("", "—"), *ReporterKind.choices])
    reporter_name = forms.CharField(label=_("Reporter's name or organisation"), max_length=120)
    reporter_contact = forms.CharField(
        label=_("Reporter's contact"),
        max_length=60,
        required=False,
        help_text=_("A phone number or address where the reporter can be told the outcome."),
    )
    child_id_number = forms.CharField(
        label=_("The child's ID number"),
        max_length=20,
        required=False,
        help_text=_("When the child is known; otherwise describe the child below."),
    )
    child_description = forms.CharField(
        label=_("The child, when not identified"),
        widget=forms.Textarea(attrs={"rows": 2}),
        required=False,
        help_text=_("Name if known, age, sex, where the child was seen, school or class."),
    )
    situation = forms.ChoiceField(label=_("Situation"), choices=[("", "—"), *Situation.choices])
    immediate_danger = forms.BooleanField(
        label=_("The child is in immediate danger"),
        required=False,
        help_text=_("The report must then be acted on within 24 hours, otherwise within 72."),
    )
    account = forms.CharField(label=_("What was seen or heard"), widget=forms.Textarea(attrs={"rows": 5}))

    def __init__(self, *args, communities, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["region"].choices = community_choices(communities)
        if len(communities) == 1 and not self.is_bound:
            self.fields["region"].initial = communities[0].code

    def clean(self):
        data = super().clean()
        if not (data.get("child_id_number") or "").strip() and not (data.get("child_description") or "").strip():
            self.add_error("child_description", _("Give the child's ID number or describe the child."))
        return data


class AssessForm(forms.Form):
    step = forms.CharField(widget=forms.HiddenInput, initial="assess")
    risk_level = forms.ChoiceField(label=_("Risk level"), choices=RiskLevel.choices, widget=forms.RadioSelect)
    note = forms.CharField(
        label=_("Assessment"), widget=forms.Textarea(attrs={"rows": 3}), help_text=_("What was found and why.")
    )


class PlanForm(forms.Form):
    step = forms.CharField(widget=forms.HiddenInput, initial="plan")
    plan = forms.CharField(label=_("Plan"), widget=forms.Textarea(attrs={"rows": 4}))
    note = forms.CharField(label=_("Note"), widget=forms.Textarea(attrs={"rows": 2}), required=False)


ACTIONS = [("intervene", _("Intervene (civil affairs acts itself)")), ("refer", _("Refer to another agency"))]


class ActForm(forms.Form):
    step = forms.CharField(widget=forms.HiddenInput, initial="act")
    action = forms.ChoiceField(label=_("Action"), choices=ACTIONS, widget=forms.RadioSelect)
    referred_to = forms.ChoiceField(
        label=_("Referred to"),
        choices=[("", "—"), *Referral.choices],
        required=False,
        help_text=_("Only when referring."),
    )
    note = forms.CharField(
        label=_("What was done"), widget=forms.Textarea(attrs={"rows": 3}), help_text=_("Who, when, what was agreed.")
    )

    def clean(self):
        data = super().clean()
        if data.get("action") == "refer" and not data.get("referred_to"):
            self.add_error("referred_to", _("Choose where the case is referred."))
        return data


class FollowUpForm(forms.Form):
    step = forms.CharField(widget=forms.HiddenInput, initial="follow_up")
    note = forms.CharField(
        label=_("Follow-up note"),
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("How the child is now, after the intervention or referral."),
    )


class CloseForm(forms.Form):
    step = forms.CharField(widget=forms.HiddenInput, initial="close")
    outcome = forms.CharField(
        label=_("Outcome told to the reporter"),
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("The reporter reads this back by the reference number: no names or details of the child."),
    )
    note = forms.CharField(label=_("Closing note"), widget=forms.Textarea(attrs={"rows": 2}), required=False)


# The form of each step as posted (`step`), and the step a report's state leads to.
STEP_FORMS = {"assess": AssessForm, "plan": PlanForm, "act": ActForm, "follow_up": FollowUpForm, "close": CloseForm}
NEXT_STEP = {
    ReportState.RECEIVED: "assess",
    ReportState.ASSESSED: "plan",
    ReportState.PLANNED: "act",
    ReportState.INTERVENTION: "follow_up",
    ReportState.REFERRED: "follow_up",
    ReportState.FOLLOW_UP: "close",
}
STEP_TITLES = {
    "assess": _("Assess the report"),
    "plan": _("Make a plan"),
    "act": _("Intervene or refer"),
    "follow_up": _("Follow up"),
    "close": _("Close and tell the reporter the outcome"),
}


# --------------------------------------------------------------------------------------------- child profiles


class StaffField(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        name = obj.full_name or obj.username
        return f"{name} · {obj.region.name}" if obj.region_id else name


def staff_of_role(user, role):
    """Staff of a role working in the user's area or in the regions above it (a community's director sees the
    street's supervisor); the service checks that they match the child's community and street."""
    staff = User.objects.filter(is_active=True, role=role).select_related("region")
    return access.scope_queryset_with_ancestors(user, staff).order_by("region_id", "username")


class ProfileRegisterForm(forms.Form):
    id_number = forms.CharField(label=_("The child's ID number"), max_length=20)
    categories = forms.MultipleChoiceField(
        label=_("Categories"), choices=ChildCategory.choices, widget=forms.CheckboxSelectMultiple
    )
    guardian = forms.CharField(label=_("Guardian or carer"), max_length=100, required=False)
    guardian_phone = forms.CharField(
        label=_("Guardian's phone"), max_length=20, required=False, validators=[phone_validator]
    )
    school = forms.CharField(label=_("School"), max_length=100, required=False)
    father = forms.ChoiceField(
        label=_("Father's situation"), choices=[("", "—"), *ParentSituation.choices], required=False
    )
    mother = forms.ChoiceField(
        label=_("Mother's situation"), choices=[("", "—"), *ParentSituation.choices], required=False
    )
    director = StaffField(label=_("Child director of the community"), queryset=User.objects.none())
    supervisor = StaffField(label=_("Child supervisor of the street"), queryset=User.objects.none())

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        for name, role in (("director", Role.CHILD_DIRECTOR), ("supervisor", Role.CHILD_SUPERVISOR)):
            field = self.fields[name]
            field.queryset = staff_of_role(user, role)
            if user.role == role:
                field.initial = user.pk
            elif not self.is_bound:
                only = list(field.queryset[:2])
                if len(only) == 1:
                    field.initial = only[0].pk


# ---------------------------------------------------------------------------------------- allowances and visits


class ClaimForm(forms.Form):
    """The director's claim for the child's basic living allowance; the kinds offered are the child's categories
    that give one (orphans, de-facto-unsupported children)."""

    kind = forms.ChoiceField(label=_("Kind of allowance"), widget=forms.RadioSelect)
    payee_name = forms.CharField(label=_("Paid to (guardian or carer)"), max_length=100)
    account = forms.CharField(
        label=_("Payment account"), max_length=40, help_text=_("The guardian's or carer's account: 10 to 30 digits.")
    )

    def __init__(self, *args, kinds, payee="", **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["kind"].choices = [(kind, AllowanceKind(kind).label) for kind in kinds]
        if not self.is_bound:
            if len(kinds) == 1:
                self.fields["kind"].initial = kinds[0]
            self.fields["payee_name"].initial = payee


DECISIONS = [("approve", _("Approve")), ("refuse", _("Refuse"))]


class ClaimDecisionForm(forms.Form):
    """The street's verification or the district's confirmation of a claim: approve, or refuse with reasons."""

    decision = forms.ChoiceField(label=_("Decision"), choices=DECISIONS, widget=forms.RadioSelect)
    reasons = forms.CharField(
        label=_("Reasons"),
        widget=forms.Textarea(attrs={"rows": 3}),
        required=False,
        help_text=_("Required when refusing: the child director is told them."),
    )

    def clean(self):
        data = super().clean()
        if data.get("decision") == "refuse" and not (data.get("reasons") or "").strip():
            self.add_error("reasons", _("A refusal needs written reasons."))
        return data


class ChildVisitForm(forms.Form):
    visited_on = forms.DateField(label=pgettext_lazy("child visit", "Visited on"), widget=DateInput())
    findings = forms.CharField(
        label=pgettext_lazy("child visit", "Findings"),
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("How the child is: care, schooling, health, safety."),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if not self.is_bound:
            self.fields["visited_on"].initial = timezone.localdate()
