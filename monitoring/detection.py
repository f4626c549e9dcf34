"""The SQL of the nightly run: keeping the watched population in step with the benefits, and each rule and check
(monitoring.rules) as one INSERT … SELECT of warnings for the residents of one id range.

Every statement is set-based and idempotent: a warning's (rule, key) is unique, so a rerun or an overlapping chunk
inserts nothing twice (ON CONFLICT DO NOTHING), and a warning dismissed once is not raised again for the same
finding. Household-level rules look at every member of a household touched by the range, so their result does not
depend on where the chunks cut. Written for PostgreSQL, with the spellings SQLite needs for the embedded demo."""

from datetime import timedelta

from django.contrib.auth import get_user_model
from django.db import connection

from civic.figures import named_to_positional
from civic.models import Household, HouseholdMembership, Region, Resident
from civic.months import add_months
from civic.roles import Role
from eldercare.models import CaredElder, Visit
from relief.models import Application, BatchLine, Entitlement, IncomeItem
from relief.programmes import EXCLUDED_INCOME, EXCLUSIVE, Programme
from relief.selectors import policy_in_force

from .models import Alert, AlertStatus, Category, EndCause, FeedRecord, MatchStatus, MonitoredPerson, RuleCode
from .rules import SPECS

ALERT = Alert._meta.db_table
APPLICATION = Application._meta.db_table
ELDER = CaredElder._meta.db_table
ENTITLEMENT = Entitlement._meta.db_table
HOUSEHOLD = Household._meta.db_table
INCOME = IncomeItem._meta.db_table
LINE = BatchLine._meta.db_table
MEMBERS = Entitlement.members.through._meta.db_table
MEMBERSHIP = HouseholdMembership._meta.db_table
PERSON = MonitoredPerson._meta.db_table
RECORD = FeedRecord._meta.db_table
REGION = Region._meta.db_table
RESIDENT = Resident._meta.db_table
USER = get_user_model()._meta.db_table
VISIT = Visit._meta.db_table

LIVE = "('active', 'suspended')"
# Typed NULLs: PostgreSQL takes an untyped NULL in a derived table for text.
NO_ID = "CAST(NULL AS BIGINT)"
NO_AMOUNT = "CAST(NULL AS NUMERIC)"
MATCHED = MatchStatus.MATCHED.value
KNOWN_PROGRAMMES = frozenset(Programme.values)
KNOWN_CATEGORIES = frozenset(Category.values)


def _in(values, known):
    """A literal IN list of choice values (checked against the choices: the bureau's settings never reach SQL)."""
    chosen = sorted(v for v in values if v in known)
    return "(" + ", ".join(f"'{v}'" for v in chosen) + ")" if chosen else None


def _distinct(left, right):
    return f"{left} IS DISTINCT FROM {right}" if connection.vendor == "postgresql" else f"{left} IS NOT {right}"


def _key(prefix, *columns):
    parts = " || ':' || ".join(f"CAST({c} AS TEXT)" for c in columns)
    return f"'{prefix}:' || {parts}"


def _execute(sql, params):
    statement, values = named_to_positional(sql, params)
    with connection.cursor() as cursor:
        cursor.execute(statement, values)
        return cursor.rowcount


def _range(column):
    return f"{column} > %(low)s AND {column} <= %(high)s"


# --------------------------------------------------------------------------------------- watched population

RANK = {Category.TEKUN: 1, Category.DIBAO: 2, Category.EDGE: 3, Category.RIGID: 4}


