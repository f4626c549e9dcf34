"""Social organisations from an XLSX or CSV file, one row each: parse → check every row → preview → register.

The household import's pipeline (civic.registry_io) does the generic work: `reading` turns the file into numbered
rows (same limits, encodings and messages), `validation.Issue`/`Preview` are the shapes of the preview, and
`uploads` keeps the file between preview and confirmation. This module knows the organisation columns and checks
each row with the rules of services.organisation_register (the GB 32100 check through credit_codes), looking for
codes registered already and for codes repeated within the file, before anything is saved.

Row numbers are the spreadsheet's: the header is row 1, so the first data row is row 2.
"""

import io
import re
from dataclasses import dataclass, field
from datetime import date, datetime

from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, pgettext, pgettext_lazy

from civic import access
from civic.errors import ApplicationError
from civic.models import Region
from civic.registry_io import uploads
from civic.registry_io.columns import Column, choice_lookup, norm_text
from civic.registry_io.limits import ImportRefused
from civic.registry_io.reading import cell_text, read_table
from civic.registry_io.validation import Issue, Preview

from . import credit_codes, services
from .models import Grade, Organisation, OrganisationKind
from .services.organisations import grade_valid_years_after

XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
TEMPLATE_FILENAME = "organisation-import-template.xlsx"
EXAMPLE_CREDIT_CODE = "91350100M000100Y43"

# Their own context (written out each time, for makemessages): an organisation's "Name" is 名称, not a person's
# 姓名 as in the household import.
COLUMNS = (
    Column(
        "name",
        pgettext_lazy("organisation spreadsheet column", "Name"),
        ("名称", "组织名称", "社会组织名称", "单位名称", "name", "organisation name", "organization name"),
        required=True,
    ),
    Column(
        "kind",
        pgettext_lazy("organisation spreadsheet column", "Type"),
        ("类型", "组织类型", "社会组织类型", "类别", "type", "kind", "organisation type", "organization type"),
        required=True,
    ),
    Column(
        "credit_code",
        pgettext_lazy("organisation spreadsheet column", "Unified social credit code"),
        ("统一社会信用代码", "社会信用代码", "信用代码", "unified social credit code", "credit code", "uscc"),
        required=True,
    ),
    Column(
        "grade",
        pgettext_lazy("organisation spreadsheet column", "Grade"),
        ("等级", "评估等级", "grade", "evaluation grade"),
    ),
    Column(
        "grade_valid_from",
        pgettext_lazy("organisation spreadsheet column", "Grade valid from"),
        ("等级有效期起", "有效期起", "等级有效期开始", "评估日期", "grade valid from", "grade from"),
    ),
    Column(
        "grade_valid_until",
        pgettext_lazy("organisation spreadsheet column", "Grade valid until"),
        ("等级有效期止", "有效期止", "等级有效期至", "等级有效期截止", "grade valid until", "grade until"),
    ),
    Column(
        "region_code",
        pgettext_lazy("organisation spreadsheet column", "Region code"),
        ("区划代码", "行政区划代码", "区域代码", "所属区划代码", "region code", "region"),
        required=True,
    ),
    Column(
        "contact_name",
        pgettext_lazy("organisation spreadsheet column", "Contact"),
        ("联系人", "contact", "contact name"),
    ),
    Column(
        "contact_phone",
        pgettext_lazy("organisation spreadsheet column", "Contact phone"),
        ("联系电话", "联系人电话", "电话", "contact phone", "phone"),
    ),
)
COLUMNS_BY_KEY = {c.key: c for c in COLUMNS}
COLUMN_ORDER = list(COLUMNS_BY_KEY)

