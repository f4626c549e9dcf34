"""Child protection's dashboard figures (civic.figures): counts and sums only, per community; no case content.

Mandatory reports: received per month (by the report's community and the local month of its receipt), and now by
state, open, open with the child in immediate danger, and overdue: the alert job's mark (overdue_since) on a report
still open, split into not acted on yet (what childcare.selectors lists as overdue, once the job has run: it runs
every ten minutes) and acted on late. Child profiles now: open profiles, and by category (a child in two categories
counts in both; the children figure counts each once). Allowance claims: confirmed per month (by the local month
of the district's decision) with the monthly allowance granted, and waiting now for the street or the district.

Report and claim tables are small beside meals: their month is computed from the timestamp and compared with plain
dates, which holds on PostgreSQL and SQLite alike (SQLite keeps timestamps as UTC text)."""

from civic import figures

from .models import OPEN_STATES, AllowanceClaim, ChildProfile, ClaimState, MandatoryReport, ReportEvent

REPORTS_RECEIVED = "childcare.reports_received"  # dimension: danger, ordinary
REPORTS = "childcare.reports"  # now, by state
REPORTS_OPEN = "childcare.reports_open"  # now
REPORTS_DANGER = "childcare.reports_danger"  # open now, the child in immediate danger
REPORTS_OVERDUE = "childcare.reports_overdue"  # open now and marked overdue; dimension: not_acted, acted_late
NOT_ACTED, ACTED_LATE = "not_acted", "acted_late"
CHILDREN = "childcare.children"  # open profiles now
CHILDREN_BY_CATEGORY = "childcare.children_by_category"  # open profiles now, by category
CLAIMS_WAITING = "childcare.claims_waiting"  # now, by state: filed (the street verifies), verified (the district)
ALLOWANCES_CONFIRMED = "childcare.allowances_confirmed"  # per month, by kind
ALLOWANCE_AMOUNT = "childcare.allowance_amount"  # per month: the monthly allowances granted, by kind

_OPEN = ", ".join(f"'{state}'" for state in OPEN_STATES)


def _reports(sql):
    return (
        "SELECT region_code, month, dimension, "
        f"'{REPORTS_RECEIVED}' AS metric, COUNT(*) AS value FROM ("
        f"SELECT r.region_id AS region_code, {sql.month_of_time('r.received_at')} AS month, "
        "CASE WHEN r.immediate_danger THEN 'danger' ELSE 'ordinary' END AS dimension "
        "FROM childcare_mandatoryreport r WHERE r.region_id LIKE %(prefix)s) t "
        "WHERE month >= %(start)s AND month < %(end)s GROUP BY region_code, month, dimension"
    )


def _reports_now(sql):
    late = (
        f"CASE WHEN r.overdue_since IS NULL THEN '' WHEN r.acted_at IS NULL THEN '{NOT_ACTED}' ELSE '{ACTED_LATE}' END"
    )
    danger = "CASE WHEN r.immediate_danger THEN 1 ELSE 0 END"
    return (
        "WITH a AS ("
        f"SELECT r.region_id AS region_code, r.state AS state, {late} AS late, {danger} AS danger, COUNT(*) AS n "
        "FROM childcare_mandatoryreport r WHERE r.region_id LIKE %(prefix)s "
        f"GROUP BY r.region_id, r.state, {late}, {danger}) "
        f"SELECT region_code, %(start)s AS month, state AS dimension, '{REPORTS}' AS metric, SUM(n) AS value FROM a "
        "GROUP BY region_code, state "
        f"UNION ALL SELECT region_code, %(start)s, '', '{REPORTS_OPEN}', SUM(n) FROM a WHERE state IN ({_OPEN}) "
        "GROUP BY region_code "
        f"UNION ALL SELECT region_code, %(start)s, '', '{REPORTS_DANGER}', SUM(n) FROM a "
        f"WHERE state IN ({_OPEN}) AND danger = 1 GROUP BY region_code "
        f"UNION ALL SELECT region_code, %(start)s, late, '{REPORTS_OVERDUE}', SUM(n) FROM a "
        f"WHERE state IN ({_OPEN}) AND late <> '' GROUP BY region_code, late"
    )


