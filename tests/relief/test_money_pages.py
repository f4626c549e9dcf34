"""The money pages: standards drafted, simulated and published by a second manager; payment batches generated,
approved by someone else, sent, their roster downloaded and the bank's results uploaded (all or nothing);
subsidies; each page for the right role only and nothing of another district."""

import csv
import io
from datetime import date, timedelta
from decimal import Decimal

import openpyxl
import pytest
from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from civic.models import IdReveal, Job, JobState, Region, Resident
from civic.roles import Role
from relief.models import (
    Adjustment,
    Batch,
    BatchLine,
    BatchState,
    CpiReading,
    Entitlement,
    LineStatus,
    OneOffSubsidy,
    PolicyState,
    PolicyTopUp,
    ReliefPolicy,
)
from relief.services import disbursement, policies
from tests.relief.money_support import (
    CITY,
    QIAOGUANG,
    XIANGZHOU,
    dibao_entitlement,
    published_policy,
    tekun_entitlement,
)

D = Decimal
DOUMEN = "440403000000"
DOUMEN_COMMUNITY = "440403100001"


def this_month():
    return timezone.localdate().replace(day=1)


def months_back(n):
    day = this_month()
    for _ in range(n):
        day = (day - timedelta(days=1)).replace(day=1)
    return day


@pytest.fixture
def people(staff_factory):
    return {
        "manager": staff_factory(Role.CITY_MANAGER, CITY, username="mgr1"),
        "manager2": staff_factory(Role.CITY_MANAGER, CITY, username="mgr2"),
        "approver": staff_factory(Role.DISTRICT_APPROVER, XIANGZHOU, username="district"),
        "doumen": staff_factory(Role.DISTRICT_APPROVER, DOUMEN, username="doumen"),
        "caseworker": staff_factory(Role.CASEWORKER, QIAOGUANG, username="cw"),
        "director": staff_factory(Role.CHILD_DIRECTOR, QIAOGUANG, username="cd"),
    }


@pytest.fixture
def old(regions):
    policy = published_policy(standard="1100", floor_share=D("0.2"), price_minimum=D("10"))
    PolicyTopUp.objects.create(policy=policy, category="minor", kind="percent", value=D("40"))
    return policy


@pytest.fixture
def families(household_factory, old):
    return [
        dibao_entitlement(household_factory(QIAOGUANG, size=3), policy=old, income="700"),
        dibao_entitlement(household_factory(QIAOGUANG, size=2), policy=old, income="0"),
        dibao_entitlement(household_factory(QIAOGUANG, size=1), policy=old, income="300", account=""),
        tekun_entitlement(household_factory(QIAOGUANG, size=1), policy=old),
    ]


@pytest.fixture
def browser(client):
    """A signed-in browser in English (the source language), so messages can be matched."""

    def login(user):
        client.force_login(user)
        client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
        return client

    return login


def text(response):
    return response.content.decode()


def download(response):
    return b"".join(response.streaming_content)


def generate_by(client, capture, month, region=CITY):
    with capture(execute=True):
        return client.post(reverse("relief:batch-generate"), {"month": f"{month:%Y-%m}", "region": region})


# --- who may see what ----------------------------------------------------------------------------------------------


def test_each_money_page_renders_for_its_roles_and_is_refused_to_others(browser, people, old):
    pages = {
        "relief:standard-list": {"manager", "approver", "caseworker"},
        "relief:standard-new": {"manager"},
        "relief:batch-list": {"manager", "approver"},
        "relief:batch-generate": {"manager", "approver"},
        "relief:subsidy-list": {"manager"},
    }
    for name, allowed in pages.items():
        for who in ("manager", "approver", "caseworker", "director"):
            response = browser(people[who]).get(reverse(name))
            assert response.status_code == (200 if who in allowed else 403), (name, who)
    page = browser(people["manager"]).get(reverse("relief:standard-list"))
    assert old.name in text(page)
    assert browser(people["approver"]).get(reverse("relief:standard-detail", args=[old.pk])).status_code == 200


