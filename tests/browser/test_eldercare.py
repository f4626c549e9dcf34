"""Elder care in a real browser: the demo meal-hall operator records a meal at the counter (once, even when the card
is shown twice), and the demo caseworker records a visit to a special-hardship elder. Elements are found by test
id and form field name (the Chinese of new labels is added by the translators), the visit in English through the
language switcher."""

from datetime import timedelta

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from civic.models import Resident, User
from eldercare import services
from eldercare.models import Enrolment, Meal, Visit
from tests.browser.test_relief import demo_city, sign_in  # noqa: F401 - fixtures and helpers

pytestmark = pytest.mark.browser

QIAOGUANG = "440402005001"
XIAWAN = "440402005003"  # the demo operator's community and hall


def aged(resident, years):
    today = timezone.localdate()
    Resident.objects.filter(pk=resident.pk).update(
        birth_date=today.replace(year=today.year - years) - timedelta(days=9)
    )
    resident.refresh_from_db()
    return resident


def test_the_operator_records_a_meal_once_at_the_counter(page, demo_city, household_factory):  # noqa: F811
    elder = aged(household_factory(XIAWAN, size=1, names=["梁秀英"]).head, 72)
    services.enrol(actor=User.objects.get(username="reviewer"), resident=elder, card_number="XW0001")

    sign_in(page, "mealhall")
    page.goto("/eldercare/")
    page.get_by_test_id("halls").get_by_role("link", name="夏湾社区长者饭堂").click()
    expect(page.get_by_test_id("hall-name")).to_have_text("夏湾社区长者饭堂")
    expect(page.get_by_test_id("today-total")).to_have_text("0")

    form = page.get_by_test_id("record-meal")
    form.locator('[name="card_number"]').fill("XW0001")
    form.locator('[name="meal_type"]').select_option("lunch")
    page.get_by_test_id("record-meal-submit").click()
    expect(page.get_by_test_id("meals")).to_contain_text("梁秀英")
    expect(page.get_by_test_id("meals")).to_contain_text("5.00")  # 60 to 79 pays 5 of the 12 yuan
    expect(page.get_by_test_id("today-total")).to_have_text("1")

    # The same card again: the page says so and nothing is recorded twice.
    page.get_by_test_id("record-meal").locator('[name="card_number"]').fill("XW0001")
    page.get_by_test_id("record-meal").locator('[name="meal_type"]').select_option("lunch")
    page.get_by_test_id("record-meal-submit").click()
    expect(page.locator(".messages li.warning")).to_be_visible()
    expect(page.get_by_test_id("today-total")).to_have_text("1")
    assert Meal.objects.filter(resident=elder).count() == 1

    # A card nobody holds is refused in words, and the input stays.
    page.get_by_test_id("record-meal").locator('[name="card_number"]').fill("NOSUCH99")
    page.get_by_test_id("record-meal-submit").click()
    expect(page.get_by_test_id("meal-refusal")).to_be_visible()
    expect(page.get_by_test_id("record-meal").locator('[name="card_number"]')).to_have_value("NOSUCH99")
    assert Meal.objects.count() == 1
    assert Enrolment.objects.get(resident=elder).card_number == "XW0001"


def test_the_caseworker_records_a_visit(page, demo_city, household_factory):  # noqa: F811
    caseworker = User.objects.get(username="caseworker")
    resident = aged(household_factory(QIAOGUANG, size=1, names=["赵伯"]).head, 83)
    elder = services.elder_register(
        actor=caseworker, resident=resident, categories=["living_alone"], risk="high", visitor=caseworker
    )
    today = timezone.localdate()

    sign_in(page, "caseworker")
    page.goto("/eldercare/elders/")
    page.get_by_role("button", name="English").click()
    page.get_by_test_id("elders").get_by_role("link", name="赵伯").click()
    expect(page.get_by_test_id("elder-name")).to_have_text("赵伯")

    visit = page.get_by_test_id("visit-form")
    expect(visit.get_by_label("Visited on")).to_have_value(today.isoformat())
    visit.get_by_label("Findings").fill("独居，精神状态良好，已检查燃气阀门")
    visit.get_by_label("Follow-up").fill("下周送药上门")
    visit.get_by_label("Risk from now on").select_option("key")
    page.get_by_test_id("visit-submit").click()

    expect(page.get_by_test_id("visits")).to_contain_text("独居，精神状态良好，已检查燃气阀门")
    due = today + timedelta(days=30)  # key: monthly, counted from this visit
    expect(page.get_by_test_id("next-visit")).to_contain_text(due.isoformat())
    expect(page.locator(".messages")).to_contain_text("Visit recorded")
    visit = Visit.objects.get(elder=elder)
    assert visit.visitor == caseworker and visit.follow_up == "下周送药上门"
