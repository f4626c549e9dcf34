"""/api/v1/relief/policies/: authorised partners and city managers draft, simulate and read relief policies;
a second member of staff publishes them."""

from datetime import timedelta

import pytest
from django.utils import timezone
from rest_framework.test import APIClient

from civic.models import FieldChange, Job, User
from civic.roles import Role
from relief.models import ReliefPolicy

QIAOGUANG = "440402005001"  # 香洲区 › 拱北街道 › 侨光社区 (urban)
NANMEN = "440403102201"  # 斗门区 › 斗门镇 › 南门村 (rural)
CITY = "440400000000"
XIANGZHOU = "440402000000"
DOUMEN = "440403000000"
URL = "/api/v1/relief/policies/"
IN_FORCE = URL + "in-force/"
QUOTES = "/api/v1/relief/quotes/"


def partner(scopes, region_code=CITY):
    from civic.services import partner_create

    _token, raw = partner_create(name=f"标准服务 {'+'.join(scopes)}", scopes=scopes, region_code=region_code)
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Bearer {raw}")
    return client


def staff(staff_factory, role, region_code, username=None):
    client = APIClient()
    client.force_login(staff_factory(role, region_code, username=username))
    return client


@pytest.fixture
def manager(staff_factory):
    return staff(staff_factory, Role.CITY_MANAGER, CITY)


@pytest.fixture
def second(staff_factory):
    """Another city manager: a policy is published by someone other than who drafted it."""
    return staff(staff_factory, Role.CITY_MANAGER, CITY, username="second-manager")


@pytest.fixture
def caseworker(staff_factory):
    return staff(staff_factory, Role.CASEWORKER, QIAOGUANG)


def later(months=2):
    """The first day of a month to come: a standard starts on the first of a month."""
    day = timezone.localdate().replace(day=1)
    for _ in range(months):
        day = (day + timedelta(days=32)).replace(day=1)
    return day


def body(region=CITY, standard="1100", start="2024-01-01", area="urban", **extra):
    return {
        "region": region,
        "area": area,
        "effective_from": str(start),
        "name": f"{region} {standard} {start}",
        "dibao_standard": standard,
        **extra,
    }


def draft(client, **kwargs):
    response = client.post(URL, body(**kwargs), format="json")
    assert response.status_code == 201, response.content
    return response.json()


def simulate(client, policy):
    response = client.post(f"{URL}{policy['id']}/simulate/")
    assert response.status_code == 200, response.content
    return response.json()


def publish(drafter, publisher, **kwargs):
    """Draft, simulate and publish a policy (the drafter drafts and simulates, another publishes)."""
    policy = draft(drafter, **kwargs)
    simulate(drafter, policy)
    response = publisher.post(f"{URL}{policy['id']}/publish/")
    assert response.status_code == 200, response.content
    return response.json()["policy"]


def quote(client, on):
    data = {"programme": "dibao", "region": QIAOGUANG, "date": on, "members": [{"age": 40}, {"age": 10}]}
    response = client.post(QUOTES, data, format="json")
    assert response.status_code == 200, response.content
    return response.json()


# ----------------------------------------------------------------------------------------------- publishing


def test_published_policies_are_used_by_quotes_from_their_start_date(manager, second, caseworker, regions):
    first = publish(
        manager, second, topups=[{"category": "minor", "kind": "percent", "value": "40"}], floor_share="0.2"
    )
    assert first["dibao_standard"] == "1100.00" and first["floor_share"] == "0.2000"
    assert first["care_full_dispersed"] == "0.4000" and first["temp_aid_street_limit"] == "3000.00"
    assert first["topups"] == [
        {"id": first["topups"][0]["id"], "category": "minor", "min_age": None, "kind": "percent", "value": "40.00"}
    ]
    assert first["region_level"] == "city" and first["state"] == "published" and first["editable"] is False
    assert first["created_by"] and first["published_by"] and first["published_by"] != first["created_by"]
    assert first["published_at"] and first["simulated_at"]
    assert first["simulation"]["totals"] == {
        "entitlements": 0,
        "changed": 0,
        "old_total": "0.00",
        "new_total": "0.00",
        "back_pay": "0.00",
    }
    assert (first["price_cpi_threshold"], first["price_food_threshold"], first["price_minimum"]) == (
        "3.50",
        "6.00",
        "0.00",
    )
    assert first["price_programmes"] == ["dibao", "tekun"]

    standards = partner(["relief:policy"])
    later_one = publish(standards, manager, standard="1200", start="2025-07-01")
    assert later_one["created_by"] is None and later_one["published_by"]
    changes = FieldChange.objects.filter(object_id=later_one["id"])
    assert changes.filter(field="dibao_standard", after="1200.00").get().actor_label
    assert changes.first().actor_label.startswith("partner:")

    # A draft is not in force, whatever its date.
    unpublished = draft(manager, standard="5000", start="2025-08-01")
    assert unpublished["state"] == "draft" and unpublished["editable"] is True
    assert unpublished["simulation"] is None and unpublished["published_at"] is None

    before = quote(caseworker, "2025-06-30")
    assert before["policy"]["id"] == first["id"]
    assert before["amount"] == "2640.00"  # 2 × 1,100 + 40% × 1,100 for the child
    after = quote(caseworker, "2025-08-01")
    assert after["policy"]["id"] == later_one["id"] and after["amount"] == "2400.00"  # no top-ups in the new one
    assert manager.get(IN_FORCE, {"region": QIAOGUANG, "date": "2025-09-01"}).json()["id"] == later_one["id"]


