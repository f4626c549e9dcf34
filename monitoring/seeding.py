"""A watched population and a day of partner records at scale, for the monitoring benchmark (PostgreSQL only).

The population is set-based, like relief.money.seeding (which it builds on): households, residents and one live
benefit per household come from ``entitlements_seed``; then every table this app reads is filled by one
``INSERT … SELECT`` (or ``UPDATE``) per slice of benefits, never a Python loop over rows:

- the benefits' covered members (relief_entitlement_members): every member of the household (特困: the one person);
- one dibao benefit in eight of a household of two or more becomes edge-family support (低保边缘), with the
  application it was granted on and that application's income items (the head's wages, a pension of another
  member), so that an earner's unemployment can bring the family below the standard;
- every other 特困 person is a special-hardship elder on the visiting list (the seeded people are all born
  1940–1945), half of them visited ten days ago;
- a few conflicts for the checks: a head also covered by the next household's benefit (one person in two
  households, two programmes at once) and benefits paid into another household's account;
- last month's and this month's batch lines of one cash benefit in ten (for the paid-after-death check).

``day_records`` then draws a day's partner records (Python dicts, as a partner's API call sends them) for random
residents, about one in twenty with an ID number nobody has."""

import random
from datetime import timedelta

from django.db import connection, transaction
from django.utils import timezone

from civic.idnumbers import check_char
from civic.models import Household, Resident
from civic.roles import Role
from eldercare.models import CaredElder, Visit
from relief.models import Application, BatchLine, Entitlement, IncomeItem
from relief.models.money import month_prefix
from relief.money import seeding as relief_seeding
from relief.programmes import Programme

ENTITLEMENT = Entitlement._meta.db_table
MEMBERS = Entitlement.members.through._meta.db_table
APPLICATION = Application._meta.db_table
INCOME = IncomeItem._meta.db_table
ELDER = CaredElder._meta.db_table
VISIT = Visit._meta.db_table
LINE = BatchLine._meta.db_table
RESIDENT = Resident._meta.db_table
HOUSEHOLD = Household._meta.db_table
SLICE = 250_000  # benefits per statement
EDGE_EVERY = 8  # one dibao household of two or more in eight is an edge family
CONFLICT_EVERY = 5000  # one household in so many has a conflict for each check
LINES_EVERY = 10  # one cash benefit in ten has batch lines
# A household of generation g has 1 + (g·7919 mod 13) mod 3 members: 25 residents per 13 households.
RESIDENTS_PER_13_HOUSEHOLDS = 25

# (feed, share of the day's records, events): about 1 % deaths, the rest spread like a city's partner traffic.
FEED_MIX = (
    ("population", 0.02, ("death", "moved_out")),
    ("medical", 0.20, ("outpatient", "outpatient", "outpatient", "inpatient")),
    ("property", 0.08, ("vehicle", "home")),
    ("unemployment", 0.08, ("registered", "ended")),
    ("hotline", 0.10, ("request", "complaint")),
    ("utility", 0.25, ("water", "electricity", "gas")),
    ("school", 0.15, ("waiver",)),
    ("disability", 0.12, ("issued", "withdrawn")),
)
UNKNOWN_EVERY = 20  # ≈5 % of the records name an ID number no resident has
UNKNOWN_AREA = "449999"  # an area code no seeded resident has