# Words written in the bureau's lists besides the choice labels and codes (choice_lookup adds those).
KIND_WORDS = {
    OrganisationKind.SOCIAL_GROUP: ("社会团体", "社团", "social group"),
    OrganisationKind.PRIVATE_NON_ENTERPRISE: (
        "社会服务机构",
        "民办非企业单位",
        "民办非企业",
        "民非",
        "social service institution",
        "social service organisation",
        "social service organization",
        "private non-enterprise unit",
    ),
    OrganisationKind.FOUNDATION: ("基金会", "foundation"),
    OrganisationKind.OTHER: ("其他", "other"),
}
GRADE_TEXT = re.compile(r"^(?:([1-5])a|(a{1,5}))级?$")  # on norm_text: 5A, 5a, 5A级, AAAAA
DATE_FORMATS = ("%Y-%m-%d", "%Y/%m/%d", "%Y.%m.%d", "%Y年%m月%d日", "%Y%m%d")
REGION_DIGITS = (6, 9, 12)  # district, street, community
# Column sizes of the Organisation model; the service leaves them to the database.
NAME_MAX, CONTACT_MAX, PHONE_MAX = 120, 50, 20

COLUMN_HELP = {
    "name": gettext_lazy("The organisation's registered name, at most 120 characters."),
    "kind": None,  # the choices, see column_guide
    "credit_code": gettext_lazy(
        "The 18-character code on the registration certificate; its check character is verified. "
        "Format the column as text so Excel keeps every character."
    ),
    "grade": gettext_lazy("1A to 5A; empty when the organisation has no evaluation grade."),
    "grade_valid_from": gettext_lazy("The date the grade was awarded, such as 2024-03-01; required with a grade."),
    "grade_valid_until": gettext_lazy("The grade's last day; empty means five years on, less a day."),
    "region_code": gettext_lazy(
        "The 6-, 9- or 12-digit code of the district, street or community the organisation belongs to; "
        "it must lie in your area."
    ),
    "contact_name": gettext_lazy("Optional."),
    "contact_phone": gettext_lazy("Optional."),
}


class OrganisationIssue(Issue):
    """A problem of one row (or "" column for the whole row), named with this import's column labels."""

    @property
    def column_label(self):
        column = COLUMNS_BY_KEY.get(self.column)
        return str(column.label) if column else ""


@dataclass
class PlannedOrganisation:
    """One data row: what organisation_register would be called with, and what is wrong with it."""

    row: int
    values: dict  # keyword arguments of services.organisation_register (actor aside)
    issues: list = field(default_factory=list)
    region: Region | None = None

    @property
    def valid(self):
        return not self.issues

    @property
    def kind_label(self):
        kind = self.values.get("kind")
        return OrganisationKind(kind).label if kind in OrganisationKind.values else ""


@dataclass
class OrganisationPreview(Preview):
    """The household Preview (row_count, issues, clean, bad_rows, valid_row_count) with the rows themselves;
    `households` stays empty."""

    rows: list = field(default_factory=list)

    @property
    def valid_rows(self):
        return [r for r in self.rows if r.valid]

    @property
    def invalid_rows(self):
        return [r for r in self.rows if not r.valid]


@dataclass
class ImportResult:
    organisations: list = field(default_factory=list)
    skipped: list = field(default_factory=list)  # (row, reason) skipped at import time (only_valid)

    @property
    def count(self):
        return len(self.organisations)


# ------------------------------------------------------------------------------------------------ reading cells


def kind_lookup():
    lookup = choice_lookup(OrganisationKind)
    for value, words in KIND_WORDS.items():
        for word in words:
            lookup.setdefault(norm_text(word), value)
    return lookup


def kind_choices():
    return " / ".join(str(label) for label in OrganisationKind.labels)


def parse_grade(raw):
    """(grade, None), ("", None) for blank, or (None, the text) when it is no grade."""
    text = cell_text(raw)
    if not text:
        return "", None
    match = GRADE_TEXT.match(norm_text(text))
    if not match:
        return None, text
    digits = match.group(1) or str(len(match.group(2)))
    return f"{digits}A", None


