"""Forms of the money pages (standards, payment batches, subsidies): they check shapes and read the bank's file;
the services in relief.services check the rules."""

import os
import re

from django import forms
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from civic import access
from civic.forms import DateInput
from civic.models import Region, RegionLevel
from civic.registry_io import limits
from civic.registry_io.reading import cell_text, read_dataset
from relief.models import Area, BatchState, LineStatus
from relief.programmes import Programme

POLICY_LEVELS = (RegionLevel.PROVINCE, RegionLevel.CITY, RegionLevel.DISTRICT)
CPI_LEVELS = (RegionLevel.PROVINCE, RegionLevel.CITY)
MONTH = re.compile(r"^\d{4}-(0[1-9]|1[0-2])$")
STANDARD = {"max_digits": 12, "decimal_places": 2}
PERCENT = {"max_digits": 5, "decimal_places": 2}


def region_choices(principal, levels):
    """The regions of these levels inside the principal's area, the largest first."""
    regions = access.scope_queryset(principal, Region.objects.filter(level__in=levels), field="code")
    return [(r.code, f"{r.name} ({r.get_level_display()})") for r in regions.order_by("code")]


class MonthField(forms.CharField):
    """A month typed as YYYY-MM (the browser's month picker sends that form)."""

    widget = forms.TextInput(attrs={"type": "month", "placeholder": "YYYY-MM"})

    def __init__(self, **kwargs):
        kwargs.setdefault("max_length", 7)
        super().__init__(**kwargs)

    def clean(self, value):
        value = super().clean(value)
        if value and not MONTH.match(value):
            raise forms.ValidationError(_("Give the month as YYYY-MM."))
        return value


class RegionForm(forms.Form):
    """A form whose first field is a region among those of `levels` in the user's area."""

    levels = POLICY_LEVELS

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["region"].choices = region_choices(user, self.levels)


def first_of_month(value):
    if value is not None and value.day != 1:
        raise forms.ValidationError(_("A standard starts on the first day of a month."))
    return value


# ------------------------------------------------------------------------------------------------ standards


class StandardDraftForm(RegionForm):
    region = forms.ChoiceField(label=_("Region"))
    area = forms.ChoiceField(label=_("Urban or rural"), choices=Area.choices)
    effective_from = forms.DateField(
        label=_("In force from"),
        widget=DateInput(),
        help_text=_("The first day of a month. A date in the past gives back-pay for the months already paid."),
    )
    name = forms.CharField(
        label=_("Name of the standard"), max_length=100, help_text=_("For example, the decision that set it.")
    )
    dibao_standard = forms.DecimalField(label=_("Dibao standard (yuan per person per month)"), min_value=0, **STANDARD)

    def clean_effective_from(self):
        return first_of_month(self.cleaned_data["effective_from"])


class StandardEditForm(forms.Form):
    name = forms.CharField(label=_("Name of the standard"), max_length=100)
    dibao_standard = forms.DecimalField(label=_("Dibao standard (yuan per person per month)"), min_value=0, **STANDARD)
    effective_from = forms.DateField(label=_("In force from"), widget=DateInput())

    def clean_effective_from(self):
        return first_of_month(self.cleaned_data["effective_from"])


# ------------------------------------------------------------------------------------------------ batches


class BatchFilterForm(forms.Form):
    month = MonthField(label=_("Month"), required=False)
    state = forms.ChoiceField(label=_("State"), choices=[("", _("All")), *BatchState.choices], required=False)


class LineFilterForm(forms.Form):
    status = forms.ChoiceField(label=_("Status"), choices=[("", _("All")), *LineStatus.choices], required=False)


class BatchGenerateForm(RegionForm):
    month = MonthField(label=_("Month"), help_text=_("YYYY-MM; at most next month."))
    region = forms.ChoiceField(label=_("Region"), help_text=_("Each district in it gets its own batch."))


# Header texts accepted for each column of the bank's results (the English names, the page's words and the
# words banks in the province use).
RESULT_HEADERS = {
    "line": ("line", "line number", "line no", "line no.", "明细号", "明细编号", "行号"),
    "status": ("status", "result", "状态", "结果", "支付结果"),
    "reason": ("reason", "failure reason", "reason for failure", "原因", "失败原因"),
}
# The bank's words for the two results.
STATUS_WORDS = {"成功": LineStatus.PAID, "已支付": LineStatus.PAID, "失败": LineStatus.FAILED}


