"""The upload form of the household import: type and size are checked before anything is parsed."""

import os

from django import forms
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext_lazy as _

from . import limits


class HouseholdImportForm(forms.Form):
    file = forms.FileField(label=_("Spreadsheet file"))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["file"].help_text = _(
            "An .xlsx workbook or a .csv file, one row per household member, at most %(limit)s and %(rows)s rows."
        ) % {"limit": filesizeformat(limits.MAX_UPLOAD_BYTES), "rows": f"{limits.MAX_ROWS:,}"}
        self.fields["file"].widget.attrs["accept"] = ".xlsx,.csv"

    def clean_file(self):
        upload = self.cleaned_data["file"]
        extension = os.path.splitext(upload.name or "")[1].lower().lstrip(".")
        if extension not in limits.FORMATS:
            if extension == "xls":
                raise forms.ValidationError(
                    _("Old Excel .xls files cannot be read. Open the file in Excel and save it as .xlsx.")
                )
            raise forms.ValidationError(_("Upload an .xlsx or .csv file."))
        if upload.size > limits.MAX_UPLOAD_BYTES:
            raise forms.ValidationError(
                _("The file is %(size)s; the limit is %(limit)s. Split it into smaller files.")
                % {"size": filesizeformat(upload.size), "limit": filesizeformat(limits.MAX_UPLOAD_BYTES)}
            )
        if upload.size == 0:
            raise forms.ValidationError(_("The file is empty."))
        content = upload.read(limits.MAX_UPLOAD_BYTES + 1)
        if extension == "xlsx" and not content.startswith(b"PK\x03\x04"):
            raise forms.ValidationError(_("This file is not an Excel workbook (.xlsx). Save it from Excel as .xlsx."))
        self.content, self.extension = content, extension
        return upload
