import re

import pytest
from playwright.sync_api import expect

from civic.demo import DEMO_PASSWORD, accounts_load, regions_load

pytestmark = pytest.mark.browser


@pytest.fixture
def demo_city(transactional_db):
    regions_load()
    accounts_load()


def test_caseworker_signs_in_switches_language_and_signs_out(page, demo_city):
    page.goto("/")
    # Not signed in: the portal sends you to the real login page, in Chinese by default.
    expect(page).to_have_url(re.compile(r"/accounts/login/"))
    expect(page.locator("h1")).to_have_text("登录")

    page.get_by_label("用户名").fill("caseworker")
    page.get_by_label("密码").fill("wrong-password")
    page.get_by_role("button", name="登录").click()
    expect(page.locator(".error-summary")).to_be_visible()
    # The username typed stays in the form after a failed attempt.
    expect(page.get_by_label("用户名")).to_have_value("caseworker")

    page.get_by_label("密码").fill(DEMO_PASSWORD)
    page.get_by_role("button", name="登录").click()
    expect(page.get_by_test_id("role")).to_contain_text("社区经办人")
    expect(page.get_by_test_id("region")).to_contain_text("侨光社区")
    expect(page.get_by_test_id("duties")).to_contain_text("全城通办")

    page.get_by_role("button", name="English").click()
    expect(page.get_by_test_id("role")).to_contain_text("Community caseworker")
    expect(page.locator("h2")).to_have_text("What you can do here")

    page.get_by_role("button", name="简体中文").click()
    expect(page.locator("h2")).to_have_text("您可以在这里做什么")

    page.get_by_role("button", name="退出").click()
    expect(page).to_have_url(re.compile(r"/accounts/login/"))


def test_manager_sees_administration_in_the_menu_and_caseworker_does_not(page, demo_city):
    def sign_in(username):
        page.goto("/accounts/login/")
        page.get_by_label("用户名").fill(username)
        page.get_by_label("密码").fill(DEMO_PASSWORD)
        page.get_by_role("button", name="登录").click()
        expect(page.get_by_test_id("whoami")).to_be_visible()

    sign_in("manager")
    expect(page.locator(".mainnav")).to_contain_text("系统管理")
    page.get_by_role("button", name="退出").click()

    sign_in("caseworker")
    expect(page.locator(".mainnav")).not_to_contain_text("系统管理")
