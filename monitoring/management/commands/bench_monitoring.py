"""Low-income population monitoring at scale: seed a city of N watched people (residents covered by live dibao,
特困 and edge benefits, special-hardship elders, edge families' income, a few conflicts, batch lines), draw a day of
M partner records across the feeds, then time (a) their ingest through monitoring.services.ingest.records_receive
in batches of 1000 as a partner holding every feed's scope, and (b) the nightly run (monitoring.nightly: matching,
then per chunk of resident ids the population sync and every rule, then the statuses and figures), twice: the
first night watches everyone (a million INSERTs), the second is a steady-state night that must raise nothing new.

Run on an empty PostgreSQL database (scripts/bench.sh makes one, civic_monitoring): `manage.py bench_monitoring
--people 1000000 --records 100000`. Prints each step's time and rows, the warnings raised per rule, checks the
results and exits non-zero when a night misses the target (--target-seconds, 300)."""

import secrets
import time
from collections import defaultdict
from contextlib import contextmanager
from datetime import date
from decimal import Decimal

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import connection
from django.db.models import Count
from django.utils import timezone

from civic import demo
from civic.api.authentication import PartnerPrincipal
from civic.celery import app as celery_app
from civic.jobs import job_run
from civic.models import ApiToken, Job, JobState, Region, RegionLevel, Resident
from monitoring import detection, nightly, seeding
from monitoring.feeds import FEEDS
from monitoring.models import Alert, FeedRecord, MatchStatus, MonitoredPerson, RuleCode, WatchStatus
from monitoring.services import ingest
from relief.models import Entitlement, PolicyState, ReliefPolicy

CITY = "440400000000"
STANDARD = Decimal("1221.00")
BATCH = ingest.MAX_RECORDS


class Timer:
    """Seconds, calls and rows per step of a night, summed over the chunks."""

    def __init__(self):
        self.seconds = defaultdict(float)
        self.rows = defaultdict(int)
        self.calls = defaultdict(int)

    def wrap(self, name, function, label=None):
        def timed(*args, **kwargs):
            step = label(*args, **kwargs) if label else name
            begun = time.perf_counter()
            result = function(*args, **kwargs)
            self.seconds[step] += time.perf_counter() - begun
            self.calls[step] += 1
            rows = result[0] if isinstance(result, tuple) else result
            self.rows[step] += rows if isinstance(rows, int) else 0
            return result

        return timed


@contextmanager
def timed_night(timer):
    """The nightly run's steps timed where nightly.py calls them."""
    saved = {
        (nightly, "match_pending"): nightly.match_pending,
        (detection, "population_sync"): detection.population_sync,
        (detection, "run_rule"): detection.run_rule,
        (detection, "person_statuses"): detection.person_statuses,
    }
    nightly.match_pending = timer.wrap("matching (prepare)", nightly.match_pending)
    detection.population_sync = timer.wrap("population sync", detection.population_sync)
    detection.run_rule = timer.wrap("rule", detection.run_rule, label=lambda rule, *a, **k: f"rule {rule.code}")
    detection.person_statuses = timer.wrap("person statuses (finish)", detection.person_statuses)
    try:
        yield timer
    finally:
        for (module, name), function in saved.items():
            setattr(module, name, function)


