"""Batch generation survives a worker killed mid-way: real Celery workers take the job from Redis, the first is
killed with SIGKILL during the run, a second resumes the same job after its cursor, and every payable benefit
ends with exactly one line, every pending adjustment paid once, and batch totals equal to their lines."""

import os
import signal
import subprocess
import sys
import time
from collections import defaultdict
from datetime import date
from decimal import Decimal
from pathlib import Path

import pytest
from django.conf import settings as django_settings
from django.db import connection
from django.db.models import Count, Max, Sum
from django.utils import timezone

from civic.jobs import is_stale
from civic.models import Job, JobState, Region
from civic.roles import Role
from relief.models import Adjustment, Batch, BatchLine, Entitlement, ReliefPolicy
from relief.money.seeding import entitlements_seed
from relief.services import disbursement
from tests.conftest import set_eager

ROOT = Path(__file__).resolve().parents[2]
CITY = "440400000000"
HOUSEHOLDS = 4000
CHUNK = 200  # 20 chunks
pytestmark = pytest.mark.services


def database_url():
    db = connection.settings_dict
    assert db["ENGINE"].endswith("postgresql"), "the worker tests need PostgreSQL: run them with `make test`"
    return f"postgres://{db['USER']}@{db['HOST']}:{db['PORT']}/{db['NAME']}"


def wait_for(condition, seconds=20, every=0.05):
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if condition():
            return True
        time.sleep(every)
    return False


@pytest.fixture
def workers(transactional_db, tmp_path):
    """Start real workers (`start(name)`), each logging to a file; all are stopped at the end."""
    assert django_settings.CELERY_BROKER_URL, "the worker tests need Redis: run them with `make test`"
    env = dict(
        os.environ,
        DATABASE_URL=database_url(),
        CELERY_BROKER_URL=django_settings.CELERY_BROKER_URL,
        JOB_CHUNK_SIZE=str(CHUNK),
        JOB_CHUNK_PAUSE_SECONDS="0.1",
    )
    started = []

    def start(name):
        log = open(tmp_path / f"{name}.log", "w")  # noqa: SIM115 - closed when the worker is stopped
        proc = subprocess.Popen(
            [sys.executable, "-m", "celery", "-A", "civic", "worker", "--pool=solo", "--loglevel=INFO",
             "--without-gossip", "--without-mingle", "--without-heartbeat", "-n", f"{name}-{os.getpid()}@%h"],
            cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT,
        )  # fmt: skip
        started.append((name, proc, log))
        return proc

    set_eager(False)
    try:
        yield start
    finally:
        for name, proc, log in started:
            if proc.poll() is None:
                proc.terminate()
                try:
                    proc.wait(timeout=20)
                except subprocess.TimeoutExpired:
                    proc.kill()
                    proc.wait()
            log.close()
            print(f"--- worker {name}\n{(tmp_path / f'{name}.log').read_text()}")  # shown when the test fails


@pytest.fixture
def population(regions):
    """4,000 benefits in the demo communities, one in ten with an adjustment waiting; a few not payable."""
    policy = ReliefPolicy.objects.create(
        state="published",
        region_id=CITY,
        area="urban",
        effective_from=date(2020, 1, 1),
        name="标准1221",
        dibao_standard=Decimal("1221"),
        applied_at=timezone.now(),
    )
    communities = Region.objects.filter(level="community").order_by("code").values_list("code", flat=True)
    added = entitlements_seed(HOUSEHOLDS, policy=policy, communities=list(communities), pending_every=10)
    assert added["entitlements"] == HOUSEHOLDS and added["adjustments"] == HOUSEHOLDS // 10
    ids = list(Entitlement.objects.order_by("id").values_list("id", flat=True))
    Entitlement.objects.filter(id__in=ids[5::97]).update(status="suspended")
    Entitlement.objects.filter(id__in=ids[7::89]).update(starts_on=date(timezone.localdate().year + 1, 1, 1))
    payable = set(
        Entitlement.objects.filter(status="active", starts_on__lte=timezone.localdate()).values_list("id", flat=True)
    )
    assert 3800 < len(payable) < HOUSEHOLDS
    return payable


def other_backends(before=frozenset()):
    """Connections to the test database other than this one and those open `before` (the workers')."""
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT pid, backend_xid IS NOT NULL FROM pg_stat_activity "
            "WHERE datname = current_database() AND pid <> pg_backend_pid()"
        )
        return [(pid, writing) for pid, writing in cursor.fetchall() if pid not in before]


