"""Household search at scale: server time of the search page and the API, per kind of query.

Run by `make bench` after the demo population is loaded. Prints p50/p95 per query kind; the target is
a p95 under 300 ms of server time for every kind, for a city manager (whole city) and a caseworker."""

import os
import random
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "civic.settings")

import django

django.setup()

from django.test import Client  # noqa: E402

from civic.models import Household, Resident, User  # noqa: E402

TARGET_MS = 300
ROUNDS = 40


def timed(client, url, params):
    started = time.perf_counter()
    response = client.get(url, params)
    elapsed = (time.perf_counter() - started) * 1000
    assert response.status_code == 200, (url, params, response.status_code)
    return elapsed


def main():
    rng = random.Random(7)
    residents = list(Resident.objects.order_by("?").values_list("name", "id_number", "phone")[:ROUNDS])
    addresses = list(Household.objects.order_by("?").values_list("address", flat=True)[:ROUNDS])
    queries = {
        "list, no query": [""] * ROUNDS,
        "name prefix": [name[:2] for name, _, _ in residents],
        "full name": [name for name, _, _ in residents],
        "ID number": [number for _, number, _ in residents],
        "mobile number": [phone for _, _, phone in residents if phone] or ["13800000000"],
        "address part": [a[:5] for a in addresses],
    }
    print(f"\nHousehold search: {Household.objects.count():,} households, {Resident.objects.count():,} residents")
    print(f"{'user':<12} {'endpoint':<8} {'query':<16} {'p50 ms':>8} {'p95 ms':>8}")
    worst = 0.0
    for username in ("manager", "caseworker"):
        client = Client(SERVER_NAME="127.0.0.1")
        client.force_login(User.objects.get(username=username))
        for endpoint, url in (("page", "/registry/households/"), ("api", "/api/v1/households/")):
            for kind, values in queries.items():
                samples = [timed(client, url, {"q": q} if q else {}) for q in rng.sample(values, len(values))]
                p50 = statistics.median(samples)
                p95 = statistics.quantiles(samples, n=20)[18]
                worst = max(worst, p95)
                print(f"{username:<12} {endpoint:<8} {kind:<16} {p50:8.1f} {p95:8.1f}")
    verdict = "meets" if worst <= TARGET_MS else "MISSES"
    print(f"Worst p95 {worst:.1f} ms: {verdict} the {TARGET_MS} ms target.")


if __name__ == "__main__":
    main()
