"""The charity panel of the managers' dashboard (civic.dashboard), from the figures of charity/figures.py: money
raised and granted, fund balances, help given (activities and beneficiaries) and referrals, by region for the
current month and as a trend."""

from django.utils.translation import gettext_lazy as _

from civic import dashboard
from civic.dashboard import Measure

from . import figures

RAISED = Measure(_("Donations in (yuan)"), figures.RAISED, None, "money")
GRANTED = Measure(_("Grants out (yuan)"), figures.GRANTED, None, "money")
BALANCE = Measure(_("Fund balances now (yuan)"), figures.BALANCE, "", "money")
ACTIVITIES = Measure(_("Activities"), figures.ACTIVITIES, None)
BENEFICIARIES = Measure(_("Beneficiaries"), figures.BENEFICIARIES, None)
PROJECT_BENEFICIARIES = Measure(_("Beneficiaries of projects"), figures.BENEFICIARIES, figures.PROJECT)
PAIRING_BENEFICIARIES = Measure(_("Beneficiaries of pairings"), figures.BENEFICIARIES, figures.PAIRING)
OPEN = Measure(_("Referrals open"), figures.REFERRALS_OPEN)
OVERDUE = Measure(_("Awaiting an answer past the due date"), figures.REFERRALS_OVERDUE)
HELPED = Measure(_("Referrals helped"), figures.REFERRALS_HELPED)
DECLINED = Measure(_("Referrals declined"), figures.REFERRALS_DECLINED)
ANSWERED = Measure(_("Referrals answered"), figures.REFERRALS_ANSWERED)
ANSWERED_LATE = Measure(_("Answered after the due date"), figures.REFERRALS_ANSWERED_LATE)


def _charity(view):
    return [
        dashboard.by_region(
            view,
            "funds",
            _("Donations and grants this month, fund balances now"),
            [BALANCE, RAISED, GRANTED],
            note=_(
                "Donations count where the fund's organisation is registered, grants where the project runs or the "
                "household lives; a city or district organisation's figures are its region's own level."
            ),
        ),
        dashboard.trend(view, "funds-trend", _("Donations and grants by month"), [RAISED, GRANTED]),
        dashboard.by_region(
            view,
            "help",
            _("Help given this month"),
            [BENEFICIARIES, PROJECT_BENEFICIARIES, PAIRING_BENEFICIARIES, ACTIVITIES],
        ),
        dashboard.trend(
            view,
            "help-trend",
            _("Activities and beneficiaries by month"),
            [BENEFICIARIES, PROJECT_BENEFICIARIES, PAIRING_BENEFICIARIES, ACTIVITIES],
        ),
        dashboard.by_region(
            view,
            "referrals",
            _("Referrals from relief now, and answers this month"),
            [OPEN, OVERDUE, HELPED, DECLINED, ANSWERED, ANSWERED_LATE],
            note=_(
                "Open, overdue, helped and declined are counted now; answered is the first step after the referral "
                "(accepted, declined, helped or closed), late when taken after the answer due date."
            ),
        ),
        dashboard.trend(
            view, "referrals-trend", _("Referrals answered by month"), [ANSWERED, ANSWERED_LATE, OPEN, OVERDUE]
        ),
    ]


dashboard.register(dashboard.Panel("charity", _("Charity"), _charity, capability="dashboard.view", order=50))
