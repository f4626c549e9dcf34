"""The monitoring benchmark (manage.py bench_monitoring, run by `make bench` at a million watched people) still runs
end to end at a tiny size: it seeds its city, ingests a day of partner records through the service, runs the night
twice and prints its figures. A smoke test against rot, not a measurement (a few seconds)."""

import io
import re

import pytest
from django.core.management import call_command
from django.db import connection

from eldercare.models import CaredElder
from monitoring.models import Alert, FeedRecord, MatchStatus, MonitoredPerson
from relief.models import Entitlement

pytestmark = [pytest.mark.services, pytest.mark.django_db(transaction=True)]


def test_the_monitoring_benchmark_runs_at_a_tiny_size():
    if connection.vendor != "postgresql":
        pytest.skip("the benchmark needs PostgreSQL: run it with `make test`")
    out = io.StringIO()
    call_command("bench_monitoring", "--people=300", "--records=100", "--chunk-size=100", stdout=out)
    text = out.getvalue()

    assert 290 <= MonitoredPerson.objects.count() <= 310
    assert Entitlement.objects.filter(programme="edge").exists() and CaredElder.objects.exists()
    assert FeedRecord.objects.count() == 100
    assert FeedRecord.objects.filter(match=MatchStatus.UNMATCHED).count() >= 5
    assert not FeedRecord.objects.filter(match=MatchStatus.PENDING).exists()
    assert Alert.objects.exists() and not Alert.objects.filter(assignee__isnull=True).exists()
    for step in ("Ingest through records_receive", "First nightly run", "Second nightly run"):
        assert step in text
    assert re.search(r"^\s+all feeds\s+100 rows", text, re.MULTILINE)
    assert re.search(r"^\s+population sync\s+[\d,]+ rows in", text, re.MULTILINE)
    assert re.search(r"^\s+rule death\s+.*raised \d+", text, re.MULTILINE)
    assert re.search(r"^PASS  first nightly run: ", text, re.MULTILINE)
    assert re.search(r"^PASS  second nightly run: ", text, re.MULTILINE)
    assert "Checks (" in text and ": all correct" in text
    assert "All monitoring targets met." in text
