"""Forms of the entitlement page: they check shapes; relief.services.entitlements checks the rules."""

from django import forms
from django.utils.translation import gettext_lazy as _

from relief.models import ReviewClass, ReviewOutcome
from relief.services.entitlements import GRADUAL_EXIT_DEFAULT, GRADUAL_EXIT_MONTHS

REASON_HELP = _("Recorded with the change and told to the family.")


def _reason_field(label=None):
    return forms.CharField(label=label or _("Reason"), help_text=REASON_HELP, widget=forms.Textarea(attrs={"rows": 2}))


class ReasonForm(forms.Form):
    """Suspend, resume or end: the reason is all there is to say."""

    reason = _reason_field()


class ReviewForm(forms.Form):
    outcome = forms.ChoiceField(label=_("Outcome of the review"))
    new_amount = forms.DecimalField(
        label=_("New monthly amount (yuan)"),
        help_text=_("Only when the amount changes."),
        max_digits=12,
        decimal_places=2,
        min_value=0,
        required=False,
    )
    review_class = forms.ChoiceField(label=_("Next reviews"), choices=ReviewClass.choices)
    reason = _reason_field(_("Findings and reason"))

    def __init__(self, *args, outcomes=tuple(ReviewOutcome), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["outcome"].choices = [(o.value, o.label) for o in outcomes]

    def clean(self):
        data = super().clean()
        if data.get("outcome") == ReviewOutcome.CHANGE_AMOUNT and data.get("new_amount") is None:
            self.add_error("new_amount", _("Enter the new monthly amount in yuan."))
        return data


class GradualExitForm(forms.Form):
    months = forms.IntegerField(
        label=_("Months the benefit goes on"),
        help_text=_("From next month; the benefit then ends. A warning is listed 30 days before."),
        min_value=GRADUAL_EXIT_MONTHS[0],
        max_value=GRADUAL_EXIT_MONTHS[1],
        initial=GRADUAL_EXIT_DEFAULT,
    )
    reason = _reason_field(_("Income found and reason"))


class AccountForm(forms.Form):
    account = forms.CharField(
        label=_("Payment account"),
        max_length=40,
        help_text=_("The social-security card (社保卡) or bank account; failed payments re-issued go here."),
    )
    reason = _reason_field()