class Command(BaseCommand):
    help = "Time the monitoring ingest and nightly run over N watched people and M partner records (PostgreSQL)."
    requires_system_checks = []

    def add_arguments(self, parser):
        parser.add_argument("--people", type=int, default=1_000_000, metavar="N")
        parser.add_argument("--records", type=int, default=100_000, metavar="M")
        parser.add_argument("--chunk-size", type=int, default=None, help="Resident ids per job chunk (JOB_CHUNK_SIZE).")
        parser.add_argument("--target-seconds", type=float, default=300, help="Target for each nightly run.")

    def handle(self, *args, **options):
        if connection.vendor != "postgresql":
            raise CommandError(
                "bench_monitoring measures PostgreSQL: set DATABASE_URL to a PostgreSQL database "
                "(scripts/bench.sh provides one)."
            )
        people, count = options["people"], options["records"]
        if people < 1 or count < 1:
            raise CommandError("--people and --records must be 1 or more.")
        if Resident.objects.exists() or Entitlement.objects.exists():
            raise CommandError("Run it on an empty database: scripts/bench.sh creates a fresh one.")
        if options["chunk_size"]:
            settings.JOB_CHUNK_SIZE = options["chunk_size"]
        settings.JOB_CHUNK_PAUSE_SECONDS = 0
        # The figure refreshes the night asks for run in this process, so their time is measured here.
        celery_app.conf.CELERY_TASK_ALWAYS_EAGER = True
        target = options["target_seconds"]
        started = time.perf_counter()
        version = connection.cursor().connection.server_version
        self.say(
            f"\nMonitoring at scale: {people:,} watched people, {count:,} partner records of a day, "
            f"PostgreSQL {version // 10000}.{version % 10000}, job chunks of {settings.JOB_CHUNK_SIZE:,} resident ids"
        )
        today = timezone.localdate()
        communities = self.setting_up(today)
        self.seed(people, communities, today)
        records = self.records(count, today)
        self.ingest(records)

        first = self.night("First nightly run (everyone watched for the first time)", today)
        watched = MonitoredPerson.objects.exclude(status=WatchStatus.ENDED).count()
        raised = Alert.objects.count()
        second = self.night("Second nightly run, same day (steady state: nothing new)", today)
        problems = self.verify(first, second, raised)
        self.say(f"Watched after the first night: {watched:,} people; warnings: {raised:,}")
        self.say(f"Whole run, seeding included: {time.perf_counter() - started:.1f} s")
        self.say("")
        results = [("first nightly run", first["seconds"]), ("second nightly run", second["seconds"])]
        for name, seconds in results:
            verdict = "PASS" if seconds <= target else "FAIL"
            self.say(f"{verdict}  {name}: {seconds:.1f} s (target ≤ {target:.0f} s)")
        for problem in problems:
            self.say(f"FAIL  check: {problem}")
        if problems or any(seconds > target for _name, seconds in results):
            raise CommandError("The monitoring benchmark missed its targets.")
        self.say("All monitoring targets met.")

    def say(self, text=""):
        self.stdout.write(text)
        self.stdout.flush()

    def line(self, label, rows, seconds, extra=""):
        rate = f" = {rows / seconds:>9,.0f} rows/s" if seconds > 0 and rows else ""
        self.say(f"  {label:<42}{rows:>11,} rows in {seconds:7.2f} s{rate}{extra}")

    # ------------------------------------------------------------------------------------------------ set-up

    def setting_up(self, today):
        """The demo regions, a caseworker in each community, the city's dibao standard (urban and rural)."""
        demo.regions_load()
        communities = list(
            Region.objects.filter(level=RegionLevel.COMMUNITY, code__startswith=CITY[:4])
            .order_by("code")
            .values_list("code", flat=True)
        )
        seeding.caseworkers_ensure(communities, secrets.token_urlsafe(16) + "aA1!")
        for area in ("urban", "rural"):
            ReliefPolicy.objects.get_or_create(
                region_id=CITY,
                area=area,
                effective_from=date(today.year - 3, 1, 1),
                defaults={
                    "name": "珠海市城乡最低生活保障标准",
                    "dibao_standard": STANDARD,
                    "state": PolicyState.PUBLISHED,
                    "published_at": timezone.now(),
                },
            )
        return communities

    def seed(self, people, communities, today):
        from civic.models import User

        policy = ReliefPolicy.objects.get(region_id=CITY, area="urban")
        visitor = User.objects.filter(region_id=communities[0], role="caseworker").order_by("pk").first()
        begun = time.perf_counter()
        added = seeding.population_seed(people, policy=policy, communities=communities, visitor=visitor, today=today)
        seeded = time.perf_counter() - begun
        begun = time.perf_counter()
        with connection.cursor() as cursor:
            cursor.execute("VACUUM ANALYZE")
        analysed = time.perf_counter() - begun
        self.say(
            f"Seeded {added['residents']:,} residents in {added['households']:,} households of {len(communities)} "
            f"communities, {added['entitlements']:,} benefits ({added['edge']:,} edge families with "
            f"{added['applications']:,} applications and {added['incomes']:,} income items), {added['members']:,} "
            f"covered members, {added['elders']:,} special-hardship elders ({added['visits']:,} visited), "
            f"{added['lines']:,} batch lines in {seeded:.1f} s; VACUUM ANALYZE {analysed:.1f} s"
        )

    def records(self, count, today):
        begun = time.perf_counter()
        records = seeding.day_records(count, today=today)
        per_feed = ", ".join(f"{feed} {len(rows):,}" for feed, rows in records.items())
        self.say(f"Drew {count:,} records of the day ({per_feed}) in {time.perf_counter() - begun:.1f} s")
        return records

    # ----------------------------------------------------------------------------------------------- timings

    def ingest(self, records):
        raw, key_hash, hint = ApiToken.generate()
        token = ApiToken.objects.create(
            name="bench partner",
            key_hash=key_hash,
            key_hint=hint,
            scopes=[f.scope for f in FEEDS.values()],
            region_id=CITY,
        )
        sender = PartnerPrincipal(token)
        self.say(f"\nIngest through records_receive, batches of {BATCH:,} (one partner holding every feed's scope):")
        total = {"received": 0, "new": 0, "matched": 0, "unmatched": 0}
        batches, slowest, begun = 0, 0.0, time.perf_counter()
        for feed, rows in records.items():
            feed_begun, matched = time.perf_counter(), 0
            for start in range(0, len(rows), BATCH):
                batch_begun = time.perf_counter()
                result = ingest.records_receive(sender=sender, feed_kind=feed, records=rows[start : start + BATCH])
                slowest = max(slowest, time.perf_counter() - batch_begun)
                batches += 1
                matched += result["matched"]
                for key in total:
                    total[key] += result[key]
            self.line(feed, len(rows), time.perf_counter() - feed_begun, f"  ({matched:,} matched)")
        seconds = time.perf_counter() - begun
        self.line(
            "all feeds",
            total["received"],
            seconds,
            f"  ({batches} batches, slowest {slowest * 1000:.0f} ms; {total['new']:,} new, {total['matched']:,} "
            f"matched, {total['unmatched']:,} unmatched)",
        )
        # Sending the same day again stores nothing (one batch per feed, timed for the record).
        begun = time.perf_counter()
        repeated = sum(
            ingest.records_receive(sender=sender, feed_kind=feed, records=rows[:BATCH])["repeated"]
            for feed, rows in records.items()
        )
        self.line("replay of one batch per feed", repeated, time.perf_counter() - begun, "  (all repeated)")
        begun = time.perf_counter()
        with connection.cursor() as cursor:
            cursor.execute(f"ANALYZE {FeedRecord._meta.db_table}")
        self.say(
            f"  ANALYZE of the feed records (what autovacuum does after the day's inserts): "
            f"{time.perf_counter() - begun:.1f} s"
        )
        self.ingest_total = total

    def night(self, title, today):
        timer = Timer()
        self.say(f"\n{title}:")
        begun = time.perf_counter()
        with timed_night(timer):
            job = self.run_night(today)
        seconds = time.perf_counter() - begun
        job.refresh_from_db()
        if job.state != JobState.DONE:
            raise CommandError(f"The nightly run ended {job.state}: {job.error}")
        raised = (job.result or {}).get("raised", {})
        for step in sorted(timer.seconds, key=lambda s: (not s.startswith("matching"), s.startswith("person"), s)):
            calls = timer.calls[step]
            code = step.removeprefix("rule ")
            extra = f"  ({calls} calls)" if calls > 1 else ""
            if step.startswith("rule "):
                extra += f"  raised {raised.get(code, 0):,}"
            self.line(step, timer.rows[step], timer.seconds[step], extra)
        measured = sum(timer.seconds.values())
        self.line("other (job bookkeeping, figures refresh)", 0, seconds - measured)
        self.say(f"  {'whole night':<42}{'':>11}      in {seconds:7.2f} s  ({job.total:,} resident ids)")
        return {"seconds": seconds, "raised": raised, "job": job}

    def run_night(self, today):
        """The job nightly_start queues, run to the end in this process as the worker runs it."""
        key = f"{nightly.KIND}:{today.isoformat()}"
        job = Job.objects.create(
            kind=nightly.KIND,
            key=key,
            region=Region.objects.filter(parent=None).order_by("code").first(),
            params={"today": today.isoformat()},
        )
        job_run(job.pk, nightly.NightlyWork())
        return job

    # ------------------------------------------------------------------------------------------------ checks

    def verify(self, first, second, raised):
        problems = []
        if any(second["raised"].get(code, 0) for code in RuleCode.values):
            problems.append(f"the second night raised warnings again: {second['raised']}")
        if Alert.objects.count() != raised:
            problems.append(f"{Alert.objects.count() - raised} warnings added by the second night")
        per_rule = dict(Alert.objects.values_list("rule").annotate(n=Count("pk")).values_list("rule", "n"))
        counted = {code: n for code, n in first["raised"].items() if n}
        if per_rule != counted:
            problems.append(f"warnings per rule {per_rule} differ from what the night counted {counted}")
        if Alert.objects.filter(assignee__isnull=True).exists():
            problems.append("warnings without a caseworker")
        pending = FeedRecord.objects.filter(match=MatchStatus.PENDING).count()
        if pending:
            problems.append(f"{pending:,} records still pending after the night")
        watched = MonitoredPerson.objects.exclude(status=WatchStatus.ENDED).count()
        covered = Entitlement.members.through.objects.values("resident_id").distinct().count()
        if watched != covered:
            problems.append(f"{watched:,} people watched, {covered:,} covered by a live benefit")
        verdict = "all correct" if not problems else f"{len(problems)} problems"
        self.say(
            "\nChecks (second night raises nothing, warnings counted per rule, every warning assigned, every record "
            f"matched or unmatched, everyone covered watched): {verdict}"
        )
        return problems