def population_sync(low, high, today):
    """Watch everyone in the range covered by a live dibao, 特困, edge or rigid-expenditure benefit (the strongest
    category when several), follow their moves, and stop watching the dead and those no benefit covers any more
    (unless a caseworker added them). Returns the rows changed."""
    rank = "CASE e.programme " + " ".join(f"WHEN '{c.value}' THEN '{n}{c.value}'" for c, n in RANK.items()) + " END"
    categories = _in([c.value for c in RANK], KNOWN_PROGRAMMES)
    covered = (
        f"SELECT 1 FROM {MEMBERS} m JOIN {ENTITLEMENT} e ON e.id = m.entitlement_id "
        f"WHERE m.resident_id = {PERSON}.resident_id AND e.status IN {LIVE} AND e.programme IN {categories}"
    )
    params = {"low": low, "high": high, "today": today}
    changed = _execute(
        f"INSERT INTO {PERSON} (resident_id, region_id, household_id, category, status, added_by_hand, reason, "
        "since, end_cause, end_reason) "
        f"SELECT r.id, r.region_id, r.household_id, SUBSTR(c.ranked, 2), 'watched', FALSE, '', %(today)s, '', '' "
        f"FROM (SELECT m.resident_id, MIN({rank}) AS ranked FROM {MEMBERS} m "
        f"JOIN {ENTITLEMENT} e ON e.id = m.entitlement_id "
        f"WHERE {_range('m.resident_id')} AND e.status IN {LIVE} AND e.programme IN {categories} "
        "GROUP BY m.resident_id) c "
        f"JOIN {RESIDENT} r ON r.id = c.resident_id WHERE r.died_on IS NULL AND r.region_id IS NOT NULL "
        # Only the people new or changed: a conflicting row is locked (written) even when the update's WHERE
        # leaves it alone, which made a steady night rewrite the whole population.
        f"AND NOT EXISTS (SELECT 1 FROM {PERSON} p WHERE p.resident_id = r.id AND p.status <> 'ended' "
        f"AND p.category = SUBSTR(c.ranked, 2) AND p.region_id = r.region_id "
        f"AND NOT ({_distinct('p.household_id', 'r.household_id')})) "
        "ON CONFLICT (resident_id) DO UPDATE SET category = EXCLUDED.category, region_id = EXCLUDED.region_id, "
        "household_id = EXCLUDED.household_id, "
        f"since = CASE WHEN {PERSON}.status = 'ended' THEN EXCLUDED.since ELSE {PERSON}.since END, "
        f"status = CASE WHEN {PERSON}.status = 'ended' THEN 'watched' ELSE {PERSON}.status END, "
        "ended_on = NULL, end_cause = '', end_reason = '' "
        f"WHERE {PERSON}.category <> EXCLUDED.category OR {PERSON}.region_id <> EXCLUDED.region_id "
        f"OR {_distinct(f'{PERSON}.household_id', 'EXCLUDED.household_id')} OR {PERSON}.status = 'ended'",
        params,
    )
    in_range = _range(f"{PERSON}.resident_id")
    changed += _execute(
        f"UPDATE {PERSON} SET status = 'ended', ended_on = %(today)s, end_cause = '{EndCause.DIED.value}' "
        f"WHERE {in_range} AND status <> 'ended' "
        f"AND EXISTS (SELECT 1 FROM {RESIDENT} r WHERE r.id = {PERSON}.resident_id AND r.died_on IS NOT NULL)",
        params,
    )
    changed += _execute(
        f"UPDATE {PERSON} SET status = 'ended', ended_on = %(today)s, end_cause = '{EndCause.BENEFIT_ENDED.value}' "
        f"WHERE {in_range} AND status <> 'ended' AND added_by_hand = FALSE AND NOT EXISTS ({covered})",
        params,
    )
    changed += _execute(
        f"UPDATE {PERSON} SET category = '{Category.ADDED.value}' "
        f"WHERE {in_range} AND added_by_hand = TRUE AND category <> '{Category.ADDED.value}' "
        f"AND NOT EXISTS ({covered})",
        params,
    )
    moved = (
        f"SELECT 1 FROM {RESIDENT} r WHERE r.id = {PERSON}.resident_id AND r.region_id IS NOT NULL "
        f"AND (r.region_id <> {PERSON}.region_id OR {_distinct('r.household_id', f'{PERSON}.household_id')})"
    )
    changed += _execute(
        f"UPDATE {PERSON} SET region_id = (SELECT r.region_id FROM {RESIDENT} r WHERE r.id = {PERSON}.resident_id), "
        f"household_id = (SELECT r.household_id FROM {RESIDENT} r WHERE r.id = {PERSON}.resident_id) "
        f"WHERE {in_range} AND status <> 'ended' AND EXISTS ({moved})",
        params,
    )
    return changed


