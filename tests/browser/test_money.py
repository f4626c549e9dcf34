"""The money engine in a real browser: a manager drafts a new standard and generates the month's batch; a second
manager publishes the standard and approves the batch (four eyes), with the progress shown on the pages."""

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from relief.models import Batch, Entitlement, ReliefPolicy
from tests.browser.test_relief import demo_city, sign_in, sign_out  # noqa: F401 - fixtures and helpers
from tests.relief.money_support import QIAOGUANG, dibao_entitlement

pytestmark = pytest.mark.browser


def test_a_new_standard_and_a_monthly_batch_each_need_a_second_manager(page, demo_city, household_factory):  # noqa: F811
    policy = ReliefPolicy.objects.get(region_id="440400000000", area="urban")
    entitlement = dibao_entitlement(household_factory(QIAOGUANG, size=2), policy=policy, income="400")
    assert entitlement.amount == 2042  # 2 × 1,221 − 400
    month = timezone.localdate().replace(day=1)

    # 1. The manager drafts a standard of 1,300 from this month and simulates it.
    sign_in(page, "manager")
    page.get_by_role("link", name="保障标准").click()
    page.get_by_role("link", name="起草新保障标准").click()
    page.get_by_label("行政区划").select_option("440400000000")
    page.get_by_label("城乡类别").select_option("urban")
    page.get_by_label("生效日期").fill(month.isoformat())
    page.get_by_label("标准名称").fill("珠海市2026年城乡低保标准")
    page.get_by_label("低保标准（元/人·月）").fill("1300")
    page.get_by_role("button", name="保存草稿").click()
    page.get_by_role("button", name="测算").click()
    expect(page.get_by_test_id("simulation")).to_contain_text("香洲区")
    expect(page.get_by_test_id("publish-refusal")).to_be_visible()  # the drafter may not publish

    # 2. The manager generates this month's batch; the batch shows its total and who may not approve it.
    page.get_by_role("link", name="发放批次").click()
    page.get_by_role("link", name="生成月度发放批次").click()
    page.get_by_label("月份").fill(f"{month:%Y-%m}")
    page.get_by_label("行政区划").select_option("440400000000")
    page.get_by_role("button", name="生成").click()
    page.get_by_role("link", name=f"{month:%Y-%m}").first.click()
    expect(page.get_by_test_id("total")).to_contain_text("2042.00")
    expect(page.get_by_test_id("totals-ok")).to_be_visible()
    expect(page.get_by_test_id("approve-refusal")).to_be_visible()
    batch_url = page.url
    sign_out(page)

    # 3. A second manager approves and sends the batch, then publishes the standard.
    sign_in(page, "manager2")
    page.goto(batch_url)
    page.get_by_role("button", name="批准").click()
    expect(page.get_by_test_id("state")).to_contain_text("已批准")
    page.get_by_role("button", name="标记为已报送银行").click()
    expect(page.get_by_test_id("state")).to_contain_text("已报送银行")
    assert Batch.objects.get(month=month).approved_by.username == "manager2"

    page.get_by_role("link", name="保障标准").click()
    page.get_by_role("link", name="珠海市2026年城乡低保标准").click()
    page.get_by_role("button", name="发布").click()
    expect(page.get_by_test_id("adjustments")).to_contain_text("2042.00")
    entitlement.refresh_from_db()
    assert entitlement.amount == 2200  # 2 × 1,300 − 400, with one month's back-pay of 158 waiting
    assert Entitlement.objects.get(pk=entitlement.pk).adjustments.get().amount == 158
