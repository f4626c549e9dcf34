"""Payment rosters (发放花名册) of a batch, for the bank and for the file: one row per line, then a totals row.

ID numbers are masked unless the user may see them whole (civic.access.may_reveal_id); an export with whole
numbers logs one reveal per payee, written set-based in a single INSERT … SELECT before the first row goes
out. Amounts stay Decimal from the database to the file; the totals row adds them up line by line, so for a
whole batch it equals the batch's total to the fen. The CSV is streamed (UTF-8 with a byte-order mark, cells
that a spreadsheet would run as formulas quoted); the XLSX is written with openpyxl's write-only mode.
"""

import csv
import tempfile
from decimal import Decimal

from django.utils import timezone, translation
from django.utils.translation import gettext, pgettext
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
from openpyxl.styles import Font
from openpyxl.utils import get_column_letter

from civic import access, audit, idnumbers
from civic.models import IdReveal
from civic.table_export import Echo, csv_safe
from relief.models import BatchLine, LineStatus
from relief.programmes import Programme

from . import sql

FORMATS = ("csv", "xlsx")
CHUNK_SIZE = 2000
CSV_ROWS_PER_CHUNK = 200
COLUMN_WIDTHS = (10, 16, 12, 22, 28, 10, 10, 14, 14, 14, 24, 12)
# Columns whose values a spreadsheet must keep as text (long digit strings lose their last digits as numbers).
TEXT_COLUMNS = (3, 10, 11)  # the line number has 15 digits: as a number a spreadsheet keeps 15 at most
MONEY_COLUMNS = (7, 8, 9)
REVEAL_TABLE = IdReveal._meta.db_table
ZERO = Decimal("0.00")


class TotalsRow(list):
    """The last row of a roster: the count and the sums of its lines."""


def headers():
    return [
        gettext("Month"),
        gettext("Community"),
        gettext("Payee"),
        gettext("ID number"),
        gettext("Programme"),
        gettext("Household size"),
        gettext("Covered members"),
        gettext("Monthly amount (yuan)"),
        gettext("Adjustment (yuan)"),
        gettext("To pay (yuan)"),
        gettext("Account"),
        gettext("Line number"),
    ]


def lines(batch, *, pending_only=False):
    """The batch's lines, community by community: all of them, or those awaiting the bank (a re-issue roster)."""
    chosen = BatchLine.objects.of_batch(batch).with_household_size()
    if pending_only:
        chosen = chosen.filter(status=LineStatus.PENDING)
    return chosen.order_by("region_id", "pk").values_list(
        "month",
        "region__name",
        "payee__name",
        "payee__id_number",
        "programme",
        "household_size",
        "covered_members",
        "amount",
        "adjustment",
        "total",
        "account",
        "pk",
    )


def log_reveals(user, batch, *, pending_only=False):
    """One IdReveal row per payee whose whole ID number this export shows, in one statement."""
    account, label = audit.actor_parts(user)
    status = "AND l.status = %s" if pending_only else ""
    params = [account.pk if account else None, label, IdReveal.Channel.EXPORT, timezone.now(), batch.pk]
    return sql.run(
        f"""
        INSERT INTO {REVEAL_TABLE} (resident_id, actor_id, actor_label, channel, revealed_at)
        SELECT DISTINCT l.payee_id, %s, %s, %s, %s FROM {sql.LINE} l
        WHERE l.batch_id = %s AND l.payee_id IS NOT NULL {status}
        """,
        [*params, LineStatus.PENDING] if pending_only else params,
    )


def _rows(batch, *, reveal, pending_only):
    """Data rows, then the totals row; labels in the active language."""
    labels = dict(Programme.choices)
    count, amount, adjustment, total = 0, ZERO, ZERO, ZERO
    for (
        month,
        community,
        name,
        number,
        programme,
        size,
        covered,
        line_amount,
        line_adjustment,
        line_total,
        account,
        line,
    ) in lines(batch, pending_only=pending_only).iterator(chunk_size=CHUNK_SIZE):
        count += 1
        amount += line_amount
        adjustment += line_adjustment
        total += line_total
        shown = number if reveal else idnumbers.mask(number)
        yield [
            f"{month:%Y-%m}",
            community,
            name or "",
            shown or "",
            str(labels.get(programme, programme)),
            size,
            covered,
            line_amount,
            line_adjustment,
            line_total,
            account,
            line,
        ]
    summary = gettext("Payments: %(count)s") % {"count": count}
    yield TotalsRow([gettext("Total"), "", summary, "", "", "", "", amount, adjustment, total, "", ""])


def rows(user, batch, *, pending_only=False):
    """The roster's rows (without the header) as this user may see them; logs the reveals first."""
    reveal = access.may_reveal_id(user)
    if reveal:
        log_reveals(user, batch, pending_only=pending_only)
    return _rows(batch, reveal=reveal, pending_only=pending_only)


def paper_rows(batch, *, pending_only=False):
    """The rows of a printed roster: ID numbers always masked on paper, so nothing is revealed."""
    return _rows(batch, reveal=False, pending_only=pending_only)


def filename(batch, extension, *, pending_only=False):
    kind = "reissue" if pending_only else "roster"
    return f"{kind}-{batch.region_id[:6]}-{batch.month:%Y-%m}.{extension}"


def csv_chunks(user, batch, *, pending_only=False, language=None):
    """Text chunks of the CSV roster. The reveals are logged now, when the export is asked for; the language is
    fixed now too, because the response is read after the view has returned."""
    language = language or translation.get_language()
    data = rows(user, batch, pending_only=pending_only)
    return _csv_stream(data, language)


def _csv_stream(data, language):
    writer = csv.writer(Echo())
    with translation.override(language):
        yield "\ufeff" + writer.writerow(headers())
        buffer = []
        for row in data:
            buffer.append(writer.writerow([csv_safe(value) for value in row]))
            if len(buffer) >= CSV_ROWS_PER_CHUNK:
                yield "".join(buffer)
                buffer = []
        if buffer:
            yield "".join(buffer)


def _cell(sheet, value, *, text=False, money=False, font=None):
    if text and value is not None and not isinstance(value, str):
        value = str(value)
    if isinstance(value, str):
        value = ILLEGAL_CHARACTERS_RE.sub("", value)
    cell = WriteOnlyCell(sheet, value=value)
    if isinstance(value, str) or text:
        cell.data_type = "s"  # never a formula, whatever the text starts with
    if money:
        cell.number_format = "#,##0.00"
    if font is not None:
        cell.font = font
    return cell


def xlsx_file(user, batch, *, pending_only=False):
    """The XLSX roster in a temporary file (deleted when closed)."""
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(title=pgettext("spreadsheet sheet", "Roster")[:31])
    for index, width in enumerate(COLUMN_WIDTHS, start=1):
        sheet.column_dimensions[get_column_letter(index)].width = width
    sheet.freeze_panes = "A2"
    bold = Font(bold=True)
    sheet.append([_cell(sheet, header, font=bold) for header in headers()])
    for row in rows(user, batch, pending_only=pending_only):
        sheet.append(_xlsx_row(sheet, row, font=bold if isinstance(row, TotalsRow) else None))
    handle = tempfile.TemporaryFile(suffix=".xlsx")  # noqa: SIM115 - FileResponse closes it
    try:
        workbook.save(handle)
        handle.seek(0)
    except BaseException:
        handle.close()
        raise
    return handle


def _xlsx_row(sheet, row, font=None):
    return [
        _cell(sheet, value, text=position in TEXT_COLUMNS, money=position in MONEY_COLUMNS, font=font)
        for position, value in enumerate(row)
    ]