def _header_key(text):
    text = " ".join(cell_text(text).lower().split())
    translated = {
        "line": gettext("Line number"),
        "status": gettext("Result"),
        "reason": gettext("Reason for failure"),
    }
    for key, names in RESULT_HEADERS.items():
        if text in names or text == translated[key].lower():
            return key
    return None


class BankResultsForm(forms.Form):
    """The bank's results: an .xlsx or .csv file with the columns line, status (paid or failed) and reason.
    Cleaning reads it into `results` (dicts for relief.services.disbursement.results_apply) and `row_numbers`
    (the spreadsheet row of each result, for the error list)."""

    file = forms.FileField(label=_("Bank results file"))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["file"].help_text = _(
            "An .xlsx or .csv file with the columns line, status (paid or failed) and reason, at most %(limit)s."
        ) % {"limit": filesizeformat(limits.MAX_UPLOAD_BYTES)}
        self.fields["file"].widget.attrs["accept"] = ".xlsx,.csv"
        self.results, self.row_numbers = [], []

    def clean_file(self):
        upload = self.cleaned_data["file"]
        extension = os.path.splitext(upload.name or "")[1].lower().lstrip(".")
        if extension not in limits.FORMATS:
            raise forms.ValidationError(_("Upload an .xlsx or .csv file."))
        if upload.size > limits.MAX_UPLOAD_BYTES:
            raise forms.ValidationError(
                _("The file is %(size)s; the limit is %(limit)s. Split it into smaller files.")
                % {"size": filesizeformat(upload.size), "limit": filesizeformat(limits.MAX_UPLOAD_BYTES)}
            )
        content = upload.read(limits.MAX_UPLOAD_BYTES + 1)
        if not content:
            raise forms.ValidationError(_("The file is empty."))
        try:
            dataset, numbers = read_dataset(content, extension)
        except limits.ImportFileError as exc:
            raise forms.ValidationError(exc.message) from None
        index = {}
        for position, header in enumerate(dataset.headers or []):
            key = _header_key(header)
            if key is not None and key not in index:
                index[key] = position
        missing = [name for name in ("line", "status") if name not in index]
        if missing:
            raise forms.ValidationError(
                _("Row 1 must name the columns line, status and reason; missing: %(columns)s.")
                % {"columns": ", ".join(missing)}
            )
        for number, values in zip(numbers, dataset, strict=False):
            row = {key: cell_text(values[position]) for key, position in index.items()}
            if not any(row.values()):
                continue
            status = row.get("status", "")
            row["status"] = STATUS_WORDS.get(status, status)
            row.setdefault("reason", "")
            self.results.append(row)
            self.row_numbers.append(number)
            if len(self.results) > limits.MAX_ROWS:
                raise forms.ValidationError(
                    _("The file has more than %(limit)d rows. Split it into smaller files.")
                    % {"limit": limits.MAX_ROWS}
                )
        if not self.results:
            raise forms.ValidationError(_("The file has a header row but no results."))
        return upload


# ------------------------------------------------------------------------------------------------ subsidies


class CpiForm(RegionForm):
    levels = CPI_LEVELS

    region = forms.ChoiceField(label=_("Region"), help_text=_("A province or a city."))
    month = MonthField(label=_("Month"), help_text=_("The month the index is for, YYYY-MM."))
    cpi = forms.DecimalField(
        label=_("CPI, year on year (%)"),
        min_value=-50,
        max_value=100,
        help_text=_("3.5 means prices rose 3.5%."),
        **PERCENT,
    )
    food_cpi = forms.DecimalField(
        label=_("Food CPI, year on year (%)"), min_value=-50, max_value=100, required=False, **PERCENT
    )
    source = forms.CharField(
        label=_("Source"), max_length=120, required=False, help_text=_("For example, the statistics bureau's release.")
    )


PER_CHOICES = [("person", _("Per covered person")), ("household", _("Per household"))]


class OneOffForm(RegionForm):
    region = forms.ChoiceField(label=_("Region"))
    decision = forms.CharField(
        label=_("Decision"), max_length=200, help_text=_("The document that grants the subsidy.")
    )
    programmes = forms.MultipleChoiceField(
        label=_("Programmes"),
        choices=[(Programme.DIBAO.value, Programme.DIBAO.label), (Programme.TEKUN.value, Programme.TEKUN.label)],
        widget=forms.CheckboxSelectMultiple,
    )
    amount = forms.DecimalField(label=_("Amount (yuan)"), min_value=0, **STANDARD)
    per = forms.ChoiceField(label=_("Amount per"), choices=PER_CHOICES, initial="person", widget=forms.RadioSelect)