def test_navigation_shows_the_money_pages_by_capability(browser, people, regions):
    menu = text(browser(people["manager"]).get(reverse("relief:standard-list")))
    for name in ("relief:standard-list", "relief:batch-list", "relief:subsidy-list"):
        assert f'href="{reverse(name)}"' in menu
    menu = text(browser(people["caseworker"]).get(reverse("relief:standard-list")))
    assert f'href="{reverse("relief:batch-list")}"' not in menu
    assert f'href="{reverse("relief:subsidy-list")}"' not in menu


def test_empty_pages_say_so(browser, people, regions):
    client = browser(people["manager"])
    assert "No standard has been set for your area yet." in text(client.get(reverse("relief:standard-list")))
    assert "No payment batch yet." in text(client.get(reverse("relief:batch-list")))
    page = text(client.get(reverse("relief:subsidy-list")))
    assert "No price index recorded yet." in page and "No one-off subsidy granted yet." in page


def test_a_batch_policy_or_job_of_another_district_is_not_found(
    browser, people, families, household_factory, django_capture_on_commit_callbacks
):
    generate_by(browser(people["manager"]), django_capture_on_commit_callbacks, this_month())
    batch = Batch.objects.get()
    job = Job.objects.get(kind="relief.disburse")
    client = browser(people["doumen"])
    for url in (
        reverse("relief:batch-detail", args=[batch.pk]),
        reverse("relief:batch-roster", args=[batch.pk]) + "?format=csv",
        reverse("relief:batch-print", args=[batch.pk]),
    ):
        assert client.get(url).status_code == 404, url
    assert client.post(reverse("relief:batch-act", args=[batch.pk, "approve"])).status_code == 404
    assert Batch.objects.get().state == BatchState.DRAFT
    assert client.get(reverse("relief:job-progress", args=[job.pk])).status_code == 404  # a city-wide run

    doumen_policy = published_policy(region=DOUMEN, standard="1150")
    client = browser(people["approver"])  # 香洲区
    assert client.get(reverse("relief:standard-detail", args=[doumen_policy.pk])).status_code == 404
    assert client.get(reverse("relief:standard-detail", args=[families[0].policy_id])).status_code == 200  # the city's

    district_job = Job.objects.create(kind="relief.disburse", key="relief.disburse:x", region_id=DOUMEN)
    assert client.get(reverse("relief:job-progress", args=[district_job.pk])).status_code == 404
    assert browser(people["caseworker"]).get(reverse("relief:job-progress", args=[job.pk])).status_code == 404


def test_the_progress_fragment_polls_only_while_the_job_runs(browser, people, regions):
    job = Job.objects.create(
        kind="relief.disburse",
        key=f"relief.disburse:{CITY}:2026-07",
        region_id=CITY,
        params={"region": CITY, "month": "2026-07-01"},
        total=200,
        done=50,
        state=JobState.RUNNING,
    )
    client = browser(people["manager"])
    url = reverse("relief:job-progress", args=[job.pk])
    fragment = text(client.get(url, HTTP_HX_REQUEST="true"))
    assert f'hx-get="{url}"' in fragment and 'hx-trigger="every 2s"' in fragment
    assert 'value="25"' in fragment and "<html" not in fragment
    assert "<script" not in fragment
    Job.objects.filter(pk=job.pk).update(
        state=JobState.DONE, done=200, result={"batches": 2, "lines": 200, "total": "250000.00"}
    )
    fragment = text(client.get(url, HTTP_HX_REQUEST="true"))
    assert "hx-trigger" not in fragment and "250000.00" in fragment
    assert "?month=2026-07" in fragment  # the link to the batches it made
    assert browser(people["director"]).get(url).status_code == 404  # outside a community director's area
    subsidy_job = Job.objects.create(kind="relief.one_off", key="relief.one_off:1", region_id=XIANGZHOU)
    assert browser(people["approver"]).get(reverse("relief:job-progress", args=[subsidy_job.pk])).status_code == 403


# --- payment batches -----------------------------------------------------------------------------------------------


def results_csv(rows):
    content = "line,status,reason\n" + "".join(f"{line},{status},{reason}\n" for line, status, reason in rows)
    return SimpleUploadedFile("results.csv", content.encode("utf-8"), content_type="text/csv")


def results_xlsx(rows):
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    sheet.append(["line", "status", "reason"])
    for row in rows:
        sheet.append(list(row))
    buffer = io.BytesIO()
    workbook.save(buffer)
    return SimpleUploadedFile("results.xlsx", buffer.getvalue())


