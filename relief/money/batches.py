"""Generating a month's disbursement batches: one batch per district, one line per active monthly cash
entitlement, paying the month's amount plus every adjustment pending at the batch's cut-off.

Exactly once, by construction: the database allows one line per (entitlement, month); a chunk first marks the
pending adjustments of the entitlements that get a line in it (``paid_month``), then inserts those lines with
the sum of what it marked, all in one transaction; an entitlement that already has its line is skipped by both
steps. A rerun after a crash therefore adds only what is missing, and every line's adjustment equals the
adjustments it pays.

A recovery larger than the month's amount pays nothing this month and carries the rest into the next batch.
"""

from datetime import date, timedelta

from django.utils import timezone
from django.utils.translation import gettext as _

from civic.jobs import JobWork
from civic.models import LEVEL_DIGITS, Region
from relief.models import AdjustmentKind, Batch, BatchState, EntitlementStatus, LineStatus

from . import sql
from .sql import ADJUSTMENT, BATCH, ENTITLEMENT, LINE, MONTHLY_CASH, RESIDENT


def month_bounds(month):
    start = date(month.year, month.month, 1)
    following = (start + timedelta(days=32)).replace(day=1)
    return start, following - timedelta(days=1)


def _payable(region):
    """WHERE clause over alias e: the entitlements a batch pays, in `region`'s subtree."""
    return (
        f"e.status = '{EntitlementStatus.ACTIVE.value}' AND e.programme IN {sql.in_list(MONTHLY_CASH)} "
        "AND e.starts_on <= %s AND (e.ends_on IS NULL OR e.ends_on >= %s) AND e.region_id LIKE %s"
    ), lambda start, end: [end, start, region.code[: LEVEL_DIGITS[region.level]] + "%"]


def _district(alias="e"):
    return sql.level_code(f"{alias}.region_id", "district")


def without_jit():
    """For the rest of the chunk's transaction (PostgreSQL): no JIT compilation. The planner's cost for a chunk's
    per-row lookups is high enough to trigger it, and compiling takes longer (several hundred milliseconds)
    than the chunk's own work saves."""
    if sql.postgres():
        sql.run("SET LOCAL jit = off")


def _whole():
    """Keeps a subquery from being merged into the query around it (PostgreSQL), so that its columns are worked
    out once per row however often the outer query uses them."""
    return " OFFSET 0" if sql.postgres() else ""


