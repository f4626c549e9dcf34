"""Relief's dashboard figures (civic.figures): who is covered, the applications' pipeline and decisions, the monthly
payments, and temporary aid. Each source is one set-based SELECT over its table for the regions under %(prefix)s
and the months asked for; every programme, status or line status is a dimension, so a panel picks or sums them.

Metrics (the base rows' dimension in brackets):

relief.recipients (a flow over months, from entitlements)
    relief.people [programme]    people covered: the sum of covered_count of the benefits in force
    relief.benefits [programme]  benefits in force (entitlements)
  "In force" in a month is read at the month's end, or today for the current month (see IN_FORCE).
relief.pipeline (a snapshot: the current month only; a past month keeps what was last counted in it)
    relief.apps_open [status]     open applications (accepted, investigating, notice, deciding)
    relief.apps_overdue [status]  of them, those whose current step was due before today
relief.applications (a flow, by month of the timestamp)
    relief.apps_accepted [programme]  applications accepted in the month (accepted_at)
    relief.apps_decided [status]      decided in the month (decided_at): approved or refused
relief.disbursements (a flow, by the month a batch line pays; lines are bulk-written, so the jobs that write them
  call `batches_changed` instead of a watch)
    relief.pay_lines [programme]   lines (benefits paid for the month)
    relief.pay_people [programme]  people covered by those lines (covered_members)
    relief.pay_amount [programme]  the lines' monthly amounts (BatchLine.amount)
    relief.pay_total [line status]  what the lines pay, adjustments included (BatchLine.total), by the bank's result
    relief.pay_status [line status]  lines by the bank's result (pending, paid, failed, carried)
relief.temporary_aid (a flow, by month of the decision)
    relief.temp_aid [programme]         temporary-aid applications approved (emergency, expenditure)
    relief.temp_aid_amount [programme]  the aid granted (Application.amount: months × the standard, as decided)

Writes that change them without a model save call the helpers at the end of this module, which queue one refresh
per source and region after commit (civic.figures.refresh_soon): every workflow step of an application
(services.applications.guards.move_status), every status change of a benefit (services.entitlements._change), and
the payment jobs (batch generation, the bank's results, failed lines re-sent or carried), per district and month.
The other set-based jobs move none of these figures: a new standard's recompute changes amounts only, subsidies
write adjustments (counted once a batch pays them, and that batch refreshes), and the daily end of gradual exits
sets the status of benefits whose end date was set when the exit began (the date already takes them out)."""

from civic import figures
from relief.models import Application, BatchLine, Entitlement
from relief.models.applications import OPEN_STATUSES, Status
from relief.models.money import LINE_MONTH_FACTOR
from relief.programmes import TEMPORARY, Programme

ENTITLEMENT = Entitlement._meta.db_table
APPLICATION = Application._meta.db_table
LINE = BatchLine._meta.db_table

# Programmes that make an entitlement (every one but temporary aid, paid once), in the order panels show them.
MONTHLY_PROGRAMMES = (
    Programme.DIBAO,
    Programme.TEKUN,
    Programme.EDGE,
    Programme.RIGID,
    Programme.CHILD_ALLOWANCE,
)
TEMPORARY_PROGRAMMES = tuple(p for p in Programme if p in TEMPORARY)


def _in_list(values):
    """Literal SQL list of choice values (trusted constants, never user input)."""
    assert all(str(v).replace("_", "").isalnum() for v in values)
    return "(" + ", ".join(f"'{v}'" for v in values) + ")"


def _month_end(sql, expression):
    """The last day of the month whose first day is `expression` (a date)."""
    if sql.vendor == "postgresql":
        return f"CAST({expression} + interval '1 month' - interval '1 day' AS date)"
    return f"date({expression}, '+1 month', '-1 day')"


def _line_number(sql, month):
    """The first batch-line number of `month` (a first of month): YYYYMM × 10⁹ (relief.models.money), so a range
    of months is one range of the primary key."""
    if sql.vendor == "postgresql":
        return (
            f"CAST((EXTRACT(YEAR FROM CAST({month} AS date)) * 100 + EXTRACT(MONTH FROM CAST({month} AS date))) "
            f"* {LINE_MONTH_FACTOR} AS bigint)"
        )
    return f"(CAST(strftime('%%Y%%m', {month}) AS INTEGER) * {LINE_MONTH_FACTOR})"


