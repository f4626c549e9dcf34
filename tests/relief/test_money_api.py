"""/api/v1/relief/ money endpoints: a bank reads the payment batches and rosters of its region and returns its
results; a statistics office posts CPI readings that trigger the price-linked subsidy; a new standard is
published through the API by a second manager; background jobs are followed within the caller's region."""

import re
from decimal import Decimal

import pytest
from django.utils import timezone
from rest_framework.test import APIClient

from civic.models import ApiToken, IdReveal, Job, JobState, Resident
from civic.roles import Role
from relief.models import Adjustment, Batch, BatchLine, BatchState, CpiReading, Entitlement, LineStatus
from relief.services import disbursement
from tests.relief.money_support import CITY, QIAOGUANG, XIANGZHOU, dibao_entitlement, published_policy

D = Decimal
DOUMEN = "440403000000"
XINTANG = "440403100001"  # 斗门区 › 井岸镇 › 新堂社区 (urban)
BATCHES = "/api/v1/relief/batches/"
CPI = "/api/v1/relief/cpi-readings/"
JOBS = "/api/v1/relief/jobs/"
POLICIES = "/api/v1/relief/policies/"
MONEY = re.compile(r"^-?\d+\.\d{2}$")


def partner(scopes, region=CITY, name="珠海银行"):
    """A partner system's client, its token stored as create_partner stores one (only the hash)."""
    raw, key_hash, hint = ApiToken.generate()
    ApiToken.objects.create(name=name, key_hash=key_hash, key_hint=hint, scopes=sorted(scopes), region_id=region)
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Bearer {raw}")
    return client


def logged_in(user):
    client = APIClient()
    client.force_login(user)
    return client


def this_month():
    return timezone.localdate().replace(day=1)


@pytest.fixture
def people(staff_factory):
    return {
        "manager": staff_factory(Role.CITY_MANAGER, CITY, username="mgr1"),
        "manager2": staff_factory(Role.CITY_MANAGER, CITY, username="mgr2"),
        "approver": staff_factory(Role.DISTRICT_APPROVER, XIANGZHOU, username="xiangzhou"),
        "doumen": staff_factory(Role.DISTRICT_APPROVER, DOUMEN, username="doumen"),
        "caseworker": staff_factory(Role.CASEWORKER, QIAOGUANG, username="cw"),
    }


@pytest.fixture
def policy(regions):
    return published_policy(standard="1100")


@pytest.fixture
def families(household_factory, policy):
    """Four dibao families in 侨光 (香洲区) and one in 新堂 (斗门区)."""
    made = [
        dibao_entitlement(household_factory(QIAOGUANG, size=size), policy=policy, income=income)
        for size, income in ((3, "700"), (2, "0"), (1, "300"), (2, "100"))
    ]
    made.append(dibao_entitlement(household_factory(XINTANG, size=2), policy=policy))
    return made


@pytest.fixture
def batches(people, families, django_capture_on_commit_callbacks):
    """This month's batches: 香洲区's sent to the bank, 斗门区's still a draft."""
    with django_capture_on_commit_callbacks(execute=True):
        disbursement.batch_generate(actor=people["manager"], region_code=CITY, month=this_month())
    xiangzhou = Batch.objects.get(region_id=XIANGZHOU)
    disbursement.batch_approve(actor=people["approver"], batch=xiangzhou)
    xiangzhou = disbursement.batch_send(actor=people["approver"], batch=xiangzhou)
    return {"xiangzhou": xiangzhou, "doumen": Batch.objects.get(region_id=DOUMEN)}


def lines_of(batch):
    return list(BatchLine.objects.filter(batch=batch).order_by("pk"))


def results_url(batch):
    return f"{BATCHES}{batch.pk}/results/"


# ----------------------------------------------------------------------------------------------- batches