def households_for(people):
    """How many seeded households hold about `people` residents."""
    return max(1, -(-people * 13 // RESIDENTS_PER_13_HOUSEHOLDS))


def _run(cursor, sql, params=None):
    cursor.execute(sql, params or {})
    return cursor.rowcount


def population_seed(people, *, policy, communities, visitor, today=None):
    """Add about `people` residents in households covered by live dibao, 特困 and edge benefits in `communities`,
    with the elders, applications, conflicts and batch lines described above. `visitor` (a user) accepted the
    edge applications and visits the elderly. Returns a dict of what was added."""
    if connection.vendor != "postgresql":
        raise RuntimeError("Seeding at scale needs PostgreSQL.")
    today = today or timezone.localdate()
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT COALESCE(MAX(id), 0) FROM {ENTITLEMENT}")
        base = cursor.fetchone()[0]
    added = relief_seeding.entitlements_seed(households_for(people), policy=policy, communities=communities)
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT COALESCE(MAX(id), 0) FROM {ENTITLEMENT}")
        last = cursor.fetchone()[0]
    counts = {"members": 0, "edge": 0, "applications": 0, "incomes": 0, "elders": 0, "visits": 0, "lines": 0}
    now = timezone.now()
    this_month = today.replace(day=1)
    last_month = (this_month - timedelta(days=1)).replace(day=1)
    for low in range(base, last, SLICE):
        params = {
            "low": low,
            "high": min(low + SLICE, last),
            "now": now,
            "today": today,
            "visitor": visitor.pk,
            "edge": Programme.EDGE.value,
            "dibao": Programme.DIBAO.value,
            "tekun": Programme.TEKUN.value,
        }
        with transaction.atomic(), connection.cursor() as cursor:
            counts["members"] += _run(
                cursor,
                f"INSERT INTO {MEMBERS} (entitlement_id, resident_id) SELECT e.id, r.id FROM {ENTITLEMENT} e "
                f"JOIN {RESIDENT} r ON r.household_id = e.household_id "
                "WHERE e.id > %(low)s AND e.id <= %(high)s ORDER BY e.id, r.id",
                params,
            )
            counts["edge"] += _run(
                cursor,
                f"UPDATE {ENTITLEMENT} SET programme = %(edge)s, amount = 0 "
                f"WHERE id > %(low)s AND id <= %(high)s AND programme = %(dibao)s AND covered_count >= 2 "
                f"AND id %% {EDGE_EVERY} = 0",
                params,
            )
            counts["applications"] += _run(
                cursor,
                f"INSERT INTO {APPLICATION} (household_id, region_id, account, programme, area, status, "
                "public_notice, accepted_at, accepted_by_id, accepted_in_id, step_due, overall_due, opinion, "
                "opinion_text, opinion_by_id, notice_from, notice_until, decided_at, decided_by_id, "
                "decision_reasons, district_checked, amount, explanation, self_care_failures, care_form, "
                "aid_months, paid_first_at, paperwork_due) "
                "SELECT e.household_id, e.region_id, e.account, e.programme, 'urban', 'approved', TRUE, "
                "%(now)s, %(visitor)s, e.region_id, NULL, e.starts_on, 'approve', '', %(visitor)s, NULL, NULL, "
                "%(now)s, %(visitor)s, '', FALSE, 0, '[]'::jsonb, 0, 'dispersed', 1, NULL, NULL "
                f"FROM {ENTITLEMENT} e WHERE e.id > %(low)s AND e.id <= %(high)s AND e.programme = %(edge)s "
                "ORDER BY e.id",
                params,
            )
            _run(
                cursor,
                f"UPDATE {ENTITLEMENT} e SET application_id = a.id FROM {APPLICATION} a "
                "WHERE a.household_id = e.household_id AND a.programme = e.programme "
                "AND e.id > %(low)s AND e.id <= %(high)s AND e.programme = %(edge)s",
                params,
            )
            # The head earns wages (enough to keep the family above the standard), another member a pension.
            counts["incomes"] += _run(
                cursor,
                f"INSERT INTO {INCOME} (application_id, resident_id, kind, monthly_amount) "
                "SELECT e.application_id, r.id, CASE WHEN r.id = e.payee_id THEN 'wages' ELSE 'pension' END, "
                "CASE WHEN r.id = e.payee_id THEN 2400 + (e.id %% 7) * 100 ELSE 300 END "
                f"FROM {ENTITLEMENT} e JOIN {RESIDENT} r ON r.household_id = e.household_id "
                "WHERE e.id > %(low)s AND e.id <= %(high)s AND e.programme = %(edge)s "
                "AND r.relationship IN ('head', 'spouse')",
                params,
            )
            counts["elders"] += _run(
                cursor,
                f"INSERT INTO {ELDER} (resident_id, region_id, categories, risk, visitor_id, next_visit_due, "
                "overdue_since, registered_at, ended_on) "
                "SELECT e.payee_id, e.region_id, '[\"living_alone\"]'::jsonb, 'key', %(visitor)s, "
                "%(today)s + 20, NULL, %(now)s, NULL "
                f"FROM {ENTITLEMENT} e WHERE e.id > %(low)s AND e.id <= %(high)s AND e.programme = %(tekun)s "
                "AND e.id / 4 %% 2 = 0 ORDER BY e.id",
                params,
            )
            counts["visits"] += _run(
                cursor,
                f"INSERT INTO {VISIT} (elder_id, visited_on, visitor_id, findings, risks, follow_up, recorded_at) "
                "SELECT ce.id, %(today)s - 10, %(visitor)s, '居家情况良好', '', '', %(now)s "
                f"FROM {ELDER} ce JOIN {ENTITLEMENT} e ON e.payee_id = ce.resident_id "
                "WHERE e.id > %(low)s AND e.id <= %(high)s AND e.programme = %(tekun)s AND e.id / 4 %% 4 = 0",
                params,
            )
            # One person in two households (and on two programmes): the head, also covered next door.
            counts["members"] += _run(
                cursor,
                f"INSERT INTO {MEMBERS} (entitlement_id, resident_id) SELECT n.id, e.payee_id "
                f"FROM {ENTITLEMENT} e JOIN {ENTITLEMENT} n ON n.id = e.id + 1 "
                f"WHERE e.id > %(low)s AND e.id < %(high)s AND e.id %% {CONFLICT_EVERY} = 1 "
                "ON CONFLICT DO NOTHING",
                params,
            )
            # One account paid for two unrelated households.
            _run(
                cursor,
                f"UPDATE {ENTITLEMENT} e SET account = p.account FROM {ENTITLEMENT} p "
                f"WHERE p.id = e.id - 1 AND e.id > %(low)s + 1 AND e.id <= %(high)s "
                f"AND e.id %% {CONFLICT_EVERY} = 3",
                params,
            )
            for month in (last_month, this_month):
                counts["lines"] += _run(
                    cursor,
                    f"INSERT INTO {LINE} (id, batch_id, entitlement_id, month, region_id, household_id, payee_id, "
                    "programme, covered_members, amount, adjustment, total, account, status, failure_reason, "
                    "attempts) "
                    "SELECT %(prefix)s + e.id, 0, e.id, %(month)s, e.region_id, e.household_id, e.payee_id, "
                    "e.programme, e.covered_count, e.amount, 0, e.amount, e.account, 'paid', '', 1 "
                    f"FROM {ENTITLEMENT} e WHERE e.id > %(low)s AND e.id <= %(high)s "
                    f"AND e.programme IN (%(dibao)s, %(tekun)s) AND e.id %% {LINES_EVERY} = 0",
                    params | {"prefix": month_prefix(month), "month": month},
                )
    added.update(counts)
    return added


def caseworkers_ensure(communities, password):
    """One active caseworker in each community (the warnings are assigned to them)."""
    from civic.models import User
    from civic.services import staff_create

    made = []
    for code in communities:
        if not User.objects.filter(region_id=code, role=Role.CASEWORKER, is_active=True).exists():
            made.append(
                staff_create(
                    username=f"bench-caseworker-{code}", password=password, role=Role.CASEWORKER, region_code=code
                )
            )
    return made


# ------------------------------------------------------------------------------------------- a day's records


def _unknown_id_number(n, today):
    birth = today.replace(year=today.year - 30) - timedelta(days=n % 3650)
    body = f"{UNKNOWN_AREA}{birth:%Y%m%d}{n % 1000:03d}"
    return body + check_char(body)


def day_records(count, *, today=None, seed=2026):
    """`count` records of one day across the feeds, as {feed: [record dicts]}: residents drawn at random (edge
    families' earners for most unemployment registrations, special-hardship elders for some hotline calls), one
    in UNKNOWN_EVERY with an ID number nobody has. References are unique per feed and day."""
    today = today or timezone.localdate()
    rng = random.Random(seed)
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT id FROM {RESIDENT} WHERE died_on IS NULL ORDER BY id")
        residents = [r for (r,) in cursor.fetchall()]
        cursor.execute(
            f"SELECT payee_id FROM {ENTITLEMENT} WHERE programme = %s AND status = 'active' ORDER BY id",
            [Programme.EDGE.value],
        )
        earners = [r for (r,) in cursor.fetchall()]
        cursor.execute(f"SELECT resident_id FROM {ELDER} WHERE ended_on IS NULL ORDER BY id")
        elders = [r for (r,) in cursor.fetchall()]
    plan, n = [], 0
    for index, (feed, share, events) in enumerate(FEED_MIX):
        size = count - n if index == len(FEED_MIX) - 1 else round(count * share)
        for i in range(size):
            if feed == "unemployment" and earners and rng.random() < 0.5:
                who = rng.choice(earners)
            elif feed == "hotline" and elders and rng.random() < 0.3:
                who = rng.choice(elders)
            else:
                who = rng.choice(residents)
            plan.append((feed, i, events, who))
        n += size
    numbers = {}
    wanted = sorted({who for *_rest, who in plan})
    with connection.cursor() as cursor:
        for start in range(0, len(wanted), 50_000):
            cursor.execute(
                f"SELECT id, id_number, name FROM {RESIDENT} WHERE id = ANY(%s)", [wanted[start : start + 50_000]]
            )
            numbers.update({rid: (number, name) for rid, number, name in cursor.fetchall()})
    records = {feed: [] for feed, *_rest in FEED_MIX}
    for position, (feed, i, events, who) in enumerate(plan):
        number, name = numbers.get(who, ("", ""))
        if position % UNKNOWN_EVERY == UNKNOWN_EVERY - 1 or not number:
            number, name = _unknown_id_number(position, today), "外市人员"
        event = events[0] if feed == "population" and i % 2 == 0 else rng.choice(events)
        record = {
            "reference": f"{feed[:3].upper()}-{today:%Y%m%d}-{i:07d}",
            "id_number": number,
            "name": name,
            "event": event,
            "date": (today - timedelta(days=rng.randint(0, 60 if feed == "population" else 20))).isoformat(),
        }
        if feed == "medical":
            big = event == "inpatient"
            record["amount"] = f"{rng.randint(3000, 40000) if big else rng.randint(50, 3000)}.00"
        elif feed == "utility":
            record["amount"] = f"{rng.randint(20, 2000)}.50"
            record["count"] = rng.randint(1, 12)
        elif feed == "property":
            record["amount"] = f"{rng.randint(20000, 900000)}.00"
            if event == "home":
                record["count"] = rng.randint(1, 3)
        elif feed == "school":
            record["amount"] = f"{rng.randint(300, 5000)}.00"
        elif feed == "disability":
            record["count"] = rng.randint(1, 4)
        records[feed].append(record)
    return records
