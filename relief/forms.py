"""Forms of the relief pages: they check shapes; relief.services.applications checks the rules."""

from decimal import Decimal

from django import forms
from django.utils.translation import gettext_lazy as _

from civic.forms import DateInput
from civic.models import User
from relief.models import Opinion
from relief.models.applications import Resolution
from relief.programmes import APPLIED_CHOICES, AssetKind, CareForm, ExpenseKind, IncomeKind

MONEY = {"max_digits": 12, "decimal_places": 2, "min_value": 0}


class HouseholdLookupForm(forms.Form):
    id_number = forms.CharField(
        label=_("ID number of a household member"),
        max_length=20,
        help_text=_("Any service point in the city may accept an application (全城通办)."),
    )


class FilingForm(forms.Form):
    programme = forms.ChoiceField(label=_("Programme"), choices=APPLIED_CHOICES)
    public_notice = forms.TypedChoiceField(
        label=_("Public notice"),
        choices=[("", _("As the programme requires")), ("0", _("No public notice for this case"))],
        coerce=lambda v: False if v == "0" else None,
        empty_value=None,
        required=False,
    )
    self_care_failures = forms.IntegerField(
        label=_("特困: daily activities not possible (0–6)"),
        min_value=0,
        max_value=6,
        initial=0,
        required=False,
        help_text=_("Eating, dressing, getting in and out of bed, toileting, walking indoors, bathing."),
    )
    care_form = forms.ChoiceField(
        label=_("特困: form of care"), choices=CareForm.choices, initial=CareForm.DISPERSED, required=False
    )
    aid_months = forms.DecimalField(
        label=_("Temporary aid: months of the standard"),
        max_digits=4,
        decimal_places=1,
        min_value=Decimal("0.5"),
        initial=1,
        required=False,
    )
    account = forms.CharField(
        label=_("Payment account"),
        max_length=40,
        required=False,
        help_text=_("The social-security card (社保卡) or bank account the benefit is paid into."),
    )
    id_proof = forms.FileField(label=_("Identity documents"))
    commitment = forms.FileField(label=_("Signed commitment and authorisation (承诺授权书)"))
    declaration = forms.FileField(label=_("List of family members, income and property"))


class IncomeForm(forms.Form):
    resident = forms.TypedChoiceField(label=_("Member"), coerce=int)
    kind = forms.ChoiceField(label=_("Kind of income"), choices=[("", "—"), *IncomeKind.choices])
    monthly_amount = forms.DecimalField(label=_("Monthly amount (yuan)"), **MONEY)

    def __init__(self, *args, members=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["resident"].choices = [("", "—")] + [(m.pk, m.name) for m in members]


class AssetForm(forms.Form):
    kind = forms.ChoiceField(label=_("Kind of property"), choices=[("", "—"), *AssetKind.choices])
    description = forms.CharField(label=_("Description"), max_length=200, required=False)
    value = forms.DecimalField(label=_("Value (yuan)"), max_digits=14, decimal_places=2, min_value=0)


class ExpenseForm(forms.Form):
    kind = forms.ChoiceField(label=_("Kind of spending"), choices=[("", "—"), *ExpenseKind.choices])
    monthly_amount = forms.DecimalField(label=_("Monthly amount (yuan)"), **MONEY)


IncomeFormSet = forms.formset_factory(IncomeForm, extra=3, max_num=40)
AssetFormSet = forms.formset_factory(AssetForm, extra=2, max_num=20)
ExpenseFormSet = forms.formset_factory(ExpenseForm, extra=2, max_num=20)


class HomeVisitForm(forms.Form):
    visited_on = forms.DateField(label=_("Visited on"), widget=DateInput())
    second_investigator = forms.ModelChoiceField(label=_("Second investigator"), queryset=User.objects.none())
    findings = forms.CharField(label=_("Findings"), widget=forms.Textarea(attrs={"rows": 3}))

    def __init__(self, *args, colleagues=None, **kwargs):
        super().__init__(*args, **kwargs)
        if colleagues is not None:
            self.fields["second_investigator"].queryset = colleagues


class CrossCheckForm(forms.Form):
    source = forms.CharField(label=_("Source"), max_length=100, initial=_("Family economic status verification centre"))
    passed = forms.TypedChoiceField(
        label=_("Result"),
        choices=[("1", _("Consistent with the declaration")), ("0", _("Differs from the declaration"))],
        coerce=lambda v: v == "1",
    )
    details = forms.CharField(label=_("Details"), widget=forms.Textarea(attrs={"rows": 2}), required=False)


class OpinionForm(forms.Form):
    opinion = forms.ChoiceField(label=_("Street opinion"), choices=Opinion.choices)
    reasons = forms.CharField(label=_("Reasons"), widget=forms.Textarea(attrs={"rows": 3}))


class ObjectionForm(forms.Form):
    received_on = forms.DateField(label=_("Received on"), widget=DateInput())
    content = forms.CharField(label=_("Objection"), widget=forms.Textarea(attrs={"rows": 3}))
    resolution = forms.ChoiceField(label=_("How it is resolved"), choices=Resolution.choices)


class DemocraticReviewForm(forms.Form):
    held_on = forms.DateField(label=_("Held on"), widget=DateInput())
    participants = forms.IntegerField(label=_("Participants"), min_value=0)
    supports = forms.TypedChoiceField(
        label=_("Result"),
        choices=[("1", _("The majority supports the application")), ("0", _("The majority does not support it"))],
        coerce=lambda v: v == "1",
    )
    minutes = forms.CharField(label=_("Minutes"), widget=forms.Textarea(attrs={"rows": 3}))


class DecisionForm(forms.Form):
    approve = forms.TypedChoiceField(
        label=_("Decision"), choices=[("1", _("Approve")), ("0", _("Refuse"))], coerce=lambda v: v == "1"
    )
    reasons = forms.CharField(
        label=_("Written reasons"),
        widget=forms.Textarea(attrs={"rows": 3}),
        required=False,
        help_text=_("Required for a refusal: they are printed on the notice to the family."),
    )
    checked_in_person = forms.BooleanField(
        label=_("The district checked this case in person"),
        required=False,
        help_text=_("The district checks at least 30 percent of 特困 cases itself."),
    )


class DocumentForm(forms.Form):
    kind = forms.ChoiceField(label=_("Kind of document"), choices=[])
    file = forms.FileField(label=_("File (PDF, JPG or PNG, at most 10 MB)"))

    def __init__(self, *args, **kwargs):
        from relief.programmes import DocumentKind

        super().__init__(*args, **kwargs)
        self.fields["kind"].choices = DocumentKind.choices


class PayFirstForm(forms.Form):
    reasons = forms.CharField(
        label=_("Why the aid cannot wait"),
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("The street pays now; the documents are completed within 5 working days."),
    )
