"""The monitoring panel of the managers' dashboard (civic.dashboard): warnings found, closed and closed by their
deadline this month and by month; open and overdue now; people watched by category."""

from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from civic import dashboard
from civic.dashboard import Measure

from . import figures
from .models import Category

FOUND = Measure(_("Warnings found"), figures.FOUND, None)
CLOSED = Measure(_("Handled"), figures.CLOSED, None)
IN_TIME = Measure(_("Handled in time"), figures.IN_TIME, None)
IN_TIME_RATE = Measure(_("Share handled in time"), figures.IN_TIME, None, per=CLOSED)
OPEN = Measure(pgettext_lazy("warnings", "Open"), figures.OPEN, None)
OVERDUE = Measure(_("Past the deadline"), figures.OVERDUE, None)
WATCHED = Measure(_("People watched"), figures.WATCHED, None)
BY_CATEGORY = [Measure(c.label, figures.WATCHED, c.value) for c in Category]


def _panels(view):
    return [
        dashboard.by_region(
            view,
            "alerts",
            _("Early warnings this month"),
            [FOUND, CLOSED, IN_TIME, IN_TIME_RATE, OPEN, OVERDUE],
            note=_(
                "Handled: closed by the review, application or visit the warning called for, or dismissed with a "
                "reason. In time: by the task's deadline. Open and past the deadline are as of today."
            ),
        ),
        dashboard.trend(view, "alerts-trend", _("Early warnings by month"), [FOUND, CLOSED, IN_TIME]),
        dashboard.by_region(view, "watched", _("People watched, by category"), [WATCHED, *BY_CATEGORY]),
    ]


dashboard.register(
    dashboard.Panel("monitoring", _("Low-income monitoring"), _panels, capability="monitoring.view", order=15)
)
