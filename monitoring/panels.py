"""The household file's monitoring panel: who of the household is watched and why, and its warnings and tasks."""

from django.utils.translation import gettext_lazy as _

from civic.panels import HouseholdPanel, register_household_panel

from . import selectors
from .feeds import FEEDS
from .models import MatchStatus

RECENT_RECORDS = 15


def _context(request, household):
    people = list(selectors.people_for(request.user).filter(household=household).order_by("resident__name"))
    alerts = list(selectors.household_alerts(request.user, household).order_by("-found_on", "-pk")[:20])
    # What partner systems reported about the members lately, whether or not a rule made a warning of it
    # (a disability certificate, utility arrears, a school fee waiver …): the caseworker sees the whole picture.
    records = list(
        selectors.records_for(request.user)
        .filter(resident__household=household, match=MatchStatus.MATCHED)
        .select_related("resident")
        .order_by("-event_date", "-pk")[:RECENT_RECORDS]
    )
    if not people and not alerts and not records:
        return None
    for item in records:
        feed = FEEDS[item.feed]
        item.event_label = feed.events.get(item.event, item.event)
    return {"people": people, "alerts": alerts, "records": records}


register_household_panel(
    HouseholdPanel(
        _("Monitoring and warnings"),
        "monitoring/household_panel.html",
        _context,
        capability="monitoring.view",
        order=15,
    )
)
