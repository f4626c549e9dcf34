"""Validating every row of an import and building the preview; writes nothing."""

import re
from dataclasses import dataclass, field

from django.utils.translation import gettext as _

from civic import access, idnumbers
from civic.errors import ApplicationError
from civic.models import DisabilityCategory, HukouType, Region, Relationship, WorkAbility
from civic.services.registry import clean_member

from .columns import CHINESE_DIGITS, COLUMNS_BY_KEY, GRADE, NO_WORDS, YES_WORDS, choice_lookup, norm_text
from .limits import ADDRESS_MAX, NAME_MAX, PHONE
from .reading import cell_text, read_table


@dataclass
class Issue:
    row: int
    column: str  # column key, "" for the whole row
    message: str
    key: str = ""  # household key of the row

    @property
    def column_label(self):
        column = COLUMNS_BY_KEY.get(self.column)
        return str(column.label) if column else ""


@dataclass
class PlannedHousehold:
    key: str
    region_code: str = ""
    address: str = ""
    members: list = field(default_factory=list)
    rows: list = field(default_factory=list)
    bad: bool = False

    @property
    def first_row(self):
        return self.rows[0]


@dataclass
class Preview:
    row_count: int
    households: list
    issues: list
    ignored_columns: list = field(default_factory=list)

    @property
    def clean(self):
        return not self.issues

    @property
    def bad_rows(self):
        return sorted({i.row for i in self.issues})

    @property
    def valid_row_count(self):
        return self.row_count - len(self.bad_rows)

    @property
    def valid_households(self):
        return [h for h in self.households if not h.bad]

    @property
    def bad_households(self):
        return [h for h in self.households if h.bad]

    @property
    def valid_member_count(self):
        return sum(len(h.members) for h in self.valid_households)


class _Checker:
    """Validates rows for one actor; caches what it reads (communities) for the length of one file."""

    def __init__(self, actor):
        self.actor = actor
        self.relationships = choice_lookup(Relationship)
        self.hukou = choice_lookup(HukouType)
        self.categories = choice_lookup(DisabilityCategory)
        self.abilities = choice_lookup(WorkAbility)
        self.regions = {}

    def load_regions(self, codes):
        codes = [c for c in codes if c not in self.regions]
        found = {r.code: r for r in Region.objects.filter(code__in=codes)}
        for code in codes:
            self.regions[code] = found.get(code)

    def community_error(self, code):
        if not re.fullmatch(r"\d{12}", code):
            return _("A community code has 12 digits; %(code)s does not.") % {"code": code}
        region = self.regions.get(code)
        if region is None:
            return _("No community has the code %(code)s.") % {"code": code}
        if region.level != "community":
            return _("%(code)s is %(name)s, not a community or village.") % {"code": code, "name": region.name}
        if not access.can(self.actor, "registry.edit") or not access.in_scope(self.actor, code):
            return _("%(name)s (%(code)s) is outside your area; you may import only households of your own area.") % {
                "name": region.name,
                "code": code,
            }
        return None

    def choice(self, lookup, raw, default):
        text = cell_text(raw)
        if not text:
            return default, None
        value = lookup.get(norm_text(text))
        return value, (None if value is not None else text)

    def row(self, number, cells):
        """(member dict for household_create, {column key: message}) for one row."""
        errors = {}
        text = {key: cell_text(cells.get(key)) for key in COLUMNS_BY_KEY}

        if not text["household_key"]:
            errors["household_key"] = _("Enter a household key: the same text on every row of one household.")
        if len(text["address"]) > ADDRESS_MAX:
            errors["address"] = _("The address has at most %(max)d characters.") % {"max": ADDRESS_MAX}
        if text["community_code"]:
            message = self.community_error(text["community_code"])
            if message:
                errors["community_code"] = message

        relationship, bad = self.choice(self.relationships, cells.get("relationship"), "")
        if bad:
            errors["relationship"] = _(
                "“%(value)s” is not a relationship to the head; use for example %(example)s."
            ) % {
                "value": bad,
                "example": " / ".join(str(label) for label in Relationship.labels[:4]),
            }
        elif not relationship:
            errors["relationship"] = _("Enter the relationship to the head of household.")

        if not text["id_number"]:
            errors["id_number"] = _("Enter the ID number.")
        if not text["name"]:
            errors["name"] = _("Enter the name.")
        elif len(text["name"]) > NAME_MAX:
            errors["name"] = _("A name has at most %(max)d characters.") % {"max": NAME_MAX}

        phone = text["phone"]
        if phone and not PHONE.match(phone):
            errors["phone"] = _("A phone number is up to 20 digits, spaces, hyphens or a leading +.")

        hukou, bad = self.choice(self.hukou, cells.get("hukou_type"), HukouType.LOCAL_URBAN)
        if bad:
            errors["hukou_type"] = self._choice_message(bad, HukouType)
        category, bad = self.choice(self.categories, cells.get("disability_category"), "")
        if bad:
            errors["disability_category"] = self._choice_message(bad, DisabilityCategory)
        grade = None
        if text["disability_grade"]:
            match = GRADE.match(text["disability_grade"])
            if match:
                digit = match.group(1)
                grade = CHINESE_DIGITS.get(digit) or int(digit)
            else:
                errors["disability_grade"] = _("“%(value)s” is not a disability grade; use 1, 2, 3 or 4.") % {
                    "value": text["disability_grade"]
                }
        illness = self._yes_no(cells.get("serious_illness"))
        if illness is None:
            errors["serious_illness"] = _("Write yes or no (是 or 否).")
        ability, bad = self.choice(self.abilities, cells.get("work_ability"), WorkAbility.FULL)
        if bad:
            errors["work_ability"] = self._choice_message(bad, WorkAbility)

        member = {
            "id_number": idnumbers.normalise(text["id_number"]),
            "name": text["name"],
            "phone": phone,
            "hukou_type": hukou or HukouType.LOCAL_URBAN,
            "disability_category": category or "",
            "disability_grade": grade,
            "serious_illness": bool(illness),
            "illness_note": "",
            "work_ability": ability or WorkAbility.FULL,
            "relationship": relationship or "",
        }
        if "disability_category" in errors or "disability_grade" in errors:
            checked = {**member, "disability_category": "", "disability_grade": None}
        else:
            checked = member
        try:
            clean_member(self.actor, checked)
        except ApplicationError as exc:
            for name, messages in (exc.fields or {"": [exc.message]}).items():
                column = name if name in COLUMNS_BY_KEY else ""
                message = messages[0] if messages else str(exc.message)
                if column == "id_number" and isinstance(cells.get("id_number"), int | float):
                    message = " ".join(
                        [message, _("The cell holds a number, which loses digits: format the column as text.")]
                    )
                errors.setdefault(column, message)
        return member, errors

    def _choice_message(self, value, choices):
        return _("“%(value)s” is not one of: %(choices)s.") % {
            "value": value,
            "choices": " / ".join(str(label) for label in choices.labels),
        }

    @staticmethod
    def _yes_no(raw):
        if isinstance(raw, bool):
            return raw
        text = norm_text(cell_text(raw))
        if text in YES_WORDS:
            return True
        if text in NO_WORDS:
            return False
        return None


