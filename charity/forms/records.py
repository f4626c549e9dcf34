"""Forms of the charity record pages (organisations, funds, projects, pairings): they check shapes; the services in
charity.services check the rules. Choices are read through the scoped selectors, so nobody can pick a record or
a region outside their area."""

from decimal import Decimal

from django import forms
from django.utils import timezone
from django.utils.text import capfirst
from django.utils.translation import gettext_lazy as _

from civic import access
from civic.forms import DateInput
from civic.models import Region, RegionLevel

from .. import selectors
from ..models import (
    Fund,
    FundEntry,
    Grade,
    Organisation,
    OrganisationKind,
    Pairing,
    PairingActivity,
    PairingStatus,
    PairingTarget,
    Project,
    ProjectActivity,
    ProjectCategory,
    ProjectStatus,
)

MONEY = {"max_digits": 12, "decimal_places": 2}
ORGANISATION_LEVELS = (RegionLevel.CITY, RegionLevel.DISTRICT, RegionLevel.STREET)
PROJECT_LEVELS = (RegionLevel.CITY, RegionLevel.DISTRICT, RegionLevel.STREET, RegionLevel.COMMUNITY)
NO_GRADE = "none"


def label(model, field):
    """A field's label from the model's verbose name, so the forms name a field as the admin and exports do."""
    return capfirst(model._meta.get_field(field).verbose_name)


def region_choices(user, levels):
    """Regions of these levels inside the user's area, in code order (a district before its streets)."""
    regions = access.scope_queryset(user, Region.objects.filter(level__in=levels), field="code").order_by("code")
    return [(r.code, f"{r.name} ({r.get_level_display()})") for r in regions]


def street_choices(user):
    regions = access.scope_queryset(user, Region.objects.filter(level=RegionLevel.STREET), field="code")
    return [(r.code, r.name) for r in regions.order_by("code")]


def open_projects(user):
    """Projects the user sees that still take money (planned or running)."""
    return (
        selectors.projects_for(user)
        .filter(status__in=[ProjectStatus.PLANNED, ProjectStatus.RUNNING])
        .order_by("name", "pk")
    )


