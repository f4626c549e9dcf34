"""Resident ID numbers (GB 11643-1999): 6-digit area code, 8-digit birth date, 3-digit sequence whose
parity gives the sex (odd: male), and a check character computed with ISO 7064 MOD 11-2."""

import re
from dataclasses import dataclass
from datetime import date

from django.utils.translation import gettext as _

WEIGHTS = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2]
CHECK_CHARS = "10X98765432"
PATTERN = re.compile(r"^\d{17}[\dX]$")


class InvalidIdNumber(ValueError):
    """The message names what is wrong, in the active language."""


@dataclass(frozen=True)
class IdNumber:
    number: str
    birth_date: date
    sex: str  # "M" or "F"


def check_char(first17):
    return CHECK_CHARS[sum(int(d) * w for d, w in zip(first17, WEIGHTS, strict=True)) % 11]


def normalise(raw):
    return (raw or "").strip().replace(" ", "").upper()


def parse(raw, today=None):
    number = normalise(raw)
    if len(number) != 18:
        raise InvalidIdNumber(_("An ID number has 18 characters; this one has %(count)d.") % {"count": len(number)})
    if not PATTERN.match(number):
        raise InvalidIdNumber(_("An ID number is 17 digits followed by a digit or X."))
    try:
        birth = date(int(number[6:10]), int(number[10:12]), int(number[12:14]))
    except ValueError:
        raise InvalidIdNumber(
            _("Characters 7–14 of an ID number are the birth date; %(value)s is not a date.") % {"value": number[6:14]}
        ) from None
    today = today or date.today()
    if birth > today or birth.year < 1880:
        raise InvalidIdNumber(
            _("The birth date %(date)s in this ID number is impossible.") % {"date": birth.isoformat()}
        )
    expected = check_char(number[:17])
    if number[17] != expected:
        raise InvalidIdNumber(
            _("The check character is wrong: it should be %(expected)s, not %(actual)s. Check for a typing error.")
            % {"expected": expected, "actual": number[17]}
        )
    return IdNumber(number=number, birth_date=birth, sex="M" if int(number[16]) % 2 else "F")


def mask(number):
    """440402********1234: area code and last four only, for every list and export."""
    if not number or len(number) < 10:
        return "*" * len(number or "")
    return number[:6] + "*" * (len(number) - 10) + number[-4:]