def test_generate_approve_send_roster_results_and_carry_through_the_pages(
    browser, people, families, django_capture_on_commit_callbacks
):
    month = months_back(1)
    manager = browser(people["manager"])
    response = generate_by(manager, django_capture_on_commit_callbacks, month)
    assert response.status_code == 302
    batch = Batch.objects.get()
    assert (batch.region_id, batch.line_count, batch.created_by) == (XIANGZHOU, 4, people["manager"])
    listing = text(manager.get(reverse("relief:batch-list"), {"month": f"{month:%Y-%m}", "state": "draft"}))
    assert reverse("relief:batch-detail", args=[batch.pk]) in listing
    assert "No batch matches" in text(manager.get(reverse("relief:batch-list"), {"state": "sent"}))
    generation = text(manager.get(reverse("relief:batch-generate")))
    assert "payments: 4" in generation

    # The one who generated it sees why they cannot approve it; a second person approves.
    detail = manager.get(reverse("relief:batch-detail", args=[batch.pk]))
    assert detail.context["approve_refusal"] and 'data-testid="approve-refusal"' in text(detail)
    assert "approve" not in detail.context["actions"]
    assert detail.context["totals_ok"] and 'data-testid="totals-ok"' in text(detail)
    assert detail.context["summary"]["no_account"] == 1 and 'data-testid="no-account"' in text(detail)
    manager.post(reverse("relief:batch-act", args=[batch.pk, "approve"]))
    assert Batch.objects.get().state == BatchState.DRAFT

    manager2 = browser(people["manager2"])
    assert manager2.post(reverse("relief:batch-act", args=[batch.pk, "approve"])).status_code == 302
    batch.refresh_from_db()
    assert (batch.state, batch.approved_by) == (BatchState.APPROVED, people["manager2"])
    manager2.post(reverse("relief:batch-act", args=[batch.pk, "send"]))
    batch.refresh_from_db()
    assert batch.state == BatchState.SENT

    # The roster: every line, then a totals row equal to the batch's total; a city manager sees masked IDs.
    roster = manager.get(reverse("relief:batch-roster", args=[batch.pk]), {"format": "csv"})
    assert roster.status_code == 200 and roster["Content-Type"].startswith("text/csv")
    content = download(roster).decode("utf-8")
    assert content.startswith("\ufeff")
    rows = list(csv.reader(io.StringIO(content.lstrip("\ufeff"))))
    header, lines, totals = rows[0], rows[1:-1], rows[-1]
    assert len(header) == 12 and len(lines) == 4
    assert D(totals[9]) == batch.total and D(totals[7]) == batch.amount_total
    assert D(totals[8]) == batch.adjustment_total
    ids = {line.payee.id_number for line in BatchLine.objects.select_related("payee")}
    assert all("*" in row[3] and row[3] not in ids for row in lines)
    assert {int(row[11]) for row in lines} == set(BatchLine.objects.values_list("pk", flat=True))
    assert not IdReveal.objects.exists()

    workbook = openpyxl.load_workbook(
        io.BytesIO(download(manager.get(reverse("relief:batch-roster", args=[batch.pk]), {"format": "xlsx"})))
    )
    sheet_rows = list(workbook.active.iter_rows(values_only=True))
    assert len(sheet_rows) == 6
    assert D(str(sheet_rows[-1][9])).quantize(D("0.01")) == batch.total
    assert all("*" in row[3] for row in sheet_rows[1:-1])
    accounts = [row[10] for row in sheet_rows[1:-1] if row[10]]
    assert len(accounts) == 3 and all(isinstance(a, str) and a.startswith("6217") for a in accounts)  # kept as text

    # The bank's results: one bad row and nothing is recorded, with the row named; then a good file.
    ordered = list(BatchLine.objects.order_by("pk"))
    bad = results_csv([(ordered[0].pk, "paid", ""), (ordered[1].pk, "failed", ""), (999999, "paid", "")])
    response = manager.post(reverse("relief:batch-results", args=[batch.pk]), {"file": bad})
    assert response.status_code == 400
    assert [e["row"] for e in response.context["row_errors"]] == [3, 4]
    page = text(response)
    assert 'data-testid="row-errors"' in page and "A failed payment needs the bank" in page
    assert not BatchLine.objects.exclude(status=LineStatus.PENDING).exists()

    good = [(line.pk, "paid", "") for line in ordered[:3]] + [(ordered[3].pk, "failed", "账户已销户")]
    response = manager.post(reverse("relief:batch-results", args=[batch.pk]), {"file": results_xlsx(good)})
    assert response.status_code == 302
    assert BatchLine.objects.filter(status=LineStatus.PAID).count() == 3
    detail = manager.get(reverse("relief:batch-detail", args=[batch.pk]))
    assert detail.context["failed_count"] == 1 and "账户已销户" in text(detail)
    assert {"reissue", "carry"} <= set(detail.context["actions"])
    failed_only = manager.get(reverse("relief:batch-detail", args=[batch.pk]), {"status": "failed"})
    assert [line.pk for line in failed_only.context["page"].object_list] == [ordered[3].pk]

    manager.post(reverse("relief:batch-act", args=[batch.pk, "carry"]))
    batch.refresh_from_db()
    assert batch.state == BatchState.RECONCILED
    carried = Adjustment.objects.get(source_line=ordered[3])
    assert carried.amount == ordered[3].total and carried.paid_month is None

    # Next month's batch pays it on top.
    generate_by(manager, django_capture_on_commit_callbacks, this_month())
    line = BatchLine.objects.get(entitlement_id=ordered[3].entitlement_id, month=this_month())
    assert line.adjustment == ordered[3].total


