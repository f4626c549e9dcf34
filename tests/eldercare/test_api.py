"""/api/v1/eldercare/: a meal hall's terminal checks elderly in for subsidised meals and is told who pays what;
halls with their menus and daily counts, and the special-hardship elderly with their visits, are read within the
caller's area; staff record visits."""

import json
import re
from datetime import date, timedelta
from decimal import Decimal

import pytest
import yaml
from django.core.management import call_command
from django.utils import timezone
from rest_framework.test import APIClient

from civic.models import ApiToken, Resident
from civic.roles import Role
from eldercare import services
from eldercare.models import CaredElder, Enrolment, HallMenu, Meal, MealHall, MealPolicy, MealTier, Visit
from tests.relief.money_support import CITY, QIAOGUANG, XIANGZHOU, dibao_entitlement, published_policy

D = Decimal
GONGBEI = "440402005002"  # 香洲区 › 拱北街道 › 拱北社区, the same street as 侨光
KANGNING = "440402001001"  # 香洲区 › 翠香街道 › 康宁社区, another street of the district
DOUMEN = "440403000000"
XINTANG = "440403100001"  # 斗门区 › 井岸镇 › 新堂社区
MEALS = "/api/v1/eldercare/meals/"
HALLS = "/api/v1/eldercare/halls/"
ELDERS = "/api/v1/eldercare/elders/"
MONEY = re.compile(r"^\d+\.\d{2}$")


def partner(scopes, region=QIAOGUANG, name="侨光长者饭堂终端"):
    """A partner system's client and its token, stored as create_partner stores one (only the hash)."""
    raw, key_hash, hint = ApiToken.generate()
    token = ApiToken.objects.create(
        name=name, key_hash=key_hash, key_hint=hint, scopes=sorted(scopes), region_id=region
    )
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Bearer {raw}")
    return client, token


def logged_in(user):
    client = APIClient()
    client.force_login(user)
    return client


def born_years_ago(years):
    return date(timezone.localdate().year - years, 1, 1)


def shares(body):
    return body["elder_paid"], body["city_share"], body["district_share"], body["street_share"]


@pytest.fixture
def people(staff_factory):
    return {
        "caseworker": staff_factory(Role.CASEWORKER, QIAOGUANG, username="qiaoguang"),
        "kangning": staff_factory(Role.CASEWORKER, KANGNING, username="kangning"),
        "xintang": staff_factory(Role.CASEWORKER, XINTANG, username="xintang"),
        "doumen": staff_factory(Role.DISTRICT_APPROVER, DOUMEN, username="doumen"),
        "operator": staff_factory(Role.MEAL_OPERATOR, QIAOGUANG, username="mealhall"),
        "child": staff_factory(Role.CHILD_DIRECTOR, QIAOGUANG, username="childdirector"),
    }


@pytest.fixture
def meal_policy(regions):
    """DOMAIN.md's example, a 12-yuan meal: low-income 60+ pay 1, 80+ pay 3, 60–79 pay 5; the city and the district
    pay 3 each; the street pays the rest."""
    policy = MealPolicy.objects.create(region_id=CITY, effective_from=date(2020, 1, 1), name="珠海市长者助餐")
    for tier, elder_pays in (("low_income", "1"), ("age_80", "3"), ("age_60", "5")):
        MealTier.objects.create(policy=policy, tier=tier, elder_pays=D(elder_pays), city_share=3, district_share=3)
    return policy


def hall_in(region, name, **extra):
    hall = MealHall.objects.create(
        name=name, operator="珠海颐康餐饮", address="测试路1号", region_id=region, capacity=80, **extra
    )
    HallMenu.objects.create(hall=hall, meal_type="lunch", price=D("12"))
    return hall


@pytest.fixture
def halls(meal_policy, people):
    qiaoguang = hall_in(QIAOGUANG, "侨光长者饭堂", service_hours="11:00–13:00")
    qiaoguang.operators.add(people["operator"])
    return {
        "qiaoguang": qiaoguang,
        "gongbei": hall_in(GONGBEI, "拱北长者饭堂"),
        "xintang": hall_in(XINTANG, "新堂长者饭堂"),
    }