def person_statuses():
    """'Warning open' for the watched people of a household (or the person) with an open warning, back to
    'watched' when none is left. Two set-based UPDATEs over the whole population."""
    open_alert = (
        f"SELECT 1 FROM {ALERT} a WHERE a.status = '{AlertStatus.OPEN.value}' AND "
        f"(a.household_id = {PERSON}.household_id OR a.resident_id = {PERSON}.resident_id)"
    )
    changed = _execute(f"UPDATE {PERSON} SET status = 'warned' WHERE status = 'watched' AND EXISTS ({open_alert})", {})
    changed += _execute(
        f"UPDATE {PERSON} SET status = 'watched' WHERE status = 'warned' AND NOT EXISTS ({open_alert})", {}
    )
    return changed


# ------------------------------------------------------------------------------------------------- warnings

COLUMNS = (
    "key, region_id, household_id, resident_id, record_id, entitlement_id, other_entitlement_id, amount, "
    "base_amount, programme"
)


def _insert_alerts(rule, select, params, *, today, due, suppress=None):
    """INSERT the warnings `select` finds (it yields COLUMNS) as open tasks for the community's caseworker. With
    `suppress` (a column of the candidate: household_id or resident_id), nothing new is raised while a warning of
    this rule for the same household or person is still open."""
    spec = SPECS[rule.code]
    assignee = (
        f"(SELECT MIN(u.id) FROM {USER} u WHERE u.region_id = c.region_id AND u.role = '{Role.CASEWORKER.value}' "
        "AND u.is_active = TRUE)"
    )
    where = "WHERE c.region_id IS NOT NULL"
    if suppress:
        where += (
            f" AND NOT EXISTS (SELECT 1 FROM {ALERT} a WHERE a.rule = %(rule)s AND a.status = 'open' "
            f"AND a.{suppress} = c.{suppress})"
        )
    sql = (
        f"INSERT INTO {ALERT} (rule, {COLUMNS}, action, urgent, found_on, due_on, status, outcome, assignee_id) "
        f"SELECT %(rule)s, {COLUMNS.replace(', ', ', c.').join(['c.', ''])}, %(action)s, %(urgent)s, %(today)s, "
        f"%(due)s, 'open', '', {assignee} FROM ({select}) c {where} "
        "ON CONFLICT (rule, key) DO NOTHING"
    )
    values = {
        **params,
        "rule": rule.code,
        "action": spec.action.value,
        "urgent": rule.urgent,
        "today": today,
        "due": due,
    }
    return _execute(sql, values)


def _since(rule, today):
    return today - timedelta(days=rule.window_days or 0)


def _deaths():
    """Residents of the range who died (in the registry, or reported by the population feed) since %(since)s,
    with the first date known and the feed record, if any."""
    return (
        "SELECT x.rid, MIN(x.died_on) AS died_on, MAX(x.record_id) AS record_id FROM ("
        f"SELECT f.resident_id AS rid, f.event_date AS died_on, f.id AS record_id FROM {RECORD} f "
        f"WHERE f.feed = 'population' AND f.event = 'death' AND f.match = '{MATCHED}' "
        f"AND {_range('f.resident_id')} AND f.event_date >= %(since)s "
        "UNION ALL "
        f"SELECT r.id, r.died_on, {NO_ID} FROM {RESIDENT} r WHERE {_range('r.id')} AND r.died_on >= %(since)s"
        ") x GROUP BY x.rid"
    )


