"""Navigation entries by role. Domain apps add theirs in a `navigation.py` module of their own,
found by autodiscovery, so the core knows no app by name."""

from dataclasses import dataclass

from django.urls import reverse
from django.utils.module_loading import autodiscover_modules
from django.utils.translation import gettext_lazy as _

from . import access


@dataclass(frozen=True)
class NavItem:
    label: str
    url_name: str
    capability: str | None = None  # None: every signed-in user
    order: int = 100


_items = []
_discovered = False


def register(item):
    _items.append(item)


def items_for(user):
    global _discovered
    if not _discovered:
        _discovered = True
        autodiscover_modules("navigation", register_to=None)
    visible, seen = [], set()
    for item in sorted(_items, key=lambda i: i.order):
        # An entry registered for several capabilities shows once, whichever of them the user has.
        if item.url_name in seen or not (item.capability is None or access.can(user, item.capability)):
            continue
        seen.add(item.url_name)
        visible.append(item)
    return [{"label": i.label, "url": reverse(i.url_name), "name": i.url_name} for i in visible]


register(NavItem(_("Home"), "home", order=0))
register(NavItem(_("Households"), "registry:household-list", capability="registry.view", order=10))
register(NavItem(_("Dashboard"), "dashboard", capability="dashboard.view", order=5))
register(NavItem(_("API documentation"), "api-docs", order=900))
register(NavItem(_("Administration"), "admin:index", capability="admin.use", order=950))
