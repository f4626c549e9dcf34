"""Forms of the referral pages: they check shapes; charity.services.referrals checks the rules (which application a
reason needs, whether the target takes this family, one open referral per family and target)."""

from decimal import Decimal

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from civic.forms import DateInput

from ..models import ReferralChannel, ReferralReason, ReferralStatus

MONEY = {"max_digits": 12, "decimal_places": 2}
CHANNEL_FIELDS = [choice.value for choice in ReferralChannel]
CHOOSE_TARGET = {
    ReferralChannel.PAIRING: _("Choose the pairing."),
    ReferralChannel.PROJECT: _("Choose the project."),
    ReferralChannel.FUND: _("Choose the fund."),
}


class ReferralFilterForm(forms.Form):
    status = forms.ChoiceField(label=_("Status"), choices=[("", _("All")), *ReferralStatus.choices], required=False)
    overdue = forms.BooleanField(label=_("Answer overdue only"), required=False)
    q = forms.CharField(
        label=_("Household number or head's name"),
        max_length=60,
        required=False,
        widget=forms.TextInput(attrs={"type": "search"}),
    )


class ApplicationChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, application):
        return f"{application.number} · {application.get_programme_display()} · {application.get_status_display()}"


class PairingChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, pairing):
        where = pairing.household.number if pairing.household_id else pairing.region.name
        return f"{pairing.helper_name} · {where}"


class ProjectChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, project):
        return f"{project.name} · {project.organisation.name} · {project.region.name} · {project.get_status_display()}"


class FundChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, fund):
        return _("%(fund)s · %(organisation)s · balance %(balance)s yuan") % {
            "fund": fund.name,
            "organisation": fund.organisation.name,
            "balance": fund.balance,
        }


class ReferralForm(forms.Form):
    """Refer a family: why, what it needs, and where to. One select per channel, filled by the view from the
    scoped selectors; only the chosen channel's select is read (the page works without JavaScript)."""

    reason = forms.ChoiceField(label=_("Reason"), choices=ReferralReason.choices, widget=forms.RadioSelect)
    application = ApplicationChoiceField(
        label=_("Relief application"),
        queryset=None,
        required=False,
        empty_label=_("None"),
        help_text=_("A refusal or a partial cover names the family's refused or approved application."),
    )
    need = forms.CharField(
        label=_("What the family needs"),
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={"required": _("Say what the family needs.")},
    )
    amount_sought = forms.DecimalField(
        label=_("Amount sought (yuan)"), required=False, min_value=Decimal("0.01"), **MONEY
    )
    channel = forms.ChoiceField(label=_("Refer to"), choices=ReferralChannel.choices, widget=forms.RadioSelect)
    pairing = PairingChoiceField(label=_("Pairing"), queryset=None, required=False, empty_label="—")
    project = ProjectChoiceField(label=_("Project"), queryset=None, required=False, empty_label="—")
    fund = FundChoiceField(label=_("Fund"), queryset=None, required=False, empty_label="—")

    def __init__(self, *args, applications, pairings, projects, funds, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["application"].queryset = applications
        self.fields["pairing"].queryset = pairings
        self.fields["project"].queryset = projects
        self.fields["fund"].queryset = funds

    def clean(self):
        data = super().clean()
        channel = data.get("channel")
        # The selects of the channels not chosen are not read: a stale choice there is no error.
        for name in CHANNEL_FIELDS:
            if name != channel:
                self._errors.pop(name, None)
                data[name] = None
        if channel in CHANNEL_FIELDS and data.get(channel) is None and channel not in self._errors:
            self.add_error(channel, CHOOSE_TARGET[channel])
        return data


class AcceptForm(forms.Form):
    note = forms.CharField(label=_("Note"), widget=forms.Textarea(attrs={"rows": 2}), required=False)


class DeclineForm(forms.Form):
    reason = forms.CharField(
        label=_("Reason for declining"),
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("The caseworker tells the family."),
        error_messages={"required": _("Give the reason the referral is declined: the caseworker tells the family.")},
    )


class HelpForm(forms.Form):
    description = forms.CharField(
        label=_("Help given"),
        widget=forms.Textarea(attrs={"rows": 2}),
        error_messages={"required": _("Say what help was given.")},
    )
    value = forms.DecimalField(label=_("Value (yuan)"), required=False, min_value=Decimal("0"), **MONEY)
    on = forms.DateField(label=_("Date"), required=False, widget=DateInput())
    place = forms.CharField(
        label=_("Place"),
        max_length=120,
        required=False,
        help_text=_("Where the project's activity took place; the family's address when left empty."),
    )

    def __init__(self, *args, channel, **kwargs):
        super().__init__(*args, **kwargs)
        if channel != ReferralChannel.PROJECT:
            del self.fields["place"]
        if channel == ReferralChannel.FUND:
            self.fields["value"].help_text = _("Paid out of the fund to the household as a grant.")

    def clean_on(self):
        on = self.cleaned_data["on"]
        if on and on > timezone.localdate():
            raise forms.ValidationError(_("The date cannot be in the future."))
        return on


class CloseForm(forms.Form):
    reason = forms.CharField(
        label=_("Why it closes without help"),
        widget=forms.Textarea(attrs={"rows": 2}),
        error_messages={"required": _("Say why the referral closes without help.")},
    )