# --- recipients -------------------------------------------------------------------------------------------------

# When a benefit counts for a month, read at its "as of" day: the month's last day, or today for the current month.
#  - it has started: starts_on ≤ as of;
#  - it has not ended: ends_on is empty or ends_on ≥ as of (an ended benefit is paid to the end of its last
#    month, so it still counts in that month once the month is over; a gradual exit counts until its last day);
#  - status: active and suspended benefits count (a suspension keeps the benefit; the rows keep no history of
#    it). An ended one counts only for past months its dates cover: never in the current month, and never when
#    its end date is missing (the month it ended is then unknown).
IN_FORCE = (
    "e.starts_on <= m.as_of AND (e.ends_on IS NULL OR e.ends_on >= m.as_of) "
    "AND (e.status <> 'ended' OR (e.ends_on IS NOT NULL AND m.as_of < %(today)s))"
)


def _months_as_of(sql):
    """The months asked for up to the current one, each with its "as of" day."""
    end = _month_end(sql, "g.month")
    return (
        f"(SELECT g.month AS month, CASE WHEN {end} < %(today)s THEN {end} ELSE %(today)s END AS as_of "
        f"FROM {sql.months()} g WHERE g.month <= %(today)s)"
    )


def recipients_select(sql):
    return f"""
        WITH f AS (
            SELECT e.region_id AS region_id, m.month AS month, e.programme AS programme,
                   SUM(e.covered_count) AS people, COUNT(*) AS benefits
            FROM {ENTITLEMENT} e JOIN {_months_as_of(sql)} m ON {IN_FORCE}
            WHERE e.region_id LIKE %(prefix)s AND e.programme IN {_in_list(MONTHLY_PROGRAMMES)}
              AND e.starts_on < %(end)s AND (e.ends_on IS NULL OR e.ends_on >= %(start)s)
            GROUP BY e.region_id, m.month, e.programme
        )
        SELECT region_id, month, programme, 'relief.people', people FROM f
        UNION ALL
        SELECT region_id, month, programme, 'relief.benefits', benefits FROM f
    """


figures.register(
    figures.Source(
        name="relief.recipients",
        metrics=("relief.people", "relief.benefits"),
        select=recipients_select,
        # Saves of an entitlement (a grant, a migrated case, an account change); status changes are
        # compare-and-set updates and call entitlement_changed.
        watch=((Entitlement, "region_id", None),),
    )
)


# --- applications -----------------------------------------------------------------------------------------------


def pipeline_select(sql):
    return f"""
        WITH f AS (
            SELECT a.region_id AS region_id, a.status AS status, COUNT(*) AS n,
                   SUM(CASE WHEN a.step_due < %(today)s THEN 1 ELSE 0 END) AS late
            FROM {APPLICATION} a
            WHERE a.region_id LIKE %(prefix)s AND a.status IN {_in_list(OPEN_STATUSES)}
            GROUP BY a.region_id, a.status
        )
        SELECT region_id, %(start)s, status, 'relief.apps_open', n FROM f
        UNION ALL
        SELECT region_id, %(start)s, status, 'relief.apps_overdue', late FROM f WHERE late > 0
    """


def applications_select(sql):
    decided = (Status.APPROVED, Status.REFUSED)
    return f"""
        SELECT a.region_id, {sql.month_of_time("a.accepted_at")}, a.programme, 'relief.apps_accepted', COUNT(*)
        FROM {APPLICATION} a
        WHERE a.region_id LIKE %(prefix)s AND a.accepted_at >= %(start_at)s AND a.accepted_at < %(end_at)s
        GROUP BY 1, 2, 3
        UNION ALL
        SELECT a.region_id, {sql.month_of_time("a.decided_at")}, a.status, 'relief.apps_decided', COUNT(*)
        FROM {APPLICATION} a
        WHERE a.region_id LIKE %(prefix)s AND a.decided_at >= %(start_at)s AND a.decided_at < %(end_at)s
          AND a.status IN {_in_list(decided)}
        GROUP BY 1, 2, 3
    """