@pytest.fixture
def terminal(halls):
    """The 侨光 hall's check-in terminal."""
    client, token = partner(["eldercare:meals"])
    halls["qiaoguang"].terminals.add(token)
    return client


def elder(household_factory, region, age, name, enrol_by=None, card=None):
    resident = household_factory(region, size=1, names=[name]).members.get()
    Resident.objects.filter(pk=resident.pk).update(birth_date=born_years_ago(age))
    resident = Resident.objects.get(pk=resident.pk)
    if enrol_by is not None:
        services.enrol(actor=enrol_by, resident=resident, card_number=card or f"C{resident.pk:08d}")
    return resident


@pytest.fixture
def elders(household_factory, people, halls):
    cw = people["caseworker"]
    low_income = elder(household_factory, QIAOGUANG, 70, "王秀英", enrol_by=cw)
    dibao_entitlement(low_income.household, policy=published_policy())
    return {
        "sixties": elder(household_factory, QIAOGUANG, 70, "张小明", enrol_by=cw, card="QG0001"),
        "eighties": elder(household_factory, QIAOGUANG, 85, "李桂兰", enrol_by=cw),
        "low_income": low_income,
        "not_enrolled": elder(household_factory, QIAOGUANG, 72, "赵德明"),
        "kangning": elder(household_factory, KANGNING, 66, "陈美华", enrol_by=people["kangning"]),
        "doumen": elder(household_factory, XINTANG, 68, "黄志强", enrol_by=people["xintang"]),
    }


def check_in(client, resident=None, hall=None, meal_type="lunch", **extra):
    body = {"hall": hall.pk, "meal_type": meal_type, **extra}
    if resident is not None:
        body["id_number"] = resident.id_number
    return client.post(MEALS, body, format="json")


# -------------------------------------------------------------------------------------------- check-ins


def test_a_check_in_records_the_meal_with_who_pays_what(terminal, halls, elders):
    hall = halls["qiaoguang"]
    person = elders["sixties"]
    response = check_in(terminal, person, hall)
    assert response.status_code == 201, response.content
    body = response.json()
    meal = Meal.objects.get()
    assert body["id"] == meal.pk
    assert body["resident_name"] == "张*明" and body["resident_id_number"] == person.id_number_masked
    assert person.id_number not in json.dumps(body)
    assert (body["hall"], body["hall_name"]) == (hall.pk, "侨光长者饭堂")
    assert (body["day"], body["meal_type"], body["tier"]) == (timezone.localdate().isoformat(), "lunch", "age_60")
    assert (body["price"], *shares(body)) == ("12.00", "5.00", "3.00", "3.00", "1.00")
    assert body["source"] == "terminal" and meal.recorded_by_label == "partner: 侨光长者饭堂终端"

    eighty = check_in(terminal, elders["eighties"], hall).json()
    assert (eighty["tier"], *shares(eighty)) == ("age_80", "3.00", "3.00", "3.00", "3.00")
    low = check_in(terminal, elders["low_income"], hall).json()
    assert (low["tier"], *shares(low)) == ("low_income", "1.00", "3.00", "3.00", "5.00")
    for answer in (body, eighty, low):
        assert all(MONEY.match(answer[f]) for f in ("price", "elder_paid", "city_share", "district_share"))


def test_the_same_check_in_again_returns_the_first_meal(terminal, halls, elders):
    first = check_in(terminal, elders["sixties"], halls["qiaoguang"])
    again = check_in(terminal, elders["sixties"], halls["qiaoguang"])
    assert first.status_code == 201 and again.status_code == 200, again.content
    assert again.json() == first.json()
    assert Meal.objects.count() == 1

    # By meal card the same elder is the same meal too.
    by_card = terminal.post(
        MEALS, {"hall": halls["qiaoguang"].pk, "card_number": "QG0001", "meal_type": "lunch"}, format="json"
    )
    assert by_card.status_code == 200 and by_card.json()["id"] == first.json()["id"]

    # With an Idempotency-Key the stored answer is replayed.
    body = {"hall": halls["qiaoguang"].pk, "id_number": elders["eighties"].id_number, "meal_type": "lunch"}
    keyed = terminal.post(MEALS, body, format="json", HTTP_IDEMPOTENCY_KEY="meal-1")
    replay = terminal.post(MEALS, body, format="json", HTTP_IDEMPOTENCY_KEY="meal-1")
    assert keyed.status_code == replay.status_code == 201 and replay["Idempotent-Replayed"] == "true"
    assert Meal.objects.count() == 2


