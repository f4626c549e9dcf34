"""Elder care's dashboard panels (civic.dashboard): meals and their subsidy, meal-hall settlements, and the visits to
special-hardship elderly. Counts and sums only, read from the figures of eldercare.figures; shown to those who may
follow elder care in their area (eldercare.view) besides reading dashboards."""

from django.utils.translation import gettext_lazy as _

from civic import access, dashboard
from civic.dashboard import Measure, by_region, trend
from civic.months import add_months

from . import figures as f
from .models import Risk, Tier


def _for(view):
    return access.can(view.user, "eldercare.view")


def _chart_of(table, kind):
    """Keep only the series of one kind of column in the table's chart: counts and yuan on one scale flatten
    one or the other."""
    if table.chart is not None:
        labels = {str(label) for _key, label, column_kind in table.columns if column_kind == kind}
        table.chart.series = [series for series in table.chart.series if str(series[0]) in labels]
    return table


# ---------------------------------------------------------------------------------------------------- meals


def _meals(view):
    if not _for(view):
        return None
    meals = Measure(_("Meals"), f.MEALS, None)
    subsidy = Measure(_("Subsidy"), f.MEAL_SUBSIDY, None, "money")
    city = Measure(_("City subsidy"), f.MEAL_SUBSIDY, "city", "money")
    district = Measure(_("District subsidy"), f.MEAL_SUBSIDY, "district", "money")
    street = Measure(_("Street subsidy"), f.MEAL_SUBSIDY, "street", "money")
    elder = Measure(_("Paid by the elderly"), f.MEAL_ELDER_PAID, "", "money")
    tiers = [Measure(label, f.MEALS, value) for value, label in Tier.choices]
    return [
        by_region(
            view,
            "month",
            _("Meals and subsidy this month"),
            [meals, subsidy, city, district, street, elder],
            note=_("Meals by the meal hall's community and the day they were served."),
        ),
        trend(view, "meals", _("Meals served by month and tier"), [meals, *tiers]),
        trend(view, "money", _("Meal subsidy by month"), [subsidy, city, district, street, elder]),
    ]


dashboard.register(dashboard.Panel("eldercare-meals", _("Meal halls"), _meals, capability="dashboard.view", order=30))


# ---------------------------------------------------------------------------------------------- settlements


def _settlements(view):
    if not _for(view):
        return None
    last_month = add_months(view.month, -1)
    statements = Measure(_("Statements"), f.SETTLEMENTS, None)
    approved = Measure(_("Approved"), f.SETTLEMENTS, f.APPROVED)
    awaiting = Measure(_("Awaiting approval"), f.SETTLEMENTS, f.AWAITING)
    computing = Measure(_("Being computed"), f.SETTLEMENTS, f.COMPUTING)
    meals = Measure(_("Meals settled"), f.SETTLED_MEALS, None)
    subsidy = Measure(_("Subsidy"), f.SETTLED_SUBSIDY, None, "money")
    subsidy_approved = Measure(_("Subsidy approved"), f.SETTLED_SUBSIDY, f.APPROVED, "money")
    subsidy_awaiting = Measure(_("Subsidy awaiting approval"), f.SETTLED_SUBSIDY, f.AWAITING, "money")
    return [
        by_region(
            view,
            "open",
            _("Statements not yet approved"),
            [
                Measure(_("Awaiting approval"), f.OPEN_SETTLEMENTS, f.AWAITING),
                Measure(_("Being computed"), f.OPEN_SETTLEMENTS, f.COMPUTING),
                Measure(_("Subsidy awaiting approval"), f.OPEN_SUBSIDY, f.AWAITING, "money"),
            ],
            note=_("Every period's statements that the street has not approved yet, now."),
        ),
        by_region(
            view,
            "last-period",
            _("Statements of %(month)s") % {"month": f"{last_month:%Y-%m}"},
            [statements, approved, awaiting, computing, meals, subsidy],
            month=last_month,
            note=_("A quarterly statement counts in the first month of its quarter."),
        ),
        _chart_of(
            trend(
                view,
                "periods",
                _("Statements by period"),
                [statements, approved, awaiting, subsidy_approved, subsidy_awaiting],
                note=_("By the month the statement's period starts."),
            ),
            "money",
        ),
    ]


dashboard.register(dashboard.Panel("eldercare-settlements", _("Meal-hall settlements"), _settlements, order=31))


# --------------------------------------------------------------------------------------------------- visits


def _visits(view):
    if not _for(view):
        return None
    listed = Measure(_("On the list"), f.ELDERS_LISTED)
    visited = Measure(_("Visited"), f.ELDERS_VISITED)
    coverage = Measure(_("Coverage"), f.ELDERS_VISITED, per=listed)
    return [
        by_region(
            view,
            "coverage",
            _("Visits to special-hardship elderly this month"),
            [
                listed,
                visited,
                coverage,
                Measure(_("Overdue"), f.VISITS_OVERDUE, None),
                Measure(_("Overdue, high risk"), f.VISITS_OVERDUE, Risk.HIGH.value),
            ],
            note=_(
                "Coverage: elderly visited at least once in the month ÷ elderly on the list during the month. "
                "Overdue: on the list now with the next visit due before today."
            ),
        ),
        trend(
            view,
            "coverage-trend",
            _("Visit coverage"),
            [listed, visited, coverage],
        ),
    ]


dashboard.register(dashboard.Panel("eldercare-visits", _("Elderly visits"), _visits, order=32))
