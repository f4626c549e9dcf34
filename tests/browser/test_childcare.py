"""Child protection in a real browser. A school's system files a mandatory report (强制报告) through the partner
API; the demo child supervisor opens it from the report list, assesses it, makes a plan, refers it to the police,
records the follow-up and closes it with the outcome; the school reads the outcome back by the reference. Then the
demo child director claims the allowance for a de-facto-unsupported child with the quote shown first, the
supervisor verifies it, and the director records a visit. The pages are switched to English with the top bar's
button (new labels have no Chinese yet); elements are found by test id, field name or role."""

from datetime import date, timedelta
from decimal import Decimal

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from childcare import services
from childcare.models import AllowanceClaim, AllowanceStandard, ClaimState, MandatoryReport
from civic.models import Resident, User
from civic.services import partner_create
from tests.browser.test_relief import demo_city, sign_in  # noqa: F401 - fixtures and helpers

pytestmark = pytest.mark.browser

GONGBEI = "440402005002"  # 拱北街道 › 拱北社区, the demo child director's community
GONGBEI_STREET = "440402005000"
REPORTS = "/api/v1/childcare/reports/"
OUTCOME = "已受理并核实，已转介公安机关处置，孩子目前安全并得到照料。感谢学校及时报告。"


def in_english(page):
    page.get_by_role("button", name="English").click()
    expect(page.locator("html")).to_have_attribute("lang", "en")


def record_step(page):
    page.get_by_test_id("step-submit").click()


def test_a_school_reports_through_the_api_and_reads_the_outcome_back(page, browser, live_server, demo_city):  # noqa: F811
    _token, raw = partner_create(name="拱北昌盛小学", scopes=["childcare:report"], region_code=GONGBEI_STREET)
    school = browser.new_context(base_url=live_server.url)
    headers = {"Authorization": f"Bearer {raw}"}
    answer = school.request.post(
        REPORTS,
        headers=headers,
        data={
            "reporter_kind": "school",
            "reporter_name": "拱北昌盛小学 班主任陈老师",
            "reporter_contact": "0756-8881234",
            "region": GONGBEI,
            "situation": "repeated_injuries",
            "immediate_danger": True,
            "child_description": "三年级男生，约9岁",
            "account": "学生手臂和背部多处淤青，自述在家被父亲打。",
        },
    )
    assert answer.status == 201, answer.text()
    reference = answer.json()["reference"]
    assert answer.json()["state"] == "received"

    # The street's child supervisor opens the report from the list and takes it through every step.
    sign_in(page, "childsupervisor")
    page.goto("/childcare/")
    in_english(page)
    page.get_by_test_id("reports").get_by_role("link", name=reference).click()
    expect(page.get_by_test_id("reference")).to_have_text(reference)
    expect(page.get_by_test_id("state")).to_contain_text("Received")
    expect(page.get_by_test_id("account")).to_contain_text("自述在家被父亲打")

    form = page.get_by_test_id("step-form")
    form.locator('[name="risk_level"][value="high"]').check()
    form.locator('[name="note"]').fill("当日到校核实：伤痕明显，孩子害怕回家。")
    record_step(page)
    expect(page.get_by_test_id("state")).to_contain_text("Assessed")
    expect(page.get_by_test_id("risk")).to_contain_text("High")

    page.get_by_test_id("step-form").locator('[name="plan"]').fill("报警并转介公安；联系亲属临时照料；学校每日关注。")
    record_step(page)
    expect(page.get_by_test_id("state")).to_contain_text("Plan made")
    expect(page.get_by_test_id("plan")).to_contain_text("报警并转介公安")

    form = page.get_by_test_id("step-form")
    form.locator('[name="action"][value="refer"]').check()
    form.locator('[name="referred_to"]').select_option("police")
    form.locator('[name="note"]').fill("已向拱北派出所报案，民警当日介入。")
    record_step(page)
    expect(page.get_by_test_id("state")).to_contain_text("Referred")
    expect(page.get_by_test_id("referred-to")).to_contain_text("Police")

    page.get_by_test_id("step-form").locator('[name="note"]').fill("复访：孩子由姑姑临时照料，已正常上学。")
    record_step(page)
    expect(page.get_by_test_id("state")).to_contain_text("Follow-up")

    page.get_by_test_id("step-form").locator('[name="outcome"]').fill(OUTCOME)
    record_step(page)
    expect(page.get_by_test_id("state")).to_contain_text("Closed")
    expect(page.get_by_test_id("outcome")).to_contain_text(OUTCOME)
    expect(page.get_by_test_id("closed")).to_be_visible()
    expect(page.get_by_test_id("events")).to_contain_text("已向拱北派出所报案")

    report = MandatoryReport.objects.get(reference=reference)
    assert (report.risk_level, report.referred_to, report.state) == ("high", "police", "closed")
    assert report.events.count() == 6  # received and five steps

    # The school reads the outcome back by the reference.
    answer = school.request.get(f"{REPORTS}{reference}/", headers=headers)
    assert answer.status == 200, answer.text()
    status = answer.json()
    assert (status["reference"], status["state"], status["outcome"]) == (reference, "closed", OUTCOME)
    assert status["closed_at"]
    assert "child" not in status and "account" not in status  # never the case file
    school.close()


