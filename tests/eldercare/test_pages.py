"""The elder-care pages: meal halls for staff of the area and for their own operators only, recording a meal at the
counter (once, with the refusals in words), enrolment, settlements with the street's four-eyes approval, the
statement and its CSV, the special-hardship visiting list with its forms, the coverage table and the household
panel; each page for the right roles, 403 without the capability and 404 outside the region or the hall."""

import csv
import io
from datetime import date, datetime, time, timedelta
from decimal import Decimal

import pytest
from django.conf import settings
from django.urls import reverse
from django.utils import timezone, translation

from civic.models import Job, JobState, Resident
from civic.roles import Role
from eldercare import services
from eldercare.models import (
    CaredElder,
    Enrolment,
    HallMenu,
    Meal,
    MealHall,
    MealPolicy,
    MealTier,
    Settlement,
    SettlementState,
    Tier,
    Visit,
)

D = Decimal
QIAOGUANG = "440402005001"  # 香洲区 › 拱北街道 › 侨光社区
XIAWAN = "440402005003"  # 拱北街道 › 夏湾社区
GONGBEI = "440402005000"  # 拱北街道
XIANGZHOU = "440402000000"
XINTANG = "440403100001"  # 斗门区 › 井岸镇 › 新堂社区


@pytest.fixture
def people(staff_factory):
    return {
        "caseworker": staff_factory(Role.CASEWORKER, QIAOGUANG, username="cw"),
        "xiawan": staff_factory(Role.CASEWORKER, XIAWAN, username="cw-xiawan"),
        "doumen": staff_factory(Role.CASEWORKER, XINTANG, username="cw-doumen"),
        "street": staff_factory(Role.STREET_REVIEWER, GONGBEI, username="street"),
        "street2": staff_factory(Role.STREET_REVIEWER, GONGBEI, username="street2"),
        "approver": staff_factory(Role.DISTRICT_APPROVER, XIANGZHOU, username="district"),
        "auditor": staff_factory(Role.AUDITOR, XIANGZHOU, username="audit"),
        "director": staff_factory(Role.CHILD_DIRECTOR, QIAOGUANG, username="cd"),
        "operator": staff_factory(Role.MEAL_OPERATOR, QIAOGUANG, username="op"),
        "operator2": staff_factory(Role.MEAL_OPERATOR, XIAWAN, username="op2"),
    }


@pytest.fixture
def policy(regions):
    """DOMAIN.md's example: a 12-yuan meal; low-income pays 1, 80+ pays 3, 60–79 pays 5; city and district 3 each."""
    policy = MealPolicy.objects.create(region_id="440400000000", effective_from=date(2024, 1, 1), name="助餐补贴")
    for tier, elder in ((Tier.LOW_INCOME, "1"), (Tier.AGE_80, "3"), (Tier.AGE_60, "5")):
        MealTier.objects.create(policy=policy, tier=tier, elder_pays=D(elder), city_share=D(3), district_share=D(3))
    return policy


def make_hall(name, region, operator=None, **menu):
    hall = MealHall.objects.create(name=name, operator="颐康餐饮", address="测试路1号", region_id=region, capacity=50)
    for meal, price in (menu or {"lunch": "12", "dinner": "10"}).items():
        HallMenu.objects.create(hall=hall, meal_type=meal, price=D(price))
    if operator is not None:
        hall.operators.add(operator)
    return hall


@pytest.fixture
def halls(policy, people):
    return {
        "qiaoguang": make_hall("侨光长者饭堂", QIAOGUANG, people["operator"]),
        "xiawan": make_hall("夏湾长者饭堂", XIAWAN, people["operator2"]),
        "doumen": make_hall("新堂助餐点", XINTANG, breakfast="6", lunch="12"),
    }


def resident_aged(household_factory, age, region=QIAOGUANG, name=None):
    resident = household_factory(region, size=1, names=[name] if name else None).head
    today = timezone.localdate()
    Resident.objects.filter(pk=resident.pk).update(birth_date=today.replace(year=today.year - age) - timedelta(days=10))
    resident.refresh_from_db()
    return resident


def enrolled(household_factory, people, age=70, region=QIAOGUANG, name=None):
    resident = resident_aged(household_factory, age, region, name)
    Enrolment.objects.create(resident=resident, card_number=f"C{resident.pk:06d}", enrolled_by=people["street"])
    return resident