def test_publishing_needs_a_simulation_and_a_second_member_of_staff(manager, second, regions):
    policy = draft(manager, price_cpi_threshold="4", price_minimum="20", price_programmes=["dibao"])
    assert (policy["price_cpi_threshold"], policy["price_minimum"], policy["price_programmes"]) == (
        "4.00",
        "20.00",
        ["dibao"],
    )
    publish_url = f"{URL}{policy['id']}/publish/"

    response = second.post(publish_url)
    assert response.status_code == 409 and response.json()["code"] == "not_simulated"
    simulated = simulate(manager, policy)
    assert simulated["simulation"]["standard"] == "1100.00" and simulated["simulation"]["regions"] == []

    response = manager.post(publish_url)
    assert response.status_code == 403 and response.json()["code"] == "separation_of_duties"
    response = partner(["relief:policy"]).post(publish_url)
    assert response.status_code == 403 and response.json()["code"] == "permission_denied"
    assert ReliefPolicy.objects.get(pk=policy["id"]).state == "draft"

    response = second.post(publish_url)
    assert response.status_code == 200, response.content
    answer = response.json()
    assert answer["policy"]["state"] == "published" and answer["policy"]["id"] == policy["id"]
    # It started in the past: the recompute of its entitlements starts at once.
    assert answer["job"]["kind"] == "relief.recompute" and answer["job"]["state"] == "queued"
    assert Job.objects.get(pk=answer["job"]["id"]).params == {"policy": policy["id"]}

    future = draft(manager, start=str(later()))
    simulate(manager, future)
    response = second.post(f"{URL}{future['id']}/publish/")
    assert response.status_code == 200 and response.json()["job"] is None  # applied on its day


def test_the_in_force_lookup_prefers_the_districts_own_policy(manager, second, regions):
    city = publish(manager, second)
    district = publish(manager, second, region=XIANGZHOU, standard="1250", start="2024-03-01")
    draft(manager, region=XIANGZHOU, standard="8888", start="2024-06-01")  # never published
    publish(manager, second, region=XIANGZHOU, standard="9999", start=str(later()))  # not yet in force
    rural = publish(manager, second, area="rural", standard="1000")

    district_partner = partner(["relief:quote"], region_code=XIANGZHOU)
    response = district_partner.get(IN_FORCE, {"region": QIAOGUANG, "date": "2024-06-01"})
    assert response.status_code == 200 and response.json()["id"] == district["id"]
    assert district_partner.get(IN_FORCE, {"region": QIAOGUANG, "date": "2024-02-01"}).json()["id"] == city["id"]

    # 南门村 is rural: the city's rural policy by default, the city's urban one when asked.
    assert manager.get(IN_FORCE, {"region": NANMEN}).json()["id"] == rural["id"]
    assert manager.get(IN_FORCE, {"region": NANMEN, "area": "urban"}).json()["id"] == city["id"]

    none = manager.get(IN_FORCE, {"region": QIAOGUANG, "date": "2023-12-31"})
    assert none.status_code == 404 and none.json()["code"] == "no_policy"
    assert district_partner.get(IN_FORCE, {"region": NANMEN}).status_code == 404  # outside its area
    assert set(manager.get(IN_FORCE, {"region": "4404"}).json()["fields"]) == {"region"}