def test_a_district_approver_sees_whole_ids_in_the_roster_and_each_is_logged_once(
    browser, people, families, django_capture_on_commit_callbacks
):
    generate_by(browser(people["manager"]), django_capture_on_commit_callbacks, this_month())
    batch = Batch.objects.get()
    Resident.objects.filter(pk=families[0].payee_id).update(name="=HYPERLINK(1)")
    response = browser(people["approver"]).get(reverse("relief:batch-roster", args=[batch.pk]), {"format": "csv"})
    rows = list(csv.reader(io.StringIO(download(response).decode("utf-8-sig"))))
    assert "'=HYPERLINK(1)" in [row[2] for row in rows]  # never run as a formula
    ids = {line.payee.id_number for line in BatchLine.objects.select_related("payee")}
    assert {row[3] for row in rows[1:-1]} == ids
    reveals = IdReveal.objects.filter(actor=people["approver"], channel=IdReveal.Channel.EXPORT)
    assert reveals.count() == 4
    assert set(reveals.values_list("resident_id", flat=True)) == set(
        BatchLine.objects.values_list("payee_id", flat=True)
    )
    # The printed roster never shows them whole and logs nothing.
    printed = browser(people["approver"]).get(reverse("relief:batch-print", args=[batch.pk]))
    assert printed.status_code == 200 and not any(number in text(printed) for number in ids)
    assert D(printed.context["totals"][9]) == batch.total
    assert reveals.count() == 4


def test_a_reissue_roster_lists_only_the_lines_awaiting_the_bank(
    browser, people, families, django_capture_on_commit_callbacks
):
    generate_by(browser(people["manager"]), django_capture_on_commit_callbacks, this_month())
    batch = Batch.objects.get()
    disbursement.batch_approve(actor=people["approver"], batch=batch)
    disbursement.batch_send(actor=people["approver"], batch=batch)
    lines = list(BatchLine.objects.order_by("pk"))
    disbursement.results_apply(
        actor=people["approver"],
        batch=batch,
        results=[{"line": lines[0].pk, "status": "failed", "reason": "户名不符"}]
        + [{"line": line.pk, "status": "paid"} for line in lines[1:]],
    )
    manager = browser(people["manager"])
    manager.post(reverse("relief:batch-act", args=[batch.pk, "reissue"]))
    assert BatchLine.objects.get(pk=lines[0].pk).status == LineStatus.PENDING
    response = manager.get(reverse("relief:batch-roster", args=[batch.pk]), {"format": "csv", "lines": "pending"})
    assert "reissue-" in response["Content-Disposition"]
    rows = list(csv.reader(io.StringIO(download(response).decode("utf-8-sig"))))
    assert [int(row[11]) for row in rows[1:-1]] == [lines[0].pk]
    assert D(rows[-1][9]) == lines[0].total


