"""Monthly cash entitlements at scale, for the disbursement benchmark and the worker tests (PostgreSQL only).

Set-based: every table is filled by one ``INSERT … SELECT`` per slice of households (over ``generate_series``, or
over the rows just added), never a Python loop over rows. Household ``g`` of a run (1 … count) gets a
deterministic shape from ``g``:

- its community, round-robin over the given communities;
- 1 to 3 residents, the first the head; residents are numbered three slots per household (a smaller household
  leaves its slots unused), so the head's id is known before anything is read back;
- an ID number unique by construction: the resident's id picks the birth date (500 people per day from
  1940-01-01) and the sequence (its parity gives the sex), with a valid GB 11643 check character;
- one active benefit paid from ``starts_on``: dibao (basis: members = household size, a counted income), or,
  for one single-person household in four, 特困 (basis: a share of the standard between 1.4 and 1.7);
- with ``pending_every`` > 0, every n-th benefit also has an adjustment waiting for the next batch: a subsidy,
  a failed payment to repay, or a recovery larger than the month's amount (which the batch carries over).

Households and residents take their ids from the current maximum (the tables are locked meanwhile) and the
sequences are moved past them afterwards, as ``civic.demo_population`` does.
"""

from datetime import date

from django.core.management.color import no_style
from django.db import connection, transaction
from django.utils import timezone

from civic.idnumbers import CHECK_CHARS, WEIGHTS
from civic.models import Household, HouseholdMembership, Resident
from relief.models import AdjustmentKind, EntitlementStatus
from relief.programmes import Programme

from . import sql
from .sql import ADJUSTMENT, ENTITLEMENT, HOUSEHOLD, RESIDENT

MEMBERSHIP = HouseholdMembership._meta.db_table
SLICE = 250_000  # households per transaction

SURNAMES = "陈李黄张梁林刘吴罗何郑王周钟杨谭冯邓叶蔡苏卢许曾徐朱赵麦郭孙"
GIVEN = "伟强军杰涛明勇磊斌志建国华文俊峰浩宇轩家丽芳敏静婷燕红霞梅玲秀英慧欣怡雅诗颖佳琪"
RELATIONSHIPS = ("head", "spouse", "child")


def _size(g):
    """Household size (1–3) of household number `g`: about 38% of one, 31% of two, 31% of three."""
    return f"(1 + ({g} * 7919 %% 13) %% 3)"


def _id_number(n, area):
    """SQL (with %% escaped for parameters) of the first 17 characters, then the whole valid ID number, of
    resident id `n` in district `area`; the whole number reads the 17 from a lateral ``b.body``."""
    birth = f"to_char(DATE '1940-01-01' + ({n} / 500)::int, 'YYYYMMDD')"
    sequence = f"lpad((({n} %% 500) * 2 + {n} %% 2)::text, 3, '0')"
    total = " + ".join(f"substr(b.body, {i + 1}, 1)::int * {w}" for i, w in enumerate(WEIGHTS))
    return f"({area} || {birth} || {sequence})", f"b.body || substr('{CHECK_CHARS}', ({total}) %% 11 + 1, 1)"


def entitlements_seed(count, *, policy, communities, pending_every=0, starts_on=date(2024, 1, 1), rural=False):
    """Add `count` households, each with its residents and one active monthly cash entitlement under `policy`,
    in `communities` (region codes). Returns a dict of what was added."""
    if connection.vendor != "postgresql":
        raise RuntimeError("Seeding at scale needs PostgreSQL.")
    communities = list(communities)
    added = {"households": 0, "residents": 0, "entitlements": 0, "adjustments": 0}
    for first in range(0, count, SLICE):
        with transaction.atomic():
            part = _slice(min(SLICE, count - first), policy, communities, pending_every, starts_on, rural)
        for key, value in part.items():
            added[key] += value
    return added