def test_the_director_claims_the_allowance_and_records_a_visit(page, demo_city, household_factory):  # noqa: F811
    # The demo city's standard (2,570 in an institution, 2,200 scattered) is loaded with the demo.
    assert AllowanceStandard.objects.get(region_id="440400000000").scattered == Decimal("2200")
    today = timezone.localdate()
    child = household_factory(GONGBEI, size=2, names=["何秀兰", "何小军"]).members.get(name="何小军")
    Resident.objects.filter(pk=child.pk).update(birth_date=date(today.year - 11, 3, 1))
    child.refresh_from_db()
    director, supervisor = User.objects.get(username="childdirector"), User.objects.get(username="childsupervisor")
    profile = services.profile_register(
        actor=director,
        resident=child,
        categories=["de_facto_unsupported", "difficulty_guardianship"],
        director=director,
        supervisor=supervisor,
        guardian="何秀兰",
        father="imprisoned",
        mother="missing",
    )
    name = child.name

    # The director sees the quote, then files the claim.
    sign_in(page, "childdirector")
    page.goto("/childcare/children/")
    in_english(page)
    page.get_by_test_id("profiles").get_by_role("link", name=name).click()
    expect(page.get_by_test_id("child-name")).to_have_text(name)
    quote = page.get_by_test_id("quote-de_facto_unsupported")
    expect(quote.get_by_test_id("quote-amount")).to_have_text("2,200.00")
    expect(quote).to_contain_text("Monthly allowance: 2,200.00 yuan")
    claim = page.get_by_test_id("claim-form")
    expect(claim.locator('[name="kind"][value="de_facto_unsupported"]')).to_be_checked()
    claim.locator('[name="payee_name"]').fill("何秀兰（外婆）")
    claim.locator('[name="account"]').fill("123")
    page.get_by_test_id("claim-submit").click()
    expect(page.get_by_test_id("claim-form")).to_contain_text("An account number is 10 to 30 digits.")
    expect(page.get_by_test_id("claim-form").locator('[name="payee_name"]')).to_have_value("何秀兰（外婆）")
    page.get_by_test_id("claim-form").locator('[name="account"]').fill("6217 0000 1111 2222")
    page.get_by_test_id("claim-submit").click()
    expect(page.get_by_test_id("claims")).to_contain_text("Filed, the street verifies")
    claim = AllowanceClaim.objects.get(profile=profile)
    expect(page.get_by_test_id(f"claim-{claim.pk}").get_by_test_id("claim-due")).to_have_text(claim.due_on.isoformat())

    # A visit moves the next due date.
    visit = page.get_by_test_id("visit-form")
    expect(visit.locator('[name="visited_on"]')).to_have_value(today.isoformat())
    visit.locator('[name="findings"]').fill("外婆照料，按时上学，生活费紧张")
    page.get_by_test_id("visit-submit").click()
    expect(page.get_by_test_id("visits")).to_contain_text("外婆照料，按时上学，生活费紧张")
    due = today + timedelta(days=profile.visit_every_days)
    expect(page.get_by_test_id("next-visit")).to_contain_text(due.isoformat())
    page.context.clear_cookies()  # signed out, and back to the default language for the sign-in page

    # The street's supervisor verifies; a refusal would need reasons.
    sign_in(page, "childsupervisor")
    page.goto(f"/childcare/children/{profile.pk}/")
    in_english(page)
    verify = page.get_by_test_id("verify-form")
    verify.locator('[name="decision"][value="refuse"]').check()
    page.get_by_test_id("decision-submit").click()
    expect(page.get_by_test_id("verify-form")).to_contain_text("A refusal needs written reasons.")
    page.get_by_test_id("verify-form").locator('[name="decision"][value="approve"]').check()
    page.get_by_test_id("decision-submit").click()
    expect(page.get_by_test_id("claims")).to_contain_text("Verified, the district confirms")
    claim.refresh_from_db()
    assert claim.state == ClaimState.VERIFIED