def test_generate_form_errors_are_shown_next_to_the_fields(browser, people, regions):
    client = browser(people["manager"])
    response = client.post(reverse("relief:batch-generate"), {"month": "2026-13", "region": CITY})
    assert response.status_code == 400 and response.context["form"].errors["month"]
    assert 'value="2026-13"' in text(response)
    far = (this_month() + timedelta(days=70)).replace(day=1)
    response = client.post(reverse("relief:batch-generate"), {"month": f"{far:%Y-%m}", "region": CITY})
    assert response.status_code == 400 and "up to next month" in str(response.context["form"].errors["month"])
    response = client.post(reverse("relief:batch-generate"), {"month": "2026-01", "region": QIAOGUANG})
    assert response.context["form"].errors["region"]  # not offered: a community
    assert not Job.objects.exists()


def test_a_second_generation_while_one_runs_is_refused_on_the_form(browser, people, families):
    client = browser(people["manager"])
    client.post(reverse("relief:batch-generate"), {"month": f"{this_month():%Y-%m}", "region": CITY})
    job = Job.objects.get()
    assert job.state == JobState.QUEUED  # not committed in the test: still waiting
    listing = client.get(reverse("relief:batch-list"))
    assert f'hx-get="{reverse("relief:job-progress", args=[job.pk])}"' in text(listing)
    response = browser(people["manager2"]).post(
        reverse("relief:batch-generate"), {"month": f"{this_month():%Y-%m}", "region": CITY}
    )
    assert response.status_code == 409 and "already running" in text(response)


def test_an_unreadable_results_file_is_refused_with_its_reason(
    browser, people, families, django_capture_on_commit_callbacks
):
    generate_by(browser(people["manager"]), django_capture_on_commit_callbacks, this_month())
    batch = Batch.objects.get()
    disbursement.batch_approve(actor=people["approver"], batch=batch)
    disbursement.batch_send(actor=people["approver"], batch=batch)
    client = browser(people["manager"])
    url = reverse("relief:batch-results", args=[batch.pk])
    response = client.post(url, {"file": SimpleUploadedFile("r.csv", b"number,outcome\n1,paid\n")})
    assert response.status_code == 400 and response.context["results_form"].errors["file"]
    response = client.post(url, {"file": SimpleUploadedFile("r.txt", b"line,status\n1,paid\n")})
    assert response.status_code == 400
    assert not BatchLine.objects.exclude(status=LineStatus.PENDING).exists()


# --- standards -----------------------------------------------------------------------------------------------------


