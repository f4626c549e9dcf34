"""Relief's dashboard panels (civic.dashboard), from the figures of relief.figures: recipients, applications,
payments and temporary aid, each as a table by child region and a trend over thirteen months."""

from django.utils.translation import gettext_lazy as _

from civic import dashboard
from civic.dashboard import Measure
from civic.months import add_months

from .models.applications import OPEN_STATUSES, Status
from .programmes import Programme

# Short column labels: the programmes' own labels are written for forms.
PROGRAMME_LABELS = {
    Programme.DIBAO: _("Dibao (低保)"),
    Programme.TEKUN: _("特困"),
    Programme.EDGE: _("Edge families (低保边缘)"),
    Programme.RIGID: _("Rigid-expenditure (刚性支出困难)"),
    Programme.CHILD_ALLOWANCE: _("Children's allowance"),
    Programme.TEMP_EMERGENCY: _("Emergency (急难型)"),
    Programme.TEMP_EXPENDITURE: _("Expenditure (支出型)"),
}
RECIPIENT_PROGRAMMES = (Programme.DIBAO, Programme.TEKUN, Programme.EDGE, Programme.RIGID, Programme.CHILD_ALLOWANCE)


def charted(table, measures):
    """The table's line chart drawn for these measures only (money and counts do not share a scale)."""
    labels = {str(m.label) for m in measures}
    if table.chart is not None:
        table.chart.series = [(label, values) for label, values in table.chart.series if str(label) in labels]
    return table


# --- recipients -------------------------------------------------------------------------------------------------


def _people(programme):
    return Measure(PROGRAMME_LABELS[programme], "relief.people", programme.value)


ALL_PEOPLE = Measure(_("People, all programmes"), "relief.people", None)
ALL_BENEFITS = Measure(_("Benefits"), "relief.benefits", None)


def _recipients(view):
    people = [_people(p) for p in RECIPIENT_PROGRAMMES]
    return [
        dashboard.by_region(
            view,
            "by-region",
            _("People covered by programme, this month"),
            [*people, ALL_PEOPLE, ALL_BENEFITS],
            note=_(
                "Benefits in force today, active or suspended; a benefit granted this month counts from the month "
                "it is paid from. A person with two benefits (a child on dibao with a children's allowance) counts "
                "under each."
            ),
        ),
        dashboard.trend(
            view,
            "trend",
            _("People covered by programme, by month"),
            [*people, ALL_PEOPLE],
            note=_(
                "Each past month: the benefits in force on its last day (an ended benefit counts up to the month it "
                "was last paid for). The current month: today."
            ),
        ),
    ]


dashboard.register(
    dashboard.Panel("relief-recipients", _("Relief recipients"), _recipients, capability="dashboard.view", order=10)
)


# --- applications -----------------------------------------------------------------------------------------------

OPEN = Measure(_("Open, all steps"), "relief.apps_open", None)
OVERDUE = Measure(_("Overdue"), "relief.apps_overdue", None)
ACCEPTED = Measure(_("Accepted in the month"), "relief.apps_accepted", None)
APPROVED = Measure(_("Approved"), "relief.apps_decided", Status.APPROVED.value)
REFUSED = Measure(_("Refused"), "relief.apps_decided", Status.REFUSED.value)


def _applications(view):
    steps = [Measure(Status(s).label, "relief.apps_open", Status(s).value) for s in OPEN_STATUSES]
    return [
        dashboard.by_region(
            view,
            "by-region",
            _("Applications in progress now, and decisions this month"),
            [
                *steps,
                OPEN,
                OVERDUE,
                Measure(_("Approved this month"), "relief.apps_decided", Status.APPROVED.value),
                Measure(_("Refused this month"), "relief.apps_decided", Status.REFUSED.value),
            ],
            note=_("Overdue: open applications whose current step was due before today."),
        ),
        dashboard.trend(
            view,
            "trend",
            _("Applications accepted and decided, by month"),
            [ACCEPTED, APPROVED, REFUSED, OPEN, OVERDUE],
            note=_("Open and overdue of a past month: as last counted in that month."),
        ),
    ]


dashboard.register(
    dashboard.Panel(
        "relief-applications", _("Relief applications"), _applications, capability="dashboard.view", order=11
    )
)


# --- payments ---------------------------------------------------------------------------------------------------

LINES = Measure(_("Benefits paid"), "relief.pay_lines", None)
LINE_PEOPLE = Measure(_("People"), "relief.pay_people", None)
AMOUNTS = Measure(_("Monthly amounts (yuan)"), "relief.pay_amount", None, kind="money")
TO_PAY = Measure(_("To pay, with adjustments (yuan)"), "relief.pay_total", None, kind="money")
PAID = Measure(_("Paid by the bank (yuan)"), "relief.pay_total", "paid", kind="money")
FAILED = Measure(_("Failed payments"), "relief.pay_status", "failed")


def payment_month(view):
    """The month the table by region shows: the current one once its batch has lines, else the last one."""
    if view.value(LINES, view.region.code, view.month):
        return view.month
    return add_months(view.month, -1)


def _payments(view):
    month = payment_month(view)
    measures = [LINES, LINE_PEOPLE, AMOUNTS, TO_PAY, PAID, FAILED]
    return [
        dashboard.by_region(
            view,
            "by-region",
            _("Monthly payments by region, %(month)s") % {"month": f"{month:%Y-%m}"},
            measures,
            month=month,
            note=_(
                "The lines of the month's batches. Failed payments: lines the bank returned as failed that are not "
                "yet sent again or carried into the next batch."
            ),
        ),
        charted(dashboard.trend(view, "trend", _("Monthly payments, by month"), measures), [AMOUNTS, TO_PAY, PAID]),
    ]


dashboard.register(
    dashboard.Panel("relief-payments", _("Relief payments"), _payments, capability="dashboard.view", order=12)
)


# --- temporary aid ----------------------------------------------------------------------------------------------

TEMPORARY_AID = (Programme.TEMP_EMERGENCY, Programme.TEMP_EXPENDITURE)
AID_COUNT = Measure(_("Aid granted, all"), "relief.temp_aid", None)
AID_AMOUNT = Measure(_("Amount granted (yuan)"), "relief.temp_aid_amount", None, kind="money")


def _temporary_aid(view):
    counts = [Measure(PROGRAMME_LABELS[p], "relief.temp_aid", p.value) for p in TEMPORARY_AID]
    return [
        dashboard.by_region(
            view,
            "by-region",
            _("Temporary aid (临时救助) approved this month"),
            [*counts, AID_COUNT, AID_AMOUNT],
            note=_("Applications approved in the month, emergency aid paid first by the street included."),
        ),
        charted(
            dashboard.trend(view, "trend", _("Temporary aid (临时救助) approved, by month"), [*counts, AID_AMOUNT]),
            [AID_AMOUNT],
        ),
    ]


dashboard.register(
    dashboard.Panel(
        "relief-temporary-aid", _("Temporary aid (临时救助)"), _temporary_aid, capability="dashboard.view", order=13
    )
)
