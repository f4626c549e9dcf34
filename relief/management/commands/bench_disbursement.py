"""The money engine at scale: seed N monthly cash entitlements, then time a month's batch generation and the
recompute of a new standard through the real job code, against a bare INSERT … SELECT of the same rows.

Run on an empty PostgreSQL database (scripts/bench.sh makes one): `manage.py bench_disbursement
--entitlements 1000000`. Prints rows/s for each step, the generation/floor ratio and the peak RSS of this
Python process, checks the results (one line per entitlement, batch totals equal to their lines, adjustments
paid once, every entitlement recomputed), and exits non-zero when a check fails or a target is missed."""

import resource
import secrets
import time
from datetime import timedelta
from decimal import Decimal

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import connection
from django.utils import timezone

from civic import demo
from civic.celery import app as celery_app
from civic.models import JobState, Region, RegionLevel
from civic.roles import Role
from civic.services import staff_create
from relief.models import Adjustment, Entitlement, PolicyState, ReliefPolicy
from relief.models.money import month_prefix
from relief.money import seeding, sql
from relief.money.sql import ADJUSTMENT, BATCH, ENTITLEMENT, LINE
from relief.services import disbursement, policies

CITY = "440400000000"
DISTRICTS = ("440402", "440403")  # the demo city's districts: their communities get the households
TARGETS = {"generation_seconds": 60, "generation_ratio": 3, "recompute_seconds": 60, "rss_mb": 500}
FLOOR_TABLE = "bench_line_floor"
KEYED_TABLE = "bench_line_keyed"
STANDARD = Decimal("1221.00")
NEW_STANDARD = Decimal("1300.00")