def rule_death(rule, params):
    programmes = _in(rule.programmes, KNOWN_PROGRAMMES)
    if not programmes:
        return None
    return (
        f"SELECT {_key('death', 'd.rid', 'e.id')} AS key, e.region_id, e.household_id, d.rid AS resident_id, "
        f"d.record_id, e.id AS entitlement_id, {NO_ID} AS other_entitlement_id, e.amount, {NO_AMOUNT} AS base_amount, "
        "'' AS programme "
        f"FROM ({_deaths()}) d JOIN {MEMBERS} m ON m.resident_id = d.rid "
        f"JOIN {ENTITLEMENT} e ON e.id = m.entitlement_id "
        f"WHERE e.status IN {LIVE} AND e.programme IN {programmes}"
    ), None


def _household_income(household):
    """Counted monthly income of a household: its latest application's income items (without the kinds the rules
    exclude), else the income its live benefit was computed with, else nothing known (0)."""
    excluded = _in([k.value for k in EXCLUDED_INCOME], {k.value for k in EXCLUDED_INCOME})
    return (
        f"COALESCE((SELECT SUM(i.monthly_amount) FROM {INCOME} i WHERE i.application_id = "
        f"(SELECT MAX(a.id) FROM {APPLICATION} a WHERE a.household_id = {household}) AND i.kind NOT IN {excluded}), "
        f"(SELECT MAX(e.basis_income) FROM {ENTITLEMENT} e WHERE e.household_id = {household} "
        f"AND e.status IN {LIVE}), 0)"
    )


def rule_medical(rule, params):
    categories = _in(rule.programmes, KNOWN_CATEGORIES)
    if not categories:
        return None
    params["share"] = rule.threshold or 0
    params["min_amount"] = rule.min_amount or 0
    cash = _in([Programme.DIBAO, Programme.TEKUN], KNOWN_PROGRAMMES)
    touched = (
        f"SELECT DISTINCT r.household_id FROM {RECORD} f JOIN {RESIDENT} r ON r.id = f.resident_id "
        f"WHERE f.feed = 'medical' AND f.match = '{MATCHED}' AND {_range('f.resident_id')} "
        "AND f.event_date >= %(since)s AND r.household_id IS NOT NULL"
    )
    costs = (
        f"SELECT t.household_id, SUM(f.amount) AS costs, MAX(f.id) AS last_id FROM ({touched}) t "
        f"JOIN {RESIDENT} r ON r.household_id = t.household_id "
        f"JOIN {RECORD} f ON f.resident_id = r.id AND f.feed = 'medical' AND f.event_date >= %(since)s "
        "GROUP BY t.household_id"
    )
    with_income = f"SELECT k.*, {_household_income('k.household_id')} * 12 AS yearly FROM ({costs}) k"
    return (
        f"SELECT {_key('medical', 'w.household_id', 'w.last_id')} AS key, h.region_id, w.household_id, "
        f"{NO_ID} AS resident_id, w.last_id AS record_id, {NO_ID} AS entitlement_id, {NO_ID} AS other_entitlement_id, "
        "w.costs AS amount, w.yearly AS base_amount, "
        f"CASE WHEN EXISTS (SELECT 1 FROM {ENTITLEMENT} e WHERE e.household_id = w.household_id "
        f"AND e.status IN {LIVE} AND e.programme IN {cash}) THEN '{Programme.TEMP_EXPENDITURE.value}' "
        f"ELSE '{Programme.RIGID.value}' END AS programme "
        f"FROM ({with_income}) w JOIN {HOUSEHOLD} h ON h.id = w.household_id "
        # A typed parameter: SQLite compares an untyped one with SUM() as text.
        "WHERE w.costs >= CAST(%(min_amount)s AS NUMERIC) AND w.costs > %(share)s * w.yearly "
        f"AND EXISTS (SELECT 1 FROM {PERSON} p WHERE p.household_id = w.household_id AND p.status <> 'ended' "
        f"AND p.category IN {categories})"
    ), "household_id"