def test_the_list_filters_and_shows_the_regions_above(manager, second, regions):
    city = publish(manager, second)
    newer = publish(manager, second, standard="1150", start="2024-07-01")
    district = publish(manager, second, region=XIANGZHOU, standard="1250")
    doumen = publish(manager, second, region=DOUMEN, standard="1050")

    ids = lambda response: [p["id"] for p in response.json()["results"]]  # noqa: E731
    assert ids(manager.get(URL)) == [city["id"], newer["id"], district["id"], doumen["id"]]
    assert ids(manager.get(URL, {"in_force_on": "2024-06-30"})) == [city["id"], district["id"], doumen["id"]]
    assert ids(manager.get(URL, {"in_force_on": "2024-07-01", "region": CITY})) == [newer["id"]]
    assert ids(manager.get(URL, {"area": "rural"})) == []
    assert set(manager.get(URL, {"in_force_on": "soon"}).json()["fields"]) == {"in_force_on"}

    # A district reads its own policies and the city's, not another district's.
    xiangzhou = partner(["relief:quote"], region_code=XIANGZHOU)
    assert ids(xiangzhou.get(URL)) == [city["id"], newer["id"], district["id"]]
    assert xiangzhou.get(f"{URL}{city['id']}/").json()["dibao_standard"] == "1100.00"
    assert xiangzhou.get(f"{URL}{doumen['id']}/").status_code == 404

    first_page = manager.get(URL, {"page_size": 2}).json()
    assert len(first_page["results"]) == 2 and first_page["next"]
    assert [p["id"] for p in manager.get(first_page["next"]).json()["results"]] == [district["id"], doumen["id"]]

    # Drafts are listed for those who write policies, not for readers of published ones.
    pending = draft(manager, standard="1300", start=str(later()))
    assert ids(manager.get(URL, {"state": "draft"})) == [pending["id"]]
    assert ids(manager.get(URL, {"state": "published"})) == [city["id"], newer["id"], district["id"], doumen["id"]]
    assert pending["id"] in ids(partner(["relief:policy"], region_code=XIANGZHOU).get(URL))
    assert pending["id"] not in ids(xiangzhou.get(URL))
    assert xiangzhou.get(f"{URL}{pending['id']}/").status_code == 404


# ------------------------------------------------------------------------------------------------- editing


def test_a_published_policy_is_never_changed(manager, second, regions):
    old = publish(manager, second)
    future = publish(manager, second, standard="1150", start=str(later()))
    for policy in (old, future):
        for response in (
            manager.patch(f"{URL}{policy['id']}/", {"dibao_standard": "1"}, format="json"),
            manager.post(f"{URL}{policy['id']}/simulate/"),
            second.post(f"{URL}{policy['id']}/publish/"),
        ):
            assert response.status_code == 409, response.content
            assert response.json()["code"] == "policy_published"
    assert ReliefPolicy.objects.get(pk=old["id"]).dibao_standard == 1100
    assert ReliefPolicy.objects.get(pk=future["id"]).dibao_standard == 1150


def test_a_draft_can_be_corrected_a_published_policy_cannot(manager, second, regions):
    pending = draft(manager, start=str(later()), topups=[{"category": "minor", "kind": "percent", "value": "40"}])
    assert pending["editable"] is True and pending["state"] == "draft"
    assert simulate(manager, pending)["simulation"] is not None
    changes = {
        "dibao_standard": "1180.50",
        "topups": [{"category": "elderly", "min_age": 70, "kind": "fixed", "value": "100"}],
        "price_food_threshold": "5.5",
    }
    response = manager.patch(f"{URL}{pending['id']}/", changes, format="json")
    assert response.status_code == 200, response.content
    answer = response.json()
    assert answer["dibao_standard"] == "1180.50" and answer["name"] == pending["name"]
    assert answer["price_food_threshold"] == "5.50"
    assert [(t["category"], t["min_age"], t["value"]) for t in answer["topups"]] == [("elderly", 70, "100.00")]
    assert answer["simulation"] is None and answer["simulated_at"] is None  # a change needs a new simulation
    history = FieldChange.objects.get(object_id=pending["id"], field="dibao_standard", action="changed")
    assert (history.before, history.after) == ("1100.00", "1180.50")

    # Fields not sent keep their values, top-ups too.
    response = manager.patch(f"{URL}{pending['id']}/", {"name": "第二稿"}, format="json")
    assert response.json()["name"] == "第二稿" and len(response.json()["topups"]) == 1

    response = second.post(f"{URL}{pending['id']}/publish/")
    assert response.status_code == 409 and response.json()["code"] == "not_simulated"
    simulate(manager, pending)
    assert second.post(f"{URL}{pending['id']}/publish/").status_code == 200
    response = manager.patch(f"{URL}{pending['id']}/", {"name": "第三稿"}, format="json")
    assert response.status_code == 409 and response.json()["code"] == "policy_published"
    assert ReliefPolicy.objects.get(pk=pending["id"]).name == "第二稿"


