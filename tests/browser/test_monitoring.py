"""Low-income monitoring in a real browser: a partner's population system posts a death through the API; the
nightly run turns it into a warning for 侨光社区's caseworker, who goes from "My tasks" to the warning and opens a
review of the family's dibao; the street reviewer then finds the family at the head of the reviews due and records
the review. Screenshots of the task list and the warning go to test-artifacts/."""

from datetime import timedelta
from decimal import Decimal
from pathlib import Path

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from civic.models import ApiToken
from monitoring.models import Alert, AlertStatus
from monitoring.nightly import nightly_start
from relief.models import Entitlement, EntitlementAction
from tests.browser.test_relief import demo_city, sign_in, sign_out  # noqa: F401 - fixtures and helpers

pytestmark = pytest.mark.browser

QIAOGUANG = "440402005001"
ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts"


def test_a_partners_death_record_leads_the_caseworker_from_the_warning_to_a_review(
    page,
    demo_city,  # noqa: F811
    household_factory,
):
    family = household_factory(QIAOGUANG, size=3, names=["邓国强", "邓美华", "邓小杰"])
    entitlement = Entitlement.objects.create(
        household=family,
        region_id=QIAOGUANG,
        programme="dibao",
        amount=Decimal("2100.00"),
        covered_count=3,
        payee=family.head,
        basis_members=3,
        starts_on=timezone.localdate().replace(day=1) - timedelta(days=400),
        review_due=timezone.localdate() + timedelta(days=200),
    )
    entitlement.members.set(family.members.all())
    father = family.members.get(name="邓国强")

    # The public-security population system posts the death.
    raw, key_hash, hint = ApiToken.generate()
    ApiToken.objects.create(
        name="市公安人口系统",
        key_hash=key_hash,
        key_hint=hint,
        scopes=["monitoring:population"],
        region_id="440400000000",
    )
    died = timezone.localdate() - timedelta(days=2)
    answer = page.request.post(
        "/api/v1/monitoring/feeds/population/records/",
        headers={"Authorization": f"Bearer {raw}"},
        data={
            "records": [
                {"reference": "GA-2026-000731", "id_number": father.id_number, "event": "death", "date": str(died)}
            ]
        },
    )
    assert answer.status == 200, answer.text()
    assert answer.json()["matched"] == 1

    # Tonight's run (in-process here; the beat starts it at 01:00).
    job = nightly_start()
    job.refresh_from_db()
    assert job.state == "done", job.error
    alert = Alert.objects.get(rule="death", household=family)

    # The caseworker finds the task and opens the review from it.
    sign_in(page, "caseworker")
    page.get_by_role("link", name="我的任务").click()
    task = page.get_by_test_id(f"task-{alert.pk}")
    expect(task).to_contain_text(family.number)
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / "monitoring-tasks.png"), full_page=True)
    task.get_by_role("link").first.click()
    expect(page.get_by_test_id("alert-title")).to_be_visible()
    expect(page.locator("main")).to_contain_text("邓国强")
    page.screenshot(path=str(ARTIFACTS / "monitoring-warning.png"), full_page=True)
    review = page.get_by_test_id("review-form")
    review.locator("textarea").fill("户主邓国强已死亡（公安人口信息），请复核家庭人口和保障金额")
    page.get_by_test_id("review-submit").click()
    expect(page.get_by_test_id("review-link")).to_be_visible()
    alert.refresh_from_db()
    assert alert.status == AlertStatus.HANDLED and alert.in_time

    # The link leads to the family's benefit: the review is due today, with the reason.
    page.get_by_test_id("review-link").click()
    expect(page.get_by_test_id("review-due")).to_have_text(str(timezone.localdate()))
    expect(page.get_by_test_id("events")).to_contain_text("邓国强已死亡")
    sign_out(page)

    # The street reviewer finds it among the reviews due and records it: one member fewer, a new amount.
    sign_in(page, "reviewer")
    page.get_by_role("link", name="待复核").click()
    page.get_by_test_id("reviews-due").locator("tr", has_text="邓国强").get_by_role("link").click()
    form = page.get_by_test_id("action-review")
    form.locator('[name="review-outcome"]').select_option("change_amount")
    form.locator('[name="review-new_amount"]').fill("1400.00")
    form.locator('[name="review-reason"]').fill("户主死亡，保障人数由3人调整为2人")
    form.get_by_role("button").click()
    expect(page.get_by_test_id("amount")).to_contain_text("1400.00")
    assert entitlement.events.filter(action=EntitlementAction.AMOUNT_CHANGED).exists()
