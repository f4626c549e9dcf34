"""Browser pages of child protection. Case files are need-to-know (childcare.rules): whoever may not open one
gets the same 404 as for a file that does not exist, and every opening, shown or refused, is logged."""

from django.core.exceptions import PermissionDenied

from civic import access

# Those who follow child cases (a caseload, reports to act on): the child director, the street's supervisor and
# the district's child-protection officers.
CASE_CAPABILITIES = ("child.direct", "child.supervise", "child.protect")
# Those who read the figures: managers (figures only), supervisors and child-protection officers.
FIGURE_CAPABILITIES = ("child.aggregates", "child.supervise", "child.protect")


def can_any(user, capabilities):
    return any(access.can(user, capability) for capability in capabilities)


def require_any(user, capabilities):
    """403 when the role has none of the capabilities."""
    if not can_any(user, capabilities):
        raise PermissionDenied
