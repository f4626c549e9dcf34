"""Household and member forms. They check shapes; the registry service checks the rules (ID numbers,
duplicates, one head) and the view puts its errors next to the fields."""

from django import forms
from django.core.validators import RegexValidator
from django.utils.translation import gettext_lazy as _

from civic.models import DisabilityCategory, HukouType, Relationship, WorkAbility

phone_validator = RegexValidator(
    r"^(1\d{10}|0\d{2,3}-?\d{7,8})$", _("Enter an 11-digit mobile number or a landline such as 0756-2123456.")
)


class HouseholdForm(forms.Form):
    region = forms.ChoiceField(label=_("Community or village"))
    address = forms.CharField(label=_("Address"), max_length=200)
    is_rural = forms.TypedChoiceField(
        label=_("Urban or rural"),
        choices=[("", _("As the community")), ("0", _("Urban")), ("1", _("Rural"))],
        coerce=lambda v: v == "1",
        empty_value=None,
        required=False,
    )

    def __init__(self, *args, communities, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["region"].choices = [("", "—")] + [
            (c.code, f"{c.parent.name if c.parent else ''} {c.name}".strip()) for c in communities
        ]


class MemberForm(forms.Form):
    pk = forms.IntegerField(widget=forms.HiddenInput, required=False)
    # Spare rows must stay "unchanged" when left alone: no choice is preselected unless it is the initial value.
    relationship = forms.ChoiceField(label=_("Relationship to head"), choices=[("", "—"), *Relationship.choices])
    name = forms.CharField(label=_("Name"), max_length=50)
    id_number = forms.CharField(label=_("ID number"), max_length=20)
    phone = forms.CharField(label=_("Phone"), max_length=20, required=False, validators=[phone_validator])
    hukou_type = forms.ChoiceField(
        label=_("Household registration"), choices=HukouType.choices, initial=HukouType.LOCAL_URBAN
    )
    disability_category = forms.ChoiceField(
        label=_("Disability"), choices=[("", _("None"))] + DisabilityCategory.choices, required=False
    )
    disability_grade = forms.TypedChoiceField(
        label=_("Grade"),
        choices=[("", "—"), ("1", "1"), ("2", "2"), ("3", "3"), ("4", "4")],
        coerce=int,
        empty_value=None,
        required=False,
    )
    serious_illness = forms.BooleanField(label=_("Serious illness"), required=False)
    illness_note = forms.CharField(label=_("Illness"), max_length=100, required=False)
    work_ability = forms.ChoiceField(label=_("Work ability"), choices=WorkAbility.choices, initial=WorkAbility.FULL)

    def clean_id_number(self):
        return self.cleaned_data["id_number"].strip().upper()


MemberFormSet = forms.formset_factory(MemberForm, extra=3, max_num=20, validate_max=True)


class MoveForm(forms.Form):
    household_number = forms.CharField(
        label=_("Household number to move to"),
        max_length=30,
        help_text=_("As shown on the household file, e.g. 440402005001-0000012."),
    )
    relationship = forms.ChoiceField(
        label=_("Relationship to the new head"), choices=[("", "—"), *Relationship.choices]
    )
    reason = forms.CharField(label=_("Reason"), max_length=200)


class DeathForm(forms.Form):
    # A browser date picker: its value must be ISO (YYYY-MM-DD) whatever the language's date format.
    died_on = forms.DateField(
        label=_("Date of death"), widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
    )


class SearchForm(forms.Form):
    q = forms.CharField(
        label=_("Search"),
        required=False,
        max_length=100,
        widget=forms.TextInput(attrs={"placeholder": _("Name, ID number, mobile number or address")}),
    )
