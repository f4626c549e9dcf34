"""Subsidy adjustments, written set-based and paid by the next batch.

Price-linked (价格临时补贴): for a CPI reading, each published policy governing entitlements in the reading's
region decides by its own thresholds whether the month triggers (CPI year on year ≥ its threshold, or the food
CPI ≥ its food threshold; the higher rise when both do). Each covered person of its programmes then gets
standard × the rise, rounded by the policy, at least its local minimum. One row per (entitlement, reading).

One-off (by decision): a fixed sum per covered person or per household, for the chosen programmes in the
decision's region. One row per (entitlement, decision).
"""

from decimal import Decimal

from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from civic import access
from civic.jobs import JobWork
from civic.models import LEVEL_DIGITS
from relief.models import AdjustmentKind, CpiReading, OneOffSubsidy, PolicyState, ReliefPolicy
from relief.rules import round_money, yuan

from . import sql
from .sql import ADJUSTMENT, ENTITLEMENT

HUNDRED = Decimal("100")


def price_rise(policy, reading):
    """The rise (in percent) that triggers under `policy` for `reading`, or None."""
    rises = [reading.cpi] if reading.cpi >= policy.price_cpi_threshold else []
    if reading.food_cpi is not None and reading.food_cpi >= policy.price_food_threshold:
        rises.append(reading.food_cpi)
    return max(rises) if rises else None


def price_per_person(policy, reading):
    rise = price_rise(policy, reading)
    if rise is None:
        return None
    return max(round_money(policy.dibao_standard * rise / HUNDRED, policy.rounding), policy.price_minimum)


def _prefix(region):
    return region.code[: LEVEL_DIGITS[region.level]] + "%"


def _id_range(where, params):
    return sql.rows(f"SELECT COUNT(*), COALESCE(MAX(e.id), 0) FROM {ENTITLEMENT} e WHERE {where}", params)[0]


ACTIVE = "e.status = 'active'"


class PriceSubsidyWork(JobWork):
    """params: {"reading": id}."""

    def _triggered(self, reading):
        """(policy, per-person amount) for every published policy governing entitlements in the reading's region
        (set there, above it or inside it) whose thresholds this reading meets."""
        prefix = reading.region.code[: LEVEL_DIGITS[reading.region.level]]
        found = []
        policies = ReliefPolicy.objects.filter(state=PolicyState.PUBLISHED).filter(
            Q(region__code__startswith=prefix) | Q(region__code__in=access.ancestor_codes(prefix))
        )
        for policy in policies:
            amount = price_per_person(policy, reading)
            if amount is not None and amount > 0 and policy.price_programmes:
                found.append((policy, amount))
        return found

    def prepare(self, job):
        reading = CpiReading.objects.select_related("region").get(pk=job.params["reading"])
        ids = [p.pk for p, _amount in self._triggered(reading)] or [0]
        marks = ", ".join(["%s"] * len(ids))
        return _id_range(
            f"{ACTIVE} AND e.region_id LIKE %s AND e.policy_id IN ({marks})", [_prefix(reading.region), *ids]
        )

    def chunk(self, job, low, high):
        reading = CpiReading.objects.select_related("region").get(pk=job.params["reading"])
        done = 0
        for policy, per_person in self._triggered(reading):
            reason = _("Price-linked subsidy for %(month)s: prices up %(rise)s%%, %(amount)s yuan per person") % {
                "month": reading.month.strftime("%Y-%m"),
                "rise": price_rise(policy, reading),
                "amount": yuan(per_person),
            }
            done += sql.run(
                f"""
                INSERT INTO {ADJUSTMENT} (entitlement_id, kind, amount, months, reason, cpi_reading_id, created_at)
                SELECT e.id, %s, {sql.decimal_literal(per_person)} * e.covered_count, 0, %s, %s, %s
                FROM {ENTITLEMENT} e
                WHERE e.id > %s AND e.id <= %s AND {ACTIVE} AND e.policy_id = %s AND e.region_id LIKE %s
                  AND e.programme IN {sql.in_list(policy.price_programmes)} AND e.covered_count > 0
                ON CONFLICT (entitlement_id, cpi_reading_id) WHERE cpi_reading_id IS NOT NULL DO NOTHING
                """,
                [
                    AdjustmentKind.PRICE_SUBSIDY,
                    reason,
                    reading.pk,
                    timezone.now(),
                    low,
                    high,
                    policy.pk,
                    _prefix(reading.region),
                ],
            )
        return done

    def finish(self, job):
        return totals("cpi_reading_id", job.params["reading"])


class OneOffWork(JobWork):
    """params: {"subsidy": id}."""

    def _where(self, subsidy):
        return (
            f"{ACTIVE} AND e.region_id LIKE %s AND e.programme IN {sql.in_list(subsidy.programmes)}",
            [_prefix(subsidy.region)],
        )

    def prepare(self, job):
        subsidy = OneOffSubsidy.objects.select_related("region").get(pk=job.params["subsidy"])
        return _id_range(*self._where(subsidy))

    def chunk(self, job, low, high):
        subsidy = OneOffSubsidy.objects.select_related("region").get(pk=job.params["subsidy"])
        where, params = self._where(subsidy)
        amount = sql.decimal_literal(subsidy.amount)
        per = f"{amount} * e.covered_count" if subsidy.per_person else amount
        return sql.run(
            f"""
            INSERT INTO {ADJUSTMENT} (entitlement_id, kind, amount, months, reason, subsidy_id, created_at)
            SELECT e.id, %s, {per}, 0, %s, %s, %s
            FROM {ENTITLEMENT} e
            WHERE e.id > %s AND e.id <= %s AND {where}
            ON CONFLICT (entitlement_id, subsidy_id) WHERE subsidy_id IS NOT NULL DO NOTHING
            """,
            [AdjustmentKind.ONE_OFF_SUBSIDY, subsidy.decision, subsidy.pk, timezone.now(), low, high, *params],
        )

    def finish(self, job):
        return totals("subsidy_id", job.params["subsidy"])


def totals(column, value):
    assert column in ("cpi_reading_id", "subsidy_id")
    count, amount = sql.rows(
        f"SELECT COUNT(*), COALESCE(SUM(amount), 0) FROM {ADJUSTMENT} WHERE {column} = %s", [value]
    )[0]
    return {"adjustments": count, "amount": str(Decimal(str(amount)).quantize(Decimal("0.01")))}