class BatchWork(JobWork):
    """params: {"region": code, "month": "YYYY-MM-01", "by": user id or None}."""

    def _setup(self, job):
        region = Region.objects.get(pk=job.params["region"])
        start, end = month_bounds(date.fromisoformat(job.params["month"]))
        where, params = _payable(region)
        return region, start, end, where, params(start, end)

    def prepare(self, job):
        region, start, end, where, params = self._setup(job)
        now = timezone.now()
        # One draft batch per district that has anything to pay; a batch made by an earlier run is kept with its
        # cut-off, so a resumed run pays exactly the adjustments the first one would have.
        sql.run(
            f"""
            INSERT INTO {BATCH} (region_id, month, state, cutoff_at, line_count, amount_total, adjustment_total,
                                 total, created_by_id, created_at)
            SELECT DISTINCT {_district()}, %s, %s, %s, 0, 0, 0, 0, CAST(%s AS BIGINT), %s
            FROM {ENTITLEMENT} e WHERE {where}
            ON CONFLICT (region_id, month) DO NOTHING
            """,
            [start, BatchState.DRAFT, now, job.params.get("by"), now, *params],
        )
        return sql.rows(f"SELECT COUNT(*), COALESCE(MAX(e.id), 0) FROM {ENTITLEMENT} e WHERE {where}", params)[0]

    def chunk(self, job, low, high):
        region, start, end, where, params = self._setup(job)
        without_jit()
        # The cut-off of the draft batch that pays entitlement `alias`.id this month; NULL when it is not payable
        # or its district's batch is no longer a draft.
        cutoff = f"""
            (SELECT b.cutoff_at FROM {ENTITLEMENT} e
             JOIN {BATCH} b ON b.region_id = {_district()} AND b.month = %s AND b.state = '{BatchState.DRAFT.value}'
             WHERE e.id = {ADJUSTMENT}.entitlement_id AND {where})
        """
        # Mark the adjustments this month's lines will pay: those recorded up to the cut-off, of the chunk's
        # entitlements that get their line now (payable, batch still a draft, no line yet for the month).
        # Driven by the chunk's pending adjustments, which are few.
        sql.run(
            f"""
            UPDATE {ADJUSTMENT} SET paid_month = %s
            WHERE paid_month IS NULL AND amount <> 0 AND entitlement_id > %s AND entitlement_id <= %s
              AND created_at <= {cutoff}
              AND NOT EXISTS (SELECT 1 FROM {LINE} l WHERE l.entitlement_id = {ADJUSTMENT}.entitlement_id
                              AND l.month = %s)
            """,
            [start, low, high, start, *params, start],
        )
        # One pass over the chunk's id range: each payable entitlement of a draft batch gets its line, paying the
        # month's amount plus what was just marked for it. An entitlement that has its line already is left to
        # ON CONFLICT (checked on the unique index, so no scan of the lines is needed). The inner query is kept
        # whole (OFFSET 0 on PostgreSQL) so that the sum of adjustments is worked out once per entitlement.
        inserted = sql.run(
            f"""
            INSERT INTO {LINE} (batch_id, entitlement_id, month, region_id, household_id, payee_id, programme,
                                household_size, covered_members, amount, adjustment, total, account, status,
                                failure_reason, attempts)
            SELECT s.batch_id, s.id, %s, s.region_id, s.household_id, s.payee_id, s.programme, s.size,
                   s.covered_count, s.amount, {sql.greatest("s.due", "0")} - s.amount,
                   {sql.greatest("s.due", "0")}, s.account, %s, '', 1
            FROM (SELECT b.id AS batch_id, e.id, e.region_id, e.household_id, e.payee_id, e.programme,
                         e.covered_count, e.amount, e.account,
                         (SELECT COUNT(*) FROM {RESIDENT} r WHERE r.household_id = e.household_id) AS size,
                         e.amount + COALESCE((SELECT SUM(a.amount) FROM {ADJUSTMENT} a
                                              WHERE a.entitlement_id = e.id AND a.paid_month = %s), 0) AS due
                  FROM {ENTITLEMENT} e
                  JOIN {BATCH} b ON b.region_id = {_district()} AND b.month = %s
                                AND b.state = '{BatchState.DRAFT.value}'
                  WHERE e.id > %s AND e.id <= %s AND {where}{_whole()}) s
            WHERE 1 = 1  -- SQLite reads an ON after a bare subquery as a join: the WHERE keeps it an upsert
            ON CONFLICT (entitlement_id, month) DO NOTHING
            """,
            [start, LineStatus.PENDING, start, start, low, high, *params],
        )
        # A recovery bigger than the month's amount: this month pays nothing and the rest waits for the next.
        sql.run(
            f"""
            INSERT INTO {ADJUSTMENT} (entitlement_id, kind, amount, months, reason, source_line_id, created_at)
            SELECT l.entitlement_id, %s, l.amount + y.adjusted, 0, %s, l.id, %s
            FROM {LINE} l
            JOIN (SELECT a.entitlement_id, SUM(a.amount) AS adjusted FROM {ADJUSTMENT} a
                  WHERE a.paid_month = %s AND a.entitlement_id > %s AND a.entitlement_id <= %s
                  GROUP BY a.entitlement_id) y ON y.entitlement_id = l.entitlement_id
            WHERE l.month = %s AND l.entitlement_id > %s AND l.entitlement_id <= %s AND l.total = 0
              AND l.amount + y.adjusted < 0
              AND NOT EXISTS (SELECT 1 FROM {ADJUSTMENT} c WHERE c.source_line_id = l.id)
            """,
            [
                AdjustmentKind.CARRIED_OVER,
                _("Recovery continued from the previous month"),
                timezone.now(),
                start,
                low,
                high,
                start,
                low,
                high,
            ],
        )
        return inserted

    def finish(self, job):
        region, start, end, where, params = self._setup(job)
        totals_for(start, region)
        batches = Batch.objects.filter(month=start, region__code__startswith=region.code[: LEVEL_DIGITS[region.level]])
        return {
            "batches": batches.count(),
            "lines": sum(b.line_count for b in batches),
            "total": str(sum((b.total for b in batches), 0)),
        }


def totals_for(month, region):
    """Write each draft batch's line count and totals from its lines (set-based)."""
    prefix = region.code[: LEVEL_DIGITS[region.level]] + "%"
    now = timezone.now()
    # One pass over each batch's lines for the four figures.
    sql.run(
        f"""
        UPDATE {BATCH} SET
            (line_count, amount_total, adjustment_total, total) = (
                SELECT COUNT(*), COALESCE(SUM(l.amount), 0), COALESCE(SUM(l.adjustment), 0), COALESCE(SUM(l.total), 0)
                FROM {LINE} l WHERE l.batch_id = {BATCH}.id),
            generated_at = %s
        WHERE month = %s AND state = %s AND region_id LIKE %s
        """,
        [now, month, BatchState.DRAFT, prefix],
    )