figures.register(
    figures.Source(
        name="relief.pipeline",
        metrics=("relief.apps_open", "relief.apps_overdue"),
        snapshot=True,
        select=pipeline_select,
        # Filing saves the application; every later step is a compare-and-set update (application_changed).
        watch=((Application, "region_id", None),),
    )
)

figures.register(
    figures.Source(
        name="relief.applications",
        metrics=("relief.apps_accepted", "relief.apps_decided"),
        select=applications_select,
        # The month it was accepted in and the month it was decided in (none yet: the current month).
        watch=((Application, "region_id", "accepted_at"), (Application, "region_id", "decided_at")),
    )
)


# --- payments ---------------------------------------------------------------------------------------------------


def disbursements_select(sql):
    return f"""
        WITH f AS (
            SELECT l.region_id AS region_id, l.month AS month, l.programme AS programme, l.status AS status,
                   COUNT(*) AS n, SUM(l.covered_members) AS people, SUM(l.amount) AS amount, SUM(l.total) AS total
            FROM {LINE} l
            WHERE l.id >= {_line_number(sql, "%(start)s")} AND l.id < {_line_number(sql, "%(end)s")}
              AND l.region_id LIKE %(prefix)s
            GROUP BY l.region_id, l.month, l.programme, l.status
        )
        SELECT region_id, month, programme, 'relief.pay_lines', SUM(n) FROM f GROUP BY region_id, month, programme
        UNION ALL
        SELECT region_id, month, programme, 'relief.pay_people', SUM(people) FROM f
        GROUP BY region_id, month, programme
        UNION ALL
        SELECT region_id, month, programme, 'relief.pay_amount', SUM(amount) FROM f
        GROUP BY region_id, month, programme
        UNION ALL
        SELECT region_id, month, status, 'relief.pay_total', SUM(total) FROM f GROUP BY region_id, month, status
        UNION ALL
        SELECT region_id, month, status, 'relief.pay_status', SUM(n) FROM f GROUP BY region_id, month, status
    """


figures.register(
    figures.Source(
        name="relief.disbursements",
        metrics=("relief.pay_lines", "relief.pay_people", "relief.pay_amount", "relief.pay_total", "relief.pay_status"),
        select=disbursements_select,
    )
)


# --- temporary aid ----------------------------------------------------------------------------------------------


def temporary_aid_select(sql):
    return f"""
        WITH f AS (
            SELECT a.region_id AS region_id, {sql.month_of_time("a.decided_at")} AS month, a.programme AS programme,
                   COUNT(*) AS n, SUM(COALESCE(a.amount, 0)) AS amount
            FROM {APPLICATION} a
            WHERE a.region_id LIKE %(prefix)s AND a.programme IN {_in_list(TEMPORARY_PROGRAMMES)}
              AND a.status = '{Status.APPROVED.value}'
              AND a.decided_at >= %(start_at)s AND a.decided_at < %(end_at)s
            GROUP BY 1, 2, 3
        )
        SELECT region_id, month, programme, 'relief.temp_aid', n FROM f
        UNION ALL
        SELECT region_id, month, programme, 'relief.temp_aid_amount', amount FROM f
    """


figures.register(
    figures.Source(
        name="relief.temporary_aid",
        metrics=("relief.temp_aid", "relief.temp_aid_amount"),
        select=temporary_aid_select,
        watch=((Application, "region_id", "decided_at"),),
    )
)


# --- after writes without a model save ----------------------------------------------------------------------------


def application_changed(application):
    """A step of the workflow moved the application (a compare-and-set update): its community's pipeline now, and
    this month's decisions and temporary aid."""
    figures.refresh_soon("relief.pipeline", application.region_id)
    if application.status in (Status.APPROVED, Status.REFUSED):
        figures.refresh_soon("relief.applications", application.region_id)
        if application.programme in TEMPORARY:
            figures.refresh_soon("relief.temporary_aid", application.region_id)


def entitlement_changed(entitlement):
    """A benefit's status or dates changed by a compare-and-set update: its community's recipients this month."""
    figures.refresh_soon("relief.recipients", entitlement.region_id)


def batches_changed(batches):
    """Lines written or their bank results recorded: each batch's district, for the batch's month."""
    for region_id, month in {(b.region_id, b.month) for b in batches}:
        figures.refresh_soon("relief.disbursements", region_id, month)
