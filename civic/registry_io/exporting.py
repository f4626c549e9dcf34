"""Household exports, streamed row by row so a city-wide export never sits in memory as a whole.

The rows come from the access-scoped household search (the list page's search), one row per member;
the columns are HouseholdMemberResource's, with ID numbers masked.
"""

import csv
import tempfile

from django.db.models import Case, IntegerField, Value, When
from django.utils import timezone, translation
from django.utils.translation import pgettext
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
from openpyxl.styles import Font
from openpyxl.utils import get_column_letter

from civic import selectors
from civic.models import Relationship

from ..table_export import Echo, csv_safe
from .resources import HouseholdMemberResource

FORMATS = ("csv", "xlsx")
CHUNK_SIZE = 2000
CSV_ROWS_PER_CHUNK = 200
# Spreadsheet programs run a cell that starts with one of these as a formula (CSV injection).
COLUMN_WIDTHS = (22, 12, 30, 8, 12, 10, 22, 6, 12, 14, 16, 12, 8, 8, 14)


def member_queryset(principal, query=""):
    """Members of the households the principal's household search finds, household by household, head first.

    Both the households and the residents are scoped through the selectors (region subtree)."""
    households = selectors.household_search(principal, query).order_by().values("pk")
    head_first = Case(
        When(relationship=Relationship.HEAD, then=Value(0)), default=Value(1), output_field=IntegerField()
    )
    return (
        selectors.residents_for(principal)
        .filter(household__in=households)
        .select_related("household", "household__region")
        .order_by("-household_id", head_first, "pk")
    )


def filename(extension, day=None):
    day = day or timezone.localdate()
    return f"households-{day:%Y%m%d}.{extension}"


def csv_chunks(principal, query="", *, language=None):
    """Text chunks of the CSV export: a UTF-8 byte-order mark (so Excel reads the Chinese), the header, the rows.

    The language is fixed when the generator starts, because the response is iterated after the view returns."""
    language = language or translation.get_language()
    resource = HouseholdMemberResource()
    writer = csv.writer(Echo())
    with translation.override(language):
        yield "\ufeff" + writer.writerow(resource.get_export_headers())
        buffer = []
        for resident in member_queryset(principal, query).iterator(chunk_size=CHUNK_SIZE):
            buffer.append(writer.writerow([csv_safe(v) for v in resource.export_resource(resident)]))
            if len(buffer) >= CSV_ROWS_PER_CHUNK:
                yield "".join(buffer)
                buffer = []
        if buffer:
            yield "".join(buffer)


def _xlsx_cell(sheet, value, font=None):
    if isinstance(value, str):
        value = ILLEGAL_CHARACTERS_RE.sub("", value)
    cell = WriteOnlyCell(sheet, value=value)
    if isinstance(value, str):
        cell.data_type = "s"  # never a formula, whatever the text starts with
    if font is not None:
        cell.font = font
    if hasattr(value, "year"):
        cell.number_format = "yyyy-mm-dd"
    return cell


def xlsx_file(principal, query=""):
    """The XLSX export in a temporary file (deleted when closed), written with openpyxl's write-only mode."""
    resource = HouseholdMemberResource()
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(title=pgettext("spreadsheet sheet", "Households")[:31])
    for index, width in enumerate(COLUMN_WIDTHS, start=1):
        sheet.column_dimensions[get_column_letter(index)].width = width
    sheet.freeze_panes = "A2"
    bold = Font(bold=True)
    sheet.append([_xlsx_cell(sheet, header, bold) for header in resource.get_export_headers()])
    for resident in member_queryset(principal, query).iterator(chunk_size=CHUNK_SIZE):
        sheet.append([_xlsx_cell(sheet, value) for value in resource.export_resource(resident)])
    handle = tempfile.TemporaryFile(suffix=".xlsx")  # noqa: SIM115 - FileResponse closes it
    try:
        workbook.save(handle)
        handle.seek(0)
    except BaseException:
        handle.close()
        raise
    return handle
