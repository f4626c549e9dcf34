"""Partner token scopes. A scope names one kind of access; domain apps add theirs with `register`."""

from django.utils.translation import gettext_lazy as _

SCOPES = {
    "regions:read": _("Read the region tree within the token's region"),
    "registry:read": _("Look up households and residents within the token's region, with ID numbers masked"),
    "registry:write": _("Register households and add or change their members within the token's region"),
    "registry:reveal_id": _("See a resident's full ID number on a single-resident request (each time is logged)"),
}


def register(name, description):
    SCOPES[name] = description


def unknown_scopes(names):
    return sorted(set(names) - set(SCOPES))
