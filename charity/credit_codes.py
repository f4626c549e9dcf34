"""Unified social credit codes (统一社会信用代码, GB 32100-2015): 18 characters from a 31-character alphabet (no I, O,
S, V, Z); the last is a check character over the first 17, modulus 31 with weights 3^i mod 31."""

from django.utils.translation import gettext as _

ALPHABET = "0123456789ABCDEFGHJKLMNPQRTUWXY"
WEIGHTS = [pow(3, i, 31) for i in range(17)]  # 1, 3, 9, 27, 19, 26, 16, …


def check_character(body):
    total = sum(ALPHABET.index(char) * weight for char, weight in zip(body, WEIGHTS, strict=True))
    return ALPHABET[(31 - total % 31) % 31]


def normalise(code):
    return "".join((code or "").split()).upper()


def problem(code):
    """Why `code` is not a valid unified social credit code, or None when it is."""
    code = normalise(code)
    if len(code) != 18:
        return _("A unified social credit code has 18 characters; this one has %(n)s.") % {"n": len(code)}
    wrong = sorted({char for char in code if char not in ALPHABET})
    if wrong:
        return _(
            "A unified social credit code uses digits and capital letters other than I, O, S, V and Z: "
            "“%(chars)s” cannot appear."
        ) % {"chars": "".join(wrong)}
    if not code[2:8].isdigit():
        return _("Characters 3 to 8 are the registering region's code and must be digits.")
    expected = check_character(code[:17])
    if code[17] != expected:
        return _("The check character is wrong: with these first 17 characters it would be “%(char)s”.") % {
            "char": expected
        }
    return None
