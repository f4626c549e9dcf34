"""Partner token scopes. A scope names one kind of access; domain apps add theirs with `register`."""

from django.utils.translation import gettext_lazy as _

SCOPES = {
    "regions:read": _("Read the region tree within the token's region"),
}


def register(name, description):
    SCOPES[name] = description


def unknown_scopes(names):
    return sorted(set(names) - set(SCOPES))
