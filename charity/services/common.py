"""Checks shared by the charity writes: who may act where, and which records are visible from an area."""

from django.utils.translation import gettext as _

from civic import access
from civic.amounts import amount_or_error, parse_amount
from civic.errors import ApplicationError, conflict, invalid

__all__ = ["amount_or_error", "conflict", "invalid", "parse_amount", "require", "require_capability", "text"]


def require_capability(actor, capability):
    if not access.can(actor, capability):
        raise ApplicationError(_("You may not do this in charity records."), code="forbidden", status=403)


def require(actor, capability, region_code):
    """403 without the capability; 404 when the record's region lies outside the actor's."""
    require_capability(actor, capability)
    if not access.in_scope(actor, region_code):
        raise ApplicationError(_("Not found."), code="not_found", status=404)


def visible_from(actor, region_code):
    """A record of a region in the actor's area or above it (a city fund is open to referrals from any street)."""
    prefix = access.scope_prefix(actor)
    return prefix is not None and (region_code.startswith(prefix) or region_code in access.ancestor_codes(prefix))


def text(value):
    return (value or "").strip()
