"""Charity in a real browser: the demo caseworker refers a family of 侨光社区 from its household file to the
district's fund; the demo charity officer accepts the referral and records the help (a grant from the fund); the
household file then shows the help given. Elements are found by test id and form field name."""

from decimal import Decimal

import pytest
from playwright.sync_api import expect

from charity.models import Fund, Referral, ReferralStatus
from tests.browser.test_relief import demo_city, sign_in, sign_out  # noqa: F401 - fixtures and helpers

pytestmark = pytest.mark.browser

QIAOGUANG = "440402005001"


def test_a_family_is_referred_helped_and_the_household_file_shows_it(page, demo_city, household_factory):  # noqa: F811
    family = household_factory(QIAOGUANG, size=2, names=["苏建平", "苏小冉"])
    fund = Fund.objects.get(name="香洲区助学助困基金")
    balance = fund.balance

    # The caseworker refers the family from its household file.
    sign_in(page, "caseworker")
    page.goto(f"/registry/households/{family.pk}/")
    expect(page.get_by_test_id("charity-empty")).to_be_visible()
    page.get_by_test_id("refer-to-charity").click()
    form = page.get_by_test_id("referral-form")
    form.locator('[name="reason"][value="judgement"]').check()
    form.locator('[name="need"]').fill("女儿考上大学，学费和住宿费约 6000 元，家庭无力承担")
    form.locator('[name="amount_sought"]').fill("6000")
    form.locator('[name="channel"][value="fund"]').check()
    form.locator('[name="fund"]').select_option(str(fund.pk))
    page.get_by_test_id("referral-submit").click()
    expect(page.get_by_test_id("referral-number")).to_be_visible()
    referral = Referral.objects.get(household=family)
    assert referral.status == ReferralStatus.REFERRED
    sign_out(page)

    # The district's charity officer finds it, accepts it and records the help.
    sign_in(page, "charity")
    page.goto("/charity/referrals/")
    page.get_by_role("link", name=referral.number).click()
    page.get_by_test_id("step-accept").locator('[name="note"]').fill("已电话联系家庭，核实录取通知书")
    page.get_by_test_id("step-accept").get_by_role("button").click()
    help_form = page.get_by_test_id("step-help")
    help_form.locator('[name="description"]').fill("资助大学新生学费")
    help_form.locator('[name="value"]').fill("5000")
    help_form.get_by_role("button").click()
    expect(page.get_by_test_id("help-value")).to_contain_text("5000.00")
    referral.refresh_from_db()
    fund.refresh_from_db()
    assert referral.status == ReferralStatus.HELPED
    assert fund.balance == balance - Decimal("5000.00")
    sign_out(page)

    # The household file shows the referral's outcome and the grant.
    sign_in(page, "caseworker")
    page.goto(f"/registry/households/{family.pk}/")
    expect(page.get_by_test_id(f"panel-referral-{referral.pk}")).to_contain_text("资助大学新生学费")
    expect(page.get_by_test_id("panel-grants")).to_contain_text("5000.00")
    expect(page.get_by_test_id("panel-grants")).to_contain_text("香洲区助学助困基金")