def rule_asset(rule, params):
    programmes = _in(rule.programmes, KNOWN_PROGRAMMES)
    if not programmes:
        return None
    params["homes"] = rule.threshold if rule.threshold is not None else 2
    return (
        f"SELECT {_key('asset', 'f.id', 'e.id')} AS key, e.region_id, e.household_id, f.resident_id, "
        f"f.id AS record_id, e.id AS entitlement_id, {NO_ID} AS other_entitlement_id, f.amount, "
        f"{NO_AMOUNT} AS base_amount, "
        "'' AS programme "
        f"FROM {RECORD} f JOIN {MEMBERS} m ON m.resident_id = f.resident_id "
        f"JOIN {ENTITLEMENT} e ON e.id = m.entitlement_id "
        f"WHERE f.feed = 'property' AND f.match = '{MATCHED}' AND {_range('f.resident_id')} "
        "AND f.event_date >= %(since)s AND (f.event = 'vehicle' OR (f.event = 'home' AND f.count >= %(homes)s)) "
        f"AND e.status IN {LIVE} AND e.programme IN {programmes}"
    ), None


def _standards(today):
    """The dibao standard in force today for each district and area, as a derived table (district's first six
    digits, rural, standard). Policies sit at province, city or district level, so a district resolves them."""
    rows = []
    for district in Region.objects.filter(level="district").values_list("code", flat=True):
        for rural in (False, True):
            policy = policy_in_force(district, "rural" if rural else "urban", today)
            if policy is not None:
                rows.append(
                    f"SELECT '{district[:6]}' AS district, {'TRUE' if rural else 'FALSE'} AS rural, "
                    f"{policy.dibao_standard:f} AS standard"
                )
    return " UNION ALL ".join(rows)


def _unemployed(resident, since="%(since)s"):
    """A resident registered unemployed since `since` whose registration has not ended since."""
    return (
        f"EXISTS (SELECT 1 FROM {RECORD} u WHERE u.resident_id = {resident} AND u.feed = 'unemployment' "
        f"AND u.event = 'registered' AND u.event_date >= {since} AND NOT EXISTS (SELECT 1 FROM {RECORD} v "
        f"WHERE v.resident_id = u.resident_id AND v.feed = 'unemployment' AND v.event = 'ended' "
        "AND v.event_date >= u.event_date))"
    )


def rule_edge_income(rule, params):
    standards = _standards(params["today"])
    if not standards:
        return None
    excluded = _in([k.value for k in EXCLUDED_INCOME], {k.value for k in EXCLUDED_INCOME})
    touched = (
        "SELECT e.id, e.region_id, e.household_id, e.covered_count, e.application_id, h.is_rural, "
        f"MAX(f.id) AS last_id FROM {RECORD} f JOIN {MEMBERS} m ON m.resident_id = f.resident_id "
        f"JOIN {ENTITLEMENT} e ON e.id = m.entitlement_id JOIN {HOUSEHOLD} h ON h.id = e.household_id "
        f"WHERE f.feed = 'unemployment' AND f.event = 'registered' AND f.match = '{MATCHED}' "
        f"AND {_range('f.resident_id')} AND f.event_date >= %(since)s AND {_unemployed('f.resident_id')} "
        f"AND e.programme = '{Programme.EDGE.value}' AND e.status IN {LIVE} AND e.covered_count > 0 "
        "GROUP BY e.id, e.region_id, e.household_id, e.covered_count, e.application_id, h.is_rural"
    )
    income = (
        f"(SELECT COALESCE(SUM(i.monthly_amount), 0) FROM {INCOME} i WHERE i.application_id = x.application_id "
        f"AND i.kind NOT IN {excluded} AND NOT (i.kind = 'wages' AND {_unemployed('i.resident_id')}))"
    )
    with_income = f"SELECT x.*, {income} AS income FROM ({touched}) x"
    return (
        f"SELECT {_key('edge_income', 'y.id', 'y.last_id')} AS key, y.region_id, y.household_id, "
        f"{NO_ID} AS resident_id, y.last_id AS record_id, y.id AS entitlement_id, {NO_ID} AS other_entitlement_id, "
        "ROUND(y.income / y.covered_count, 2) AS amount, s.standard AS base_amount, "
        f"'{Programme.DIBAO.value}' AS programme "
        f"FROM ({with_income}) y JOIN ({standards}) s ON s.district = SUBSTR(y.region_id, 1, 6) "
        "AND s.rural = y.is_rural WHERE y.income < s.standard * y.covered_count"
    ), "household_id"


