"""Generating a month's disbursement batches: one batch per district, one line per active monthly cash
entitlement, paying the month's amount plus every adjustment pending at the batch's cut-off.

Exactly once, by construction: a line's number is its month and its entitlement (relief.models.money), so the
primary key allows one line per (entitlement, month); a chunk first marks the
pending adjustments of the entitlements that get a line in it (``paid_month``), then inserts those lines with
the sum of what it marked, all in one transaction; an entitlement that already has its line is skipped by both
steps. A rerun after a crash therefore adds only what is missing, and every line's adjustment equals the
adjustments it pays.

A recovery larger than the month's amount pays nothing this month and carries the rest into the next batch.
"""

from datetime import date

from django.utils import timezone
from django.utils.translation import gettext as _

from civic.jobs import JobWork
from civic.models import LEVEL_DIGITS, Region
from civic.months import month_bounds
from relief import figures
from relief.models import AdjustmentKind, Batch, BatchState, EntitlementStatus, LineStatus
from relief.models.money import LINE_MONTH_FACTOR, month_prefix

from . import sql
from .sql import ADJUSTMENT, BATCH, ENTITLEMENT, LINE, PAID_MONTHLY


def _payable(region):
    """WHERE clause over alias e: the entitlements a batch pays, in `region`'s subtree."""
    return (
        f"e.status = '{EntitlementStatus.ACTIVE.value}' AND e.programme IN {sql.in_list(PAID_MONTHLY)} "
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


def chunk_settings(month):
    """For the rest of the chunk's transaction (PostgreSQL): no JIT compilation (the planner's cost for a chunk
    is high enough to trigger it, and compiling takes longer than it saves); no wait for the commit's flush to disk
    (a chunk's lines and the job's cursor commit together, so a commit lost in a database crash is simply done
    again when the job resumes); and one writer at a time for the month's lines, whichever job writes them."""
    if sql.postgres():
        sql.run("SET LOCAL jit = off")
        sql.run("SET LOCAL synchronous_commit = off")
        sql.run("SELECT pg_advisory_xact_lock(%s)", [month_prefix(month) // LINE_MONTH_FACTOR])


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
        # One draft batch per district of the region that has anything to pay (each district's entitlements are
        # one range of the region index); a batch made by an earlier run is kept with its cut-off, so a resumed
        # run pays exactly the adjustments the first one would have.
        sql.run(
            f"""
            INSERT INTO {BATCH} (region_id, month, state, cutoff_at, line_count, amount_total, adjustment_total,
                                 total, created_by_id, created_at)
            SELECT r.code, %s, %s, %s, 0, 0, 0, 0, CAST(%s AS BIGINT), %s
            FROM {sql.REGION} r
            WHERE r.level = 'district' AND r.code LIKE %s
              AND EXISTS (SELECT 1 FROM {ENTITLEMENT} e
                          WHERE e.region_id >= r.code AND e.region_id <= SUBSTR(r.code, 1, 6) || '999999'
                            AND {where})
            ON CONFLICT (region_id, month) DO NOTHING
            """,
            [start, BatchState.DRAFT, now, job.params.get("by"), now, params[-1], *params],
        )
        return sql.rows(f"SELECT COUNT(*), COALESCE(MAX(e.id), 0) FROM {ENTITLEMENT} e WHERE {where}", params)[0]

    def chunk(self, job, low, high):
        region, start, end, where, params = self._setup(job)
        chunk_settings(start)
        prefix = month_prefix(start)
        within = region.code[: LEVEL_DIGITS[region.level]]
        drafts = dict(
            Batch.objects.filter(month=start, state=BatchState.DRAFT, region__code__startswith=within).values_list(
                "region_id", "pk"
            )
        )
        if not drafts:
            return 0  # every district's batch of the month is approved already: nothing may be added
        # The district's draft batch, written out (a handful of districts) rather than joined for every row.
        district = "SUBSTR(e.region_id, 1, 6)"
        batch_of = (
            f"CASE {district} "
            + " ".join(f"WHEN '{code[:6]}' THEN {pk}" for code, pk in sorted(drafts.items()))
            + " END"
        )
        # e's line this month, looked up within the chunk's own range of line numbers (so the planner never
        # reads the month's other lines, which grow as the run goes on).
        has_line = f"SELECT 1 FROM {LINE} l WHERE l.id = %s + e.id AND l.id > %s AND l.id <= %s"
        line_params = [prefix, prefix + low, prefix + high]
        in_drafts = f"{district} IN ({', '.join(repr(code[:6]) for code in sorted(drafts))})"
        # Mark the adjustments this month's lines will pay: those recorded up to their batch's cut-off, of the
        # chunk's entitlements that get their line now (payable, in a draft batch, no line yet for the month: the
        # line's number is known, so that is one key lookup). Driven by the chunk's pending adjustments, which
        # are few.
        sql.run(
            f"""
            UPDATE {ADJUSTMENT} SET paid_month = %s
            FROM {ENTITLEMENT} e JOIN {BATCH} b ON b.region_id = {_district()} AND b.month = %s
                                               AND b.state = '{BatchState.DRAFT.value}'
            WHERE {ADJUSTMENT}.entitlement_id = e.id AND {ADJUSTMENT}.paid_month IS NULL AND {ADJUSTMENT}.amount <> 0
              AND {ADJUSTMENT}.entitlement_id > %s AND {ADJUSTMENT}.entitlement_id <= %s
              AND {ADJUSTMENT}.created_at <= b.cutoff_at AND {where}
              AND NOT EXISTS ({has_line})
            """,
            [start, start, low, high, *params, *line_params],
        )
        # One pass over the chunk's id range: each payable entitlement of a draft batch gets its line, numbered
        # from the month and the entitlement, paying the month's amount plus what was just marked for it (summed
        # once per chunk). A line already there is left alone by ON CONFLICT on the primary key (a check before
        # inserting would let the planner read the month's growing lines for every chunk).
        inserted = sql.run(
            f"""
            INSERT INTO {LINE} (id, batch_id, entitlement_id, month, region_id, household_id, payee_id, programme,
                                covered_members, amount, adjustment, total, account, status, failure_reason,
                                attempts)
            SELECT %s + e.id, {batch_of}, e.id, %s, e.region_id, e.household_id, e.payee_id, e.programme,
                   e.covered_count, e.amount,
                   {sql.greatest("e.amount + COALESCE(p.due, 0)", "0")} - e.amount,
                   {sql.greatest("e.amount + COALESCE(p.due, 0)", "0")}, e.account, %s, '', 1
            FROM {ENTITLEMENT} e
            LEFT JOIN (SELECT a.entitlement_id, SUM(a.amount) AS due FROM {ADJUSTMENT} a
                       WHERE a.paid_month = %s AND a.entitlement_id > %s AND a.entitlement_id <= %s
                       GROUP BY a.entitlement_id) p ON p.entitlement_id = e.id
            WHERE e.id > %s AND e.id <= %s AND {where} AND {in_drafts}
            ON CONFLICT (id) DO NOTHING
            """,
            [prefix, start, LineStatus.PENDING, start, low, high, low, high, *params],
        )
        recovering = sql.rows(
            f"SELECT 1 FROM {ADJUSTMENT} WHERE paid_month = %s AND entitlement_id > %s AND entitlement_id <= %s "
            "AND amount < 0 LIMIT 1",
            [start, low, high],
        )
        if recovering:
            self._carry_recoveries(start, low, high)
        return inserted

    def _carry_recoveries(self, start, low, high):
        """A recovery bigger than the month's amount: this month pays nothing and the rest waits for the next."""
        sql.run(
            f"""
            INSERT INTO {ADJUSTMENT} (entitlement_id, kind, amount, months, reason, source_line_id, created_at)
            SELECT l.entitlement_id, %s, l.amount + y.adjusted, 0, %s, l.id, %s
            FROM {LINE} l
            JOIN (SELECT a.entitlement_id, SUM(a.amount) AS adjusted FROM {ADJUSTMENT} a
                  WHERE a.paid_month = %s AND a.entitlement_id > %s AND a.entitlement_id <= %s
                  GROUP BY a.entitlement_id) y ON l.id = %s + y.entitlement_id
            WHERE l.total = 0 AND l.amount + y.adjusted < 0
              AND NOT EXISTS (SELECT 1 FROM {ADJUSTMENT} c WHERE c.source_line_id = l.id)
            """,
            [
                AdjustmentKind.CARRIED_OVER,
                _("Recovery continued from the previous month"),
                timezone.now(),
                start,
                low,
                high,
                month_prefix(start),
            ],
        )

    def finish(self, job):
        region, start, end, where, params = self._setup(job)
        totals_for(start, region)
        batches = Batch.objects.filter(month=start, region__code__startswith=region.code[: LEVEL_DIGITS[region.level]])
        figures.batches_changed(batches)
        return {
            "batches": batches.count(),
            "lines": sum(b.line_count for b in batches),
            "total": str(sum((b.total for b in batches), 0)),
        }


def totals_for(month, region):
    """Write each draft batch's line count and totals from its lines: one grouped pass over the month's key range."""
    prefix = region.code[: LEVEL_DIGITS[region.level]] + "%"
    first = month_prefix(month)
    drafts = f"{BATCH}.month = %s AND {BATCH}.state = %s AND {BATCH}.region_id LIKE %s"
    sql.run(
        f"""
        UPDATE {BATCH} SET line_count = t.n, amount_total = t.amount, adjustment_total = t.adjustment, total = t.total
        FROM (SELECT l.batch_id, COUNT(*) AS n, SUM(l.amount) AS amount, SUM(l.adjustment) AS adjustment,
                     SUM(l.total) AS total
              FROM {LINE} l WHERE l.id >= %s AND l.id < %s GROUP BY l.batch_id) t
        WHERE {BATCH}.id = t.batch_id AND {drafts}
        """,
        [first, first + LINE_MONTH_FACTOR, month, BatchState.DRAFT, prefix],
    )
    sql.run(f"UPDATE {BATCH} SET generated_at = %s WHERE {drafts}", [timezone.now(), month, BatchState.DRAFT, prefix])