def test_a_meal_card_checks_in_and_served_at_sets_the_day(terminal, halls, elders):
    yesterday = timezone.localtime() - timedelta(days=1)
    body = {
        "hall": halls["qiaoguang"].pk,
        "card_number": "QG0001",
        "meal_type": "lunch",
        "served_at": yesterday.isoformat(),
    }
    response = terminal.post(MEALS, body, format="json")
    assert response.status_code == 201, response.content
    assert response.json()["day"] == yesterday.date().isoformat()
    assert Meal.objects.get().served_on == yesterday.date()


def test_a_terminal_records_meals_only_at_its_own_hall(terminal, halls, elders):
    other, token = partner(["eldercare:meals"], name="拱北终端")
    halls["gongbei"].terminals.add(token)
    for client, hall in ((other, halls["qiaoguang"]), (terminal, halls["gongbei"]), (terminal, halls["xintang"])):
        response = check_in(client, elders["sixties"], hall)
        assert response.status_code == 404 and response.json()["code"] == "not_found", response.content
    unbound, _token = partner(["eldercare:meals"], name="未绑定终端")
    assert check_in(unbound, elders["sixties"], halls["qiaoguang"]).status_code == 404
    response = terminal.post(MEALS, {"hall": 999999, "id_number": elders["sixties"].id_number, "meal_type": "lunch"})
    assert response.status_code == 404
    assert not Meal.objects.exists()


def test_refusals_carry_the_services_codes(terminal, halls, elders, people, household_factory):
    hall = halls["qiaoguang"]
    response = terminal.post(MEALS, {"hall": hall.pk, "id_number": "440402195001019999", "meal_type": "lunch"})
    assert response.status_code == 404 and response.json()["code"] == "unknown_resident"
    response = terminal.post(MEALS, {"hall": hall.pk, "card_number": "NOCARD", "meal_type": "lunch"})
    assert response.status_code == 404 and response.json()["code"] == "unknown_resident"

    response = check_in(terminal, elders["not_enrolled"], hall)
    assert response.status_code == 409 and response.json()["code"] == "not_enrolled"
    assert response.json()["message"] and response.json()["fields"] == {}

    # Enrolled by some other route, but under 60: no subsidy.
    young = elder(household_factory, QIAOGUANG, 45, "周建国")
    Enrolment.objects.create(resident=young, card_number="YOUNG001", enrolled_by=people["caseworker"])
    response = check_in(terminal, young, hall)
    assert response.status_code == 409 and response.json()["code"] == "not_eligible"

    response = check_in(terminal, elders["sixties"], hall, meal_type="breakfast")
    assert response.status_code == 409 and response.json()["code"] == "meal_not_served"

    # Before the meal policy came into force.
    response = check_in(terminal, elders["sixties"], hall, served_at="2019-06-03T12:00:00+08:00")
    assert response.status_code == 409 and response.json()["code"] == "no_policy"

    MealHall.objects.filter(pk=hall.pk).update(is_open=False)
    response = check_in(terminal, elders["sixties"], hall)
    assert response.status_code == 409 and response.json()["code"] == "hall_closed"
    assert not Meal.objects.exists()


def test_a_second_lunch_at_another_hall_the_same_day_is_over_the_limit(terminal, halls, elders):
    gongbei, token = partner(["eldercare:meals"], name="拱北终端")
    halls["gongbei"].terminals.add(token)
    assert check_in(terminal, elders["sixties"], halls["qiaoguang"]).status_code == 201
    response = check_in(gongbei, elders["sixties"], halls["gongbei"])
    assert response.status_code == 409 and response.json()["code"] == "over_daily_limit", response.content
    assert Meal.objects.count() == 1


