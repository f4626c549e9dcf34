"""A new standard applied to every entitlement it governs: simulated first, then recomputed in chunks.

The entitlements a policy governs: active or suspended monthly cash benefits (dibao, 特困) in its region's
subtree, for households of its area (urban or rural), except where a more specific region (a district under a
city policy) has its own published policy in force. Each changed entitlement gets one Adjustment row (old,
new, reason, the policy) whose amount is the back-pay (or recovery) for the months already paid at the old
amount since the policy's start: every batch line of those months, whatever became of it, was worked out on
the old amount, so the difference is owed on each.
"""

from django.utils import timezone
from django.utils.translation import gettext as _

from civic.jobs import JobWork
from civic.models import LEVEL_DIGITS
from civic.months import first_of_next_month, months_between
from relief.models import AdjustmentKind, PolicyState, ReliefPolicy
from relief.models.money import month_prefix
from relief.rules import yuan

from . import sql
from .batches import without_jit
from .sql import ADJUSTMENT, ENTITLEMENT, HOUSEHOLD, LINE, MONTHLY_CASH, POLICY

LIVE = ("active", "suspended")
# Levels below each policy level whose own policy overrides it.
MORE_SPECIFIC = {"province": ("city", "district"), "city": ("district",), "district": ()}


def governed(policy, on, *, by_row=False):
    """SQL (WHERE clause over alias e, with parameters) of the entitlements `policy` governs on `on`.

    With `by_row`, for one chunk's range of ids, the household's area is looked up row by row on its primary
    key; otherwise the planner may join the whole household table, which suits a query over every entitlement
    (the simulation) but not one chunk."""
    level = policy.region.level
    household = (
        f"(SELECT h.is_rural FROM {HOUSEHOLD} h WHERE h.id = e.household_id) = %s"
        if by_row
        else f"EXISTS (SELECT 1 FROM {HOUSEHOLD} h WHERE h.id = e.household_id AND h.is_rural = %s)"
    )
    clauses = [
        f"e.status IN {sql.in_list(LIVE)}",
        f"e.programme IN {sql.in_list(MONTHLY_CASH)}",
        "e.region_id LIKE %s",
        household,
    ]
    params = [policy.region.code[: LEVEL_DIGITS[level]] + "%", policy.area == "rural"]
    below = MORE_SPECIFIC.get(level, ())
    if below:
        codes = ", ".join(sql.level_code("e.region_id", lv) for lv in below)
        clauses.append(
            f"NOT EXISTS (SELECT 1 FROM {POLICY} q WHERE q.state = %s AND q.area = %s AND q.effective_from <= %s "
            f"AND q.region_id IN ({codes}))"
        )
        params += [PolicyState.PUBLISHED, policy.area, on]
    return " AND ".join(clauses), params


def _as_of(policy):
    return max(policy.effective_from, timezone.localdate())


def months_paid_since(since):
    """SQL over alias e: the numbers of e's lines from `since` to next month (the latest a batch may pay), so the
    lines already paid are found by primary key, one lookup a month."""
    prefixes = [month_prefix(m) for m in months_between(since, first_of_next_month(timezone.localdate()))]
    if not prefixes:
        return "1 = 0"  # starts after any month a batch may pay: nothing paid yet
    return f"l.id IN ({', '.join(f'{prefix} + e.id' for prefix in prefixes)})"