@pytest.fixture
def signed_in(client):
    """A signed-in browser in English (the source language), so messages can be matched. The locale middleware
    leaves English active in this thread after a request; the tests that follow expect the default back."""

    def login(user):
        client.logout()
        client.force_login(user)
        client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
        return client

    yield login
    translation.activate(settings.LANGUAGE_CODE)


def text(response):
    return response.content.decode()


def now_local():
    return f"{timezone.localtime():%Y-%m-%dT%H:%M}"


def record(client, hall, **data):
    payload = {"card_number": "", "id_number": "", "meal_type": "lunch", "served_at": now_local(), **data}
    return client.post(reverse("eldercare:meal-record", args=[hall.pk]), payload)


def last_month_day(day=5):
    return (timezone.localdate().replace(day=1) - timedelta(days=1)).replace(day=day)


def at_noon(day):
    return timezone.make_aware(datetime.combine(day, time(12, 0)))


# --- who may see what ----------------------------------------------------------------------------------------------


def test_each_page_renders_for_its_roles_and_is_refused_without_the_capability(signed_in, people, halls):
    pages = {
        reverse("eldercare:hall-list"): {"caseworker", "street", "approver", "auditor", "operator"},
        reverse("eldercare:hall-detail", args=[halls["qiaoguang"].pk]): {
            "caseworker",
            "street",
            "approver",
            "auditor",
            "operator",
        },
        reverse("eldercare:settlement-list"): {"caseworker", "street", "approver", "auditor", "operator"},
        reverse("eldercare:enrol"): {"caseworker", "street"},
        reverse("eldercare:elder-list"): {"caseworker", "street", "approver", "auditor"},
        reverse("eldercare:elder-overdue"): {"caseworker", "street", "approver", "auditor"},
        reverse("eldercare:visit-coverage"): {"caseworker", "street", "approver", "auditor"},
        reverse("eldercare:elder-register"): {"caseworker", "street"},
    }
    for url, allowed in pages.items():
        for who in ("caseworker", "street", "approver", "auditor", "operator", "director"):
            response = signed_in(people[who]).get(url)
            assert response.status_code == (200 if who in allowed else 403), (url, who, response.status_code)


def test_the_elder_page_is_for_staff_following_elder_care(signed_in, people, halls, household_factory):
    elder = services.elder_register(
        actor=people["caseworker"],
        resident=resident_aged(household_factory, 75),
        categories=["living_alone"],
        risk="high",
        visitor=people["caseworker"],
    )
    url = reverse("eldercare:elder-detail", args=[elder.pk])
    for who, status in (("caseworker", 200), ("street", 200), ("auditor", 200), ("operator", 403), ("director", 403)):
        assert signed_in(people[who]).get(url).status_code == status, who
    assert signed_in(people["xiawan"]).get(url).status_code == 404  # another community
    assert signed_in(people["doumen"]).get(url).status_code == 404
    visit = {"visited_on": timezone.localdate().isoformat(), "findings": "好"}
    assert (
        signed_in(people["auditor"]).post(reverse("eldercare:visit-record", args=[elder.pk]), visit).status_code == 403
    )
    assert (
        signed_in(people["doumen"]).post(reverse("eldercare:visit-record", args=[elder.pk]), visit).status_code == 404
    )
    assert not Visit.objects.exists()


def test_operators_see_their_own_hall_only_and_staff_the_halls_of_their_area(signed_in, people, halls):
    mine, other, doumen = halls["qiaoguang"], halls["xiawan"], halls["doumen"]
    client = signed_in(people["operator"])
    listing = text(client.get(reverse("eldercare:hall-list")))
    assert mine.name in listing and other.name not in listing and doumen.name not in listing
    assert client.get(reverse("eldercare:hall-detail", args=[other.pk])).status_code == 404
    assert client.get(reverse("eldercare:hall-settlements", args=[other.pk])).status_code == 404
    assert record(client, other, card_number="C000001").status_code == 404

    listing = text(signed_in(people["street"]).get(reverse("eldercare:hall-list")))
    assert mine.name in listing and other.name in listing and doumen.name not in listing
    client = signed_in(people["caseworker"])
    assert client.get(reverse("eldercare:hall-detail", args=[other.pk])).status_code == 404  # another community
    assert client.get(reverse("eldercare:hall-detail", args=[doumen.pk])).status_code == 404
    assert signed_in(people["doumen"]).get(reverse("eldercare:hall-detail", args=[mine.pk])).status_code == 404


