import pytest
from playwright.sync_api import expect

from civic.demo import DEMO_PASSWORD, accounts_load, regions_load
from tests.conftest import id_number

pytestmark = pytest.mark.browser


@pytest.fixture
def demo_city(transactional_db):
    regions_load()
    accounts_load()


def test_caseworker_registers_a_family_of_three_and_finds_it_by_id_number(page, demo_city):
    page.goto("/accounts/login/")
    page.get_by_label("用户名").fill("caseworker")
    page.get_by_label("密码").fill(DEMO_PASSWORD)
    page.get_by_role("button", name="登录").click()

    page.get_by_role("link", name="家庭档案").click()
    expect(page.get_by_text("本辖区尚未登记任何家庭")).to_be_visible()
    page.get_by_role("link", name="登记家庭").first.click()

    page.get_by_label("地址").fill("侨光路18号3栋502房")
    family = [
        ("head", "陈国平", id_number(birth="19780315", seq=31)),
        ("spouse", "林秀英", id_number(birth="19800620", seq=42)),
        ("child", "陈小雨", id_number(birth="20120909", seq=52)),
    ]
    for i, (relationship, name, number) in enumerate(family):
        row = page.get_by_test_id(f"member-{i}")
        row.get_by_label("与户主关系").select_option(relationship)
        row.get_by_label("姓名").fill(name)
        row.get_by_label("身份证号").fill(number)
    # A typing error in the child's number is caught and explained next to the field.
    page.get_by_test_id("member-2").get_by_label("身份证号").fill(family[2][2][:-1] + "0")
    page.get_by_role("button", name="保存").click()
    expect(page.get_by_test_id("member-2").locator(".field-error")).to_contain_text("校验码错误")
    expect(page.get_by_test_id("member-0").get_by_label("姓名")).to_have_value("陈国平")
    expect(page.locator(".field-error")).to_have_count(1)  # the spare row left empty is not an error

    page.get_by_test_id("member-2").get_by_label("身份证号").fill(family[2][2])
    page.get_by_role("button", name="保存").click()
    expect(page.get_by_test_id("members")).to_contain_text("陈小雨")
    expect(page.get_by_test_id("members")).to_contain_text("林秀英")
    number = page.get_by_test_id("household-number").inner_text()

    page.get_by_role("link", name="家庭档案").first.click()
    page.get_by_label("查询").fill(family[1][2])
    page.get_by_role("button", name="查询").click()
    results = page.get_by_test_id("household-results")
    expect(results).to_contain_text(number)
    expect(results).to_contain_text("陈国平")
    expect(results).to_contain_text(family[0][2][:6] + "********" + family[0][2][-4:])