def test_a_standard_is_drafted_simulated_and_published_by_a_second_manager_through_the_pages(
    browser, people, families, old, django_capture_on_commit_callbacks
):
    manager = browser(people["manager"])
    start = months_back(1)
    generate_by(manager, django_capture_on_commit_callbacks, start)
    form = {
        "region": CITY,
        "area": "urban",
        "effective_from": start.replace(day=15).isoformat(),
        "name": "2026年标准",
        "dibao_standard": "1300",
    }
    response = manager.post(reverse("relief:standard-new"), form)
    assert response.status_code == 400 and response.context["form"].errors["effective_from"]
    assert 'value="2026年标准"' in text(response)
    response = manager.post(reverse("relief:standard-new"), {**form, "effective_from": start.isoformat()})
    assert response.status_code == 302
    draft = ReliefPolicy.objects.get(state=PolicyState.DRAFT)
    # Every other option comes from the policy in force, top-ups included.
    assert (draft.floor_share, draft.price_minimum, draft.dibao_standard) == (D("0.2000"), D("10.00"), D("1300.00"))
    assert list(draft.topups.values_list("category", "kind", "value")) == [("minor", "percent", D("40.00"))]
    assert draft.created_by == people["manager"]

    detail = manager.get(reverse("relief:standard-detail", args=[draft.pk]))
    assert detail.context["may_simulate"] and not detail.context["may_publish"]
    assert "Not simulated yet" in text(detail)

    manager.post(reverse("relief:standard-simulate", args=[draft.pk]))
    detail = manager.get(reverse("relief:standard-detail", args=[draft.pk]))
    simulation = detail.context["simulation"]
    assert [r["name"] for r in simulation["rows"]] == ["香洲区"]
    assert simulation["totals"]["entitlements"] == 4 and simulation["totals"]["changed"] == 4
    assert simulation["totals"]["difference"] == simulation["totals"]["new_total"] - simulation["totals"]["old_total"]
    assert simulation["totals"]["back_pay"] == simulation["totals"]["difference"]  # one month already paid
    assert 'data-testid="simulation-totals"' in text(detail)
    # The one who drafted it is told why they cannot publish it, and a try changes nothing.
    assert "someone else must publish it" in text(detail) and not detail.context["may_publish"]
    response = manager.post(reverse("relief:standard-publish", args=[draft.pk]), follow=True)
    assert "Separation of duties" in text(response)
    assert ReliefPolicy.objects.get(pk=draft.pk).state == PolicyState.DRAFT

    manager2 = browser(people["manager2"])
    assert manager2.get(reverse("relief:standard-detail", args=[draft.pk])).context["may_publish"]
    with django_capture_on_commit_callbacks(execute=True):
        response = manager2.post(reverse("relief:standard-publish", args=[draft.pk]))
    assert response.status_code == 302
    draft.refresh_from_db()
    assert draft.state == PolicyState.PUBLISHED and draft.published_by == people["manager2"]
    assert draft.applied_at is not None
    detail = manager2.get(reverse("relief:standard-detail", args=[draft.pk]))
    assert detail.context["progress"]["job"].state == JobState.DONE
    assert len(detail.context["page"].object_list) == 4
    page = text(detail)
    assert families[0].household.number in page and 'data-testid="adjustments"' in page
    assert Entitlement.objects.get(pk=families[1].pk).amount == D("2600.00")
    assert not detail.context["may_edit"] and not detail.context["may_simulate"]

    # A published standard is not changed: the edit page sends back to it.
    response = manager.get(reverse("relief:standard-edit", args=[draft.pk]))
    assert response.status_code == 302
    listing = manager.get(reverse("relief:standard-list"), {"state": "published"})
    assert [p.pk for p in listing.context["page"].object_list] == [draft.pk, old.pk]


def test_editing_a_draft_clears_its_simulation_and_errors_stay_on_the_form(browser, people, old):
    manager = browser(people["manager"])
    draft = policies.policy_draft(
        actor=people["manager"],
        region_code=CITY,
        area="urban",
        effective_from=this_month(),
        name="草案",
        dibao_standard=D("1250"),
    )
    policies.policy_simulate(actor=people["manager"], policy=draft)
    url = reverse("relief:standard-edit", args=[draft.pk])
    assert manager.get(url).status_code == 200
    response = manager.post(url, {"name": "草案", "dibao_standard": "1260", "effective_from": "2019-01-01"})
    assert response.status_code == 400
    assert "2020-01-01" in str(response.context["form"].errors["effective_from"])
    response = manager.post(
        url, {"name": "草案二", "dibao_standard": "1260", "effective_from": this_month().isoformat()}
    )
    assert response.status_code == 302
    draft.refresh_from_db()
    assert (draft.name, draft.dibao_standard, draft.simulation) == ("草案二", D("1260.00"), None)
    assert browser(people["approver"]).get(url).status_code == 403
    assert browser(people["approver"]).post(reverse("relief:standard-simulate", args=[draft.pk])).status_code == 403


def test_a_draft_for_a_region_without_a_policy_takes_the_defaults(browser, people, regions):
    response = browser(people["manager"]).post(
        reverse("relief:standard-new"),
        {
            "region": DOUMEN,
            "area": "rural",
            "effective_from": "2026-01-01",
            "name": "斗门农村",
            "dibao_standard": "900",
        },
    )
    assert response.status_code == 302
    draft = ReliefPolicy.objects.get()
    assert (draft.region_id, draft.area, draft.topups.count()) == (DOUMEN, "rural", 0)


# --- subsidies -----------------------------------------------------------------------------------------------------


