"""Limits and shared errors of the household import."""

import re

from import_export.formats import base_formats

MAX_UPLOAD_BYTES = 5 * 1024 * 1024
MAX_UNPACKED_BYTES = 80 * 1024 * 1024  # an XLSX is a zip: refuse one that unpacks to far more than it weighs
MAX_ROWS = 10_000
FORMATS = {"xlsx": base_formats.XLSX, "csv": base_formats.CSV}
SESSION_KEY = "registry_import"
NAME_MAX = 50
ADDRESS_MAX = 200
PHONE = re.compile(r"^[0-9+\-() ]{3,20}$")


class ImportFileError(Exception):
    """The file as a whole cannot be used; the message says why, in the active language."""

    def __init__(self, message):
        super().__init__(message)
        self.message = message


class ImportRefused(Exception):
    """Confirmation found something that stops the import; nothing was saved. Carries the fresh preview."""

    def __init__(self, message, preview=None):
        super().__init__(message)
        self.message = message
        self.preview = preview
