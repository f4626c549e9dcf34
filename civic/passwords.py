from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

CLASSES = (str.isupper, str.islower, str.isdigit, lambda c: not c.isalnum())


class CharacterClassValidator:
    """Staff passwords mix character kinds: upper-case, lower-case, digits and symbols."""

    def __init__(self, min_classes=3):
        self.min_classes = min_classes

    def validate(self, password, user=None):
        used = sum(any(test(c) for c in password) for test in CLASSES)
        if used < self.min_classes:
            raise ValidationError(self.get_help_text(), code="password_too_simple")

    def get_help_text(self):
        return _(
            "The password must mix at least %(count)d of: upper-case letters, lower-case letters, digits, symbols."
        ) % {"count": self.min_classes}