def test_a_bank_reads_the_batches_of_its_region_only(people, batches):
    bank = partner(["relief:bank"], region=XIANGZHOU)
    response = bank.get(BATCHES)
    assert response.status_code == 200, response.content
    [batch] = response.json()["results"]
    mine = batches["xiangzhou"]
    assert batch["id"] == mine.pk and batch["region"] == XIANGZHOU and batch["region_name"] == "香洲区"
    assert batch["state"] == "sent" and batch["month"] == this_month().isoformat()
    assert batch["line_count"] == 4 and batch["lines_by_status"] == {"pending": 4, "paid": 0, "failed": 0, "carried": 0}
    assert batch["total"] == f"{mine.total:.2f}" and MONEY.match(batch["amount_total"])
    assert batch["adjustment_total"] == "0.00" and batch["sent_at"] and batch["approved_at"]
    assert bank.get(f"{BATCHES}{mine.pk}/").json() == batch

    other = batches["doumen"]
    assert bank.get(f"{BATCHES}{other.pk}/").status_code == 404
    assert bank.get(f"{BATCHES}{other.pk}/lines/").status_code == 404
    assert bank.post(results_url(other), {"results": [{"line": 1, "status": "paid"}]}, format="json").status_code == 404
    assert bank.get(f"{BATCHES}999999/").status_code == 404

    # A bank for the whole city, and the city's managers, see both districts' batches.
    city_bank = partner(["relief:bank"], name="市级银行")
    ids = lambda response: [b["id"] for b in response.json()["results"]]  # noqa: E731
    assert sorted(ids(city_bank.get(BATCHES))) == sorted([mine.pk, other.pk])
    assert ids(city_bank.get(BATCHES, {"state": "draft"})) == [other.pk]
    assert sorted(ids(logged_in(people["manager"]).get(BATCHES))) == sorted([mine.pk, other.pk])
    assert ids(logged_in(people["doumen"]).get(BATCHES)) == [other.pk]

    month = this_month().strftime("%Y-%m")
    assert ids(bank.get(BATCHES, {"month": month})) == [mine.pk]
    assert ids(bank.get(BATCHES, {"month": "2001-01"})) == []
    response = bank.get(BATCHES, {"month": "2026-13"})
    assert response.status_code == 400 and set(response.json()["fields"]) == {"month"}


def test_batches_need_the_bank_scope_or_money_management(people, batches):
    batch = batches["xiangzhou"]
    for client in (partner(["registry:read", "relief:read"]), partner(["relief:cpi"]), logged_in(people["caseworker"])):
        for response in (client.get(BATCHES), client.get(f"{BATCHES}{batch.pk}/lines/")):
            assert response.status_code == 403 and response.json()["code"] == "permission_denied"
        response = client.post(results_url(batch), {"results": [{"line": 1, "status": "paid"}]}, format="json")
        assert response.status_code == 403
    assert APIClient().get(BATCHES).status_code == 401


def test_the_roster_lists_each_payment_with_the_id_number_masked(people, families, batches):
    bank = partner(["relief:bank"], region=XIANGZHOU)
    batch = batches["xiangzhou"]
    url = f"{BATCHES}{batch.pk}/lines/"
    first = bank.get(url, {"page_size": 3}).json()
    second = bank.get(first["next"]).json()
    rows = first["results"] + second["results"]
    assert [row["id"] for row in rows] == [line.pk for line in lines_of(batch)] and second["next"] is None

    line = BatchLine.objects.get(entitlement=families[0])
    payee = Resident.objects.get(pk=line.payee_id)
    row = next(row for row in rows if row["id"] == line.pk)
    assert row["month"] == this_month().isoformat()
    assert (row["region"], row["region_name"]) == (QIAOGUANG, "侨光社区")
    assert row["payee_name"] == payee.name
    assert row["id_number"] == payee.id_number_masked and row["id_number"] != payee.id_number
    assert (row["programme"], row["household_size"], row["covered_members"]) == ("dibao", 3, 3)
    assert (row["amount"], row["adjustment"], row["total"]) == ("2600.00", "0.00", "2600.00")  # 3 × 1,100 − 700
    assert row["account"] == "6217000000000001"
    assert (row["status"], row["attempts"], row["failure_reason"], row["result_at"]) == ("pending", 1, "", None)
    assert not IdReveal.objects.exists()

    assert len(bank.get(url, {"status": "pending"}).json()["results"]) == 4
    assert bank.get(url, {"status": "paid"}).json()["results"] == []
    assert set(bank.get(url, {"status": "lost"}).json()["fields"]) == {"status"}

    # City managers run the batches but may not see whole ID numbers either.
    manager_rows = logged_in(people["manager"]).get(url).json()["results"]
    assert next(row for row in manager_rows if row["id"] == line.pk)["id_number"] == payee.id_number_masked


