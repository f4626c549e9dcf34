"""The report's parameters: a region (inside the user's area, else the user's own is shown) and a period."""

from django import forms
from django.utils.translation import gettext_lazy as _

from civic.forms import DateInput


class ReportForm(forms.Form):
    region = forms.RegexField(
        label=_("Region code"),
        regex=r"^\d{6,12}$",
        required=False,
        error_messages={"invalid": _("A region code has 6 to 12 digits.")},
    )
    start = forms.DateField(label=_("From"), required=False, widget=DateInput())
    end = forms.DateField(label=_("To"), required=False, widget=DateInput())

    def clean(self):
        data = super().clean()
        start, end = data.get("start"), data.get("end")
        if start and end and start > end:
            self.add_error("end", _("The end of the period is before its start."))
        return data