def validate(actor, table):
    """Check every row of the table for this actor. Reads the database, writes nothing."""
    checker = _Checker(actor)
    checker.load_regions({cell_text(cells.get("community_code")) for _number, cells in table.rows})
    issues, households, ids, row_keys = [], {}, {}, {}

    for number, cells in table.rows:
        member, errors = checker.row(number, cells)
        key = cell_text(cells.get("household_key"))
        row_keys[number] = key
        issues.extend(Issue(number, column, message, key) for column, message in errors.items())
        if member["id_number"]:
            ids.setdefault(member["id_number"], []).append(number)
        if not key:
            continue
        household = households.setdefault(key, PlannedHousehold(key=key))
        household.rows.append(number)
        household.members.append(member)
        for attribute, column in (("region_code", "community_code"), ("address", "address")):
            value = cell_text(cells.get(column))
            if attribute == "address":
                value = " ".join(value.split())
            if not value:
                continue
            current = getattr(household, attribute)
            if not current:
                setattr(household, attribute, value)
            elif value != current:
                issues.append(
                    Issue(
                        number,
                        column,
                        _("Every row of household %(key)s must have the same %(column)s; row %(row)d has “%(value)s”.")
                        % {
                            "key": key,
                            "column": str(COLUMNS_BY_KEY[column].label),
                            "row": household.first_row,
                            "value": current,
                        },
                        key,
                    )
                )

    for rows in ids.values():
        if len(rows) > 1:
            for number in rows:
                others = ", ".join(str(r) for r in rows if r != number)
                issues.append(
                    Issue(
                        number,
                        "id_number",
                        _("The same ID number is also on row %(rows)s of this file.") % {"rows": others},
                        row_keys[number],
                    )
                )

    for household in households.values():
        if not household.region_code:
            issues.append(Issue(household.first_row, "community_code", _("Enter the community code."), household.key))
        if not household.address:
            issues.append(Issue(household.first_row, "address", _("Enter the address."), household.key))
        heads = [r for r, m in zip(household.rows, household.members, strict=True) if m["relationship"] == "head"]
        if not heads:
            issues.append(
                Issue(
                    household.first_row,
                    "relationship",
                    _("Household %(key)s has no head; mark one member as head of household.") % {"key": household.key},
                    household.key,
                )
            )
        elif len(heads) > 1:
            for number in heads:
                issues.append(
                    Issue(
                        number,
                        "relationship",
                        _("Household %(key)s has %(count)d heads (rows %(rows)s); a household has exactly one.")
                        % {"key": household.key, "count": len(heads), "rows": ", ".join(str(r) for r in heads)},
                        household.key,
                    )
                )

    bad_rows = {i.row for i in issues}
    for household in households.values():
        household.bad = any(r in bad_rows for r in household.rows)
    issues.sort(key=lambda i: (i.row, list(COLUMNS_BY_KEY).index(i.column) if i.column in COLUMNS_BY_KEY else -1))
    return Preview(
        row_count=len(table.rows),
        households=list(households.values()),
        issues=issues,
        ignored_columns=table.ignored_columns,
    )


def preview(actor, content, extension):
    """Parse and validate a file; raises ImportFileError when the file as a whole is unusable."""
    return validate(actor, read_table(content, extension))