def simulate(policy):
    """What publishing would do, per district: entitlements governed, how many change, the monthly total before
    and after, and the back-pay owed for months already paid. One aggregate query, nothing written."""
    where, params = governed(policy, _as_of(policy))
    new = sql.amount_under(policy.dibao_standard, policy.rounding)
    paid = months_paid_since(policy.effective_from)
    district = sql.level_code("s.region_id", "district")
    query = f"""
        SELECT {district}, COUNT(*), SUM(CASE WHEN s.new <> s.old THEN 1 ELSE 0 END), SUM(s.old), SUM(s.new),
               SUM(CASE WHEN s.new <> s.old THEN s.backpay ELSE 0 END)
        FROM (SELECT e.region_id, e.amount AS old, {new} AS new,
                     COALESCE((SELECT SUM({new} - l.amount) FROM {LINE} l WHERE {paid}), 0) AS backpay
              FROM {ENTITLEMENT} e WHERE {where}) s
        GROUP BY 1 ORDER BY 1
    """
    rows = sql.rows(query, params)
    from civic.models import Region

    names = dict(Region.objects.filter(code__in=[r[0] for r in rows]).values_list("code", "name"))
    regions = [
        {
            "region": code,
            "name": names.get(code, code),
            "entitlements": count,
            "changed": changed or 0,
            "old_total": str(sql_decimal(old)),
            "new_total": str(sql_decimal(new_total)),
            "back_pay": str(sql_decimal(back)),
        }
        for code, count, changed, old, new_total, back in rows
    ]
    totals = {key: sum(r[key] for r in regions) for key in ("entitlements", "changed")} | {
        key: str(sum((sql_decimal(r[key]) for r in regions), sql_decimal(0)))
        for key in ("old_total", "new_total", "back_pay")
    }
    return {
        "as_of": _as_of(policy).isoformat(),
        "standard": str(policy.dibao_standard),
        "regions": regions,
        "totals": totals,
    }


def sql_decimal(value):
    from decimal import Decimal

    return Decimal(str(value if value is not None else 0)).quantize(Decimal("0.01"))


class RecomputeWork(JobWork):
    """params: {"policy": id}."""

    def _policy(self, job):
        return ReliefPolicy.objects.select_related("region").get(pk=job.params["policy"])

    def prepare(self, job):
        policy = self._policy(job)
        where, params = governed(policy, _as_of(policy))
        count, last = sql.rows(f"SELECT COUNT(*), COALESCE(MAX(e.id), 0) FROM {ENTITLEMENT} e WHERE {where}", params)[0]
        return count, last

    def chunk(self, job, low, high):
        policy = self._policy(job)
        where, params = governed(policy, _as_of(policy), by_row=True)
        without_jit()
        new = sql.amount_under(policy.dibao_standard, policy.rounding)
        paid = months_paid_since(policy.effective_from)
        reason = _("New standard %(standard)s yuan from %(date)s (%(name)s)") % {
            "standard": yuan(policy.dibao_standard),
            "date": policy.effective_from.isoformat(),
            "name": policy.name,
        }
        now = timezone.now()
        # One adjustment per changed entitlement, with the back-pay for the months already paid since the start.
        sql.run(
            f"""
            INSERT INTO {ADJUSTMENT} (entitlement_id, kind, amount, old_amount, new_amount, months, reason, policy_id,
                                      created_at)
            SELECT s.id, %s, s.backpay, s.old, s.new, s.months, %s, %s, %s
            FROM (SELECT e.id, e.amount AS old, {new} AS new,
                         COALESCE((SELECT SUM({new} - l.amount) FROM {LINE} l WHERE {paid}), 0) AS backpay,
                         (SELECT COUNT(*) FROM {LINE} l WHERE {paid}) AS months
                  FROM {ENTITLEMENT} e
                  WHERE e.id > %s AND e.id <= %s AND {where}) s
            WHERE s.new <> s.old
            ON CONFLICT (entitlement_id, policy_id) WHERE policy_id IS NOT NULL DO NOTHING
            """,
            [
                AdjustmentKind.STANDARD_CHANGE,
                reason,
                policy.pk,
                now,
                low,
                high,
                *params,
            ],
        )
        # The chunk's rows updated in place, in one pass over its id range.
        return sql.run(
            f"""
            UPDATE {ENTITLEMENT} AS e SET amount = {new}, policy_id = %s
            WHERE e.id > %s AND e.id <= %s AND {where}
            """,
            [policy.pk, low, high, *params],
        )

    def finish(self, job):
        policy = self._policy(job)
        changed = policy_adjustments(policy)
        ReliefPolicy.objects.filter(pk=policy.pk).update(applied_at=timezone.now())
        return changed


def policy_adjustments(policy):
    count, back_pay = sql.rows(
        f"SELECT COUNT(*), COALESCE(SUM(amount), 0) FROM {ADJUSTMENT} WHERE policy_id = %s", [policy.pk]
    )[0]
    return {"changed": count, "back_pay": str(sql_decimal(back_pay))}