def test_eating_outside_ones_own_district_or_street_loses_that_levels_share(terminal, halls, elders):
    # From 斗门区: only the city's share is left; the elder pays 12 − 3.
    body = check_in(terminal, elders["doumen"], halls["qiaoguang"]).json()
    assert (body["tier"], *shares(body)) == ("age_60", "9.00", "3.00", "0.00", "0.00")
    # From another street of 香洲区: the street's share is lost; 5 + 1.
    body = check_in(terminal, elders["kangning"], halls["qiaoguang"]).json()
    assert shares(body) == ("6.00", "3.00", "3.00", "0.00")


def test_the_body_names_the_fields_that_are_wrong(terminal, halls, elders):
    hall = halls["qiaoguang"]
    person = elders["sixties"]
    for body, named in (
        ({"hall": hall.pk, "meal_type": "lunch"}, {"id_number", "card_number"}),
        ({"hall": hall.pk, "meal_type": "lunch", "id_number": person.id_number, "card_number": "QG0001"}, None),
        ({"hall": hall.pk, "id_number": person.id_number, "meal_type": "supper"}, {"meal_type"}),
        ({"id_number": person.id_number, "meal_type": "lunch"}, {"hall"}),
        ({"hall": hall.pk, "id_number": person.id_number, "meal_type": "lunch", "served_at": "noon"}, {"served_at"}),
    ):
        response = terminal.post(MEALS, body, format="json")
        assert response.status_code == 400 and response.json()["code"] == "invalid", response.content
        assert named is None or set(response.json()["fields"]) == named
    tomorrow = (timezone.localtime() + timedelta(days=1)).isoformat()
    response = check_in(terminal, person, hall, served_at=tomorrow)
    assert response.status_code == 400 and set(response.json()["fields"]) == {"served_at"}
    assert not Meal.objects.exists()


def test_staff_and_the_halls_operator_may_record_meals_too(halls, elders, people):
    hall = halls["qiaoguang"]
    response = check_in(logged_in(people["caseworker"]), elders["sixties"], hall)
    assert response.status_code == 201 and response.json()["source"] == "browser"
    response = check_in(logged_in(people["operator"]), elders["eighties"], hall)
    assert response.status_code == 201, response.content

    # Another hall: not the operator's; outside the caseworker's community.
    assert check_in(logged_in(people["operator"]), elders["low_income"], halls["gongbei"]).status_code == 404
    assert check_in(logged_in(people["caseworker"]), elders["low_income"], halls["gongbei"]).status_code == 404
    # Without the capability or the scope: 403; without credentials: 401.
    assert check_in(logged_in(people["doumen"]), elders["low_income"], hall).status_code == 403
    assert check_in(logged_in(people["child"]), elders["low_income"], hall).status_code == 403
    reader, _token = partner(["eldercare:read"], region=XIANGZHOU, name="区养老平台")
    response = check_in(reader, elders["low_income"], hall)
    assert response.status_code == 403 and response.json()["code"] == "permission_denied"
    assert check_in(APIClient(), elders["low_income"], hall).status_code == 401
    assert Meal.objects.count() == 2


# ------------------------------------------------------------------------------------------------ halls


def ids(response):
    assert response.status_code == 200, response.content
    return sorted(row["id"] for row in response.json()["results"])


def test_halls_are_listed_within_the_callers_reach(terminal, halls, people):
    qiaoguang, gongbei, xintang = halls["qiaoguang"], halls["gongbei"], halls["xintang"]
    reader, _token = partner(["eldercare:read"], region=XIANGZHOU, name="区养老平台")
    city, _token = partner(["eldercare:read"], region=CITY, name="市养老平台")
    assert ids(terminal.get(HALLS)) == [qiaoguang.pk]
    assert ids(logged_in(people["operator"]).get(HALLS)) == [qiaoguang.pk]
    assert ids(logged_in(people["caseworker"]).get(HALLS)) == [qiaoguang.pk]
    assert ids(logged_in(people["doumen"]).get(HALLS)) == [xintang.pk]
    assert ids(reader.get(HALLS)) == sorted([qiaoguang.pk, gongbei.pk])
    assert ids(city.get(HALLS)) == sorted([qiaoguang.pk, gongbei.pk, xintang.pk])
    assert ids(city.get(HALLS, {"region": DOUMEN})) == [xintang.pk]
    assert ids(city.get(HALLS, {"region": "999999999999"})) == []
    MealHall.objects.filter(pk=gongbei.pk).update(is_open=False)
    assert ids(reader.get(HALLS, {"is_open": "false"})) == [gongbei.pk]

    unbound, _token = partner(["eldercare:meals"], name="未绑定终端")
    assert ids(unbound.get(HALLS)) == []
    assert unbound.get(f"{HALLS}{qiaoguang.pk}/").status_code == 404
    assert terminal.get(f"{HALLS}{gongbei.pk}/").status_code == 404
    assert logged_in(people["doumen"]).get(f"{HALLS}{qiaoguang.pk}/").status_code == 404
    assert reader.get(f"{HALLS}999999/").status_code == 404
    assert logged_in(people["child"]).get(HALLS).status_code == 403
    assert APIClient().get(HALLS).status_code == 401


