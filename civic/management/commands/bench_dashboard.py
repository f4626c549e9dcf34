"""The managers' dashboard at scale: seed a city of N households with N monthly benefits, M meal records over the
trend's thirteen months and a few thousand relief applications, refresh every registered figure source, then time
the dashboard page at every level of the region tree against the target (p95 ≤ 300 ms of server time).

Run on an empty PostgreSQL database (scripts/bench.sh makes one, civic_dashboard): `manage.py bench_dashboard
--households 1000000 --meals 10000000`. Works with whatever sources and panels the apps register
(civic.figures.sources(), civic.dashboard.panels_for()). Prints the time of each seeding step, the nightly refresh
per source, a single-community refresh per source (what a write costs), then a table of page timings (p50, p95,
max, queries per page) and exits non-zero when a page misses the target. `--measure-only` skips the seeding and
measures again on a database it seeded before (to try an index or a source's SQL without seeding for 15 minutes).

Everything is seeded set-based (INSERT … SELECT over generate_series, in slices): households, residents and
benefits by relief.money.seeding.entitlements_seed; meal halls (one per street), their menus, enrolled elderly and
their meals by this command. Meal n of a day picks a distinct (elder, meal type) slot of that day through a
permutation of the slots, so the one-meal-per-resident-hall-day-and-type constraint holds by construction."""

import gc
import math
import secrets
import statistics
import time
from datetime import timedelta
from decimal import Decimal

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import connection, transaction
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from civic import dashboard, demo, figures
from civic.celery import app as celery_app
from civic.models import Figure, Household, Region, RegionLevel, Resident, User
from civic.months import add_months
from civic.roles import Role
from civic.services import staff_create
from eldercare.models import Enrolment, HallMenu, Meal, MealHall, MealPolicy, MealTier
from relief.models import Application, PolicyState, ReliefPolicy
from relief.money import seeding

CITY = "440400000000"
# The first generated district: the approver's, drilled down to its first street and that street's hall community.
BENCH_DISTRICT = "440411000000"
TARGET_MS = 300
STANDARD = Decimal("1221.00")
MEAL_SLICE = 1_000_000  # meal rows per transaction
HISTORY_MONTHS = figures.HISTORY_MONTHS
REGION = Region._meta.db_table
HALL = MealHall._meta.db_table
MENU = HallMenu._meta.db_table
ENROLMENT = Enrolment._meta.db_table
MEAL = Meal._meta.db_table
APPLICATION = Application._meta.db_table
HOUSEHOLD = Household._meta.db_table
RESIDENT = Resident._meta.db_table
ELDERS = "bench_dashboard_elder"  # a temporary table: the enrolled elderly, numbered 0 … E-1
# (index, meal type, time of day, price): the halls' menu. Shares per tier: (elder pays, city, district); the
# street pays the rest of the price (at least 1 yuan for every meal and tier).
MEALS = (
    (0, "breakfast", "07:00", Decimal("8.00")),
    (1, "lunch", "11:30", Decimal("15.00")),
    (2, "dinner", "17:00", Decimal("12.00")),
)
TIERS = (
    ("low_income", Decimal("2.00"), Decimal("3.00"), Decimal("2.00")),
    ("age_80", Decimal("3.00"), Decimal("2.00"), Decimal("1.00")),
    ("age_60", Decimal("5.00"), Decimal("1.00"), Decimal("1.00")),
)
MEALS_PER_ELDER_DAY = 1.5  # how many meals an enrolled elder eats on average: sets how many are enrolled
# Relief applications by status, weighted towards the open ones the pipeline panel shows.
APPLICATION_STATUSES = ("accepted", "accepted", "investigating", "investigating", "notice", "deciding",
                        "approved", "approved", "refused")  # fmt: skip


def percentile(values, share):
    """Nearest-rank percentile: the smallest value with at least `share` of the values at or below it."""
    ordered = sorted(values)
    return ordered[max(0, math.ceil(share * len(ordered)) - 1)]