def test_navigation_by_capability(signed_in, people, halls):
    menu = text(signed_in(people["operator"]).get(reverse("eldercare:hall-list")))
    assert "My meal hall" in menu and "Meal enrolment" not in menu and "Elderly visits" not in menu
    menu = text(signed_in(people["caseworker"]).get(reverse("eldercare:hall-list")))
    assert "Meal halls" in menu and "Meal enrolment" in menu and "Elderly visits" in menu
    assert "My meal hall" not in menu
    menu = text(signed_in(people["approver"]).get(reverse("eldercare:hall-list")))
    assert "Meal halls" in menu and "Meal enrolment" not in menu


# --- meal halls and meals ------------------------------------------------------------------------------------------


def test_the_hall_list_counts_today_s_meals_per_meal(
    signed_in, people, halls, household_factory, django_assert_max_num_queries
):
    hall = halls["qiaoguang"]
    for _ in range(2):
        services.meal_record(
            actor=people["caseworker"], hall=hall, meal_type="lunch", resident=enrolled(household_factory, people)
        )
    services.meal_record(
        actor=people["caseworker"], hall=hall, meal_type="dinner", resident=enrolled(household_factory, people)
    )
    client = signed_in(people["street"])
    with django_assert_max_num_queries(12):
        response = client.get(reverse("eldercare:hall-list"))
    row = text(response).split(f'data-testid="hall-{hall.pk}"')[1].split("</tr>")[0]
    assert [cell.split("<")[0] for cell in row.split('<td class="num">')[2:6]] == ["0", "2", "1", ""]
    assert "<strong>3</strong>" in row


def test_the_hall_page_shows_menu_prices_and_the_day_s_meals(signed_in, people, halls, household_factory):
    hall = halls["qiaoguang"]
    old = enrolled(household_factory, people, age=85, name="陈老伯")
    services.meal_record(actor=people["caseworker"], hall=hall, meal_type="lunch", resident=old)
    yesterday = timezone.localdate() - timedelta(days=1)
    services.meal_record(
        actor=people["caseworker"], hall=hall, meal_type="dinner", resident=old, served_at=at_noon(yesterday)
    )
    client = signed_in(people["operator"])
    page = text(client.get(reverse("eldercare:hall-detail", args=[hall.pk])))
    assert "12.00" in page and "10.00" in page  # the menu
    assert "3.00" in page  # what an elder of 80 or over pays
    assert 'data-testid="meals"' in page and "陈老伯" in page
    assert old.id_number not in page  # masked
    assert 'data-testid="today-total">1<' in page
    assert 'data-testid="record-meal"' in page
    assert 'data-testid="settle-form"' not in page  # operators do not settle

    page = text(client.get(reverse("eldercare:hall-detail", args=[hall.pk]), {"day": yesterday.isoformat()}))
    assert 'data-testid="day-total">1<' in page and 'data-testid="today-total">1<' in page
    assert "Dinner" in page.split('data-testid="meals"')[1]
    page = text(client.get(reverse("eldercare:hall-detail", args=[hall.pk]), {"day": "2999-01-01"}))
    assert "Choose today or a day before." in page

    page = text(signed_in(people["approver"]).get(reverse("eldercare:hall-detail", args=[hall.pk])))
    assert 'data-testid="record-meal"' not in page  # the district follows, it does not record
    assert 'data-testid="settle-form"' in page


def test_recording_a_meal_twice_says_already_recorded_and_stores_one(signed_in, people, halls, household_factory):
    hall = halls["qiaoguang"]
    elder = enrolled(household_factory, people, age=70, name="黄婆婆")
    client = signed_in(people["operator"])
    card = Enrolment.objects.get(resident=elder).card_number
    response = client.post(
        reverse("eldercare:meal-record", args=[hall.pk]),
        {"card_number": card, "meal_type": "lunch", "served_at": now_local()},
        follow=True,
    )
    assert response.status_code == 200
    assert "Lunch recorded for 黄婆婆: the elder pays 5.00 yuan." in text(response)
    meal = Meal.objects.get()
    assert (meal.elder_paid, meal.city_share, meal.district_share, meal.street_share) == (D(5), D(3), D(3), D(1))
    assert meal.source == "browser" and "op" in meal.recorded_by_label

    again = client.post(
        reverse("eldercare:meal-record", args=[hall.pk]),
        {"id_number": elder.id_number, "meal_type": "lunch", "served_at": now_local()},
        follow=True,
    )
    page = text(again)
    assert "was already recorded at" in page and "it is not recorded twice" in page
    assert Meal.objects.count() == 1


