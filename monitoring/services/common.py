"""Guards shared by the monitoring services."""

from django.utils.translation import gettext as _

from civic import access
from civic.errors import ApplicationError


def require(actor, capability, region_code=None):
    """403 without the capability; 404 (as if it did not exist) for a record outside the actor's area."""
    if not access.can(actor, capability):
        raise ApplicationError(_("You may not do this."), code="forbidden", status=403)
    if region_code is not None and not access.in_scope(actor, region_code):
        raise ApplicationError(_("Not found."), code="not_found", status=404)
