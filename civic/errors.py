"""The application error: services raise it, the API maps it to the one error shape, pages to form errors."""

from django.utils.translation import gettext


class ApplicationError(Exception):
    def __init__(self, message, *, code="invalid", fields=None, status=400):
        super().__init__(str(message))
        self.message = message
        self.code = code
        self.fields = fields or {}
        self.status = status


def add_service_errors(form, exc, aliases=None):
    """An ApplicationError's messages next to the form's fields (renamed through `aliases`), the rest above it."""
    aliases = aliases or {}
    placed = False
    for field, errors in exc.fields.items():
        name = aliases.get(field, field)
        for error in errors or [exc.message]:
            form.add_error(name if name in form.fields else None, error)
            placed = True
    if not placed:
        form.add_error(None, exc.message)


def invalid(errors):
    """Field errors ({field: [message, …]}) as the one 400 error of services."""
    return ApplicationError(gettext("Some fields are not valid."), code="invalid", fields=errors)


def conflict(message, code):
    """A step the record's state does not allow (409)."""
    return ApplicationError(message, code=code, status=409)


def refuse_on_form(form, exc, aliases=None):
    """For pages: a service's refusal as form errors, and the page's status (403 or 409 as refused, else 400).
    Something outside the user's area is a 404, as if it did not exist."""
    if exc.status == 404:
        from django.http import Http404

        raise Http404
    add_service_errors(form, exc, aliases)
    return exc.status if exc.status in (403, 409) else 400
