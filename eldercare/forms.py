"""Forms of the elder-care pages: they check shapes; eldercare.services checks the rules."""

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from civic import access
from civic.forms import DateInput
from civic.models import User
from relief.money_forms import MonthField

from .models import ElderCategory, MealType, Risk


def meal_type_by_clock(moment=None):
    """The meal a hall is most likely serving at this time of day."""
    hour = timezone.localtime(moment).hour
    if hour < 10:
        return MealType.BREAKFAST
    return MealType.LUNCH if hour < 15 else MealType.DINNER


class DateTimeInput(forms.DateTimeInput):
    """The browser's date-and-time picker; its value is ISO whatever the language's format."""

    input_type = "datetime-local"

    def __init__(self, attrs=None):
        super().__init__(attrs, format="%Y-%m-%dT%H:%M")


# ---------------------------------------------------------------------------------------------------- meals


class MealForm(forms.Form):
    card_number = forms.CharField(
        label=_("Meal card number"), max_length=30, required=False, widget=forms.TextInput(attrs={"autofocus": True})
    )
    id_number = forms.CharField(
        label=_("or ID number"), max_length=20, required=False, help_text=_("When the elder has no card with them.")
    )
    meal_type = forms.ChoiceField(label=_("Meal"), choices=MealType.choices)
    served_at = forms.DateTimeField(label=_("Served at"), widget=DateTimeInput())

    def __init__(self, *args, menu=None, **kwargs):
        super().__init__(*args, **kwargs)
        if menu is not None:
            self.fields["meal_type"].choices = [(m.meal_type, m.get_meal_type_display()) for m in menu]

    def clean(self):
        data = super().clean()
        if not (data.get("card_number") or "").strip() and not (data.get("id_number") or "").strip():
            self.add_error("card_number", _("Give the meal card number or the ID number."))
        return data


class EnrolLookupForm(forms.Form):
    id_number = forms.CharField(label=_("Resident's ID number"), max_length=20)


class EnrolForm(forms.Form):
    id_number = forms.CharField(widget=forms.HiddenInput, max_length=20)
    card_number = forms.CharField(
        label=_("Meal card number"), max_length=40, help_text=_("4 to 30 letters or digits, as printed on the card.")
    )


class DayForm(forms.Form):
    day = forms.DateField(label=pgettext_lazy("meals of a day", "Day"), widget=DateInput(), required=False)

    def clean_day(self):
        day = self.cleaned_data["day"]
        if day and day > timezone.localdate():
            raise forms.ValidationError(_("Choose today or a day before."))
        return day


class SettleForm(forms.Form):
    month = MonthField(
        label=_("Month to settle"),
        help_text=_("Under a quarterly policy the whole quarter containing this month is settled."),
    )


# -------------------------------------------------------------------------------------------------- elderly


def visitor_roles():
    """Roles whose staff record visits."""
    return [role for role, caps in access.ROLE_CAPABILITIES.items() if "eldercare.record" in caps]


class VisitorField(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        name = obj.full_name or obj.username
        return f"{name} · {obj.region.name}" if obj.region_id else name


def visitors_for(user):
    """Staff who may be chosen as visitors: those recording visits in the user's area or in the regions above
    it (a community's caseworkers and its street's reviewers); the service checks the elder's community."""
    staff = User.objects.filter(is_active=True, role__in=visitor_roles()).select_related("region")
    return access.scope_queryset_with_ancestors(user, staff).order_by("region_id", "username")


class ElderFilterForm(forms.Form):
    risk = forms.ChoiceField(label=_("Risk"), choices=[("", _("All")), *Risk.choices], required=False)
    overdue = forms.BooleanField(label=_("Overdue only"), required=False)


class ElderRegisterForm(forms.Form):
    id_number = forms.CharField(label=_("Resident's ID number"), max_length=20)
    categories = forms.MultipleChoiceField(
        label=_("Categories"), choices=ElderCategory.choices, widget=forms.CheckboxSelectMultiple
    )
    risk = forms.ChoiceField(
        label=_("Risk"),
        choices=Risk.choices,
        initial=Risk.GENERAL,
        help_text=_("High risk: visited weekly; key: monthly; general: quarterly."),
    )
    visitor = VisitorField(label=_("Visitor"), queryset=User.objects.none())

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["visitor"].queryset = visitors_for(user)
        if user.role in visitor_roles():
            self.fields["visitor"].initial = user.pk


class VisitForm(forms.Form):
    visited_on = forms.DateField(label=pgettext_lazy("elderly visit", "Visited on"), widget=DateInput())
    findings = forms.CharField(
        label=pgettext_lazy("elderly visit", "Findings"), widget=forms.Textarea(attrs={"rows": 3})
    )
    risks = forms.CharField(label=_("Risks found"), widget=forms.Textarea(attrs={"rows": 2}), required=False)
    follow_up = forms.CharField(label=_("Follow-up"), widget=forms.Textarea(attrs={"rows": 2}), required=False)
    risk = forms.ChoiceField(
        label=_("Risk from now on"),
        choices=[("", _("Unchanged")), *Risk.choices],
        required=False,
        help_text=_("The next visit falls due by this level, counted from this visit."),
    )


class CoverageForm(forms.Form):
    month = MonthField(label=_("Month"), required=False)