def test_whole_id_numbers_need_the_reveal_scope_and_every_one_shown_is_logged(people, batches):
    batch = batches["xiangzhou"]
    url = f"{BATCHES}{batch.pk}/lines/"
    payees = {line.pk: Resident.objects.get(pk=line.payee_id) for line in lines_of(batch)}

    bank = partner(["relief:bank", "registry:reveal_id"], region=XIANGZHOU, name="珠海银行代发")
    rows = bank.get(url, {"page_size": 2}).json()["results"]
    assert [row["id_number"] for row in rows] == [payees[row["id"]].id_number for row in rows]
    reveals = IdReveal.objects.all()
    assert sorted(r.resident_id for r in reveals) == sorted(payees[row["id"]].pk for row in rows)
    assert {(r.channel, r.actor_id, r.actor_label) for r in reveals} == {("api", None, "partner: 珠海银行代发")}

    # A district approver may see ID numbers: whole, and logged under the account.
    rows = logged_in(people["approver"]).get(url).json()["results"]
    assert rows[0]["id_number"] == payees[rows[0]["id"]].id_number
    assert IdReveal.objects.filter(actor=people["approver"], channel="api").count() == 4


# ------------------------------------------------------------------------------------------ bank results


def test_the_bank_returns_results_all_or_nothing_with_each_bad_row_named(people, batches):
    bank = partner(["relief:bank"], region=XIANGZHOU)
    batch = batches["xiangzhou"]
    lines = lines_of(batch)
    foreign = lines_of(batches["doumen"])[0]
    bad = [
        {"line": lines[0].pk, "status": "paid"},
        {"line": lines[1].pk, "status": "failed", "reason": ""},
        {"line": foreign.pk, "status": "paid"},
        {"line": lines[0].pk, "status": "paid"},
        {"line": lines[2].pk, "status": "bounced"},
    ]
    response = bank.post(results_url(batch), {"results": bad}, format="json")
    assert response.status_code == 400, response.content
    answer = response.json()
    assert answer["code"] == "invalid_rows"
    # Rows are numbered from 1, the first row sent being row 1, as in the messages.
    assert set(answer["fields"]) == {"results.2", "results.3", "results.4", "results.5"}
    assert "1" in answer["fields"]["results.4"][0]
    assert not BatchLine.objects.exclude(status=LineStatus.PENDING).exists()

    for body, named in (
        ({}, {"results"}),
        ({"results": []}, {"results"}),
        ({"results": [{"line": lines[0].pk, "status": "paid"}, 7]}, {"results.2"}),
        ({"results": [{"line": lines[0].pk, "status": "paid"}] * 10_001}, {"results"}),
    ):
        response = bank.post(results_url(batch), body, format="json")
        assert response.status_code == 400 and set(response.json()["fields"]) == named, response.content
    assert not BatchLine.objects.exclude(status=LineStatus.PENDING).exists()


def test_the_bank_records_paid_and_failed_lines_and_a_replay_gives_the_same_answer(people, batches):
    bank = partner(["relief:bank"], region=XIANGZHOU)
    batch = batches["xiangzhou"]
    lines = lines_of(batch)
    results = [{"line": line.pk, "status": "paid"} for line in lines[:3]]
    results.append({"line": lines[3].pk, "status": "failed", "reason": "账户已销户"})

    first = bank.post(results_url(batch), {"results": results}, format="json", HTTP_IDEMPOTENCY_KEY="file-1")
    assert first.status_code == 200, first.content
    answer = first.json()
    assert (answer["paid"], answer["failed"]) == (3, 1)
    assert answer["batch"]["state"] == "sent"
    assert answer["batch"]["lines_by_status"] == {"pending": 0, "paid": 3, "failed": 1, "carried": 0}
    failed = BatchLine.objects.get(pk=lines[3].pk)
    assert (failed.status, failed.failure_reason) == (LineStatus.FAILED, "账户已销户") and failed.result_at

    replay = bank.post(results_url(batch), {"results": results}, format="json", HTTP_IDEMPOTENCY_KEY="file-1")
    assert replay.status_code == 200 and replay.json() == answer
    assert replay["Idempotent-Replayed"] == "true"
    reused = bank.post(results_url(batch), {"results": results[:1]}, format="json", HTTP_IDEMPOTENCY_KEY="file-1")
    assert reused.status_code == 422 and reused.json()["code"] == "idempotency_key_reused"

    # The same file sent again without a key is accepted and changes nothing; a contradiction is refused.
    again = bank.post(results_url(batch), {"results": results}, format="json")
    assert again.status_code == 200 and (again.json()["paid"], again.json()["failed"]) == (0, 0)
    contradiction = [{"line": lines[3].pk, "status": "paid"}]
    response = bank.post(results_url(batch), {"results": contradiction}, format="json")
    assert response.status_code == 400 and set(response.json()["fields"]) == {"results.1"}

    # Once the failed payment is carried into next month the batch is reconciled: no more results.
    disbursement.failed_carry(actor=people["approver"], batch=batch)
    assert bank.get(f"{BATCHES}{batch.pk}/").json()["state"] == "reconciled"
    response = bank.post(results_url(batch), {"results": results[:1]}, format="json")
    assert response.status_code == 409 and response.json()["code"] == "wrong_state"


