"""Elder care's dashboard figures (civic.figures): set-based sources over meals, settlements and the visiting list,
one row per (community, month, dimension, metric), rolled up by the core to every region above.

Meals (ten million rows): counted by the hall's community and the meal's day. A refresh of one community's month
reads only that month's meals of that community's halls: the halls by region prefix, then the meals by
(hall, served_on) through the index eldercare_meal_hall_day_idx. `served_on` is the local date of `served_at`,
both written together at check-in; the day, not the timestamp, is compared, so the bounds are plain dates on
PostgreSQL and SQLite alike (SQLite keeps timestamps as UTC text, which a local-midnight bound does not compare
with correctly).

The visiting list follows eldercare.selectors exactly: an elder is listed in a month when registered (local date)
by its last day and not off the list before its first day; visited when a visit falls in the month; overdue now
when on the list with the next visit due before today."""

from civic import figures

from .models import CaredElder, Meal, Settlement, SettlementState, Visit

# ---------------------------------------------------------------------------------------------------- meals

MEALS = "eldercare.meals"
MEAL_SUBSIDY = "eldercare.meal_subsidy"  # dimension: city, district, street (who paid)
MEAL_ELDER_PAID = "eldercare.meal_elder_paid"


def _meals(sql):
    month = sql.month_of_date("m.served_on")
    return (
        "WITH a AS ("
        f"SELECT h.region_id AS region_code, {month} AS month, m.tier AS tier, COUNT(*) AS meals, "
        "SUM(m.city_share) AS city, SUM(m.district_share) AS district, SUM(m.street_share) AS street, "
        "SUM(m.elder_paid) AS elder "
        "FROM eldercare_mealhall h JOIN eldercare_meal m ON m.hall_id = h.id "
        "WHERE h.region_id LIKE %(prefix)s AND m.served_on >= %(start)s AND m.served_on < %(end)s "
        f"GROUP BY h.region_id, {month}, m.tier) "
        f"SELECT region_code, month, tier AS dimension, '{MEALS}' AS metric, meals AS value FROM a "
        f"UNION ALL SELECT region_code, month, 'city', '{MEAL_SUBSIDY}', SUM(city) FROM a GROUP BY region_code, month "
        f"UNION ALL SELECT region_code, month, 'district', '{MEAL_SUBSIDY}', SUM(district) FROM a "
        "GROUP BY region_code, month "
        f"UNION ALL SELECT region_code, month, 'street', '{MEAL_SUBSIDY}', SUM(street) FROM a "
        "GROUP BY region_code, month "
        f"UNION ALL SELECT region_code, month, '', '{MEAL_ELDER_PAID}', SUM(elder) FROM a GROUP BY region_code, month"
    )


figures.register(
    figures.Source(
        name="eldercare.meals",
        metrics=(MEALS, MEAL_SUBSIDY, MEAL_ELDER_PAID),
        select=_meals,
        watch=((Meal, "hall__region_id", "served_on"),),
    )
)

# ---------------------------------------------------------------------------------------------- settlements

# A statement's state as the dashboard tells it: being computed (a draft the job has not totalled yet), awaiting
# the street's approval (a computed draft), approved.
COMPUTING, AWAITING, APPROVED = "computing", "awaiting", "approved"
SETTLEMENTS = "eldercare.settlements"  # statements, by state
SETTLED_SUBSIDY = "eldercare.settled_subsidy"  # city + district + street shares of the statements, by state
SETTLED_MEALS = "eldercare.settled_meals"  # meals on the statements, by state
OPEN_SETTLEMENTS = "eldercare.open_settlements"  # statements not approved now, whatever their period, by state
OPEN_SUBSIDY = "eldercare.open_subsidy"  # their subsidy, by state

_STATE = (
    f"CASE WHEN s.state = '{SettlementState.APPROVED.value}' THEN '{APPROVED}' "
    f"WHEN s.computed_at IS NULL THEN '{COMPUTING}' ELSE '{AWAITING}' END"
)


def _settlements(sql):
    """By the month the statement's period starts (a quarterly statement counts in its quarter's first month)."""
    month = sql.month_of_date("s.period_start")
    return (
        "WITH a AS ("
        f"SELECT h.region_id AS region_code, {month} AS month, {_STATE} AS state, COUNT(*) AS n, "
        "SUM(s.city_share + s.district_share + s.street_share) AS subsidy, SUM(s.meal_count) AS meals "
        "FROM eldercare_mealhall h JOIN eldercare_settlement s ON s.hall_id = h.id "
        "WHERE h.region_id LIKE %(prefix)s AND s.period_start >= %(start)s AND s.period_start < %(end)s "
        f"GROUP BY h.region_id, {month}, {_STATE}) "
        f"SELECT region_code, month, state AS dimension, '{SETTLEMENTS}' AS metric, n AS value FROM a "
        f"UNION ALL SELECT region_code, month, state, '{SETTLED_SUBSIDY}', subsidy FROM a "
        f"UNION ALL SELECT region_code, month, state, '{SETTLED_MEALS}', meals FROM a"
    )