def parse_date(raw):
    """(date, None), (None, None) for blank, or (None, the text) when it is no date."""
    if isinstance(raw, datetime):
        return raw.date(), None
    if isinstance(raw, date):
        return raw, None
    text = cell_text(raw)
    if not text:
        return None, None
    text = text.split("T")[0].split(" ")[0]  # a date and time written out as text
    for pattern in DATE_FORMATS:
        try:
            return datetime.strptime(text, pattern).date(), None
        except ValueError:
            continue
    return None, cell_text(raw)


def region_code_of(text):
    """The 12-digit code of a 6-, 9- or 12-digit region code, or None."""
    if text.isdigit() and len(text) in REGION_DIGITS:
        return text.ljust(12, "0")
    return None


# ------------------------------------------------------------------------------------------------- checking


class _Checker:
    """Checks rows for one actor; what it reads (regions, registered codes) is read once per file."""

    def __init__(self, actor, rows):
        self.actor = actor
        self.may_manage = access.can(actor, "charity.manage")
        self.kinds = kind_lookup()
        codes = {region_code_of(cell_text(cells.get("region_code"))) for _number, cells in rows} - {None}
        self.regions = {r.code: r for r in Region.objects.filter(code__in=codes)}
        credit = {credit_codes.normalise(cell_text(cells.get("credit_code"))) for _number, cells in rows}
        self.registered = set(
            Organisation.objects.filter(credit_code__in=credit - {""}).values_list("credit_code", flat=True)
        )

    def row(self, number, cells):
        errors = {}
        text = {key: cell_text(cells.get(key)) for key in COLUMNS_BY_KEY}

        name = " ".join(text["name"].split())
        if not name:
            errors["name"] = _("Enter the organisation's name.")
        elif len(name) > NAME_MAX:
            errors["name"] = _("The name has at most %(max)d characters.") % {"max": NAME_MAX}

        kind = ""
        if not text["kind"]:
            errors["kind"] = _("Choose the type of organisation.")
        else:
            kind = self.kinds.get(norm_text(text["kind"]), "")
            if not kind:
                errors["kind"] = _("“%(value)s” is not one of: %(choices)s.") % {
                    "value": text["kind"],
                    "choices": kind_choices(),
                }

        code = credit_codes.normalise(text["credit_code"])
        if not code:
            errors["credit_code"] = _("Enter the unified social credit code.")
        else:
            problem = credit_codes.problem(code)
            if problem:
                if isinstance(cells.get("credit_code"), int | float):
                    problem = " ".join(
                        [problem, _("The cell holds a number, which loses digits: format the column as text.")]
                    )
                errors["credit_code"] = problem
            elif code in self.registered:
                errors["credit_code"] = _("An organisation with this code is registered already.")

        grade, bad_grade = parse_grade(cells.get("grade"))
        if bad_grade:
            errors["grade"] = _("“%(value)s” is not a grade; the grade is 1A to 5A, or empty.") % {"value": bad_grade}
        valid_from, bad_from = parse_date(cells.get("grade_valid_from"))
        valid_until, bad_until = parse_date(cells.get("grade_valid_until"))
        for column, bad in (("grade_valid_from", bad_from), ("grade_valid_until", bad_until)):
            if bad:
                errors[column] = _("“%(value)s” is not a date; write it as 2024-03-01.") % {"value": bad}
        # The service's rules: a grade needs the day it was awarded; no end means five years on.
        if grade in Grade.values and not valid_from and not bad_from:
            errors["grade_valid_from"] = _("Give the date the grade was awarded.")
        end = valid_until or (grade_valid_years_after(valid_from) if valid_from else None)
        if valid_from and end and end < valid_from:
            errors["grade_valid_until"] = _("The grade cannot end before it starts.")

        region_code, region = "", None
        if not text["region_code"]:
            errors["region_code"] = _("Enter the region code.")
        else:
            region_code = region_code_of(text["region_code"])
            region = self.regions.get(region_code) if region_code else None
            message = self.region_error(text["region_code"], region_code, region)
            if message:
                errors["region_code"] = message

        contact, phone = " ".join(text["contact_name"].split()), text["contact_phone"]
        if len(contact) > CONTACT_MAX:
            errors["contact_name"] = _("The contact's name has at most %(max)d characters.") % {"max": CONTACT_MAX}
        if len(phone) > PHONE_MAX:
            errors["contact_phone"] = _("The phone number has at most %(max)d characters.") % {"max": PHONE_MAX}

        values = {
            "region_code": region_code or "",
            "name": name,
            "kind": kind,
            "credit_code": code,
            "grade": grade or "",
            "grade_valid_from": valid_from,
            "grade_valid_until": valid_until,
            "contact_name": contact,
            "contact_phone": phone,
        }
        issues = [OrganisationIssue(number, column, message) for column, message in errors.items()]
        return PlannedOrganisation(row=number, values=values, issues=issues, region=region)

    def region_error(self, text, code, region):
        if code is None:
            return _("A region code has 6, 9 or 12 digits; %(code)s does not.") % {"code": text}
        if region is None:
            return _("No region has the code %(code)s.") % {"code": text}
        if not self.may_manage or not access.in_scope(self.actor, code):
            return _(
                "%(name)s (%(code)s) is outside your area; you may import only organisations of your own area."
            ) % {"name": region.name, "code": text}
        return None


