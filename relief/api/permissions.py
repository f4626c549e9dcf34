"""API permission of the relief endpoints where a method accepts any one of several scopes or capabilities."""

from rest_framework.permissions import BasePermission

from civic import access
from civic.api.authentication import PartnerPrincipal


class AnyScopePermission(BasePermission):
    """civic.api.permissions.ScopePermission, where `required_scopes` and `required_capabilities` may give a
    tuple for a method: any one of them will do (reads: a quote or a policy scope). A method left out of
    `required_scopes` is closed to partners; left out of `required_capabilities`, to staff."""

    def has_permission(self, request, view):
        user = request.user
        if not getattr(user, "is_authenticated", False):
            return False
        method = "GET" if request.method in ("HEAD", "OPTIONS") else request.method
        if not hasattr(view, method.lower()):
            return True  # let the view answer 405 Method Not Allowed
        if isinstance(user, PartnerPrincipal):
            return bool(set(_alternatives(getattr(view, "required_scopes", {}).get(method))) & user.scopes)
        return any(access.can(user, c) for c in _alternatives(getattr(view, "required_capabilities", {}).get(method)))


def _alternatives(value):
    if value is None:
        return ()
    return (value,) if isinstance(value, str) else tuple(value)
