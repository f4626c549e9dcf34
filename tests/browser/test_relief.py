from datetime import timedelta

import pytest
from django.core.management import call_command
from django.utils import timezone
from playwright.sync_api import expect

from civic.demo import DEMO_PASSWORD
from civic.services import partner_create
from relief.models import Application

pytestmark = pytest.mark.browser


@pytest.fixture
def demo_city(transactional_db):
    from io import StringIO

    call_command("seed_demo", stdout=StringIO())


def sign_in(page, username):
    page.goto("/accounts/login/")
    page.get_by_label("用户名").fill(username)
    page.get_by_label("密码").fill(DEMO_PASSWORD)
    page.get_by_role("button", name="登录").click()
    expect(page.get_by_test_id("whoami")).to_be_visible()


def sign_out(page):
    page.get_by_role("button", name="退出").click()


def test_a_dibao_application_from_filing_to_approval_through_four_roles(
    page, browser, live_server, demo_city, household_factory, tmp_path
):
    household = household_factory("440402005001", size=3, names=["黄志明", "陈丽娟", "黄小宝"])
    scan = tmp_path / "scan.pdf"
    scan.write_bytes(b"%PDF-1.4 demo")

    # 1. The community caseworker accepts the application with its documents.
    sign_in(page, "caseworker")
    page.get_by_role("link", name="救助申请").click()
    page.get_by_role("link", name="受理申请").click()
    page.get_by_label("家庭成员身份证号").fill(household.head.id_number)
    page.get_by_role("button", name="查找家庭").click()
    page.get_by_label("救助项目").select_option("dibao")
    income = page.get_by_test_id("income-0")
    income.get_by_label("家庭成员").select_option(label="黄志明")
    income.get_by_label("收入类型").select_option("wages")
    income.get_by_label("月金额（元）").fill("1500")
    for label in ("身份证明材料", "承诺授权书", "家庭成员及收入财产清单"):
        page.get_by_label(label).set_input_files(str(scan))
    page.get_by_role("button", name="受理申请").click()
    expect(page.get_by_test_id("status")).to_contain_text("已受理")
    application = Application.objects.get()
    sign_out(page)

    # 2. The street reviewer starts the investigation; the caseworker records the home visit with them.
    sign_in(page, "reviewer")
    page.goto(f"/relief/applications/{application.pk}/")
    page.get_by_test_id("action-investigation").get_by_role("button").click()
    expect(page.get_by_test_id("status")).to_contain_text("调查核实中")
    sign_out(page)
    sign_in(page, "caseworker")
    page.goto(f"/relief/applications/{application.pk}/")
    visit = page.get_by_test_id("action-home-visit")
    visit.get_by_label("第二调查人").select_option(label="陈志强")
    visit.get_by_label("调查情况").fill("入户核实，家庭无车辆、无经营，住房为自有一套")
    visit.get_by_role("button").click()
    sign_out(page)

    # 3. The verification centre's system posts the information cross-check through the API.
    _token, raw = partner_create(
        name="珠海市居民家庭经济状况核对中心", scopes=["relief:cross_check"], region_code="440400"
    )
    centre = browser.new_context(base_url=live_server.url)
    answer = centre.request.post(
        f"/api/v1/relief/applications/{application.pk}/cross-checks/",
        headers={"Authorization": f"Bearer {raw}"},
        data={"source": "市核对中心", "passed": True, "details": "银行存款、车辆、房产、工商登记均与申报一致"},
    )
    assert answer.status == 201, answer.text()
    centre.close()

    # 4. The reviewer gives the street's opinion; the notice starts.
    sign_in(page, "reviewer")
    page.goto(f"/relief/applications/{application.pk}/")
    expect(page.get_by_test_id("events")).to_contain_text("家庭经济状况核对")
    opinion = page.get_by_test_id("action-opinion")
    opinion.get_by_label("审核意见").select_option("approve")
    opinion.get_by_label("理由").fill("家庭人均收入低于保障标准，符合条件")
    opinion.get_by_role("button").click()
    expect(page.get_by_test_id("status")).to_contain_text("公示")
    sign_out(page)

    # The seven days of public notice pass without objection.
    Application.objects.filter(pk=application.pk).update(notice_until=timezone.localdate() - timedelta(days=1))

    # 5. The district approver decides; the household file shows the benefit.
    sign_in(page, "approver")
    page.goto(f"/relief/applications/{application.pk}/")
    expect(page.get_by_test_id("explanation")).to_contain_text("1,221.00")
    page.get_by_test_id("action-decision").get_by_label("审批决定").select_option("1")
    page.get_by_test_id("action-decision").get_by_role("button").click()
    expect(page.get_by_test_id("status")).to_contain_text("已批准")
    application.refresh_from_db()
    expect(page.get_by_test_id("amount")).to_contain_text(str(application.amount))
    page.get_by_role("link", name="一户一档").click()
    expect(page.get_by_test_id("relief-panel")).to_contain_text(str(application.amount))
