"""A real worker process takes real tasks from Redis and writes to PostgreSQL."""

import os
import subprocess
import sys
import time
from datetime import timedelta
from pathlib import Path

import pytest
import redis
from django.conf import settings
from django.db import connection, transaction
from django.utils import timezone

from civic.celery import app as celery_app
from civic.models import IdempotencyRecord
from civic.tasks import purge_idempotency_keys
from tests.conftest import set_eager

ROOT = Path(__file__).resolve().parents[2]
pytestmark = pytest.mark.services


def database_url():
    db = connection.settings_dict
    assert db["ENGINE"].endswith("postgresql"), "the worker tests need PostgreSQL: run them with `make test`"
    return f"postgres://{db['USER']}@{db['HOST']}:{db['PORT']}/{db['NAME']}"


@pytest.fixture
def worker(transactional_db):
    assert settings.CELERY_BROKER_URL, "the worker tests need Redis: run them with `make test`"
    env = dict(os.environ, DATABASE_URL=database_url(), CELERY_BROKER_URL=settings.CELERY_BROKER_URL)
    proc = subprocess.Popen(
        [sys.executable, "-m", "celery", "-A", "civic", "worker", "--pool=solo", "--loglevel=INFO",
         "--without-gossip", "--without-mingle", "--without-heartbeat", "-n", f"test-{os.getpid()}@%h"],
        cwd=ROOT, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
    )  # fmt: skip
    set_eager(False)
    try:
        yield proc
    finally:
        proc.terminate()
        try:
            output, _ = proc.communicate(timeout=20)
        except subprocess.TimeoutExpired:
            proc.kill()
            output, _ = proc.communicate()
        print(output)  # shown by pytest when the test fails


def old_and_new_records():
    for key in ("old-1", "old-2", "new-1"):
        IdempotencyRecord.objects.create(owner="u:1", key=key, request_hash="h", status_code=201)
    stale = timezone.now() - timedelta(hours=settings.IDEMPOTENCY_KEY_TTL_HOURS + 1)
    IdempotencyRecord.objects.filter(key__startswith="old").update(created_at=stale)


def wait_for(condition, seconds=45):
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if condition():
            return True
        time.sleep(0.2)
    return False


def test_worker_takes_a_task_from_redis_and_writes_to_postgres(worker):
    old_and_new_records()
    purge_idempotency_keys.delay()
    assert wait_for(lambda: not IdempotencyRecord.objects.filter(key__startswith="old").exists())
    assert list(IdempotencyRecord.objects.values_list("key", flat=True)) == ["new-1"]


def test_a_task_enqueued_in_a_transaction_is_sent_only_on_commit(worker):
    old_and_new_records()
    broker = redis.Redis.from_url(settings.CELERY_BROKER_URL)
    queue = settings.CELERY_TASK_DEFAULT_QUEUE
    with transaction.atomic():
        purge_idempotency_keys.delay_on_commit()
        assert broker.llen(queue) == 0  # nothing reaches the broker before the commit
    assert wait_for(lambda: not IdempotencyRecord.objects.filter(key__startswith="old").exists())


def test_the_beat_schedule_is_declared_once_and_names_real_tasks():
    celery_app.loader.import_default_modules()
    schedule = celery_app.conf.beat_schedule
    assert schedule, "the beat schedule is empty"
    for entry in schedule.values():
        assert entry["task"] in celery_app.tasks, entry["task"]