class ProjectField(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        return f"{obj.name} · {obj.organisation.name}"


def today():
    return timezone.localdate()


# ---------------------------------------------------------------------------------------------- organisations


class OrganisationFilterForm(forms.Form):
    q = forms.CharField(label=_("Name or credit code"), max_length=60, required=False)
    kind = forms.ChoiceField(label=_("Type"), choices=[("", _("All")), *OrganisationKind.choices], required=False)
    grade = forms.ChoiceField(
        label=_("Grade"),
        choices=[("", _("All")), *Grade.choices, (NO_GRADE, _("Not graded"))],
        required=False,
    )


class OrganisationRegisterForm(forms.Form):
    name = forms.CharField(label=label(Organisation, "name"), max_length=120)
    kind = forms.ChoiceField(label=label(Organisation, "kind"), choices=[("", "—"), *OrganisationKind.choices])
    credit_code = forms.CharField(
        label=label(Organisation, "credit_code"),
        max_length=30,
        help_text=_("18 characters, as on the registration certificate (统一社会信用代码)."),
    )
    region = forms.ChoiceField(
        label=label(Organisation, "region"), help_text=_("Where the organisation is registered.")
    )
    grade = forms.ChoiceField(
        label=label(Organisation, "grade"), choices=[("", _("Not graded")), *Grade.choices], required=False
    )
    grade_valid_from = forms.DateField(
        label=label(Organisation, "grade_valid_from"), widget=DateInput(), required=False
    )
    grade_valid_until = forms.DateField(
        label=label(Organisation, "grade_valid_until"),
        widget=DateInput(),
        required=False,
        help_text=_("Leave empty: a grade is valid five years from the date it was awarded."),
    )
    contact_name = forms.CharField(label=label(Organisation, "contact_name"), max_length=50, required=False)
    contact_phone = forms.CharField(label=label(Organisation, "contact_phone"), max_length=20, required=False)

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["region"].choices = region_choices(user, ORGANISATION_LEVELS)


class FundOpenForm(forms.Form):
    name = forms.CharField(label=label(Fund, "name"), max_length=120)


# ------------------------------------------------------------------------------------------------------ funds


class DonationForm(forms.Form):
    donor = forms.CharField(label=_("Donor"), max_length=120)
    amount = forms.DecimalField(label=_("Amount (yuan)"), min_value=Decimal("0.01"), **MONEY)
    on = forms.DateField(label=_("Date received"), widget=DateInput(), initial=today)
    purpose = forms.CharField(label=label(FundEntry, "purpose"), max_length=200, required=False)
    project = ProjectField(
        label=_("Restricted to a project"),
        queryset=Project.objects.none(),
        required=False,
        empty_label=_("Not restricted"),
    )

    def __init__(self, *args, user, **kwargs):
        kwargs.setdefault("prefix", "donation")
        super().__init__(*args, **kwargs)
        self.fields["project"].queryset = open_projects(user)


class GrantForm(forms.Form):
    project = ProjectField(label=_("To a project"), queryset=Project.objects.none(), required=False, empty_label="—")
    household_number = forms.CharField(
        label=_("or to a household (household-file number)"),
        max_length=30,
        required=False,
        help_text=_("As shown in the household file, e.g. 440402005001-0000012."),
    )
    recipient = forms.CharField(
        label=_("Recipient"),
        max_length=120,
        required=False,
        help_text=_("Required when the grant goes neither to a project nor to a household."),
    )
    amount = forms.DecimalField(label=_("Amount (yuan)"), min_value=Decimal("0.01"), **MONEY)
    on = forms.DateField(label=_("Date paid"), widget=DateInput(), initial=today)
    purpose = forms.CharField(label=label(FundEntry, "purpose"), max_length=200, required=False)

    def __init__(self, *args, user, **kwargs):
        kwargs.setdefault("prefix", "grant")
        super().__init__(*args, **kwargs)
        self.fields["project"].queryset = open_projects(user)

    def clean(self):
        data = super().clean()
        project, number = data.get("project"), (data.get("household_number") or "").strip()
        if project is not None and number:
            self.add_error("household_number", _("A grant goes to a project or to a household, not both."))
        elif project is None and not number and not (data.get("recipient") or "").strip():
            self.add_error("recipient", _("Choose a project, give a household number or name the recipient."))
        return data


# --------------------------------------------------------------------------------------------------- projects


class ProjectFilterForm(forms.Form):
    q = forms.CharField(label=label(Project, "name"), max_length=60, required=False)
    category = forms.ChoiceField(
        label=label(Project, "category"), choices=[("", _("All")), *ProjectCategory.choices], required=False
    )
    status = forms.ChoiceField(
        label=label(Project, "status"), choices=[("", _("All")), *ProjectStatus.choices], required=False
    )


class ProjectCreateForm(forms.Form):
    organisation = forms.ModelChoiceField(label=label(Project, "organisation"), queryset=Organisation.objects.none())
    name = forms.CharField(label=label(Project, "name"), max_length=120)
    category = forms.ChoiceField(label=label(Project, "category"), choices=[("", "—"), *ProjectCategory.choices])
    region = forms.ChoiceField(
        label=label(Project, "region"), help_text=_("Where the project runs; it is managed from there.")
    )
    budget = forms.DecimalField(label=label(Project, "budget"), min_value=0, max_digits=14, decimal_places=2)
    starts_on = forms.DateField(label=label(Project, "starts_on"), widget=DateInput(), initial=today)
    ends_on = forms.DateField(label=label(Project, "ends_on"), widget=DateInput(), required=False)
    description = forms.CharField(
        label=label(Project, "description"), widget=forms.Textarea(attrs={"rows": 3}), required=False
    )

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["organisation"].queryset = selectors.organisations_for(user).order_by("name", "pk")
        self.fields["region"].choices = region_choices(user, PROJECT_LEVELS)


class ProjectMoveForm(forms.Form):
    status = forms.ChoiceField(choices=ProjectStatus.choices)


class ActivityForm(forms.Form):
    on = forms.DateField(label=label(ProjectActivity, "on"), widget=DateInput(), initial=today)
    place = forms.CharField(label=label(ProjectActivity, "place"), max_length=120)
    description = forms.CharField(label=label(ProjectActivity, "description"), max_length=300, required=False)
    beneficiaries = forms.IntegerField(
        label=label(ProjectActivity, "beneficiaries"),
        min_value=0,
        required=False,
        help_text=_("Empty: the number of people named below."),
    )
    spent = forms.DecimalField(label=label(ProjectActivity, "spent"), min_value=0, required=False, **MONEY)
    residents = forms.CharField(
        label=_("Named beneficiaries (ID numbers)"),
        widget=forms.Textarea(attrs={"rows": 4, "autocomplete": "off"}),
        required=False,
        help_text=_("Residents of your area who were helped: one ID number per line. Optional."),
    )


# --------------------------------------------------------------------------------------------------- pairings


class PairingFilterForm(forms.Form):
    target = forms.ChoiceField(
        label=label(Pairing, "target"), choices=[("", _("All")), *PairingTarget.choices], required=False
    )
    status = forms.ChoiceField(
        label=label(Pairing, "status"), choices=[("", _("All")), *PairingStatus.choices], required=False
    )


class PairingCreateForm(forms.Form):
    organisation = forms.ModelChoiceField(
        label=label(Pairing, "organisation"), queryset=Organisation.objects.none(), required=False, empty_label="—"
    )
    donor_name = forms.CharField(
        label=_("or a donor"),
        max_length=120,
        required=False,
        help_text=_("A person or business that is not a registered organisation."),
    )
    street = forms.ChoiceField(label=_("Street or town"), required=False)
    household_number = forms.CharField(
        label=_("or a household (household-file number)"),
        max_length=30,
        required=False,
        help_text=_("As shown in the household file, e.g. 440402005001-0000012."),
    )
    started_on = forms.DateField(label=label(Pairing, "started_on"), widget=DateInput(), initial=today)
    ends_on = forms.DateField(label=label(Pairing, "ends_on"), widget=DateInput(), required=False)
    commitment = forms.CharField(label=label(Pairing, "commitment"), max_length=200, required=False)

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["organisation"].queryset = selectors.organisations_for(user).order_by("name", "pk")
        self.fields["street"].choices = [("", "—"), *street_choices(user)]

    def clean(self):
        data = super().clean()
        if data.get("organisation") is not None and (data.get("donor_name") or "").strip():
            self.add_error("donor_name", _("Choose an organisation or name a donor, not both."))
        street, number = data.get("street"), (data.get("household_number") or "").strip()
        if street and number:
            self.add_error("household_number", _("Pair with a street or town, or with a household, not both."))
        return data


class PairingEndForm(forms.Form):
    ends_on = forms.DateField(label=_("Ended on"), widget=DateInput(), initial=today)


class PairingActivityForm(forms.Form):
    on = forms.DateField(label=label(PairingActivity, "on"), widget=DateInput(), initial=today)
    description = forms.CharField(label=label(PairingActivity, "description"), max_length=300)
    beneficiaries = forms.IntegerField(
        label=label(PairingActivity, "beneficiaries"),
        min_value=0,
        required=False,
        help_text=_("Empty for a household pairing: one."),
    )
    value = forms.DecimalField(label=label(PairingActivity, "value"), min_value=0, required=False, **MONEY)
    household_number = forms.CharField(
        label=_("For a household (household-file number)"),
        max_length=30,
        required=False,
        help_text=_("Optional: the household of the street that was helped."),
    )

    def __init__(self, *args, pairing=None, **kwargs):
        super().__init__(*args, **kwargs)
        if pairing is not None and pairing.household_id:
            del self.fields["household_number"]