def _open_settlements(sql):
    return (
        "WITH a AS ("
        f"SELECT h.region_id AS region_code, {_STATE} AS state, COUNT(*) AS n, "
        "SUM(s.city_share + s.district_share + s.street_share) AS subsidy "
        "FROM eldercare_mealhall h JOIN eldercare_settlement s ON s.hall_id = h.id "
        f"WHERE h.region_id LIKE %(prefix)s AND s.state <> '{SettlementState.APPROVED.value}' "
        f"GROUP BY h.region_id, {_STATE}) "
        f"SELECT region_code, %(start)s AS month, state AS dimension, '{OPEN_SETTLEMENTS}' AS metric, n AS value "
        "FROM a "
        f"UNION ALL SELECT region_code, %(start)s, state, '{OPEN_SUBSIDY}', subsidy FROM a"
    )


figures.register(
    figures.Source(
        name="eldercare.settlements",
        metrics=(SETTLEMENTS, SETTLED_SUBSIDY, SETTLED_MEALS),
        select=_settlements,
        watch=((Settlement, "hall__region_id", "period_start"),),
    )
)
figures.register(
    figures.Source(
        name="eldercare.open_settlements",
        metrics=(OPEN_SETTLEMENTS, OPEN_SUBSIDY),
        select=_open_settlements,
        snapshot=True,
        watch=((Settlement, "hall__region_id", None),),
    )
)

# --------------------------------------------------------------------------------------------------- visits

ELDERS_LISTED = "eldercare.elders_listed"  # on the visiting list during the month
ELDERS_VISITED = "eldercare.elders_visited"  # of those, visited at least once in the month
ELDERS_NOW = "eldercare.elders_now"  # on the list now, by risk
VISITS_OVERDUE = "eldercare.visits_overdue"  # on the list now with the next visit due before today, by risk


def _visits(sql):
    visited = (
        "EXISTS (SELECT 1 FROM eldercare_visit v WHERE v.elder_id = e.id AND v.visited_on >= mo.month "
        f"AND {sql.month_of_date('v.visited_on')} = mo.month)"
    )
    return (
        "WITH a AS ("
        "SELECT e.region_id AS region_code, mo.month AS month, COUNT(*) AS listed, "
        f"SUM(CASE WHEN {visited} THEN 1 ELSE 0 END) AS visited "
        f"FROM eldercare_caredelder e JOIN {sql.months()} mo "
        f"ON {sql.month_of_time('e.registered_at')} <= mo.month AND (e.ended_on IS NULL OR e.ended_on >= mo.month) "
        "WHERE e.region_id LIKE %(prefix)s "
        "GROUP BY e.region_id, mo.month) "
        f"SELECT region_code, month, '' AS dimension, '{ELDERS_LISTED}' AS metric, listed AS value FROM a "
        f"UNION ALL SELECT region_code, month, '', '{ELDERS_VISITED}', visited FROM a"
    )


def _visits_now(sql):
    return (
        f"SELECT e.region_id AS region_code, %(start)s AS month, e.risk AS dimension, '{ELDERS_NOW}' AS metric, "
        "COUNT(*) AS value FROM eldercare_caredelder e "
        "WHERE e.region_id LIKE %(prefix)s AND e.ended_on IS NULL GROUP BY e.region_id, e.risk "
        f"UNION ALL SELECT e.region_id, %(start)s, e.risk, '{VISITS_OVERDUE}', COUNT(*) FROM eldercare_caredelder e "
        "WHERE e.region_id LIKE %(prefix)s AND e.ended_on IS NULL AND e.next_visit_due < %(today)s "
        "GROUP BY e.region_id, e.risk"
    )


figures.register(
    figures.Source(
        name="eldercare.visits",
        metrics=(ELDERS_LISTED, ELDERS_VISITED),
        select=_visits,
        watch=((CaredElder, "region_id", None), (Visit, "elder__region_id", "visited_on")),
    )
)
figures.register(
    figures.Source(
        name="eldercare.visits_now",
        metrics=(ELDERS_NOW, VISITS_OVERDUE),
        select=_visits_now,
        snapshot=True,
        # A visit moves the elder's next due date (written after the visit, in the same transaction).
        watch=((CaredElder, "region_id", None), (Visit, "elder__region_id", None)),
    )
)
