"""The dashboard benchmark (manage.py bench_dashboard, run by `make bench` at a million households) still runs end
to end at a tiny size: it seeds its city, refreshes every registered figure source, renders each level's page and
a CSV export, and prints the table of timings. A smoke test against rot, not a measurement (a few seconds)."""

import io
import re

import pytest
from django.core.management import call_command
from django.db import connection

from civic.models import Figure
from eldercare.models import Enrolment, Meal
from relief.models import Application, Entitlement

pytestmark = [pytest.mark.services, pytest.mark.django_db(transaction=True)]


def test_the_dashboard_benchmark_runs_at_a_tiny_size():
    if connection.vendor != "postgresql":
        pytest.skip("the benchmark needs PostgreSQL: run it with `make test`")
    out = io.StringIO()
    call_command(
        "bench_dashboard",
        "--households=200",
        "--meals=2000",
        "--applications=50",
        "--districts=2",
        "--streets=3",
        "--communities=4",
        "--requests=3",
        "--warmup=1",
        # Not a measurement at this size, on a busy test machine: the table and verdicts are what is checked.
        "--target-ms=5000",
        stdout=out,
    )
    text = out.getvalue()
    assert Entitlement.objects.count() == 200 and Application.objects.count() == 50
    assert Meal.objects.count() == 2000 and Enrolment.objects.exists()
    # Every meal's shares add up and no resident eats twice the same meal at a hall in a day (the constraints
    # held); the meals span the thirteen months of the trend.
    months = Meal.objects.dates("served_on", "month")
    assert len(months) == 13
    assert Figure.objects.filter(rolled=True, region_code="440400000000").exists()
    for level in ("city", "district", "street", "community"):
        assert re.search(rf"^{level}\s.*PASS$", text, re.MULTILINE), level
    assert re.search(r"^CSV export .*PASS$", text, re.MULTILINE)
    assert "After-write refresh" in text and "Nightly refresh" in text
    assert "All dashboard pages met" in text
    # Measured again without seeding, on the same database.
    again = io.StringIO()
    call_command("bench_dashboard", "--measure-only", "--requests=1", "--warmup=0", "--target-ms=5000", stdout=again)
    assert Meal.objects.count() == 2000 and "All dashboard pages met" in again.getvalue()
