"""Household import from a spreadsheet, one row per member: parse → validate → preview → import.

The pipeline, one module a step: `reading` turns the uploaded XLSX or CSV (django-import-export's formats
into a tablib Dataset) into numbered rows; `validation` checks every row and builds the preview, writing
nothing; this module creates the households through services.household_create in one transaction; `uploads`
keeps the file between preview and confirmation. Column headers and accepted words are in `columns`.

Row numbers are the spreadsheet's: the header is row 1, so the first data row is row 2.
"""

from dataclasses import dataclass, field

from django.db import transaction
from django.utils.translation import gettext as _

from civic import services
from civic.errors import ApplicationError
from civic.models import FieldChange

from .limits import ImportRefused
from .validation import preview


@dataclass
class ImportResult:
    households: int = 0
    members: int = 0
    skipped: list = field(default_factory=list)  # (household key, first row, reason) skipped at import time


def run_import(actor, content, extension, *, only_valid=False):
    """Re-validate the file (the database may have changed since the preview) and create its households.

    One transaction for the whole file. Without only_valid a single bad row refuses everything (ImportRefused,
    nothing saved); with only_valid the households with a bad row are skipped. Returns (preview, result)."""
    with transaction.atomic():
        checked = preview(actor, content, extension)
        if not checked.clean and not only_valid:
            raise ImportRefused(
                _("Nothing was imported: %(count)d rows have errors. Correct them or import only the valid households.")
                % {"count": len(checked.bad_rows)},
                checked,
            )
        chosen = checked.valid_households
        if not chosen:
            raise ImportRefused(_("Nothing was imported: no household in the file is free of errors."), checked)
        result = ImportResult()
        for household in chosen:
            try:
                services.household_create(
                    actor=actor,
                    region_code=household.region_code,
                    address=household.address,
                    members=household.members,
                    action=FieldChange.Action.IMPORTED,
                )
            except ApplicationError as exc:
                if not only_valid:
                    raise ImportRefused(
                        _("Nothing was imported: household %(key)s (row %(row)d): %(message)s")
                        % {"key": household.key, "row": household.first_row, "message": exc.message},
                        checked,
                    ) from exc
                result.skipped.append((household.key, household.first_row, str(exc.message)))
                continue
            result.households += 1
            result.members += len(household.members)
        if not result.households:
            raise ImportRefused(_("Nothing was imported: no household in the file is free of errors."), checked)
    return checked, result
