"""API permission: partners need the view's scope; staff need the matching capability of their role."""

from rest_framework.permissions import BasePermission

from civic import access

from .authentication import PartnerPrincipal


class ScopePermission(BasePermission):
    """Set `required_scopes = {"GET": "x:read", "POST": "x:write"}` and
    `required_capabilities = {"GET": "x.view", ...}` on the view."""

    def has_permission(self, request, view):
        user = request.user
        if not getattr(user, "is_authenticated", False):
            return False
        method = "GET" if request.method in ("HEAD", "OPTIONS") else request.method
        if not hasattr(view, method.lower()):
            return True  # let the view answer 405 Method Not Allowed
        if isinstance(user, PartnerPrincipal):
            scope = getattr(view, "required_scopes", {}).get(method)
            return scope is not None and scope in user.scopes
        capability = getattr(view, "required_capabilities", {}).get(method)
        return capability is not None and access.can(user, capability)