def test_a_hall_shows_its_menu_and_todays_meals(terminal, halls, elders, django_assert_max_num_queries):
    hall = halls["qiaoguang"]
    HallMenu.objects.create(hall=hall, meal_type="breakfast", price=D("6.5"))
    for person in ("sixties", "eighties", "doumen"):
        assert check_in(terminal, elders[person], hall).status_code == 201
    detail = terminal.get(f"{HALLS}{hall.pk}/")
    assert detail.status_code == 200, detail.content
    body = detail.json()
    assert (body["name"], body["region"], body["region_name"]) == ("侨光长者饭堂", QIAOGUANG, "侨光社区")
    assert (body["capacity"], body["service_hours"], body["is_open"]) == (80, "11:00–13:00", True)
    assert body["menu"] == [{"meal_type": "breakfast", "price": "6.50"}, {"meal_type": "lunch", "price": "12.00"}]
    assert body["today"] == {"breakfast": 0, "lunch": 3, "dinner": 0}

    reader, _token = partner(["eldercare:read"], region=XIANGZHOU, name="区养老平台")
    with django_assert_max_num_queries(6):
        rows = reader.get(HALLS).json()["results"]
    assert {row["id"]: row["today"]["lunch"] for row in rows} == {hall.pk: 3, halls["gongbei"].pk: 0}
    assert next(row for row in rows if row["id"] == hall.pk) == body


def test_daily_counts_of_a_hall(terminal, halls, elders, people):
    hall = halls["qiaoguang"]
    yesterday = timezone.localtime() - timedelta(days=1)
    check_in(terminal, elders["sixties"], hall)
    check_in(terminal, elders["eighties"], hall)
    check_in(terminal, elders["sixties"], hall, served_at=yesterday.isoformat())
    url = f"{HALLS}{hall.pk}/counts/"

    today = terminal.get(url).json()
    assert today == {
        "hall": hall.pk,
        "day": timezone.localdate().isoformat(),
        "counts": {"breakfast": 0, "lunch": 2, "dinner": 0},
        "total": 2,
    }
    earlier = logged_in(people["caseworker"]).get(url, {"day": yesterday.date().isoformat()}).json()
    assert (earlier["counts"]["lunch"], earlier["total"]) == (1, 1)
    assert terminal.get(url, {"day": "2001-01-01"}).json()["total"] == 0

    response = terminal.get(url, {"day": "yesterday"})
    assert response.status_code == 400 and set(response.json()["fields"]) == {"day"}
    assert logged_in(people["doumen"]).get(url).status_code == 404
    assert terminal.get(f"{HALLS}{halls['gongbei'].pk}/counts/").status_code == 404


# ---------------------------------------------------------------------------------------- elderly, visits


@pytest.fixture
def cared(elders, people):
    cw = people["caseworker"]
    return {
        "qiaoguang": services.elder_register(
            actor=cw, resident=elders["sixties"], categories=["living_alone"], risk="key", visitor=cw
        ),
        "high": services.elder_register(
            actor=cw,
            resident=elders["eighties"],
            categories=["empty_nest", "disabled_or_dementia"],
            risk="high",
            visitor=cw,
        ),
        "doumen": services.elder_register(
            actor=people["xintang"],
            resident=elders["doumen"],
            categories=["left_behind"],
            risk="general",
            visitor=people["xintang"],
        ),
    }


