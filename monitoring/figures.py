"""Monitoring's dashboard figures (civic.figures), at the community of the warning or the watched person:

- warnings found by the month they were found, by rule;
- warnings handled (or dismissed) by the month they were closed, and of those the ones closed by their deadline;
- now: warnings open, and open past their deadline; people watched, by category.

Set-based SELECTs for PostgreSQL and SQLite alike; the nightly run and every step of a task refresh them."""

from civic import figures

from .models import Alert, AlertStatus, MonitoredPerson, WatchStatus

FOUND = "monitoring.found"
CLOSED = "monitoring.closed"
IN_TIME = "monitoring.closed_in_time"
OPEN = "monitoring.open"
OVERDUE = "monitoring.overdue"
WATCHED = "monitoring.watched"

_OPEN = f"a.status = '{AlertStatus.OPEN.value}'"


def _alerts(sql):
    found = sql.month_of_date("a.found_on")
    closed = sql.month_of_date("a.handled_on")
    return (
        f"SELECT a.region_id, {found}, a.rule, '{FOUND}', COUNT(*) FROM monitoring_alert a "
        "WHERE a.region_id LIKE %(prefix)s AND a.found_on >= %(start)s AND a.found_on < %(end)s GROUP BY 1, 2, 3 "
        "UNION ALL "
        f"SELECT a.region_id, {closed}, a.rule, '{CLOSED}', COUNT(*) FROM monitoring_alert a "
        "WHERE a.region_id LIKE %(prefix)s AND a.handled_on >= %(start)s AND a.handled_on < %(end)s "
        "GROUP BY 1, 2, 3 "
        "UNION ALL "
        f"SELECT a.region_id, {closed}, a.rule, '{IN_TIME}', COUNT(*) FROM monitoring_alert a "
        "WHERE a.region_id LIKE %(prefix)s AND a.handled_on >= %(start)s AND a.handled_on < %(end)s "
        "AND a.handled_on <= a.due_on GROUP BY 1, 2, 3"
    )


NOW = (
    f"SELECT a.region_id, %(start)s, a.rule, '{OPEN}', COUNT(*) FROM monitoring_alert a "
    f"WHERE a.region_id LIKE %(prefix)s AND {_OPEN} GROUP BY 1, 3 "
    "UNION ALL "
    f"SELECT a.region_id, %(start)s, a.rule, '{OVERDUE}', COUNT(*) FROM monitoring_alert a "
    f"WHERE a.region_id LIKE %(prefix)s AND {_OPEN} AND a.due_on < %(today)s GROUP BY 1, 3 "
    "UNION ALL "
    f"SELECT p.region_id, %(start)s, p.category, '{WATCHED}', COUNT(*) FROM monitoring_monitoredperson p "
    f"WHERE p.region_id LIKE %(prefix)s AND p.status <> '{WatchStatus.ENDED.value}' GROUP BY 1, 3"
)

figures.register(
    figures.Source(
        name="monitoring.alerts",
        metrics=(FOUND, CLOSED, IN_TIME),
        select=_alerts,
        watch=((Alert, "region_id", None),),
    )
)
figures.register(
    figures.Source(
        name="monitoring.now",
        metrics=(OPEN, OVERDUE, WATCHED),
        select=NOW,
        snapshot=True,
        watch=((Alert, "region_id", None), (MonitoredPerson, "region_id", None)),
    )
)