def rule_elder_hotline(rule, params):
    return (
        f"SELECT {_key('elder_hotline', 'f.id')} AS key, ce.region_id, r.household_id, f.resident_id, "
        f"f.id AS record_id, {NO_ID} AS entitlement_id, {NO_ID} AS other_entitlement_id, {NO_AMOUNT} AS amount, "
        f"{NO_AMOUNT} AS base_amount, '' AS programme "
        f"FROM {RECORD} f JOIN {ELDER} ce ON ce.resident_id = f.resident_id JOIN {RESIDENT} r ON r.id = f.resident_id "
        f"WHERE f.feed = 'hotline' AND f.match = '{MATCHED}' AND {_range('f.resident_id')} "
        "AND f.event_date >= %(since)s AND ce.ended_on IS NULL AND r.died_on IS NULL "
        f"AND NOT EXISTS (SELECT 1 FROM {VISIT} v WHERE v.elder_id = ce.id AND v.visited_on >= %(since)s)"
    ), "resident_id"


def check_two_households(rule, params):
    programmes = _in(rule.programmes, KNOWN_PROGRAMMES)
    if not programmes:
        return None
    return (
        f"SELECT {_key('two_households', 'r.id', 'e.id')} AS key, e.region_id, e.household_id, r.id AS resident_id, "
        f"{NO_ID} AS record_id, e.id AS entitlement_id, {NO_ID} AS other_entitlement_id, e.amount, "
        f"{NO_AMOUNT} AS base_amount, "
        "'' AS programme "
        f"FROM {RESIDENT} r JOIN {MEMBERS} m ON m.resident_id = r.id JOIN {ENTITLEMENT} e ON e.id = m.entitlement_id "
        f"WHERE {_range('r.id')} AND r.died_on IS NULL AND e.status IN {LIVE} AND e.programme IN {programmes} "
        "AND (r.household_id IS NULL OR r.household_id <> e.household_id)"
    ), None


def check_two_programmes(rule, params):
    exclusive = _in([p.value for p in EXCLUSIVE], KNOWN_PROGRAMMES)
    return (
        f"SELECT {_key('two_programmes', 'm1.resident_id', 'e1.id', 'e2.id')} AS key, e2.region_id, "
        f"e2.household_id, m1.resident_id, {NO_ID} AS record_id, e2.id AS entitlement_id, "
        f"e1.id AS other_entitlement_id, {NO_AMOUNT} AS amount, {NO_AMOUNT} AS base_amount, '' AS programme "
        f"FROM {MEMBERS} m1 JOIN {ENTITLEMENT} e1 ON e1.id = m1.entitlement_id "
        f"JOIN {MEMBERS} m2 ON m2.resident_id = m1.resident_id AND m2.entitlement_id > m1.entitlement_id "
        f"JOIN {ENTITLEMENT} e2 ON e2.id = m2.entitlement_id "
        f"WHERE {_range('m1.resident_id')} AND e1.status IN {LIVE} AND e2.status IN {LIVE} "
        f"AND e1.programme IN {exclusive} AND e2.programme IN {exclusive}"
    ), None