@pytest.mark.parametrize(
    ("case", "code", "message"),
    [
        ("not_enrolled", "not_enrolled", "is not enrolled for meals."),
        ("unknown", "unknown_resident", "No resident has this ID or card number."),
        ("over_limit", "over_daily_limit", "has already had the subsidised Lunch today."),
        ("closed", "hall_closed", "This meal hall is closed."),
    ],
)
def test_refusals_are_shown_in_words_and_nothing_is_recorded(
    signed_in, people, halls, household_factory, case, code, message
):
    hall = halls["qiaoguang"]
    elder = enrolled(household_factory, people)
    data = {"id_number": elder.id_number}
    if case == "not_enrolled":
        data = {"id_number": resident_aged(household_factory, 72).id_number}
    elif case == "unknown":
        data = {"card_number": "NOSUCHCARD"}
    elif case == "over_limit":  # lunch already eaten at another hall of the street today
        services.meal_record(actor=people["street"], hall=halls["xiawan"], meal_type="lunch", resident=elder)
    elif case == "closed":
        MealHall.objects.filter(pk=hall.pk).update(is_open=False)
    before = Meal.objects.count()
    response = record(signed_in(people["street"]), hall, **data)
    assert response.status_code in (400, 409)
    page = text(response)
    assert 'data-testid="meal-refusal"' in page and f'data-code="{code}"' in page
    assert message in page
    assert Meal.objects.count() == before


def test_meal_form_errors_stay_next_to_the_fields_with_the_input_kept(signed_in, people, halls, household_factory):
    hall = halls["qiaoguang"]
    client = signed_in(people["operator"])
    response = record(client, hall, meal_type="dinner")
    assert response.status_code == 400
    page = text(response)
    assert "Give the meal card number or the ID number." in page
    assert '<option value="dinner" selected>' in page
    elder = enrolled(household_factory, people)
    tomorrow = timezone.localtime() + timedelta(days=1)
    response = record(client, hall, card_number=f"C{elder.pk:06d}", served_at=f"{tomorrow:%Y-%m-%dT%H:%M}")
    assert response.status_code == 400
    page = text(response)
    assert "Not in the future." in page and f'value="C{elder.pk:06d}"' in page
    response = record(client, hall, card_number="C1", meal_type="breakfast")  # not on this hall's menu
    assert response.status_code == 400 and "Select a valid choice" in text(response)
    assert not Meal.objects.exists()


def test_staff_without_the_right_to_record_cannot_post_a_meal(signed_in, people, halls, household_factory):
    elder = enrolled(household_factory, people)
    response = record(signed_in(people["approver"]), halls["qiaoguang"], id_number=elder.id_number)
    assert response.status_code == 403
    assert not Meal.objects.exists()


# --- enrolment -----------------------------------------------------------------------------------------------------


def test_enrolment_finds_the_resident_shows_the_tier_and_enrols(signed_in, people, halls, household_factory):
    resident = resident_aged(household_factory, 82, name="林阿婆")
    client = signed_in(people["caseworker"])
    page = text(client.get(reverse("eldercare:enrol"), {"id_number": resident.id_number.lower()}))
    assert "林阿婆" in page and 'data-testid="tier"' in page and "80 or over" in page
    assert 'data-testid="enrol-form"' in page
    response = client.post(
        reverse("eldercare:enrol"), {"id_number": resident.id_number, "card_number": "QG 2026 0001"}, follow=True
    )
    assert "林阿婆 is enrolled for meals with card QG20260001" in text(response)
    assert Enrolment.objects.get(resident=resident).card_number == "QG20260001"
    assert "QG20260001" in text(client.get(reverse("eldercare:enrol")))  # the recent enrolments