def test_a_worker_killed_mid_batch_is_resumed_by_another_and_pays_everything_exactly_once(
    workers, population, staff_factory, settings
):
    manager = staff_factory(Role.CITY_MANAGER, CITY, username="mgr-worker")
    month = timezone.localdate().replace(day=1)
    pending = dict(Adjustment.objects.values_list("id", "entitlement_id"))
    before = frozenset(pid for pid, _writing in other_backends())  # other tests' connections, not the workers'
    first = workers("first")

    job = disbursement.batch_generate(actor=manager, region_code=CITY, month=month)  # sent through Redis
    assert wait_for(lambda: Job.objects.get(pk=job.pk).done >= 3 * CHUNK, seconds=30), "the first worker never started"
    # Kill it while it writes a chunk, if we catch one (a backend with a transaction id), else between two.
    mid_chunk = wait_for(lambda: any(writing for _pid, writing in other_backends(before)), seconds=2, every=0.001)
    os.kill(first.pid, signal.SIGKILL)
    first.wait(timeout=10)
    assert wait_for(lambda: not other_backends(before)), "the killed worker's connection stayed open"

    # Left partly done: only whole chunks, up to the job's cursor; the chunk it was in was rolled back.
    job.refresh_from_db()
    print(f"killed {'in' if mid_chunk else 'between'} chunks, {job.done} lines done, cursor at {job.cursor}")
    last_id = max(population)
    assert job.state == JobState.RUNNING and 0 < job.cursor < last_id
    lines = BatchLine.objects.filter(month=month)
    assert 0 < lines.count() == job.done < len(population)
    assert lines.aggregate(m=Max("entitlement_id"))["m"] <= job.cursor
    assert not Adjustment.objects.filter(paid_month=month, entitlement_id__gt=job.cursor).exists()

    # A second worker; the manager starts the run again once the first is taken for dead: the same job resumes.
    settings.JOB_STALE_SECONDS = 1
    workers("second")
    assert wait_for(lambda: is_stale(Job.objects.get(pk=job.pk)), seconds=5)
    again = disbursement.batch_generate(actor=manager, region_code=CITY, month=month)
    assert again.pk == job.pk
    assert wait_for(lambda: Job.objects.get(pk=job.pk).state == JobState.DONE, seconds=30), "the job did not finish"

    job.refresh_from_db()
    # Exactly one line per payable benefit, none for the others.
    per_entitlement = dict(lines.values("entitlement_id").annotate(n=Count("id")).values_list("entitlement_id", "n"))
    assert set(per_entitlement) == population and set(per_entitlement.values()) == {1}
    assert job.done == len(population) == job.total == job.result["lines"]

    # Every adjustment pending at the cut-off is paid once, by its benefit's line; those of benefits not paid wait.
    paid = Adjustment.objects.filter(pk__in=pending)
    assert set(paid.filter(paid_month=month).values_list("entitlement_id", flat=True)) == {
        e for e in pending.values() if e in population
    }
    assert not paid.filter(paid_month__isnull=True, entitlement_id__in=population).exists()
    assert not paid.exclude(paid_month=month).exclude(paid_month__isnull=True).exists()
    owed = defaultdict(Decimal)
    for entitlement_id, amount in paid.filter(paid_month=month).values_list("entitlement_id", "amount"):
        owed[entitlement_id] += amount
    carried = dict(Adjustment.objects.filter(source_line__isnull=False).values_list("source_line_id", "amount"))
    assert carried, "some recovery was larger than a month's amount"
    for line in lines:
        # What the line pays on top of the month: the adjustments marked for it, less a recovery's rest that the
        # next month carries (its own adjustment, not yet paid).
        assert line.adjustment == owed.get(line.entitlement_id, 0) - carried.get(line.pk, 0), line
        assert line.total == line.amount + line.adjustment >= 0
    assert Adjustment.objects.filter(source_line__isnull=False, paid_month__isnull=True).count() == len(carried)

    # Batch totals equal their lines to the fen.
    for batch in Batch.objects.filter(month=month):
        sums = lines.filter(batch=batch).aggregate(
            n=Count("id"), amount=Sum("amount"), adjustment=Sum("adjustment"), total=Sum("total")
        )
        assert (batch.line_count, batch.amount_total, batch.adjustment_total, batch.total) == (
            sums["n"],
            sums["amount"],
            sums["adjustment"],
            sums["total"],
        )
    assert sum(b.line_count for b in Batch.objects.filter(month=month)) == len(population)