figures.register(
    figures.Source(
        name="childcare.reports",
        metrics=(REPORTS_RECEIVED,),
        select=_reports,
        watch=((MandatoryReport, "region_id", "received_at"),),
    )
)
figures.register(
    figures.Source(
        name="childcare.reports_now",
        metrics=(REPORTS, REPORTS_OPEN, REPORTS_DANGER, REPORTS_OVERDUE),
        select=_reports_now,
        snapshot=True,
        # A report's steps are written with queryset updates; each leaves an event, which is saved.
        watch=((MandatoryReport, "region_id", None), (ReportEvent, "report__region_id", None)),
    )
)


def _categories(sql):
    """The categories of the profile p, one row each, as c.value."""
    if sql.vendor == "postgresql":
        return "CROSS JOIN LATERAL jsonb_array_elements_text(p.categories) AS c(value)"
    return "CROSS JOIN json_each(p.categories) AS c"


def _children_now(sql):
    waiting = ", ".join(f"'{state}'" for state in (ClaimState.FILED, ClaimState.VERIFIED))
    return (
        f"SELECT p.region_id AS region_code, %(start)s AS month, '' AS dimension, '{CHILDREN}' AS metric, "
        "COUNT(*) AS value FROM childcare_childprofile p "
        "WHERE p.region_id LIKE %(prefix)s AND p.closed_on IS NULL GROUP BY p.region_id "
        f"UNION ALL SELECT p.region_id, %(start)s, c.value, '{CHILDREN_BY_CATEGORY}', COUNT(DISTINCT p.id) "
        f"FROM childcare_childprofile p {_categories(sql)} "
        "WHERE p.region_id LIKE %(prefix)s AND p.closed_on IS NULL GROUP BY p.region_id, c.value "
        f"UNION ALL SELECT p.region_id, %(start)s, a.state, '{CLAIMS_WAITING}', COUNT(*) "
        "FROM childcare_childprofile p JOIN childcare_allowanceclaim a ON a.profile_id = p.id "
        f"WHERE p.region_id LIKE %(prefix)s AND a.state IN ({waiting}) GROUP BY p.region_id, a.state"
    )


def _allowances(sql):
    return (
        "WITH a AS ("
        f"SELECT region_code, month, kind, COUNT(*) AS n, SUM(amount) AS amount FROM ("
        f"SELECT p.region_id AS region_code, {sql.month_of_time('c.decided_at')} AS month, c.kind AS kind, "
        "c.amount AS amount FROM childcare_childprofile p JOIN childcare_allowanceclaim c ON c.profile_id = p.id "
        f"WHERE p.region_id LIKE %(prefix)s AND c.state = '{ClaimState.CONFIRMED.value}') t "
        "WHERE month >= %(start)s AND month < %(end)s GROUP BY region_code, month, kind) "
        f"SELECT region_code, month, kind AS dimension, '{ALLOWANCES_CONFIRMED}' AS metric, n AS value FROM a "
        f"UNION ALL SELECT region_code, month, kind, '{ALLOWANCE_AMOUNT}', amount FROM a"
    )


figures.register(
    figures.Source(
        name="childcare.children_now",
        metrics=(CHILDREN, CHILDREN_BY_CATEGORY, CLAIMS_WAITING),
        select=_children_now,
        snapshot=True,
        watch=((ChildProfile, "region_id", None), (AllowanceClaim, "profile__region_id", None)),
    )
)
figures.register(
    figures.Source(
        name="childcare.allowances",
        metrics=(ALLOWANCES_CONFIRMED, ALLOWANCE_AMOUNT),
        select=_allowances,
        watch=((AllowanceClaim, "profile__region_id", "decided_at"),),
    )
)
