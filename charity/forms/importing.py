"""The upload form of the organisation import: the household import's checks (type, size, real XLSX) and limits."""

from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext_lazy as _

from civic.registry_io import limits
from civic.registry_io.forms import HouseholdImportForm


class OrganisationImportForm(HouseholdImportForm):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["file"].help_text = _(
            "An .xlsx workbook or a .csv file, one row per organisation, at most %(limit)s and %(rows)s rows."
        ) % {"limit": filesizeformat(limits.MAX_UPLOAD_BYTES), "rows": f"{limits.MAX_ROWS:,}"}