def test_results_wait_until_the_batch_is_sent(people, batches):
    draft = batches["doumen"]
    city_bank = partner(["relief:bank"])
    rows = [{"line": lines_of(draft)[0].pk, "status": "paid"}]
    response = city_bank.post(results_url(draft), {"results": rows}, format="json")
    assert response.status_code == 409 and response.json()["code"] == "wrong_state"
    assert Batch.objects.get(pk=draft.pk).state == BatchState.DRAFT

    # Staff who manage payments may record results too (e.g. a file the bank sent by hand).
    sent = batches["xiangzhou"]
    rows = [{"line": lines_of(sent)[0].pk, "status": "paid"}]
    response = logged_in(people["approver"]).post(results_url(sent), {"results": rows}, format="json")
    assert response.status_code == 200 and response.json()["paid"] == 1


# -------------------------------------------------------------------------------------------------- CPI


def test_a_statistics_office_posts_a_cpi_reading_and_the_price_subsidy_is_written(
    people, families, django_capture_on_commit_callbacks
):
    stats = partner(["relief:cpi"], name="市统计局")
    with django_capture_on_commit_callbacks(execute=True):
        response = stats.post(CPI, {"region": CITY, "month": "2026-07", "cpi": "3.8"}, format="json")
    assert response.status_code == 201, response.content
    answer = response.json()
    reading = answer["reading"]
    assert (reading["region"], reading["month"], reading["cpi"], reading["food_cpi"]) == (
        CITY,
        "2026-07-01",
        "3.80",
        None,
    )
    assert reading["source"] == "partner: 市统计局"
    assert answer["job"]["kind"] == "relief.price_subsidy"

    # 1,100 × 3.8% = 41.80 per covered person, for every family in the city.
    stored = CpiReading.objects.get(pk=reading["id"])
    for entitlement in families:
        adjustment = Adjustment.objects.get(entitlement=entitlement, cpi_reading=stored)
        assert adjustment.kind == "price_subsidy" and adjustment.amount == D("41.80") * entitlement.covered_count

    job = stats.get(f"{JOBS}{answer['job']['id']}/").json()
    assert (job["state"], job["percent"], job["done"], job["total"]) == ("done", 100, 5, 5)
    assert job["region"] == CITY and job["error"] == "" and job["result"]

    listed = stats.get(CPI).json()["results"]
    assert [r["id"] for r in listed] == [reading["id"]]
    assert logged_in(people["manager"]).get(CPI, {"month": "2026-07"}).json()["results"] == listed
    assert partner(["relief:cpi"], region=XIANGZHOU, name="区统计局").get(CPI).json()["results"] == listed

    duplicate = stats.post(CPI, {"region": CITY, "month": "2026-07", "cpi": "4.1"}, format="json")
    assert duplicate.status_code == 409 and duplicate.json()["code"] == "duplicate"
    assert set(duplicate.json()["fields"]) == {"month"}


def test_cpi_readings_are_checked_and_stay_inside_the_callers_region(people, regions):
    stats = partner(["relief:cpi"], name="市统计局")
    for body, named in (
        ({"region": CITY, "month": "2026-7", "cpi": "3"}, {"month"}),
        ({"region": CITY, "month": "2026-07", "cpi": "abc"}, {"cpi"}),
        ({"region": CITY, "month": "2026-07", "cpi": "150"}, {"cpi"}),
        ({"region": XIANGZHOU, "month": "2026-07", "cpi": "3"}, {"region"}),  # a district
        ({"month": "2026-07"}, {"region", "cpi"}),
    ):
        response = stats.post(CPI, body, format="json")
        assert response.status_code == 400 and set(response.json()["fields"]) == named, response.content

    district_office = partner(["relief:cpi"], region=XIANGZHOU, name="区统计局")
    response = district_office.post(CPI, {"region": CITY, "month": "2026-07", "cpi": "3"}, format="json")
    assert response.status_code == 404 and set(response.json()["fields"]) == {"region"}

    for client in (partner(["relief:bank"]), logged_in(people["approver"])):
        assert client.post(CPI, {"region": CITY, "month": "2026-07", "cpi": "3"}, format="json").status_code == 403
        assert client.get(CPI).status_code == 403
    assert not CpiReading.objects.exists()


