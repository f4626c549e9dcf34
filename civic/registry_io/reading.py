"""Reading an uploaded XLSX or CSV (django-import-export's formats → tablib) into numbered rows."""

import csv
import hashlib
import io
import logging
import zipfile
from dataclasses import dataclass

import tablib
from django.utils.translation import gettext as _

from .columns import COLUMNS, header_lookup, norm_text
from .limits import FORMATS, MAX_ROWS, MAX_UNPACKED_BYTES, ImportFileError

logger = logging.getLogger(__name__)


@dataclass
class Table:
    """Data rows of the file: (spreadsheet row number, {column key: cell value}); blank rows are left out."""

    rows: list
    columns: list  # keys of the columns found
    ignored_columns: list  # header texts not recognised


def digest(content):
    return hashlib.sha256(content).hexdigest()[:32]


def _decode(content):
    for encoding in ("utf-8-sig", "gb18030"):  # Excel in Chinese saves "CSV" in GBK unless told UTF-8
        try:
            return content.decode(encoding)
        except UnicodeDecodeError:
            continue
    raise ImportFileError(_("The CSV file is neither UTF-8 nor GBK text. Save it from Excel as “CSV UTF-8”."))


def _csv_row_numbers(text):
    """Spreadsheet row numbers of the rows tablib keeps (it drops lines with no cells at all)."""
    return [number for number, row in enumerate(csv.reader(io.StringIO(text)), start=1) if row and number > 1]


def _check_zip(content):
    try:
        with zipfile.ZipFile(io.BytesIO(content)) as archive:
            unpacked = sum(info.file_size for info in archive.infolist())
    except zipfile.BadZipFile:
        raise ImportFileError(_("This file is not an Excel workbook (.xlsx). Save it from Excel as .xlsx.")) from None
    if unpacked > MAX_UNPACKED_BYTES:
        raise ImportFileError(_("This workbook is too large to import. Split it into smaller files."))


def read_dataset(content, extension):
    """A tablib Dataset of the file, through django-import-export's formats, and the row number of each row."""
    if extension not in FORMATS:
        raise ImportFileError(_("Upload an .xlsx or .csv file."))
    try:
        if extension == "xlsx":
            _check_zip(content)
            dataset = FORMATS["xlsx"]().create_dataset(content)
            numbers = range(2, len(dataset) + 2)
        else:
            text = _decode(content)
            dataset = FORMATS["csv"]().create_dataset(text)
            numbers = _csv_row_numbers(text)
    except ImportFileError:
        raise
    except StopIteration:
        raise ImportFileError(_("The file is empty.")) from None
    except tablib.InvalidDimensions:
        raise ImportFileError(
            _("Some rows have more cells than the header row has columns. Check the header row (row 1).")
        ) from None
    except Exception:  # openpyxl, zipfile and csv raise many kinds of errors for a damaged file
        logger.info("Unreadable household import file", exc_info=True)
        raise ImportFileError(
            _("The file could not be read. Open it in Excel, save it again as .xlsx and upload it again.")
        ) from None
    return dataset, list(numbers)


def _blank(value):
    return value is None or (isinstance(value, str) and not value.strip())


def read_table(content, extension, columns=COLUMNS):
    """The file's data rows keyed by the columns found in its header row.

    `columns` (Column-like: key, label, aliases, required) defaults to the household import's; another import
    passes its own and gets the same reading, limits and messages."""
    dataset, numbers = read_dataset(content, extension)
    lookup = header_lookup(columns)
    index, ignored = {}, []
    for position, header in enumerate(dataset.headers or []):
        text = cell_text(header)
        if not text:
            continue
        key = lookup.get(norm_text(text))
        if key is None:
            ignored.append(text)
            continue
        if key in index:
            raise ImportFileError(_("The column “%(column)s” appears twice in the header row.") % {"column": text})
        index[key] = position
    if not index:
        raise ImportFileError(
            _("Row 1 must be the header row with the column names; download the template to see them.")
        )
    missing = [str(c.label) for c in columns if c.required and c.key not in index]
    if missing:
        raise ImportFileError(
            _("These required columns are missing: %(columns)s. Download the template to see the header row.")
            % {"columns": ", ".join(missing)}
        )
    rows = []
    for number, values in zip(numbers, dataset, strict=False):
        if all(_blank(v) for v in values):
            continue
        rows.append((number, {key: values[position] for key, position in index.items()}))
        if len(rows) > MAX_ROWS:
            raise ImportFileError(
                _("The file has more than %(limit)d rows. Split it into smaller files.") % {"limit": MAX_ROWS}
            )
    if not rows:
        raise ImportFileError(_("The file has a header row but no data rows."))
    return Table(rows=rows, columns=list(index), ignored_columns=ignored)


def cell_text(value):
    """A cell as text: numbers without a trailing .0, everything stripped."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "1" if value else "0"
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    if hasattr(value, "isoformat"):
        value = value.isoformat()
    return str(value).replace("\u00a0", " ").replace("\u3000", " ").strip()