def test_enrolment_errors_keep_the_input(signed_in, people, halls, household_factory):
    resident = resident_aged(household_factory, 66)
    client = signed_in(people["caseworker"])
    response = client.post(reverse("eldercare:enrol"), {"id_number": resident.id_number, "card_number": "A-1"})
    assert response.status_code == 400
    page = text(response)
    assert "A card number is 4 to 30 letters or digits." in page and 'value="A-1"' in page
    assert "60 to 79" in page  # the resident is still shown
    taken = enrolled(household_factory, people)
    response = client.post(
        reverse("eldercare:enrol"),
        {"id_number": resident.id_number, "card_number": Enrolment.objects.get(resident=taken).card_number},
    )
    assert response.status_code == 400 and "This card number belongs to someone else." in text(response)
    assert not Enrolment.objects.filter(resident=resident).exists()

    young = resident_aged(household_factory, 45)
    page = text(client.get(reverse("eldercare:enrol"), {"id_number": young.id_number}))
    assert "Not eligible" in page and 'data-testid="enrol-form"' not in page
    response = client.post(reverse("eldercare:enrol"), {"id_number": young.id_number, "card_number": "ABCD1234"})
    assert response.status_code == 400 and "Meal subsidies are for residents aged 60 or over" in text(response)

    elsewhere = resident_aged(household_factory, 70, region=XINTANG)
    page = text(client.get(reverse("eldercare:enrol"), {"id_number": elsewhere.id_number}))
    assert "Nobody with this ID number lives in your area." in page
    assert (
        client.post(
            reverse("eldercare:enrol"), {"id_number": elsewhere.id_number, "card_number": "ABCD1234"}
        ).status_code
        == 404
    )
    assert not Enrolment.objects.filter(resident=elsewhere).exists()


# --- settlements ---------------------------------------------------------------------------------------------------


@pytest.fixture
def last_month_meals(people, halls, household_factory):
    hall = halls["qiaoguang"]
    day = last_month_day()
    meals = []
    for age in (70, 85):
        resident = enrolled(household_factory, people, age=age)
        meals.append(
            services.meal_record(
                actor=people["operator"], hall=hall, meal_type="lunch", resident=resident, served_at=at_noon(day)
            )[0]
        )
    return meals


def settle(client, hall, month, capture):
    with capture(execute=True):
        return client.post(reverse("eldercare:settle", args=[hall.pk]), {"month": month}, follow=True)


def test_a_period_is_settled_and_approved_by_a_second_person_of_the_street(
    signed_in, people, halls, last_month_meals, django_capture_on_commit_callbacks
):
    hall = halls["qiaoguang"]
    month = f"{last_month_day():%Y-%m}"
    client = signed_in(people["street"])
    response = settle(client, hall, month, django_capture_on_commit_callbacks)
    # The job is sent when the transaction commits; in this test that is after the page has answered.
    assert "is being computed" in text(response)
    settlement = Settlement.objects.get()
    assert settlement.meal_count == 2 and settlement.subsidy == D("16.00") and settlement.elder_paid == D("8.00")

    hall_page = text(client.get(reverse("eldercare:hall-detail", args=[hall.pk])))
    row = hall_page.split(f'data-testid="settlement-{settlement.pk}"')[1].split("</tr>")[0]
    assert "<strong>16.00</strong>" in row and "hx-trigger" not in hall_page  # (3+3+1) + (3+3+3); nothing to poll
    statement = text(client.get(reverse("eldercare:settlement-detail", args=[settlement.pk])))
    assert 'data-testid="subsidy"><strong>16.00</strong>' in statement
    assert 'data-testid="approve-refusal"' in statement and 'data-testid="approve"' not in statement
    assert "totals-differ" not in statement
    client.post(reverse("eldercare:settlement-approve", args=[settlement.pk]))
    assert Settlement.objects.get().state == SettlementState.DRAFT  # whoever computed it may not approve

    operator = signed_in(people["operator"])
    assert 'data-testid="approve"' not in text(
        operator.get(reverse("eldercare:settlement-detail", args=[settlement.pk]))
    )
    assert operator.post(reverse("eldercare:settlement-approve", args=[settlement.pk])).status_code == 403

    second = signed_in(people["street2"])
    hall_page = text(second.get(reverse("eldercare:hall-detail", args=[hall.pk])))
    assert f'data-testid="approve-{settlement.pk}"' in hall_page
    response = second.post(reverse("eldercare:settlement-approve", args=[settlement.pk]), follow=True)
    assert "is approved: 16.00 yuan of subsidy owed." in text(response)
    settlement.refresh_from_db()
    assert settlement.state == SettlementState.APPROVED and settlement.approved_by == people["street2"]
    assert 'data-testid="approved"' in text(response)


