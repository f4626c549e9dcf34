"""Panels on the household file (一户一档). Each domain app registers its own in a `panels.py` module,
found by autodiscovery, so the core knows no app by name."""

from collections.abc import Callable
from dataclasses import dataclass

from django.template.loader import render_to_string
from django.utils.module_loading import autodiscover_modules

from . import access


@dataclass(frozen=True)
class HouseholdPanel:
    title: str
    template: str
    context: Callable  # (request, household) -> dict, or None to leave the panel out
    capability: str | None = None
    order: int = 100


_household_panels = []
_discovered = False


def register_household_panel(panel):
    _household_panels.append(panel)


def household_panels(request, household):
    global _discovered
    if not _discovered:
        _discovered = True
        autodiscover_modules("panels", register_to=None)
    rendered = []
    for panel in sorted(_household_panels, key=lambda p: p.order):
        if panel.capability and not access.can(request.user, panel.capability):
            continue
        context = panel.context(request, household)
        if context is not None:
            html = render_to_string(panel.template, {"household": household, **context}, request=request)
            rendered.append({"title": panel.title, "html": html})
    return rendered