def check_paid_after_death(rule, params):
    today, since = params["today"], params["since"]
    # A line's number is YYYYMM × 10⁹ + the entitlement's id: the months of the window give each line by its key.
    month, bases = since.replace(day=1), []
    while month <= today:
        bases.append(f"SELECT {(month.year * 100 + month.month) * 1_000_000_000} AS base")
        month = add_months(month, 1)
    paid_to = (
        f"SELECT e.payee_id AS rid, e.id AS eid FROM {ENTITLEMENT} e WHERE {_range('e.payee_id')} "
        f"UNION SELECT m.resident_id, m.entitlement_id FROM {MEMBERS} m "
        f"JOIN {ENTITLEMENT} e ON e.id = m.entitlement_id WHERE {_range('m.resident_id')} AND e.covered_count = 1"
    )
    return (
        f"SELECT {_key('paid_after_death', 'd.rid', 'e.id')} AS key, e.region_id, e.household_id, "
        "d.rid AS resident_id, MAX(d.record_id) AS record_id, e.id AS entitlement_id, "
        f"{NO_ID} AS other_entitlement_id, "
        f"SUM(l.total) AS amount, {NO_AMOUNT} AS base_amount, '' AS programme "
        f"FROM ({_deaths()}) d JOIN ({paid_to}) pt ON pt.rid = d.rid JOIN {ENTITLEMENT} e ON e.id = pt.eid "
        f"JOIN ({' UNION ALL '.join(bases)}) mo ON 1 = 1 JOIN {LINE} l ON l.id = mo.base + e.id "
        "WHERE l.month > d.died_on AND l.status <> 'failed' "
        "GROUP BY d.rid, e.id, e.region_id, e.household_id"
    ), None


def check_shared_account(rule, params):
    related = (
        f"SELECT 1 FROM {MEMBERSHIP} a JOIN {MEMBERSHIP} b ON b.resident_id = a.resident_id "
        "WHERE a.household_id = e.household_id AND b.household_id = o.household_id"
    )
    return (
        f"SELECT {_key('shared_account', 'e.id', 'o.id')} AS key, e.region_id, e.household_id, "
        f"e.payee_id AS resident_id, {NO_ID} AS record_id, e.id AS entitlement_id, o.id AS other_entitlement_id, "
        f"{NO_AMOUNT} AS amount, {NO_AMOUNT} AS base_amount, '' AS programme "
        f"FROM {ENTITLEMENT} e JOIN {ENTITLEMENT} o ON o.account = e.account AND o.id > e.id "
        "AND o.household_id <> e.household_id "
        f"WHERE {_range('e.payee_id')} AND e.account <> '' AND e.status IN {LIVE} AND o.status IN {LIVE} "
        f"AND NOT EXISTS ({related})"
    ), None


FINDERS = {
    RuleCode.DEATH: rule_death,
    RuleCode.MEDICAL: rule_medical,
    RuleCode.ASSET: rule_asset,
    RuleCode.EDGE_INCOME: rule_edge_income,
    RuleCode.ELDER_HOTLINE: rule_elder_hotline,
    RuleCode.TWO_HOUSEHOLDS: check_two_households,
    RuleCode.TWO_PROGRAMMES: check_two_programmes,
    RuleCode.PAID_AFTER_DEATH: check_paid_after_death,
    RuleCode.SHARED_ACCOUNT: check_shared_account,
}


def run_rule(rule, low, high, *, today, due):
    """Raise the warnings of one rule for residents low < id ≤ high. Returns how many were raised."""
    params = {"low": low, "high": high, "today": today, "since": _since(rule, today)}
    found = FINDERS[rule.code](rule, params)
    if found is None:
        return 0
    select, suppress = found
    return _insert_alerts(rule, select, params, today=today, due=due, suppress=suppress)