def test_a_period_not_yet_ended_is_refused_next_to_the_month(
    signed_in, people, halls, django_capture_on_commit_callbacks
):
    response = settle(
        signed_in(people["street"]),
        halls["qiaoguang"],
        f"{timezone.localdate():%Y-%m}",
        django_capture_on_commit_callbacks,
    )
    assert response.status_code == 400
    assert "Settle a period once it has ended" in text(response)
    assert not Settlement.objects.exists()
    response = signed_in(people["caseworker"]).post(
        reverse("eldercare:settle", args=[halls["qiaoguang"].pk]), {"month": f"{last_month_day():%Y-%m}"}
    )
    assert response.status_code == 403  # a community caseworker does not settle


def test_the_statement_csv_lists_its_meals_with_masked_ids(
    signed_in, people, halls, last_month_meals, django_capture_on_commit_callbacks
):
    settle(
        signed_in(people["street"]), halls["qiaoguang"], f"{last_month_day():%Y-%m}", django_capture_on_commit_callbacks
    )
    settlement = Settlement.objects.get()
    response = signed_in(people["operator"]).get(reverse("eldercare:settlement-csv", args=[settlement.pk]))
    assert response.status_code == 200 and response["Content-Type"].startswith("text/csv")
    body = b"".join(response.streaming_content).decode("utf-8-sig")
    rows = list(csv.reader(io.StringIO(body)))
    assert rows[0][:4] == ["Day", "Checked in", "Meal", "Name"]
    assert len(rows) == 3
    assert {row[7] for row in rows[1:]} == {"5.00", "3.00"}  # what each elder paid
    for meal in last_month_meals:
        assert meal.resident.id_number not in body
    assert (
        signed_in(people["operator2"]).get(reverse("eldercare:settlement-csv", args=[settlement.pk])).status_code == 404
    )
    assert (
        signed_in(people["doumen"]).get(reverse("eldercare:settlement-detail", args=[settlement.pk])).status_code == 404
    )
    listing = text(signed_in(people["approver"]).get(reverse("eldercare:settlement-list")))
    assert halls["qiaoguang"].name in listing and "16.00" in listing


# --- special-hardship elderly --------------------------------------------------------------------------------------


def register(client, **data):
    return client.post(reverse("eldercare:elder-register"), data)


def test_registering_an_elder_keeps_the_input_on_errors_and_then_lists_them(
    signed_in, people, regions, household_factory
):
    resident = resident_aged(household_factory, 78, name="周伯")
    client = signed_in(people["caseworker"])
    response = register(client, id_number=resident.id_number, risk="key", visitor=people["caseworker"].pk)
    assert response.status_code == 400
    page = text(response)
    assert "This field is required." in page  # no category ticked
    assert f'value="{resident.id_number}"' in page and '<option value="key" selected>' in page

    response = register(
        client, id_number="440402195001010000", categories=["living_alone"], risk="key", visitor=people["caseworker"].pk
    )
    assert response.status_code == 400 and "Nobody with this ID number lives in your area." in text(response)

    young = resident_aged(household_factory, 50)
    response = register(
        client, id_number=young.id_number, categories=["living_alone"], risk="key", visitor=people["caseworker"].pk
    )
    assert response.status_code == 400 and "The visiting list is for residents aged 60 or over." in text(response)

    response = client.post(
        reverse("eldercare:elder-register"),
        {
            "id_number": resident.id_number,
            "categories": ["living_alone", "disabled_or_dementia"],
            "risk": "key",
            "visitor": people["street"].pk,
        },
        follow=True,
    )
    elder = CaredElder.objects.get(resident=resident)
    assert elder.visitor == people["street"] and elder.categories == ["living_alone", "disabled_or_dementia"]
    page = text(response)
    assert "周伯 is on the visiting list" in page and "Living alone" in page
    assert "周伯" in text(client.get(reverse("eldercare:elder-list")))


def test_a_visitor_from_another_community_is_refused_next_to_the_field(signed_in, people, regions, household_factory):
    resident = resident_aged(household_factory, 80)
    client = signed_in(people["street"])
    response = client.post(
        reverse("eldercare:elder-register"),
        {
            "id_number": resident.id_number,
            "categories": ["empty_nest"],
            "risk": "general",
            "visitor": people["xiawan"].pk,
        },
    )
    assert response.status_code == 400
    assert "The visitor must be a member of staff of this community." in text(response)
    assert not CaredElder.objects.exists()