def test_cpi_and_one_off_forms_record_and_start_their_jobs(
    browser, people, families, django_capture_on_commit_callbacks
):
    client = browser(people["manager"])
    response = client.post(reverse("relief:subsidy-cpi"), {"cpi-region": CITY, "cpi-month": "2026-7", "cpi-cpi": "x"})
    assert response.status_code == 400
    errors = response.context["cpi_form"].errors
    assert set(errors) == {"month", "cpi"}
    assert not CpiReading.objects.exists()

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("relief:subsidy-cpi"),
            {"cpi-region": CITY, "cpi-month": "2026-07", "cpi-cpi": "3.8", "cpi-food_cpi": "", "cpi-source": "统计局"},
        )
    assert response.status_code == 302
    reading = CpiReading.objects.get()
    assert Adjustment.objects.filter(cpi_reading=reading).count() == 4
    response = client.post(reverse("relief:subsidy-cpi"), {"cpi-region": CITY, "cpi-month": "2026-07", "cpi-cpi": "4"})
    assert response.status_code == 409 and response.context["cpi_form"].errors["month"]

    response = client.post(
        reverse("relief:subsidy-one-off"),
        {"oneoff-region": CITY, "oneoff-decision": "", "oneoff-amount": "200", "oneoff-per": "person"},
    )
    assert response.status_code == 400
    assert set(response.context["one_off_form"].errors) == {"decision", "programmes"}
    assert 'value="200"' in text(response)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("relief:subsidy-one-off"),
            {
                "oneoff-region": CITY,
                "oneoff-decision": "市政府2026年一次性生活补贴",
                "oneoff-programmes": ["dibao"],
                "oneoff-amount": "200",
                "oneoff-per": "household",
            },
        )
    assert response.status_code == 302
    subsidy = OneOffSubsidy.objects.get()
    assert not subsidy.per_person and subsidy.programmes == ["dibao"]
    assert Adjustment.objects.filter(subsidy=subsidy).count() == 3

    page = client.get(reverse("relief:subsidy-list"))
    readings, grants = page.context["cpi_page"].object_list, page.context["grant_page"].object_list
    assert readings[0].progress["job"].state == JobState.DONE
    assert grants[0].progress["job"].result == {"adjustments": 3, "amount": "600.00"}
    assert "600.00" in text(page) and "统计局" in text(page)


def test_a_subsidy_form_offers_only_regions_of_the_managers_area(browser, people, regions, staff_factory):
    page = browser(people["manager"]).get(reverse("relief:subsidy-list"))
    assert [code for code, _label in page.context["cpi_form"].fields["region"].choices] == [CITY]
    assert {code for code, _label in page.context["one_off_form"].fields["region"].choices} == {CITY, XIANGZHOU, DOUMEN}
    assert Region.objects.filter(code="440000000000").exists()  # the province is not offered to a city
    response = browser(people["manager"]).post(
        reverse("relief:subsidy-cpi"), {"cpi-region": "440000000000", "cpi-month": "2026-07", "cpi-cpi": "4"}
    )
    assert response.status_code == 400 and response.context["cpi_form"].errors["region"]


def test_a_month_filter_that_is_not_a_month_is_ignored_with_its_error(browser, people, regions):
    response = browser(people["manager"]).get(reverse("relief:batch-list"), {"month": "July"})
    assert response.status_code == 200 and response.context["filters"].errors["month"]


def test_standards_list_is_paginated_newest_first(browser, people, regions):
    for year in range(2000, 2030):
        published_policy(standard=str(500 + year - 2000), effective=date(year, 1, 1))
    page = browser(people["approver"]).get(reverse("relief:standard-list"))
    policies_shown = page.context["page"].object_list
    assert len(policies_shown) == 25 and policies_shown[0].effective_from == date(2029, 1, 1)
    second = browser(people["approver"]).get(reverse("relief:standard-list"), {"page": 2})
    assert len(second.context["page"].object_list) == 5


def test_list_and_detail_pages_take_a_bounded_number_of_queries(
    browser, people, families, household_factory, old, django_capture_on_commit_callbacks, django_assert_max_num_queries
):
    for _ in range(6):
        dibao_entitlement(household_factory(QIAOGUANG, size=2), policy=old)
    client = browser(people["manager"])
    generate_by(client, django_capture_on_commit_callbacks, this_month())
    batch = Batch.objects.get()
    for url in (
        reverse("relief:batch-list"),
        reverse("relief:batch-detail", args=[batch.pk]),
        reverse("relief:standard-list"),
        reverse("relief:standard-detail", args=[old.pk]),
        reverse("relief:subsidy-list"),
    ):
        with django_assert_max_num_queries(20):
            assert client.get(url).status_code == 200