def test_the_elderly_are_listed_within_the_callers_area(cared, people, django_assert_max_num_queries):
    mine, high, theirs = cared["qiaoguang"], cared["high"], cared["doumen"]
    caseworker = logged_in(people["caseworker"])
    assert ids(caseworker.get(ELDERS)) == sorted([mine.pk, high.pk])
    assert ids(logged_in(people["doumen"]).get(ELDERS)) == [theirs.pk]
    city, _token = partner(["eldercare:read"], region=CITY, name="市养老平台")
    with django_assert_max_num_queries(4):
        response = city.get(ELDERS)
    assert ids(response) == sorted([mine.pk, high.pk, theirs.pk])

    row = next(row for row in caseworker.get(ELDERS).json()["results"] if row["id"] == mine.pk)
    assert row == {
        "id": mine.pk,
        "name": "张*明",
        "region": QIAOGUANG,
        "region_name": "侨光社区",
        "categories": ["living_alone"],
        "risk": "key",
        "next_visit_due": (timezone.localdate() + timedelta(days=30)).isoformat(),
        "overdue": False,
        "overdue_since": None,
        "last_visited_on": None,
    }

    CaredElder.objects.filter(pk=high.pk).update(next_visit_due=timezone.localdate() - timedelta(days=2))
    assert next(r for r in caseworker.get(ELDERS).json()["results"] if r["id"] == high.pk)["overdue"] is True
    assert ids(caseworker.get(ELDERS, {"overdue": "true"})) == [high.pk]
    assert ids(caseworker.get(ELDERS, {"overdue": "false"})) == [mine.pk]
    assert ids(city.get(ELDERS, {"risk": "general"})) == [theirs.pk]
    assert ids(city.get(ELDERS, {"region": XIANGZHOU})) == sorted([mine.pk, high.pk])
    assert city.get(ELDERS, {"risk": "extreme"}).status_code == 400

    terminal, _token = partner(["eldercare:meals"], name="终端")
    assert terminal.get(ELDERS).status_code == 403
    assert logged_in(people["operator"]).get(ELDERS).status_code == 403
    assert APIClient().get(ELDERS).status_code == 401


def test_staff_record_visits_and_the_next_one_falls_due(cared, people):
    mine = cared["qiaoguang"]
    url = f"{ELDERS}{mine.pk}/visits/"
    caseworker = logged_in(people["caseworker"])
    visited_on = timezone.localdate() - timedelta(days=1)
    body = {"visited_on": visited_on.isoformat(), "findings": "身体尚好，独居", "risks": "", "follow_up": "下月复访"}
    response = caseworker.post(url, body, format="json")
    assert response.status_code == 201, response.content
    answer = response.json()
    visit = Visit.objects.get()
    assert answer["visit"] == {
        "id": visit.pk,
        "elder": mine.pk,
        "visited_on": visited_on.isoformat(),
        "visitor": str(people["caseworker"]),
        "findings": "身体尚好，独居",
        "risks": "",
        "follow_up": "下月复访",
        "recorded_at": answer["visit"]["recorded_at"],
    }
    assert answer["elder"]["next_visit_due"] == (visited_on + timedelta(days=30)).isoformat()
    assert answer["elder"]["last_visited_on"] == visited_on.isoformat()

    # A re-assessed risk sets the next due date: high risk is weekly.
    body = {"visited_on": timezone.localdate().isoformat(), "findings": "跌倒一次", "risk": "high"}
    answer = caseworker.post(url, body, format="json").json()
    assert answer["elder"]["risk"] == "high"
    assert answer["elder"]["next_visit_due"] == (timezone.localdate() + timedelta(days=7)).isoformat()

    listed = caseworker.get(url).json()["results"]
    assert [row["findings"] for row in listed] == ["身体尚好，独居", "跌倒一次"]
    reader, _token = partner(["eldercare:read"], region=XIANGZHOU, name="区养老平台")
    assert [row["id"] for row in reader.get(url).json()["results"]] == [row["id"] for row in listed]