@pytest.fixture
def elders(people, regions, household_factory):
    """Three on 侨光's list (one overdue) and one in 夏湾."""
    today = timezone.localdate()
    cw = people["caseworker"]

    def listed(age, risk, region=QIAOGUANG, visitor=cw, name=None):
        return services.elder_register(
            actor=people["street"],
            resident=resident_aged(household_factory, age, region, name),
            categories=["living_alone"],
            risk=risk,
            visitor=visitor,
        )

    late = listed(81, "high", name="甲")
    services.visit_record(actor=cw, elder=late, visited_on=today - timedelta(days=20), findings="精神尚可")
    fine = listed(70, "key", name="乙")
    general = listed(66, "general", name="丙")
    xiawan = listed(75, "key", region=XIAWAN, visitor=people["xiawan"], name="丁")
    services.visit_record(actor=people["xiawan"], elder=xiawan, visited_on=today, findings="身体健康")
    return {"late": late, "fine": fine, "general": general, "xiawan": xiawan}


def test_the_list_filters_by_risk_and_overdue_and_the_overdue_list(signed_in, people, elders):
    client = signed_in(people["caseworker"])
    page = text(client.get(reverse("eldercare:elder-list")))
    for name in ("甲", "乙", "丙"):
        assert f">{name}</a>" in page
    assert ">丁</a>" not in page  # another community
    assert "Visits overdue (1)" in page and "13 days overdue" in page
    page = text(client.get(reverse("eldercare:elder-list"), {"risk": "key"}))
    assert ">乙</a>" in page and ">甲</a>" not in page
    page = text(client.get(reverse("eldercare:elder-list"), {"overdue": "on"}))
    assert ">甲</a>" in page and ">乙</a>" not in page
    page = text(client.get(reverse("eldercare:elder-overdue")))
    assert ">甲</a>" in page and ">丙</a>" not in page
    page = text(signed_in(people["street"]).get(reverse("eldercare:elder-list")))
    assert ">丁</a>" in page


def test_recording_a_visit_keeps_the_input_on_errors_and_moves_the_next_visit(signed_in, people, elders):
    elder = elders["late"]
    client = signed_in(people["caseworker"])
    url = reverse("eldercare:visit-record", args=[elder.pk])
    today = timezone.localdate()
    response = client.post(url, {"visited_on": today.isoformat(), "findings": "", "risks": "楼梯无扶手"})
    assert response.status_code == 400
    page = text(response)
    assert "This field is required." in page and "楼梯无扶手" in page
    response = client.post(url, {"visited_on": (today + timedelta(days=2)).isoformat(), "findings": "提前登记"})
    assert response.status_code == 400 and "A visit cannot be in the future." in text(response)
    assert "提前登记" in text(response)
    assert elder.visits.count() == 1

    response = client.post(
        url,
        {"visited_on": today.isoformat(), "findings": "老人状态良好", "follow_up": "下周复访", "risk": "key"},
        follow=True,
    )
    page = text(response)
    elder.refresh_from_db()
    assert elder.next_visit_due == today + timedelta(days=30) and elder.risk == "key" and elder.overdue_since is None
    assert f"the next one is due by {elder.next_visit_due.isoformat()}" in page
    assert "老人状态良好" in page.split('data-testid="visits"')[1]
    assert elder.visits.count() == 2 and elder.visits.first().follow_up == "下周复访"


def test_the_coverage_table_per_community(signed_in, people, elders):
    page = text(signed_in(people["street"]).get(reverse("eldercare:visit-coverage")))
    qiaoguang = page.split(f'data-testid="coverage-{QIAOGUANG}"')[1].split("</tr>")[0]
    xiawan = page.split(f'data-testid="coverage-{XIAWAN}"')[1].split("</tr>")[0]
    total = page.split('data-testid="coverage-total"')[1].split("</tr>")[0]
    visited_late = elders["late"].visits.filter(visited_on__gte=timezone.localdate().replace(day=1)).exists()
    seen = 1 if visited_late else 0
    assert f'<td class="num">3</td><td class="num">{seen}</td>' in qiaoguang
    assert f"{seen / 3 * 100:.1f}%" in qiaoguang
    assert '<td class="num">1</td><td class="num">1</td>' in xiawan and "100.0%" in xiawan
    assert f'<th class="num">4</th><th class="num">{seen + 1}</th>' in total
    assert f"{(seen + 1) / 4 * 100:.1f}%" in total

    page = text(signed_in(people["caseworker"]).get(reverse("eldercare:visit-coverage")))
    assert f"coverage-{XIAWAN}" not in page and f"coverage-{QIAOGUANG}" in page
    earlier = date(2020, 1, 1)
    page = text(signed_in(people["caseworker"]).get(reverse("eldercare:visit-coverage"), {"month": f"{earlier:%Y-%m}"}))
    assert "Nobody was on the visiting list in this month." in page
    page = text(signed_in(people["caseworker"]).get(reverse("eldercare:visit-coverage"), {"month": "2026-13"}))
    assert "Give the month as YYYY-MM." in page