# ---------------------------------------------------------------------------------------------- validation


def fields(response):
    assert response.status_code == 400, response.content
    assert response.json()["code"] == "invalid"
    return set(response.json()["fields"])


def test_validation_errors_name_the_field(manager, second, regions):
    assert fields(manager.post(URL, body(standard="-5"), format="json")) == {"dibao_standard"}
    assert fields(manager.post(URL, body(standard="0", care_self_dispersed="-0.1"), format="json")) == {
        "dibao_standard",
        "care_self_dispersed",
    }
    elderly = [
        {"category": "minor", "kind": "percent", "value": "20"},
        {"category": "elderly", "kind": "fixed", "value": "50"},
    ]
    assert fields(manager.post(URL, body(topups=elderly), format="json")) == {"topups.1.min_age"}
    too_much = [
        {"category": "minor", "kind": "percent", "value": "250"},
        {"category": "student", "kind": "fixed", "value": "-1"},
    ]
    assert fields(manager.post(URL, body(topups=too_much), format="json")) == {"topups.0.value", "topups.1.value"}
    assert fields(manager.post(URL, body(care_basis="wage_share"), format="json")) == {"minimum_wage"}
    limits = body(temp_aid_street_limit="5000", temp_aid_district_limit="4000")
    assert fields(manager.post(URL, limits, format="json")) == {"temp_aid_district_limit"}
    assert fields(manager.post(URL, body(region="440402005000"), format="json")) == {"region"}  # a street
    assert fields(manager.post(URL, body(start="2024-01-15"), format="json")) == {"effective_from"}
    price = body(price_cpi_threshold="-1", price_minimum="-5")
    assert fields(manager.post(URL, price, format="json")) == {"price_cpi_threshold", "price_minimum"}
    assert fields(manager.post(URL, body(price_programmes=["edge"]), format="json")) == {"price_programmes.0"}
    assert fields(manager.post(URL, {"region": CITY}, format="json")) == {
        "area",
        "effective_from",
        "name",
        "dibao_standard",
    }
    assert not ReliefPolicy.objects.exists()

    publish(manager, second)
    duplicate = manager.post(URL, body(standard="1300"), format="json")
    assert fields(duplicate) == {"effective_from"}
    assert publish(manager, second, area="rural")  # the same day for rural households is another policy

    pending = draft(manager, start=str(later()))
    response = manager.patch(f"{URL}{pending['id']}/", {"effective_from": "2024-01-01"}, format="json")
    assert fields(response) == {"effective_from"}
    response = manager.patch(
        f"{URL}{pending['id']}/", {"topups": [{"category": "elderly", "kind": "fixed", "value": "1"}]}, format="json"
    )
    assert fields(response) == {"topups.0.min_age"}


# ----------------------------------------------------------------------------------------- scopes, regions


def test_the_quote_scope_reads_but_does_not_write(manager, second, regions):
    future = publish(manager, second, start=str(later()))
    reader = partner(["relief:quote"])
    assert reader.get(URL).status_code == 200
    assert reader.get(f"{URL}{future['id']}/").status_code == 200
    assert reader.post(URL, body(), format="json").status_code == 403
    assert reader.patch(f"{URL}{future['id']}/", {"name": "x"}, format="json").status_code == 403
    assert reader.post(f"{URL}{future['id']}/simulate/").status_code == 403
    assert reader.post(f"{URL}{future['id']}/publish/").status_code == 403

    nobody = partner(["registry:read"])
    for response in (nobody.get(URL), nobody.get(IN_FORCE, {"region": QIAOGUANG}), nobody.post(URL, body())):
        assert response.status_code == 403 and response.json()["code"] == "permission_denied"
    assert APIClient().get(URL).status_code == 401
    assert APIClient().post(f"{URL}{future['id']}/publish/").status_code == 401