def check(actor, table):
    """Every row of the table checked for this actor. Reads the database, writes nothing."""
    checker = _Checker(actor, table.rows)
    planned = [checker.row(number, cells) for number, cells in table.rows]

    rows_of_code = {}
    for entry in planned:
        if entry.values["credit_code"] and not any(i.column == "credit_code" for i in entry.issues):
            rows_of_code.setdefault(entry.values["credit_code"], []).append(entry)
    for entries in rows_of_code.values():
        if len(entries) > 1:
            for entry in entries:
                others = ", ".join(str(e.row) for e in entries if e is not entry)
                entry.issues.append(
                    OrganisationIssue(
                        entry.row,
                        "credit_code",
                        _("The same code is also on row %(rows)s of this file.") % {"rows": others},
                    )
                )

    for entry in planned:
        entry.issues.sort(key=lambda i: COLUMN_ORDER.index(i.column) if i.column in COLUMN_ORDER else -1)
    return OrganisationPreview(
        row_count=len(planned),
        households=[],
        issues=[issue for entry in planned for issue in entry.issues],
        ignored_columns=table.ignored_columns,
        rows=planned,
    )


def preview(actor, content, extension):
    """Parse and check a file; raises ImportFileError when the file as a whole is unusable."""
    return check(actor, read_table(content, extension, COLUMNS))


def run_import(actor, content, extension, only_valid=False):
    """Check the file again (the database may have changed since the preview) and register its organisations.

    One transaction for the whole file. Without only_valid a single bad row refuses everything (ImportRefused,
    nothing saved); with only_valid the rows with errors are skipped. Returns (preview, result)."""
    with transaction.atomic():
        checked = preview(actor, content, extension)
        if not checked.clean and not only_valid:
            raise ImportRefused(
                _("Nothing was imported: %(count)d rows have errors. Correct them or import only the valid rows.")
                % {"count": len(checked.bad_rows)},
                checked,
            )
        chosen = checked.valid_rows
        if not chosen:
            raise ImportRefused(_("Nothing was imported: no row in the file is free of errors."), checked)
        result = ImportResult()
        for entry in chosen:
            try:
                with transaction.atomic():
                    organisation = services.organisation_register(actor=actor, **entry.values)
            except (ApplicationError, IntegrityError) as exc:
                reason = _service_reason(exc)
                if not only_valid:
                    raise ImportRefused(
                        _("Nothing was imported: row %(row)d: %(message)s") % {"row": entry.row, "message": reason},
                        checked,
                    ) from exc
                result.skipped.append((entry.row, reason))
                continue
            result.organisations.append(organisation)
        if not result.organisations:
            raise ImportRefused(_("Nothing was imported: no row in the file is free of errors."), checked)
    return checked, result