class Command(BaseCommand):
    help = "Seed a city at scale and time the managers' dashboard at every level (PostgreSQL)."
    requires_system_checks = []

    def add_arguments(self, parser):
        parser.add_argument(
            "--households", type=int, default=1_000_000, metavar="N", help="Households, each with one benefit."
        )
        parser.add_argument("--meals", type=int, default=10_000_000, metavar="M", help="Meal records over 13 months.")
        parser.add_argument("--applications", type=int, default=5_000, metavar="K", help="Relief applications.")
        parser.add_argument("--districts", type=int, default=10, help="Generated districts (besides the demo's two).")
        parser.add_argument("--streets", type=int, default=10, help="Generated streets per district.")
        parser.add_argument("--communities", type=int, default=20, help="Generated communities per street.")
        parser.add_argument("--requests", type=int, default=40, help="Timed requests per page.")
        parser.add_argument("--warmup", type=int, default=3, help="Untimed requests per page first.")
        parser.add_argument("--target-ms", type=float, default=TARGET_MS, help="The p95 each page must meet.")
        parser.add_argument(
            "--measure-only",
            action="store_true",
            help="Skip the seeding: refresh and time the pages again on a database this command seeded before.",
        )

    def handle(self, *args, **options):
        if connection.vendor != "postgresql":
            raise CommandError(
                "bench_dashboard measures PostgreSQL: set DATABASE_URL to a PostgreSQL database "
                "(scripts/bench.sh provides one); the SQLite demo database is not a benchmark."
            )
        for name in ("households", "requests"):
            if options[name] < 1:
                raise CommandError(f"--{name} must be 1 or more.")
        if not 1 <= options["districts"] <= 80 or not 1 <= options["streets"] <= 999:
            raise CommandError("--districts must be 1 to 80 and --streets 1 to 999.")
        if not 1 <= options["communities"] <= 999:
            raise CommandError("--communities must be 1 to 999.")
        seeded = Household.objects.exists() or Meal.objects.exists()
        if seeded and not options["measure_only"]:
            raise CommandError("Run it on an empty database: scripts/bench.sh creates a fresh one (civic_dashboard).")
        if options["measure_only"] and not seeded:
            raise CommandError("--measure-only needs a database this command has seeded before.")
        # Writes that refresh figures do it in this process (no worker is running); the seeding itself is raw SQL.
        celery_app.conf.CELERY_TASK_ALWAYS_EAGER = True
        if "testserver" not in settings.ALLOWED_HOSTS:
            settings.ALLOWED_HOSTS = [*settings.ALLOWED_HOSTS, "testserver"]
        self.target_ms = options["target_ms"]
        started = time.perf_counter()
        version = connection.cursor().connection.server_version
        self.say(
            f"\nDashboard at scale: {Household.objects.count() if seeded else options['households']:,} households, "
            f"{Meal.objects.count() if seeded else options['meals']:,} meals, "
            f"PostgreSQL {version // 10000}.{version % 10000}, sources: {', '.join(figures.sources()) or 'none'}"
        )

        if options["measure_only"]:
            manager, approver, district = self.bench_users()
        else:
            manager, approver, district = self.setting_up(options)
            communities = self.communities()
            self.seed_households(options["households"], communities)
            self.seed_meals(options["meals"], manager)
            self.seed_applications(options["applications"], manager, approver)
            self.step("VACUUM ANALYZE", lambda: self.vacuum())
            self.say(f"Seeding done in {time.perf_counter() - started:.1f} s\n")

        self.refresh_everything()
        street, community = self.sample_regions(district)
        self.refresh_one_community(community)
        results = self.pages(manager, approver, district, street, community, options)
        results.append(self.export(manager, options))
        self.report(results)
        self.say(f"Whole run: {time.perf_counter() - started:.1f} s")
        failed = [r for r in results if r["p95"] > self.target_ms]
        if failed:
            raise CommandError(
                f"{len(failed)} of {len(results)} dashboard requests missed p95 ≤ {self.target_ms:.0f} ms: "
                + ", ".join(r["label"] for r in failed)
            )
        self.say(f"All dashboard pages met p95 ≤ {self.target_ms:.0f} ms.")

    # ------------------------------------------------------------------------------------------------ output

    def say(self, text=""):
        self.stdout.write(text)
        self.stdout.flush()

    def step(self, label, work):
        begun = time.perf_counter()
        result = work()
        seconds = time.perf_counter() - begun
        rows = f"{result:>12,} rows " if isinstance(result, int) else " " * 18
        rate = f" = {result / seconds:>9,.0f} rows/s" if isinstance(result, int) and seconds > 0 else ""
        self.say(f"{label:<46}{rows}in {seconds:7.2f} s{rate}")
        return result

    def vacuum(self):
        with connection.cursor() as cursor:
            # VACUUM cannot run inside a transaction (the smoke test's): ANALYZE is what the planner needs.
            cursor.execute("ANALYZE" if connection.in_atomic_block else "VACUUM ANALYZE")

    # ------------------------------------------------------------------------------------------------ set-up

    def setting_up(self, options):
        """The demo regions and generated districts, streets and communities; a city manager, a district
        approver and the city's published relief standard."""
        demo.regions_load()
        self.step("Regions (generated, set-based)", lambda: self.regions(options))
        district = Region.objects.get(code=BENCH_DISTRICT)
        password = secrets.token_urlsafe(16) + "aA1!"
        tag = secrets.token_hex(3)
        manager = staff_create(
            username=f"bench-manager-{tag}", password=password, role=Role.CITY_MANAGER, region_code=CITY
        )
        approver = staff_create(
            username=f"bench-approver-{tag}", password=password, role=Role.DISTRICT_APPROVER, region_code=district.code
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
                created_by=manager,
                published_by=manager,
                published_at=timezone.now(),
                applied_at=timezone.now(),
            )
        self.policy = policy
        return manager, approver, district

    def bench_users(self):
        """The city manager and district approver of an earlier run (--measure-only)."""
        manager = User.objects.filter(username__startswith="bench-manager-").order_by("-pk").first()
        approver = User.objects.filter(username__startswith="bench-approver-").order_by("-pk").first()
        if manager is None or approver is None:
            raise CommandError("--measure-only: no bench-manager-… or bench-approver-… account in this database.")
        return manager, approver, approver.region

    def regions(self, options):
        """Districts 440411… under the city, each with its streets and their communities, in three statements."""
        params = {
            "city": CITY,
            "districts": options["districts"],
            "streets": options["streets"],
            "communities": options["communities"],
        }
        district = "'4404' || lpad((10 + d)::text, 2, '0')"
        street = f"{district} || lpad(s::text, 3, '0')"
        added = 0
        with transaction.atomic(), connection.cursor() as cursor:
            cursor.execute(
                f"""
                INSERT INTO {REGION} (code, name, level, parent_id, is_rural)
                SELECT {district} || '000000', '基准' || d || '区', 'district', %(city)s, false
                FROM generate_series(1, %(districts)s) d
                """,
                params,
            )
            added += cursor.rowcount
            cursor.execute(
                f"""
                INSERT INTO {REGION} (code, name, level, parent_id, is_rural)
                SELECT {street} || '000', '基准' || d || '区第' || s || '街道', 'street', {district} || '000000',
                       s %% 5 = 0
                FROM generate_series(1, %(districts)s) d, generate_series(1, %(streets)s) s
                """,
                params,
            )
            added += cursor.rowcount
            cursor.execute(
                f"""
                INSERT INTO {REGION} (code, name, level, parent_id, is_rural)
                SELECT {street} || lpad(c::text, 3, '0'), '基准' || d || '区' || s || '街第' || c || '社区',
                       'community', {street} || '000', s %% 5 = 0
                FROM generate_series(1, %(districts)s) d, generate_series(1, %(streets)s) s,
                     generate_series(1, %(communities)s) c
                """,
                params,
            )
            added += cursor.rowcount
        return added

    def communities(self):
        return list(
            Region.objects.filter(level=RegionLevel.COMMUNITY, code__startswith=CITY[:4])
            .order_by("code")
            .values_list("code", flat=True)
        )

    def sample_regions(self, district):
        """The district's first street, and that street's community with the meal hall (the busiest)."""
        street = Region.objects.filter(parent=district).order_by("code").first()
        hall = MealHall.objects.filter(region__parent=street).order_by("region_id").first()
        community = hall.region if hall else Region.objects.filter(parent=street).order_by("code").first()
        return street, community

    # ---------------------------------------------------------------------------------------------- seeding

    def seed_households(self, count, communities):
        begun = time.perf_counter()
        added = seeding.entitlements_seed(count, policy=self.policy, communities=communities)
        seconds = time.perf_counter() - begun
        self.say(
            f"{'Households, residents, benefits (seeding)':<46}{added['households']:>12,} households, "
            f"{added['residents']:,} residents, {added['entitlements']:,} benefits in {len(communities):,} "
            f"communities in {seconds:7.2f} s"
        )

    def seed_meals(self, count, enrolled_by):
        """A meal hall per street (in its first community), a city meal policy with its tiers, enough enrolled
        elderly of each hall's street, and `count` meals from the first of the month twelve months back to today."""
        today = timezone.localdate()
        first_day = add_months(today.replace(day=1), -(HISTORY_MONTHS - 1))
        days = (today - first_day).days + 1
        meal_policy = MealPolicy.objects.create(
            region_id=CITY,
            effective_from=first_day.replace(year=first_day.year - 1, month=1),
            name="珠海市长者助餐补贴办法",
            meals_per_day=1,
            settlement="monthly",
        )
        MealTier.objects.bulk_create(
            MealTier(policy=meal_policy, tier=tier, elder_pays=elder, city_share=city, district_share=district)
            for tier, elder, city, district in TIERS
        )
        halls = self.step("Meal halls (one per street) and menus", self.halls)
        if count < 1:
            return
        wanted = math.ceil(count / days / MEALS_PER_ELDER_DAY)
        elders = self.step("Enrolled elderly", lambda: self.enrol(wanted, enrolled_by))
        if elders * len(MEALS) < math.ceil(count / days):
            raise CommandError(
                f"{count:,} meals over {days} days need at least {math.ceil(count / days / len(MEALS)):,} enrolled "
                f"elderly living in streets with a hall; only {elders:,} are: seed more households or fewer meals."
            )
        slots = elders * len(MEALS)
        # A multiplier prime to the number of a day's slots makes k → (k × step + offset) mod slots a permutation:
        # a day's meals take distinct (elder, meal type) slots, spread over every hall.
        step = int(slots * 0.6180339887) + 1
        while math.gcd(step, slots) != 1:
            step += 1
        days_per_slice = max(1, MEAL_SLICE * days // count)
        begun = time.perf_counter()
        written = 0
        for first in range(0, days, days_per_slice):
            with transaction.atomic(), connection.cursor() as cursor:
                cursor.execute(
                    self.meals_sql(),
                    {
                        "first_day": first_day,
                        "d0": first,
                        "d1": min(days, first + days_per_slice) - 1,
                        "count": count,
                        "days": days,
                        "step": step,
                        "slots": slots,
                        "elders": elders,
                        "policy": meal_policy.pk,
                        "tz": settings.TIME_ZONE,
                    },
                )
                written += cursor.rowcount
        seconds = time.perf_counter() - begun
        self.say(
            f"{'Meals (' + str(days) + ' days, ' + str(halls) + ' halls)':<46}{written:>12,} rows in {seconds:7.2f} s"
            f" = {written / seconds:>9,.0f} rows/s"
        )
        with connection.cursor() as cursor:
            cursor.execute(f"DROP TABLE {ELDERS}")

    def halls(self):
        with transaction.atomic(), connection.cursor() as cursor:
            cursor.execute(
                f"""
                INSERT INTO {HALL} (name, operator, address, capacity, service_hours, is_open, region_id)
                SELECT s.name || '长者饭堂', '基准长者餐饮服务中心', s.name || '幸福路1号', 150, '07:00-19:00', true,
                       MIN(c.code)
                FROM {REGION} s JOIN {REGION} c ON c.parent_id = s.code AND c.level = 'community'
                WHERE s.level = 'street' AND s.code LIKE %s
                GROUP BY s.code, s.name
                """,
                [CITY[:4] + "%"],
            )
            added = cursor.rowcount
            values = ", ".join(["(%s, %s)"] * len(MEALS))
            cursor.execute(
                f"""
                INSERT INTO {MENU} (hall_id, meal_type, price)
                SELECT h.id, t.meal_type, t.price FROM {HALL} h CROSS JOIN (VALUES {values}) t (meal_type, price)
                """,
                [value for _i, meal_type, _at, price in MEALS for value in (meal_type, price)],
            )
        return added

    def enrol(self, wanted, enrolled_by):
        """Up to `wanted` residents of streets with a hall, taken by turns from each street, numbered 0 … E-1 in
        a temporary table with their hall, tier (by resident, so that every hall serves every tier) and shares;
        each gets a meal card."""
        tiers = ", ".join(["(%s, %s, %s, %s, %s)"] * len(TIERS))
        with transaction.atomic(), connection.cursor() as cursor:
            cursor.execute(f"DROP TABLE IF EXISTS {ELDERS}")
            cursor.execute(
                f"""
                CREATE TEMPORARY TABLE {ELDERS} (
                    e integer PRIMARY KEY, resident_id bigint NOT NULL, hall_id bigint NOT NULL, tier text NOT NULL,
                    elder numeric(12, 2) NOT NULL, city numeric(12, 2) NOT NULL, district numeric(12, 2) NOT NULL)
                """
            )
            cursor.execute(
                f"""
                INSERT INTO {ELDERS} (e, resident_id, hall_id, tier, elder, city, district)
                SELECT p.e, p.resident_id, p.hall_id, t.tier, t.elder, t.city, t.district
                FROM (SELECT (row_number() OVER (ORDER BY x.turn, x.street) - 1)::int AS e, x.resident_id, x.hall_id
                      FROM (SELECT r.id AS resident_id, h.id AS hall_id, h.street,
                                   row_number() OVER (PARTITION BY h.street ORDER BY r.id) AS turn
                            FROM {RESIDENT} r
                            JOIN (SELECT id, substr(region_id, 1, 9) AS street FROM {HALL}) h
                              ON h.street = substr(r.region_id, 1, 9)) x
                      ORDER BY x.turn, x.street LIMIT %s) p
                JOIN (VALUES {tiers}) t (i, tier, elder, city, district) ON t.i = p.resident_id %% {len(TIERS)}
                """,
                [
                    wanted,
                    *(v for i, (tier, e, c, d) in enumerate(TIERS) for v in (i, tier, e, c, d)),
                ],
            )
            added = cursor.rowcount
            cursor.execute(
                f"""
                INSERT INTO {ENROLMENT} (card_number, enrolled_at, ended_on, enrolled_by_id, resident_id)
                SELECT 'ZH' || lpad(e::text, 10, '0'), %s, NULL, %s, resident_id FROM {ELDERS}
                """,
                [timezone.now() - timedelta(days=HISTORY_MONTHS * 31), enrolled_by.pk],
            )
            cursor.execute(f"ANALYZE {ELDERS}")
        return added

    def meals_sql(self):
        """Meals of days d0 … d1 (0 is the first day): day d has ⌊(d+1)·M/D⌋ − ⌊d·M/D⌋ of the M meals, its k-th in
        slot (k × step + d × 7919) mod slots, which names the elder (slot mod E) and the meal type (slot div E)."""
        menu = ", ".join(f"({i}, '{meal_type}', time '{at}', {price})" for i, meal_type, at, price in MEALS)
        return f"""
            INSERT INTO {MEAL} (served_on, meal_type, served_at, tier, price, elder_paid, city_share, district_share,
                                street_share, source, recorded_by_label, resident_id, hall_id, policy_id,
                                settlement_id)
            SELECT s.day, t.meal_type, (s.day + t.at + (el.e %% 50) * interval '1 minute') AT TIME ZONE %(tz)s,
                   el.tier, t.price, el.elder, el.city, el.district, t.price - el.elder - el.city - el.district,
                   'terminal', '长者饭堂刷卡机', el.resident_id, el.hall_id, %(policy)s, NULL
            FROM (SELECT CAST(%(first_day)s AS date) + d::int AS day,
                         (k * %(step)s + d * 7919) %% %(slots)s AS slot
                  FROM generate_series(CAST(%(d0)s AS bigint), %(d1)s) d
                  CROSS JOIN LATERAL generate_series(CAST(0 AS bigint),
                                                     (d + 1) * %(count)s / %(days)s - d * %(count)s / %(days)s - 1) k
                 ) s
            JOIN {ELDERS} el ON el.e = s.slot %% %(elders)s
            JOIN (VALUES {menu}) t (i, meal_type, at, price) ON t.i = s.slot / %(elders)s
            ORDER BY s.day, el.hall_id
        """

    def seed_applications(self, count, manager, approver):
        """Relief applications of the first households by turns in every status: open ones with their steps
        due (some overdue), decided ones with their decision."""
        count = min(count, Household.objects.count())
        if count < 1:
            return

        def insert():
            with transaction.atomic(), connection.cursor() as cursor:
                cursor.execute(
                    f"""
                    INSERT INTO {APPLICATION} (
                        programme, area, status, public_notice, accepted_at, step_due, overall_due, opinion,
                        opinion_text, notice_from, notice_until, decided_at, decision_reasons, amount, explanation,
                        accepted_by_id, accepted_in_id, decided_by_id, household_id, opinion_by_id, region_id,
                        aid_months, care_form, paid_first_at, paperwork_due, self_care_failures, district_checked,
                        account)
                    SELECT a.programme, 'urban', a.status, true, a.accepted_at,
                           CASE WHEN a.open THEN CAST(a.accepted_at AS date) + 5 + a.g %% 20 END,
                           CAST(a.accepted_at AS date) + 30,
                           CASE WHEN a.status IN ('notice', 'deciding', 'approved') THEN 'approve'
                                WHEN a.status = 'refused' THEN 'refuse' ELSE '' END,
                           '', CASE WHEN a.status = 'notice' THEN CAST(a.accepted_at AS date) + 12 END,
                           CASE WHEN a.status = 'notice' THEN CAST(a.accepted_at AS date) + 19 END,
                           CASE WHEN a.open THEN NULL ELSE a.accepted_at + interval '25 days' END,
                           CASE WHEN a.status = 'refused' THEN '家庭收入高于保障标准' ELSE '' END,
                           CASE WHEN a.status = 'approved' THEN 600 + a.g %% 7 * 50 END, '[]'::jsonb,
                           %(manager)s, a.region_id, CASE WHEN a.open THEN NULL ELSE %(approver)s END, a.id,
                           NULL, a.region_id, 1, 'dispersed', NULL, NULL, 0, false, ''
                    FROM (SELECT h.id, h.region_id, g,
                                 (%(statuses)s::text[])[1 + g %% %(n)s] AS status,
                                 (%(statuses)s::text[])[1 + g %% %(n)s] NOT IN ('approved', 'refused') AS open,
                                 CASE WHEN g %% 7 = 0 THEN 'tekun' ELSE 'dibao' END AS programme,
                                 %(now)s - (g %% 120) * interval '1 day' - (g %% 9) * interval '1 hour' AS accepted_at
                          FROM (SELECT id, region_id, CAST(row_number() OVER (ORDER BY id) AS integer) AS g
                                FROM {HOUSEHOLD} ORDER BY id LIMIT %(count)s) h) a
                    """,
                    {
                        "manager": manager.pk,
                        "approver": approver.pk,
                        "statuses": list(APPLICATION_STATUSES),
                        "n": len(APPLICATION_STATUSES),
                        "now": timezone.now(),
                        "count": count,
                    },
                )
                return cursor.rowcount

        self.step("Relief applications", insert)

    # ---------------------------------------------------------------------------------------------- figures

    def refresh_everything(self):
        """The nightly full refresh (figures.refresh_all: every source over the trend's months), source by
        source so that each one's time shows."""
        today = timezone.localdate()
        end = add_months(today.replace(day=1), 1)
        start = add_months(end, -HISTORY_MONTHS)
        self.say(
            f"Nightly refresh (figures.refresh_all: every source, {start:%Y-%m} to {add_months(end, -1):%Y-%m}, "
            "whole city)"
        )
        total = 0.0
        for name in figures.sources():
            begun = time.perf_counter()
            rows = figures.refresh(name, "", start, end, today)
            seconds = time.perf_counter() - begun
            total += seconds
            self.say(f"  {name:<44}{rows:>12,} base rows in {seconds:7.2f} s")
        base = Figure.objects.filter(rolled=False).count()
        rolled = Figure.objects.filter(rolled=True).count()
        self.say(f"  {'all sources':<44}{base:>12,} base rows, {rolled:,} rolled up, in {total:7.2f} s")
        # Autovacuum does this within a minute of a refresh that rewrote the table: done here, so that it does not
        # run during the measurements and the planner knows the table's size.
        begun = time.perf_counter()
        with connection.cursor() as cursor:
            cursor.execute(f"{'ANALYZE' if connection.in_atomic_block else 'VACUUM ANALYZE'} {Figure._meta.db_table}")
        self.say(f"  {'VACUUM ANALYZE of the figures':<44}{'':>12}           in {time.perf_counter() - begun:7.2f} s\n")

    def refresh_one_community(self, community, repeat=5):
        """What a write costs: one source refreshed for one community and this month, then rolled up (what the
        Celery task queued by a save runs), p50 and max of `repeat` runs."""
        self.say(f"After-write refresh (one community, {community.name} {community.code}, this month; {repeat} runs)")
        for name in figures.sources():
            times = []
            for _ in range(repeat):
                begun = time.perf_counter()
                figures.refresh(name, community.prefix)
                times.append((time.perf_counter() - begun) * 1000)
            self.say(f"  {name:<44}p50 {statistics.median(times):8.1f} ms   max {max(times):8.1f} ms")
        self.say("")

    # ------------------------------------------------------------------------------------------------- pages

    def pages(self, manager, approver, district, street, community, options):
        city = Region.objects.get(code=CITY)
        plan = [
            ("city manager", manager, "city", city, None),
            ("city manager", manager, "district", district, district.code),
            ("district approver", approver, "district", district, None),
            ("district approver", approver, "street", street, street.code),
            ("district approver", approver, "community", community, community.code),
        ]
        results = []
        url = reverse("dashboard")
        gc.collect()
        for who, user, level, region, code in plan:
            client = Client()
            client.force_login(user)
            params = {"region": code} if code else {}
            result = self.measure(client, url, params, options, f"{level:<9} {who:<17} {region.code}")
            body = result.pop("body")
            if region.name not in body:
                raise CommandError(f"The dashboard of {region.code} for the {who} does not show {region.name}.")
            result["tables"] = body.count('class="dashboard-table"')
            results.append(result)
        return results

    def export(self, manager, options):
        """The CSV of the first table the city manager sees, for the city."""
        view = dashboard.view_for(manager)
        built = dashboard.build(view)
        if not built:
            raise CommandError("No dashboard panel is open to a city manager: nothing to export.")
        panel, table = built[0]["panel"], built[0]["tables"][0]
        client = Client()
        client.force_login(manager)
        url = reverse("dashboard-export", args=[panel.key, table.key, "csv"])
        result = self.measure(client, url, {}, options, f"CSV export  city manager      {panel.key}/{table.key}")
        result["tables"] = 1
        result.pop("body")
        return result

    def measure(self, client, url, params, options, label):
        def get():
            response = client.get(url, params)
            if response.status_code != 200:
                raise CommandError(f"{label}: {url} {params} answered {response.status_code}.")
            return response

        for _ in range(options["warmup"]):
            get()
        times = []
        for _ in range(options["requests"]):
            begun = time.perf_counter()
            get()
            times.append((time.perf_counter() - begun) * 1000)
        with CaptureQueriesContext(connection) as queries:
            response = get()
        return {
            "label": label,
            "p50": statistics.median(times),
            "p95": percentile(times, 0.95),
            "max": max(times),
            "queries": len(queries.captured_queries),
            "bytes": len(response.content),
            "body": response.content.decode(),
        }

    def report(self, results):
        self.say(f"Dashboard requests (server time through Django's test client; p95 target ≤ {self.target_ms:.0f} ms)")
        header = f"{'level and user':<52}{'p50 ms':>8}{'p95 ms':>8}{'max ms':>8}{'queries':>9}{'tables':>8}{'KB':>7}"
        self.say(header)
        self.say("-" * (len(header) + 6))
        for r in results:
            verdict = "PASS" if r["p95"] <= self.target_ms else "FAIL"
            self.say(
                f"{r['label'][:51]:<52}{r['p50']:8.1f}{r['p95']:8.1f}{r['max']:8.1f}{r['queries']:9}{r['tables']:8}"
                f"{r['bytes'] / 1024:7.0f}  {verdict}"
            )
        self.say("")