def test_staff_need_the_policy_capability_to_write(staff_factory, caseworker, manager, second, regions):
    future = publish(manager, second, start=str(later()))
    pending = draft(manager, start=str(later(3)))
    assert caseworker.get(f"{URL}{future['id']}/").status_code == 200  # relief.quote reads
    assert caseworker.get(f"{URL}{pending['id']}/").status_code == 404  # but not drafts
    assert caseworker.post(URL, body(), format="json").status_code == 403
    assert caseworker.patch(f"{URL}{future['id']}/", {"name": "x"}, format="json").status_code == 403
    assert caseworker.post(f"{URL}{pending['id']}/simulate/").status_code == 403
    assert caseworker.post(f"{URL}{pending['id']}/publish/").status_code == 403
    meals = staff(staff_factory, Role.MEAL_OPERATOR, "440402005003")
    assert meals.get(URL).status_code == 403


def test_writes_stay_inside_the_callers_region(staff_factory, manager, second, regions):
    city = draft(manager, start=str(later()))
    xiangzhou = draft(manager, region=XIANGZHOU, start=str(later()))
    simulate(manager, city)

    doumen_partner = partner(["relief:policy"], region_code=DOUMEN)
    # A manager-like account bound to 斗门区 (no role works there with this capability yet).
    doumen_manager = staff_factory(Role.CITY_MANAGER, CITY, username="doumen-manager")
    User.objects.filter(pk=doumen_manager.pk).update(region_id=DOUMEN)
    doumen_staff = APIClient()
    doumen_staff.force_login(doumen_manager)

    for client in (doumen_partner, doumen_staff):
        response = client.post(URL, body(region=XIANGZHOU), format="json")
        assert response.status_code == 404 and set(response.json()["fields"]) == {"region"}
        assert client.post(URL, body(region=CITY, start="2030-01-01"), format="json").status_code == 404
        assert client.patch(f"{URL}{xiangzhou['id']}/", {"name": "x"}, format="json").status_code == 404
        assert client.patch(f"{URL}{city['id']}/", {"name": "x"}, format="json").status_code == 404
        assert client.patch(f"{URL}{city['id']}/", {"region": DOUMEN}, format="json").status_code == 404
        assert client.post(f"{URL}{city['id']}/simulate/").status_code == 404
        assert client.post(f"{URL}{xiangzhou['id']}/simulate/").status_code == 404
        assert client.get(f"{URL}{city['id']}/").status_code == 200  # the city's policy applies there
    assert doumen_staff.post(f"{URL}{city['id']}/publish/").status_code == 404
    assert ReliefPolicy.objects.get(pk=city["id"]).state == "draft"

    own = draft(doumen_partner, region=DOUMEN, start=str(later(3)))
    moved = manager.patch(f"{URL}{own['id']}/", {"region": XIANGZHOU}, format="json")
    assert moved.status_code == 200 and moved.json()["region"] == XIANGZHOU  # the city may move it
    assert doumen_partner.get(f"{URL}{own['id']}/").status_code == 404
    assert ReliefPolicy.objects.filter(region_id=CITY).get().name == city["name"]


def test_the_policy_scope_and_capability_are_registered():
    from civic import access
    from civic.api.scopes import SCOPES

    assert "relief:policy" in SCOPES
    assert access.SCOPE_CAPABILITIES["relief:policy"] == {"relief.policy", "relief.quote"}
    assert "relief.policy" in access.ROLE_CAPABILITIES[Role.CITY_MANAGER]
    assert "relief.policy" in access.CAPABILITIES


def test_a_duplicate_is_named_when_published_even_one_that_slips_past_the_checks(manager, second, regions, monkeypatch):
    """Two drafts for the same day: publishing the second is refused, by the checks or, when two publishers
    race, by the unique constraint, with the same answer."""
    from relief.services import policies

    first = draft(manager, topups=[{"category": "minor", "kind": "percent", "value": "40"}])
    twin = draft(manager, standard="1300", topups=[{"category": "minor", "kind": "fixed", "value": "1"}])
    for policy in (first, twin):
        simulate(manager, policy)
    assert second.post(f"{URL}{first['id']}/publish/").status_code == 200

    assert fields(second.post(f"{URL}{twin['id']}/publish/")) == {"effective_from"}
    monkeypatch.setattr(policies, "_validate", lambda policy, topups: None)
    assert fields(second.post(f"{URL}{twin['id']}/publish/")) == {"effective_from"}
    assert list(ReliefPolicy.objects.filter(state="published").values_list("pk", flat=True)) == [first["id"]]
    assert ReliefPolicy.objects.get(pk=twin["id"]).state == "draft"