# --- the household file --------------------------------------------------------------------------------------------


def test_the_household_panel_shows_meals_and_visits(signed_in, people, halls, elders, household_factory):
    hall = halls["qiaoguang"]
    elder = elders["late"]
    Enrolment.objects.create(resident=elder.resident, card_number="QG-CARD-1", enrolled_by=people["street"])
    services.meal_record(actor=people["caseworker"], hall=hall, meal_type="lunch", resident=elder.resident)
    client = signed_in(people["caseworker"])
    page = text(client.get(reverse("registry:household-detail", args=[elder.resident.household_id])))
    panel = page.split('data-testid="eldercare-panel"')[1]
    assert "QG-CARD-1" in panel and hall.name in panel and "80 or over" in panel
    assert 'data-testid="panel-elders"' in panel and "overdue" in panel and "High risk" in panel

    young = household_factory(QIAOGUANG, size=1)
    Resident.objects.filter(pk=young.head_id).update(birth_date=date(1995, 5, 5))
    page = text(client.get(reverse("registry:household-detail", args=[young.pk])))
    assert 'data-testid="eldercare-panel"' not in page  # nobody of 60 or over: no panel

    older = resident_aged(household_factory, 68, name="何伯")
    page = text(client.get(reverse("registry:household-detail", args=[older.household_id])))
    assert 'data-testid="panel-not-enrolled"' in page and "何伯" in page.split('data-testid="eldercare-panel"')[1]


# --- demo data -----------------------------------------------------------------------------------------------------


def test_the_demo_loader_is_idempotent(db):
    from io import StringIO

    from django.core.management import call_command

    from civic import demo, demo_population

    demo.regions_load()
    demo.accounts_load()
    demo_population.households_add(60, seed=7)
    call_command("seed_demo", stdout=StringIO())
    counts = (MealHall.objects.count(), Enrolment.objects.count(), Meal.objects.count(), CaredElder.objects.count())
    call_command("seed_demo", stdout=StringIO())
    assert (
        MealHall.objects.count(),
        Enrolment.objects.count(),
        Meal.objects.count(),
        CaredElder.objects.count(),
    ) == counts
    assert MealPolicy.objects.get().tiers.count() == 3
    operated = MealHall.objects.get(operators__username="mealhall")
    assert operated.region_id == XIAWAN
    assert MealHall.objects.filter(region__code__startswith="440403").exists()


def test_the_settlements_poll_while_one_is_being_computed(signed_in, people, halls):
    hall = halls["qiaoguang"]
    day = last_month_day(1)
    settlement = Settlement.objects.create(hall=hall, period_start=day, period_end=last_month_day(28))
    job = Job.objects.create(
        kind="eldercare.settle",
        key=f"eldercare.settle:{settlement.pk}",
        region_id=QIAOGUANG,
        params={"settlement": settlement.pk},
        state=JobState.RUNNING,
        total=10,
        done=4,
    )
    client = signed_in(people["street"])
    url = reverse("eldercare:hall-settlements", args=[hall.pk])
    page = text(client.get(reverse("eldercare:hall-detail", args=[hall.pk])))
    assert f'hx-get="{url}"' in page and 'hx-trigger="every 2s"' in page
    fragment = text(client.get(url, HTTP_HX_REQUEST="true"))
    assert "<html" not in fragment and "40%" in fragment and 'data-testid="settle-form"' in fragment
    Job.objects.filter(pk=job.pk).update(state=JobState.DONE)
    Settlement.objects.filter(pk=settlement.pk).update(computed_at=timezone.now())
    fragment = text(client.get(url, HTTP_HX_REQUEST="true"))
    assert "hx-trigger" not in fragment and f'data-testid="approve-{settlement.pk}"' in fragment