# --------------------------------------------------------------------------------- standards through the API


def test_a_new_standard_is_published_by_a_second_manager_and_recomputed(
    people, families, django_capture_on_commit_callbacks
):
    drafter, publisher = logged_in(people["manager"]), logged_in(people["manager2"])
    body = {
        "region": CITY,
        "area": "urban",
        "effective_from": this_month().isoformat(),
        "name": "新标准",
        "dibao_standard": "1221",
    }
    policy = drafter.post(POLICIES, body, format="json").json()
    simulated = drafter.post(f"{POLICIES}{policy['id']}/simulate/").json()
    totals = simulated["simulation"]["totals"]
    assert (totals["entitlements"], totals["changed"]) == (5, 5)
    assert D(totals["new_total"]) - D(totals["old_total"]) == 121 * 10  # 10 covered people, 121 more each
    assert {r["name"] for r in simulated["simulation"]["regions"]} == {"香洲区", "斗门区"}

    refused = drafter.post(f"{POLICIES}{policy['id']}/publish/")
    assert refused.status_code == 403 and refused.json()["code"] == "separation_of_duties"

    with django_capture_on_commit_callbacks(execute=True):
        response = publisher.post(f"{POLICIES}{policy['id']}/publish/")
    assert response.status_code == 200, response.content
    answer = response.json()
    assert answer["policy"]["state"] == "published" and answer["policy"]["published_by"]
    job = drafter.get(f"{JOBS}{answer['job']['id']}/").json()
    assert (job["kind"], job["state"], job["done"], job["total"], job["percent"]) == (
        "relief.recompute",
        "done",
        5,
        5,
        100,
    )
    assert Entitlement.objects.get(pk=families[1].pk).amount == D("2442.00")  # 2 × 1,221
    assert drafter.get(f"{POLICIES}{policy['id']}/").json()["applied_at"]


# ------------------------------------------------------------------------------------------------- jobs


def test_jobs_are_followed_only_within_the_callers_region(people, families, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        district = disbursement.batch_generate(actor=people["approver"], region_code=XIANGZHOU, month=this_month())
    city = Job.objects.create(kind="relief.price_subsidy", key="relief.price_subsidy:test", region_id=CITY)

    xiangzhou_bank = partner(["relief:bank"], region=XIANGZHOU)
    doumen_bank = partner(["relief:bank"], region=DOUMEN, name="斗门银行")
    city_stats = partner(["relief:cpi"], name="市统计局")
    assert xiangzhou_bank.get(f"{JOBS}{district.pk}/").json()["state"] == "done"
    assert doumen_bank.get(f"{JOBS}{district.pk}/").status_code == 404
    assert xiangzhou_bank.get(f"{JOBS}{city.pk}/").status_code == 404
    assert city_stats.get(f"{JOBS}{city.pk}/").json()["state"] == "queued"
    assert city_stats.get(f"{JOBS}{district.pk}/").status_code == 200
    assert logged_in(people["approver"]).get(f"{JOBS}{district.pk}/").status_code == 200
    assert logged_in(people["approver"]).get(f"{JOBS}{city.pk}/").status_code == 404
    assert city_stats.get(f"{JOBS}999999/").status_code == 404

    assert partner(["registry:read"]).get(f"{JOBS}{city.pk}/").status_code == 403
    assert logged_in(people["caseworker"]).get(f"{JOBS}{district.pk}/").status_code == 403
    assert APIClient().get(f"{JOBS}{city.pk}/").status_code == 401

    # The technical cause of a failure is for staff; a partner is told the job failed.
    Job.objects.filter(pk=city.pk).update(state=JobState.FAILED, error="deadlock detected on relief_adjustment")
    assert "deadlock" not in city_stats.get(f"{JOBS}{city.pk}/").json()["error"]
    assert city_stats.get(f"{JOBS}{city.pk}/").json()["error"]
    assert logged_in(people["manager"]).get(f"{JOBS}{city.pk}/").json()["error"] == (
        "deadlock detected on relief_adjustment"
    )
