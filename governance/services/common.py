"""Checks shared by the council writes: who may record where."""

from django.utils import timezone
from django.utils.translation import gettext as _

from civic import access
from civic.errors import ApplicationError


def require(actor, region_code, capabilities=("governance.record",)):
    """403 without one of the capabilities; 404 when the council lies outside the actor's area."""
    if not any(access.can(actor, capability) for capability in capabilities):
        raise ApplicationError(_("You may not record council business."), code="forbidden", status=403)
    if not access.in_scope(actor, region_code):
        raise ApplicationError(_("Not found."), code="not_found", status=404)


def text(value):
    return (value or "").strip()


def past_or_today(day, field, errors, message=None):
    if day and day > timezone.localdate():
        errors[field] = [message or _("The date cannot be in the future.")]
