"""The household file's monitoring panel: who of the household is watched and why, and its warnings and tasks."""

from django.utils.translation import gettext_lazy as _

from civic.panels import HouseholdPanel, register_household_panel

from . import selectors


def _context(request, household):
    people = list(selectors.people_for(request.user).filter(household=household).order_by("resident__name"))
    alerts = list(selectors.household_alerts(request.user, household).order_by("-found_on", "-pk")[:20])
    if not people and not alerts:
        return None
    return {"people": people, "alerts": alerts}


register_household_panel(
    HouseholdPanel(
        _("Monitoring and warnings"),
        "monitoring/household_panel.html",
        _context,
        capability="monitoring.view",
        order=15,
    )
)