def test_visits_are_refused_outside_the_area_and_without_the_capability(cared, people):
    mine, theirs = cared["qiaoguang"], cared["doumen"]
    url = f"{ELDERS}{mine.pk}/visits/"
    body = {"visited_on": timezone.localdate().isoformat(), "findings": "正常"}
    caseworker = logged_in(people["caseworker"])

    for response in (
        caseworker.post(f"{ELDERS}{theirs.pk}/visits/", body, format="json"),
        caseworker.get(f"{ELDERS}{theirs.pk}/visits/"),
        logged_in(people["doumen"]).get(url),
        caseworker.get(f"{ELDERS}999999/visits/"),
    ):
        assert response.status_code == 404 and response.json()["code"] == "not_found"
    reader, _token = partner(["eldercare:read"], region=XIANGZHOU, name="区养老平台")
    assert reader.post(url, body, format="json").status_code == 403  # partners read visits, staff record them
    auditor = logged_in(people["doumen"])  # eldercare.view without eldercare.record
    assert auditor.post(f"{ELDERS}{theirs.pk}/visits/", body, format="json").status_code == 403

    for bad, named in (
        ({**body, "visited_on": (timezone.localdate() + timedelta(days=1)).isoformat()}, {"visited_on"}),
        ({**body, "findings": ""}, {"findings"}),
        ({**body, "findings": "   "}, {"findings"}),
        ({"findings": "正常"}, {"visited_on"}),
        ({**body, "risk": "extreme"}, {"risk"}),
    ):
        response = caseworker.post(url, bad, format="json")
        assert response.status_code == 400 and set(response.json()["fields"]) == named, response.content
    assert not Visit.objects.exists()


# ----------------------------------------------------------------------------------------------- schema


def test_the_schema_documents_every_endpoint_and_refusal(client, db, tmp_path):
    call_command("spectacular", "--fail-on-warn", "--file", str(tmp_path / "schema.yaml"))
    response = client.get("/api/schema/", {"format": "json"})
    assert response.status_code == 200
    schema = json.loads(response.content) if response.content.startswith(b"{") else yaml.safe_load(response.content)
    paths = schema["paths"]
    expected = {
        (MEALS, "post"): ("eldercare_meals_create", {"200", "201", "400", "401", "403", "404", "409", "422"}),
        (HALLS, "get"): ("eldercare_halls_list", {"200", "400", "401", "403"}),
        (HALLS + "{id}/", "get"): ("eldercare_halls_retrieve", {"200", "401", "403", "404"}),
        (HALLS + "{id}/counts/", "get"): ("eldercare_halls_counts_retrieve", {"200", "400", "401", "403", "404"}),
        (ELDERS, "get"): ("eldercare_elders_list", {"200", "400", "401", "403"}),
        (ELDERS + "{id}/visits/", "get"): ("eldercare_elders_visits_list", {"200", "401", "403", "404"}),
        (ELDERS + "{id}/visits/", "post"): (
            "eldercare_elders_visits_create",
            {"201", "400", "401", "403", "404", "409", "422"},
        ),
    }
    for (path, method), (operation_id, codes) in expected.items():
        operation = paths[path][method]
        assert operation["operationId"] == operation_id
        assert codes <= set(operation["responses"]), (path, method)
    refusals = paths[MEALS]["post"]["responses"]
    for code in ("not_enrolled", "not_eligible", "over_daily_limit", "meal_not_served", "hall_closed", "no_policy"):
        assert code in refusals["409"]["description"]
    assert "unknown_resident" in refusals["404"]["description"]
    meal = schema["components"]["schemas"]["EldercareMealOutput"]["properties"]
    assert meal["elder_paid"]["type"] == "string" and meal["elder_paid"]["format"] == "decimal"
    assert {"cursor", "page_size"} <= {p["name"] for p in paths[ELDERS]["get"]["parameters"]}
    assert {"day"} <= {p["name"] for p in paths[HALLS + "{id}/counts/"]["get"]["parameters"]}


def test_the_scopes_are_registered():
    from civic.api.scopes import SCOPES

    assert {"eldercare:meals", "eldercare:read"} <= set(SCOPES)