class Command(BaseCommand):
    help = "Time monthly batch generation and a standard's recompute over N seeded entitlements (PostgreSQL)."
    requires_system_checks = []  # only models and the database are used: pages and the API are not loaded

    def add_arguments(self, parser):
        parser.add_argument("--entitlements", type=int, default=1_000_000, metavar="N")
        parser.add_argument(
            "--pending-every",
            type=int,
            default=20,
            metavar="K",
            help="Every K-th entitlement has an adjustment waiting for the batch (0: none).",
        )
        parser.add_argument("--chunk-size", type=int, default=None, help="Rows per job chunk (JOB_CHUNK_SIZE).")

    def handle(self, *args, **options):
        if connection.vendor != "postgresql":
            raise CommandError(
                "bench_disbursement measures PostgreSQL: set DATABASE_URL to a PostgreSQL database "
                "(scripts/bench.sh provides one); the SQLite demo database is not a benchmark."
            )
        count = options["entitlements"]
        if count < 1:
            raise CommandError("--entitlements must be 1 or more.")
        if Entitlement.objects.exists():
            raise CommandError("Run it on a database without entitlements: scripts/bench.sh creates a fresh one.")
        if options["chunk_size"]:
            settings.JOB_CHUNK_SIZE = options["chunk_size"]
        settings.JOB_CHUNK_PAUSE_SECONDS = 0
        # The jobs run in this process, as a worker runs them, so that their time is measured here.
        celery_app.conf.CELERY_TASK_ALWAYS_EAGER = True
        assert celery_app.conf.task_always_eager
        started = time.perf_counter()
        version = connection.cursor().connection.server_version
        self.say(
            f"\nDisbursement at scale: {count:,} entitlements, PostgreSQL {version // 10000}.{version % 10000}, "
            f"job chunks of {settings.JOB_CHUNK_SIZE:,} rows"
        )

        drafter, publisher, policy = self.setting_up()
        self.seed(count, policy, options["pending_every"])
        month = timezone.localdate().replace(day=1)
        floor = self.floor(month)
        generation, _job = self.generation(drafter, month)
        keyed = self.keyed_floor(month)
        recompute, new_policy, simulated = self.recompute(drafter, publisher, month)
        rss_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024

        # The floor is the same rows written by one bare INSERT … SELECT into a table like the line table (its
        # primary key, which makes one line per entitlement and month, and its checks). Against a table without
        # any index the ratio is printed too: the difference is the key itself.
        ratio = generation / keyed
        self.say(
            f"Generation / floor (bare INSERT … SELECT into the line table): {ratio:.2f}×; "
            f"/ bare INSERT … SELECT into a table without any index: {generation / floor:.2f}×"
        )
        self.say(
            f"Peak RSS of this Python process: {rss_mb:.0f} MB (the work runs in PostgreSQL, whose memory is not "
            "counted here)"
        )
        problems = self.verify(count, month, new_policy, simulated)
        self.say(f"Whole run, seeding included: {time.perf_counter() - started:.1f} s")
        results = [
            ("generation", generation, TARGETS["generation_seconds"], "s"),
            ("generation / floor", ratio, TARGETS["generation_ratio"], "×"),
            ("recompute", recompute, TARGETS["recompute_seconds"], "s"),
            ("peak RSS", rss_mb, TARGETS["rss_mb"], "MB"),
        ]
        self.say("")
        for name, value, target, unit in results:
            self.say(f"{'PASS' if value <= target else 'FAIL'}  {name}: {value:.2f} {unit} (target ≤ {target} {unit})")
        for problem in problems:
            self.say(f"FAIL  check: {problem}")
        if problems or any(value > target for _name, value, target, _unit in results):
            raise CommandError("The disbursement benchmark missed its targets.")
        self.say("All disbursement targets met.")

    def say(self, text=""):
        self.stdout.write(text)
        self.stdout.flush()

    def timing(self, label, rows, seconds, extra=""):
        self.say(f"{label:<44}{rows:>11,} rows in {seconds:7.2f} s = {rows / seconds:>9,.0f} rows/s{extra}")

    # ------------------------------------------------------------------------------------------------ set-up

    def setting_up(self):
        """The demo regions, two city managers (one drafts, the other publishes) and the city's standard."""
        demo.regions_load()
        users = []
        for name in ("drafter", "publisher"):
            users.append(
                staff_create(
                    username=f"bench-{name}-{secrets.token_hex(3)}",
                    password=secrets.token_urlsafe(16) + "aA1!",
                    role=Role.CITY_MANAGER,
                    region_code=CITY,
                )
            )
        policy = (
            ReliefPolicy.objects.filter(region_id=CITY, area="urban", state=PolicyState.PUBLISHED)
            .order_by("-effective_from")
            .first()
        )
        if policy is None:
            today = timezone.localdate()
            policy = ReliefPolicy.objects.create(
                region_id=CITY,
                area="urban",
                effective_from=today.replace(year=today.year - 3, month=1, day=1),
                name="珠海市城乡最低生活保障标准",
                dibao_standard=STANDARD,
                state=PolicyState.PUBLISHED,
                created_by=users[0],
                published_by=users[1],
                published_at=timezone.now(),
                applied_at=timezone.now(),
            )
        return users[0], users[1], policy

    def seed(self, count, policy, pending_every):
        communities = list(
            Region.objects.filter(level=RegionLevel.COMMUNITY, code__regex=rf"^({'|'.join(DISTRICTS)})")
            .order_by("code")
            .values_list("code", flat=True)
        )
        begun = time.perf_counter()
        added = seeding.entitlements_seed(count, policy=policy, communities=communities, pending_every=pending_every)
        seeded = time.perf_counter() - begun
        begun = time.perf_counter()
        with connection.cursor() as cursor:
            cursor.execute("VACUUM ANALYZE")
        analysed = time.perf_counter() - begun
        self.say(
            f"Seeded {added['households']:,} households ({added['residents']:,} residents) in {len(communities)} "
            f"communities, {added['entitlements']:,} entitlements and {added['adjustments']:,} pending adjustments "
            f"in {seeded:.1f} s; VACUUM ANALYZE {analysed:.1f} s"
        )

    # ----------------------------------------------------------------------------------------------- timings

    def floor(self, month):
        """For reference: the same rows written by one bare INSERT … SELECT into a plain table shaped like the batch
        lines, without any index or constraint."""
        with connection.cursor() as cursor:
            cursor.execute(f"DROP TABLE IF EXISTS {FLOOR_TABLE}")
            cursor.execute(f"CREATE TABLE {FLOOR_TABLE} (LIKE {LINE})")
        seconds, rows = self._copy_lines(FLOOR_TABLE, month, batch="0")
        with connection.cursor() as cursor:
            cursor.execute(f"DROP TABLE {FLOOR_TABLE}")
        self.timing("Bare INSERT … SELECT, table without any index", rows, seconds)
        return seconds

    def keyed_floor(self, month):
        """The floor: the same bare INSERT … SELECT into a copy of the line table with its primary key and checks,
        what writing these rows costs whatever code fills the table."""
        with connection.cursor() as cursor:
            cursor.execute(f"DROP TABLE IF EXISTS {KEYED_TABLE}")
            cursor.execute(f"CREATE TABLE {KEYED_TABLE} (LIKE {LINE} INCLUDING ALL)")
            cursor.execute(
                "SELECT pg_get_constraintdef(oid) FROM pg_constraint WHERE conrelid = %s::regclass AND contype = 'f'",
                [LINE],
            )
            for (definition,) in cursor.fetchall():
                cursor.execute(f"ALTER TABLE {KEYED_TABLE} ADD {definition}")
        seconds, rows = self._copy_lines(KEYED_TABLE, month, batch=f"(SELECT MIN(id) FROM {BATCH})")
        with connection.cursor() as cursor:
            cursor.execute(f"DROP TABLE {KEYED_TABLE}")
        self.timing("Floor: bare INSERT … SELECT into the line table", rows, seconds)
        return seconds

    def _copy_lines(self, table, month, batch):
        begun = time.perf_counter()
        rows = sql.run(
            f"""
            INSERT INTO {table} (id, batch_id, entitlement_id, month, region_id, household_id, payee_id, programme,
                                 covered_members, amount, adjustment, total, account, status, failure_reason,
                                 attempts)
            SELECT %s + e.id, {batch}, e.id, %s, e.region_id, e.household_id, e.payee_id, e.programme,
                   e.covered_count, e.amount, 0, e.amount, e.account, 'pending', '', 1
            FROM {ENTITLEMENT} e WHERE e.status = 'active'
            """,
            [month_prefix(month), month],
        )
        return time.perf_counter() - begun, rows

    def generation(self, actor, month):
        """The month's batches for the city, through the service and its job, run in this process."""
        begun = time.perf_counter()
        job = disbursement.batch_generate(actor=actor, region_code=CITY, month=month)
        seconds = time.perf_counter() - begun
        job.refresh_from_db()
        if job.state != JobState.DONE:
            raise CommandError(f"Batch generation ended {job.state}: {job.error}")
        total = Decimal(job.result.get("total", 0))
        extra = f"  ({job.result.get('batches')} batches, {total:,.2f} yuan)"
        self.timing("Batch generation (job)", job.result.get("lines", 0), seconds, extra)
        return seconds, job

    def recompute(self, drafter, publisher, month):
        """A new standard from last month, drafted and simulated by one manager and published by the other; the
        publication runs the recompute job, with back-pay for this month's lines."""
        policy = policies.policy_draft(
            actor=drafter,
            region_code=CITY,
            area="urban",
            effective_from=(month - timedelta(days=1)).replace(day=1),
            name="珠海市最低生活保障标准调整",
            dibao_standard=NEW_STANDARD,
        )
        begun = time.perf_counter()
        policy = policies.policy_simulate(actor=drafter, policy=policy)
        simulated = policy.simulation["totals"]
        self.say(
            f"{'Simulation of the new standard':<44}{simulated['entitlements']:>11,} rows in "
            f"{time.perf_counter() - begun:7.2f} s  ({simulated['changed']:,} would change)"
        )
        begun = time.perf_counter()
        policy, job = policies.policy_publish(actor=publisher, policy=policy)
        seconds = time.perf_counter() - begun
        job.refresh_from_db()
        if job.state != JobState.DONE:
            raise CommandError(f"The recompute ended {job.state}: {job.error}")
        back_pay = Decimal(job.result.get("back_pay"))
        extra = f"  ({job.result.get('changed'):,} changed, back-pay {back_pay:,.2f} yuan)"
        self.timing("Recompute of the standard (publish + job)", job.done, seconds, extra)
        return seconds, policy, simulated

    # ------------------------------------------------------------------------------------------------ checks

    def verify(self, count, month, policy, simulated):
        problems = []
        lines, paid = sql.rows(
            f"SELECT COUNT(*), COUNT(DISTINCT entitlement_id) FROM {LINE} WHERE month = %s", [month]
        )[0]
        missing = sql.rows(
            f"SELECT COUNT(*) FROM {ENTITLEMENT} e "
            f"WHERE NOT EXISTS (SELECT 1 FROM {LINE} l WHERE l.entitlement_id = e.id AND l.month = %s)",
            [month],
        )[0][0]
        if not lines == paid == count or missing:
            problems.append(f"{lines:,} lines for {paid:,} of {count:,} entitlements; {missing:,} without a line")
        wrong_batches = sql.rows(
            f"""
            SELECT COUNT(*) FROM {BATCH} b
            LEFT JOIN (SELECT batch_id, COUNT(*) AS n, SUM(amount) AS amount, SUM(adjustment) AS adjustment,
                              SUM(total) AS total
                       FROM {LINE} WHERE month = %s GROUP BY batch_id) s ON s.batch_id = b.id
            WHERE b.month = %s AND (b.line_count <> COALESCE(s.n, 0) OR b.amount_total <> COALESCE(s.amount, 0)
                  OR b.adjustment_total <> COALESCE(s.adjustment, 0) OR b.total <> COALESCE(s.total, 0))
            """,
            [month, month],
        )[0][0]
        if wrong_batches:
            problems.append(f"{wrong_batches} batches whose totals differ from the sum of their lines")
        # Each line's adjustment is what it pays: the adjustments marked for its month, less a recovery's rest
        # carried over to the next month.
        mismatched = sql.rows(
            f"""
            SELECT COUNT(*) FROM {LINE} l
            LEFT JOIN (SELECT entitlement_id, SUM(amount) AS paid FROM {ADJUSTMENT} WHERE paid_month = %s
                       GROUP BY entitlement_id) p ON p.entitlement_id = l.entitlement_id
            LEFT JOIN {ADJUSTMENT} c ON c.source_line_id = l.id
            WHERE l.month = %s AND (l.adjustment <> COALESCE(p.paid, 0) - COALESCE(c.amount, 0)
                                    OR l.total <> l.amount + l.adjustment)
            """,
            [month, month],
        )[0][0]
        if mismatched:
            problems.append(f"{mismatched:,} lines whose adjustment is not the sum of the adjustments they pay")
        # Adjustments waiting before the batch (not the rests it carried over, not the new standard's back-pay).
        unpaid = Adjustment.objects.filter(paid_month__isnull=True, source_line__isnull=True, policy__isnull=True)
        if unpaid.exists():
            problems.append(f"{unpaid.count():,} adjustments pending at the cut-off left unpaid")
        recomputed = Entitlement.objects.filter(policy=policy).count()
        changes = Adjustment.objects.filter(policy=policy).count()
        if recomputed != count or changes != simulated["changed"]:
            problems.append(
                f"recompute: {recomputed:,} entitlements under the new standard, {changes:,} adjustments for "
                f"{simulated['changed']:,} changes simulated"
            )
        verdict = "all correct" if not problems else f"{len(problems)} problems"
        self.say(f"Checks (one line per entitlement, totals to the fen, adjustments paid once, recompute): {verdict}")
        return problems
