"""The community councils' panel of the managers' dashboard (civic.dashboard), from the figures of
governance/figures.py: the execution rate of resolutions (implemented ÷ due, DOMAIN.md) now and at each month's end,
meetings with their participants, and topics received."""

from django.utils.translation import gettext_lazy as _

from civic import dashboard
from civic.dashboard import Measure

from . import figures
from .models import TopicSource

DUE = Measure(_("Resolutions due"), figures.DUE)
IMPLEMENTED = Measure(_("Implemented"), figures.IMPLEMENTED)
RATE = Measure(_("Execution rate"), figures.IMPLEMENTED, per=DUE)
DUE_BY_MONTH_END = Measure(_("Resolutions due"), figures.DUE_BY_MONTH_END)
IMPLEMENTED_BY_MONTH_END = Measure(_("Implemented"), figures.IMPLEMENTED_BY_MONTH_END)
RATE_BY_MONTH_END = Measure(_("Execution rate"), figures.IMPLEMENTED_BY_MONTH_END, per=DUE_BY_MONTH_END)
MEETINGS = Measure(_("Meetings"), figures.MEETINGS)
PARTICIPANTS = Measure(_("Participants"), figures.PARTICIPANTS)
TOPICS = Measure(_("Topics received"), figures.TOPICS, None)
HOTLINE_TOPICS = Measure(_("Hotline (12345)"), figures.TOPICS, TopicSource.HOTLINE.value)


def _councils(view):
    return [
        dashboard.by_region(
            view,
            "execution",
            _("Execution of resolutions, as of today"),
            [DUE, IMPLEMENTED, RATE],
            note=_(
                "A resolution is due once its due date has passed or its implementation has closed; the execution "
                "rate is the implemented share of those due."
            ),
        ),
        dashboard.trend(
            view,
            "execution-trend",
            _("Execution rate at each month's end"),
            [DUE_BY_MONTH_END, IMPLEMENTED_BY_MONTH_END, RATE_BY_MONTH_END],
        ),
        dashboard.by_region(
            view,
            "participation",
            _("Meetings and topics this month"),
            [MEETINGS, PARTICIPANTS, TOPICS, HOTLINE_TOPICS],
            note=_("Participants are the members present and everyone else who took part."),
        ),
        dashboard.trend(
            view,
            "participation-trend",
            _("Meetings, participants and topics by month"),
            [MEETINGS, PARTICIPANTS, TOPICS, HOTLINE_TOPICS],
        ),
    ]


dashboard.register(
    dashboard.Panel("governance", _("Community councils"), _councils, capability="dashboard.view", order=60)
)