def _service_reason(exc):
    if isinstance(exc, IntegrityError):  # registered by someone else a moment ago
        return _("An organisation with this code is registered already.")
    messages = [str(m) for errors in exc.fields.values() for m in errors]
    return " ".join(messages) or str(exc.message)


# ---------------------------------------------------------------------------------------------- the template


def column_guide():
    """What to write in each column, in the active language (for the page and the template's instructions)."""
    guide = []
    for column in COLUMNS:
        if column.key == "kind":
            help_text = _("One of: %(choices)s.") % {"choices": kind_choices()}
        else:
            help_text = str(COLUMN_HELP[column.key])
        guide.append({"key": column.key, "label": str(column.label), "required": column.required, "help": help_text})
    return guide


def template_headers():
    return [str(c.label) for c in COLUMNS]


def _example_region(actor):
    region = getattr(actor, "region", None) if actor is not None else None
    if region is None:
        return "440402"
    return region.prefix if len(region.prefix) in REGION_DIGITS else region.code


def template_workbook(actor=None):
    """The import template: the header row in the active language, one example row, and an instructions sheet.
    The example's region is the actor's own, so the example imports as it is."""
    from openpyxl import Workbook
    from openpyxl.styles import Font

    example = {
        "name": _("Example Charity Association"),
        "kind": str(OrganisationKind.SOCIAL_GROUP.label),
        "credit_code": EXAMPLE_CREDIT_CODE,
        "grade": Grade.A4.value,
        "grade_valid_from": date(2024, 3, 1),
        "grade_valid_until": None,
        "region_code": _example_region(actor),
        "contact_name": _("Example Name"),
        "contact_phone": "0756-1234567",
    }
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = pgettext("spreadsheet sheet", "Social organisations")[:31]
    bold = Font(bold=True)
    sheet.append(template_headers())
    sheet.append([example[c.key] for c in COLUMNS])
    for index, column in enumerate(COLUMNS, start=1):
        header = sheet.cell(row=1, column=index)
        header.font = bold
        sheet.column_dimensions[header.column_letter].width = 24 if column.key in ("name", "credit_code") else 16
        cell = sheet.cell(row=2, column=index)
        if column.key in ("credit_code", "region_code", "contact_phone"):
            cell.number_format = "@"  # text: Excel keeps every digit
        elif column.key.startswith("grade_valid"):
            cell.number_format = "yyyy-mm-dd"
    sheet.freeze_panes = "A2"

    notes = workbook.create_sheet(pgettext("spreadsheet sheet", "Instructions")[:31])
    notes.append([_("Column"), _("Required"), _("What to write")])
    for cell in notes[1]:
        cell.font = bold
    yes, no = pgettext("spreadsheet value", "Yes"), pgettext("spreadsheet value", "No")
    for row in column_guide():
        notes.append([row["label"], yes if row["required"] else no, row["help"]])
    notes.append([])
    notes.append([_("One row per organisation; the header is row 1. Remove the example row before importing.")])
    notes.column_dimensions["A"].width = 26
    notes.column_dimensions["B"].width = 10
    notes.column_dimensions["C"].width = 90
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


# ------------------------------------------------------------------------------------------ the pending upload

SESSION_KEY = "charity_organisation_import"


def pending_upload(session, user):
    return uploads.pending_upload(session, user, SESSION_KEY)


def store_upload(session, user, content, extension, name):
    return uploads.store_upload(session, user, content, extension, name, SESSION_KEY)


def load_upload(pending):
    return uploads.load_upload(pending)


def discard_upload(session, user):
    uploads.discard_upload(session, user, SESSION_KEY)