def _slice(count, policy, communities, pending_every, starts_on, rural):
    now = timezone.now()
    with connection.cursor() as cursor:
        cursor.execute(f"LOCK TABLE {HOUSEHOLD}, {RESIDENT} IN SHARE ROW EXCLUSIVE MODE")
        cursor.execute(f"SELECT COALESCE(MAX(id), 0) FROM {HOUSEHOLD}")
        household_base = cursor.fetchone()[0]
        cursor.execute(f"SELECT COALESCE(MAX(id), 0) FROM {RESIDENT}")
        resident_base = cursor.fetchone()[0]
        size = _size("g")
        community = "(%(communities)s::text[])[1 + g %% %(n)s]"
        params = {
            "n": len(communities),
            "communities": communities,
            "hbase": household_base,
            "rbase": resident_base,
            "count": count,
            "now": now,
            "rural": rural,
        }
        # The head (resident slot 1) is written just after its household: the foreign key is checked at commit.
        cursor.execute(
            f"""
            INSERT INTO {HOUSEHOLD} (id, region_id, address, is_rural, head_id, created_at, updated_at)
            SELECT %(hbase)s + g, {community}, '幸福路' || g || '号', %(rural)s, %(rbase)s + 3 * (g - 1) + 1,
                   %(now)s, %(now)s
            FROM generate_series(1, %(count)s) g
            """,
            params,
        )
        households = cursor.rowcount
        body, number = _id_number("p.id", "p.area")
        surnames = "(%(surnames)s::text[])"
        given = "(%(given)s::text[])"
        cursor.execute(
            f"""
            INSERT INTO {RESIDENT} (id, id_number, name, sex, birth_date, phone, hukou_type, disability_category,
                                    disability_grade, serious_illness, illness_note, work_ability, household_id,
                                    relationship, region_id, created_at, updated_at)
            SELECT p.id, {number},
                   {surnames}[1 + p.id %% {len(SURNAMES)}] || {given}[1 + (p.id / {len(SURNAMES)}) %% {len(GIVEN)}]
                       || {given}[1 + (p.id * 7 + 3) %% {len(GIVEN)}],
                   CASE WHEN p.id %% 2 = 1 THEN 'M' ELSE 'F' END,
                   DATE '1940-01-01' + (p.id / 500)::int, '', %(hukou)s, '', NULL, false, '', %(work)s,
                   p.household, (%(relationships)s::text[])[p.k], p.region, %(now)s, %(now)s
            FROM (SELECT %(rbase)s + 3 * (g - 1) + k AS id, %(hbase)s + g AS household, k,
                         {community} AS region, substr({community}, 1, 6) AS area
                  FROM generate_series(1, %(count)s) g, generate_series(1, {size}) k) p
            CROSS JOIN LATERAL (SELECT {body} AS body) b
            """,
            params
            | {
                "surnames": list(SURNAMES),
                "given": list(GIVEN),
                "relationships": list(RELATIONSHIPS),
                "hukou": "local_rural" if rural else "local_urban",
                "work": "partial",
            },
        )
        residents = cursor.rowcount
        cursor.execute(
            f"""
            INSERT INTO {MEMBERSHIP} (resident_id, household_id, relationship, started_at, ended_at, end_reason)
            SELECT r.id, r.household_id, r.relationship, %(now)s, NULL, ''
            FROM {RESIDENT} r WHERE r.id > %(rbase)s
            """,
            params,
        )
        for statement in connection.ops.sequence_reset_sql(no_style(), [Household, Resident]):
            cursor.execute(statement)
        entitlements = _entitlements(cursor, params, policy, starts_on)
        adjustments = _adjustments(cursor, params, pending_every, now) if pending_every else 0
    return {"households": households, "residents": residents, "entitlements": entitlements, "adjustments": adjustments}


def _entitlements(cursor, params, policy, starts_on):
    size = _size("g")
    tekun = f"({size} = 1 AND g %% 4 = 0)"
    amount = sql.amount_under(policy.dibao_standard, policy.rounding, alias="e").replace("%", "%%")
    cursor.execute(
        f"""
        INSERT INTO {ENTITLEMENT} (household_id, region_id, programme, application_id, amount, policy_id,
                                   covered_count, payee_id, account, basis_members, basis_income,
                                   basis_floor_share, basis_share, basis_fixed, basis_offset, starts_on, ends_on,
                                   status, review_due, review_class, gradual_exit_until, ended_reason)
        SELECT e.household_id, e.region_id, e.programme, NULL, {amount}, %(policy)s, e.covered_count, e.payee_id,
               e.account, e.basis_members, e.basis_income, e.basis_floor_share, e.basis_share, e.basis_fixed,
               e.basis_offset, %(starts)s, NULL, %(active)s, %(review)s, 'yearly', NULL, ''
        FROM (SELECT h.id AS household_id, h.region_id, h.head_id AS payee_id,
                     '6217' || lpad(h.id::text, 12, '0') AS account,
                     CASE WHEN {tekun} THEN %(tekun)s ELSE %(dibao)s END AS programme,
                     CASE WHEN {tekun} THEN 1 ELSE {size} END AS covered_count,
                     CASE WHEN {tekun} THEN 0 ELSE {size} END AS basis_members,
                     CASE WHEN {tekun} THEN 0 ELSE (g * 31 %% 9) * 100 END::numeric(12, 2) AS basis_income,
                     NULL::numeric(6, 4) AS basis_floor_share,
                     CASE WHEN {tekun} THEN 1.4 + (g / 4 %% 4) * 0.1 ELSE 0 END::numeric(8, 4) AS basis_share,
                     0::numeric(12, 2) AS basis_fixed, 0::numeric(12, 2) AS basis_offset
              FROM generate_series(1, %(count)s) g JOIN {HOUSEHOLD} h ON h.id = %(hbase)s + g) e
        ORDER BY e.household_id
        """,
        params
        | {
            "policy": policy.pk,
            "starts": starts_on,
            "active": EntitlementStatus.ACTIVE.value,
            "review": date(starts_on.year + 3, 1, 1),
            "tekun": Programme.TEKUN.value,
            "dibao": Programme.DIBAO.value,
        },
    )
    return cursor.rowcount


def _adjustments(cursor, params, every, now):
    """Every `every`-th new benefit gets one pending adjustment, by turns a subsidy, a failed payment repaid and
    a recovery larger than the month's amount."""
    cursor.execute(
        f"""
        INSERT INTO {ADJUSTMENT} (entitlement_id, kind, amount, months, reason, paid_month, created_at)
        SELECT e.id,
               CASE (e.id / %(every)s) %% 3 WHEN 0 THEN %(subsidy)s WHEN 1 THEN %(carried)s ELSE %(change)s END,
               CASE (e.id / %(every)s) %% 3 WHEN 0 THEN 200 WHEN 1 THEN e.amount ELSE -(e.amount + 150) END,
               0, %(reason)s, NULL, %(now)s
        FROM {ENTITLEMENT} e JOIN {HOUSEHOLD} h ON h.id = e.household_id
        WHERE h.id > %(hbase)s AND h.id <= %(hbase)s + %(count)s AND e.id %% %(every)s = 0
        """,
        params
        | {
            "every": every,
            "subsidy": AdjustmentKind.ONE_OFF_SUBSIDY.value,
            "carried": AdjustmentKind.CARRIED_OVER.value,
            "change": AdjustmentKind.STANDARD_CHANGE.value,
            "reason": "Seeded for the disbursement benchmark",
        },
    )
    return cursor.rowcount
