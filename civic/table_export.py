"""Small tables (reports, dashboard panels) as CSV or XLSX downloads: a header, rows, an optional bold totals row.
CSV starts with a byte-order mark so Excel reads the Chinese; text that would start a formula is written as
text in both formats."""

import csv
import io
from decimal import Decimal

from django.http import Http404, HttpResponse

FORMATS = {
    "csv": "text/csv; charset=utf-8",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def csv_safe(value):
    """A cell as CSV text: None is empty, and text that would start a formula is kept as text."""
    if value is None:
        return ""
    if isinstance(value, str) and value.startswith(FORMULA_START):
        return "'" + value
    return value


class Echo:
    """A file-like object whose write returns the line, so csv.writer can feed a streaming response."""

    def write(self, value):
        return value


def csv_bytes(header, rows, total=None):
    buffer = io.StringIO()
    buffer.write("\ufeff")
    writer = csv.writer(buffer)
    writer.writerow(header)
    for line in [*rows, *([total] if total else [])]:
        writer.writerow([csv_safe(value) for value in line])
    return buffer.getvalue().encode("utf-8")


def xlsx_bytes(title, header, rows, total=None, money_columns=(), widths=()):
    from openpyxl import Workbook
    from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
    from openpyxl.styles import Font
    from openpyxl.utils import get_column_letter

    workbook = Workbook()
    sheet = workbook.active
    sheet.title = str(title)[:31]
    bold = Font(bold=True)
    sheet.append([str(h) for h in header])
    for cell in sheet[1]:
        cell.font = bold
    lines = [*rows, *([total] if total else [])]
    for index, line in enumerate(lines):
        sheet.append([ILLEGAL_CHARACTERS_RE.sub("", v) if isinstance(v, str) else v for v in line])
        row = sheet.max_row
        for column, value in enumerate(line, start=1):
            cell = sheet.cell(row=row, column=column)
            if isinstance(value, str):
                cell.data_type = "s"  # text, never a formula
            elif isinstance(value, Decimal) and column - 1 in money_columns:
                cell.number_format = "#,##0.00"
        if total and index == len(lines) - 1:
            for cell in sheet[row]:
                cell.font = bold
    for index, width in enumerate(widths, start=1):
        sheet.column_dimensions[get_column_letter(index)].width = width
    sheet.freeze_panes = "A2"
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def response(fmt, name, title, header, rows, total=None, money_columns=(), widths=()):
    """The download, or 404 for a format other than csv and xlsx."""
    if fmt not in FORMATS:
        raise Http404
    if fmt == "csv":
        content = csv_bytes(header, rows, total)
    else:
        content = xlsx_bytes(title, header, rows, total, money_columns, widths)
    answer = HttpResponse(content, content_type=FORMATS[fmt])
    answer["Content-Disposition"] = f'attachment; filename="{name}.{fmt}"'
    return answer
