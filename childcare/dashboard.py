"""Child protection's dashboard panels (civic.dashboard): mandatory reports, children with a profile, allowance
claims. Counts and sums only, never a case file. Shown to those who may read child-protection figures
(childcare.views.FIGURE_CAPABILITIES: managers, street supervisors, district child-protection officers), as the
app's own figures page is, besides reading dashboards."""

from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from civic import dashboard
from civic.dashboard import Measure, by_region, trend

from . import figures as f
from .models import OPEN_STATES, AllowanceKind, ChildCategory, ClaimState, ReportState
from .views import FIGURE_CAPABILITIES, can_any


def _for(view):
    return can_any(view.user, FIGURE_CAPABILITIES)


def _cases(view):
    if not _for(view):
        return None
    states = [(value, label) for value, label in ReportState.choices]
    received = Measure(_("Reports received"), f.REPORTS_RECEIVED, None)
    return [
        by_region(
            view,
            "reports",
            _("Mandatory reports open now"),
            [
                Measure(pgettext_lazy("cases", "Open"), f.REPORTS_OPEN),
                Measure(_("Overdue"), f.REPORTS_OVERDUE, f.NOT_ACTED),
                Measure(_("Deadline missed, still open"), f.REPORTS_OVERDUE, None),
                Measure(_("Open, child in immediate danger"), f.REPORTS_DANGER),
            ],
            note=_(
                "Overdue as marked by the alert job (every ten minutes): not acted on by the deadline. "
                "“Deadline missed” also counts reports acted on late that are still open."
            ),
        ),
        by_region(
            view,
            "states",
            _("Reports by state"),
            [Measure(label, f.REPORTS, value) for value, label in states if value in OPEN_STATES]
            + [Measure(ReportState.CLOSED.label, f.REPORTS, ReportState.CLOSED.value)],
        ),
        trend(
            view,
            "received",
            _("Mandatory reports received by month"),
            [received, Measure(_("Child in immediate danger"), f.REPORTS_RECEIVED, "danger")],
        ),
        by_region(
            view,
            "children",
            _("Children with a profile now, by category"),
            [Measure(pgettext_lazy("count", "Children"), f.CHILDREN)]
            + [Measure(label, f.CHILDREN_BY_CATEGORY, value) for value, label in ChildCategory.choices],
            note=_("A child in several categories counts in each of them, and once among the children."),
        ),
    ]


dashboard.register(dashboard.Panel("childcare-cases", _("Child protection"), _cases, order=40))


def _allowances(view):
    if not _for(view):
        return None
    confirmed = Measure(_("Allowances confirmed"), f.ALLOWANCES_CONFIRMED, None)
    amount = Measure(_("Monthly allowance granted"), f.ALLOWANCE_AMOUNT, None, "money")
    waiting = [
        Measure(_("Awaiting the street's verification"), f.CLAIMS_WAITING, ClaimState.FILED.value),
        Measure(_("Awaiting the district's confirmation"), f.CLAIMS_WAITING, ClaimState.VERIFIED.value),
    ]
    table = trend(
        view,
        "confirmed",
        _("Allowances confirmed by month"),
        [confirmed]
        + [Measure(label, f.ALLOWANCES_CONFIRMED, value) for value, label in AllowanceKind.choices]
        + [amount],
        note=_("By the month the district confirmed the claim; the amount is the monthly allowance granted."),
    )
    if table.chart is not None:  # counts only: yuan on the same scale would flatten them
        table.chart.series = [s for s in table.chart.series if str(s[0]) != str(amount.label)]
    return [
        by_region(view, "waiting", _("Allowance claims waiting now"), waiting),
        by_region(
            view,
            "month",
            _("Allowances confirmed this month"),
            [confirmed, amount],
        ),
        table,
    ]


dashboard.register(dashboard.Panel("childcare-allowances", _("Children's allowances"), _allowances, order=41))
