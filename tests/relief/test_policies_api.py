"""/api/v1/relief/policies/: authorised partners and city managers read and publish relief policies."""

from datetime import timedelta

import pytest
from django.utils import timezone
from rest_framework.test import APIClient

from civic.models import FieldChange, User
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


def staff(staff_factory, role, region_code):
    client = APIClient()
    client.force_login(staff_factory(role, region_code))
    return client


@pytest.fixture
def manager(staff_factory):
    return staff(staff_factory, Role.CITY_MANAGER, CITY)


@pytest.fixture
def caseworker(staff_factory):
    return staff(staff_factory, Role.CASEWORKER, QIAOGUANG)


def later(days=30):
    return timezone.localdate() + timedelta(days=days)


def body(region=CITY, standard="1100", start="2024-01-01", area="urban", **extra):
    return {
        "region": region,
        "area": area,
        "effective_from": str(start),
        "name": f"{region} {standard} {start}",
        "dibao_standard": standard,
        **extra,
    }


def publish(client, **kwargs):
    response = client.post(URL, body(**kwargs), format="json")
    assert response.status_code == 201, response.content
    return response.json()


def quote(client, on):
    data = {"programme": "dibao", "region": QIAOGUANG, "date": on, "members": [{"age": 40}, {"age": 10}]}
    response = client.post(QUOTES, data, format="json")
    assert response.status_code == 200, response.content
    return response.json()


# ----------------------------------------------------------------------------------------------- publishing


def test_published_policies_are_used_by_quotes_from_their_start_date(manager, caseworker, regions):
    first = publish(manager, topups=[{"category": "minor", "kind": "percent", "value": "40"}], floor_share="0.2")
    assert first["dibao_standard"] == "1100.00" and first["floor_share"] == "0.2000"
    assert first["care_full_dispersed"] == "0.4000" and first["temp_aid_street_limit"] == "3000.00"
    assert first["topups"] == [
        {"id": first["topups"][0]["id"], "category": "minor", "min_age": None, "kind": "percent", "value": "40.00"}
    ]
    assert first["region_level"] == "city" and first["editable"] is False
    assert first["created_by"]

    standards = partner(["relief:policy"])
    second = publish(standards, standard="1200", start="2025-07-01")
    assert second["created_by"] is None
    assert FieldChange.objects.filter(object_id=second["id"], field="dibao_standard", after="1200.00").get().actor_label
    assert FieldChange.objects.filter(object_id=second["id"]).first().actor_label.startswith("partner:")

    before = quote(caseworker, "2025-06-30")
    assert before["policy"]["id"] == first["id"]
    assert before["amount"] == "2640.00"  # 2 × 1,100 + 40% × 1,100 for the child
    after = quote(caseworker, "2025-07-01")
    assert after["policy"]["id"] == second["id"] and after["amount"] == "2400.00"  # no top-ups in the new one


def test_the_in_force_lookup_prefers_the_districts_own_policy(manager, regions):
    city = publish(manager)
    district = publish(manager, region=XIANGZHOU, standard="1250", start="2024-03-01")
    publish(manager, region=XIANGZHOU, standard="9999", start=str(later()))  # not yet in force
    rural = publish(manager, area="rural", standard="1000")

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


def test_the_list_filters_and_shows_the_regions_above(manager, regions):
    city = publish(manager)
    newer = publish(manager, standard="1150", start="2024-07-01")
    district = publish(manager, region=XIANGZHOU, standard="1250")
    doumen = publish(manager, region=DOUMEN, standard="1050")

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


# ------------------------------------------------------------------------------------------------- editing


def test_a_policy_in_force_is_never_edited(manager, regions):
    old = publish(manager)
    today = publish(manager, standard="1150", start=str(timezone.localdate()))
    for policy in (old, today):
        response = manager.patch(f"{URL}{policy['id']}/", {"dibao_standard": "1"}, format="json")
        assert response.status_code == 409, response.content
        assert response.json()["code"] == "policy_in_force"
    assert ReliefPolicy.objects.get(pk=old["id"]).dibao_standard == 1100


def test_a_future_policy_can_be_corrected(manager, regions):
    future = publish(manager, start=str(later()), topups=[{"category": "minor", "kind": "percent", "value": "40"}])
    assert future["editable"] is True
    changes = {
        "dibao_standard": "1180.50",
        "topups": [{"category": "elderly", "min_age": 70, "kind": "fixed", "value": "100"}],
    }
    response = manager.patch(f"{URL}{future['id']}/", changes, format="json")
    assert response.status_code == 200, response.content
    answer = response.json()
    assert answer["dibao_standard"] == "1180.50" and answer["name"] == future["name"]
    assert [(t["category"], t["min_age"], t["value"]) for t in answer["topups"]] == [("elderly", 70, "100.00")]
    history = FieldChange.objects.get(object_id=future["id"], field="dibao_standard", action="changed")
    assert (history.before, history.after) == ("1100.00", "1180.50")

    # Fields not sent keep their values, top-ups too.
    response = manager.patch(f"{URL}{future['id']}/", {"name": "第二稿"}, format="json")
    assert response.json()["name"] == "第二稿" and len(response.json()["topups"]) == 1


# ---------------------------------------------------------------------------------------------- validation


def fields(response):
    assert response.status_code == 400, response.content
    assert response.json()["code"] == "invalid"
    return set(response.json()["fields"])


def test_validation_errors_name_the_field(manager, regions):
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
    assert fields(manager.post(URL, {"region": CITY}, format="json")) == {
        "area",
        "effective_from",
        "name",
        "dibao_standard",
    }
    assert not ReliefPolicy.objects.exists()

    publish(manager)
    duplicate = manager.post(URL, body(standard="1300"), format="json")
    assert fields(duplicate) == {"effective_from"}
    assert publish(manager, area="rural")  # the same day for rural households is another policy

    future = publish(manager, start=str(later()))
    response = manager.patch(f"{URL}{future['id']}/", {"effective_from": "2024-01-01"}, format="json")
    assert fields(response) == {"effective_from"}
    response = manager.patch(
        f"{URL}{future['id']}/", {"topups": [{"category": "elderly", "kind": "fixed", "value": "1"}]}, format="json"
    )
    assert fields(response) == {"topups.0.min_age"}


# ----------------------------------------------------------------------------------------- scopes, regions


def test_the_quote_scope_reads_but_does_not_write(manager, regions):
    future = publish(manager, start=str(later()))
    reader = partner(["relief:quote"])
    assert reader.get(URL).status_code == 200
    assert reader.get(f"{URL}{future['id']}/").status_code == 200
    assert reader.post(URL, body(), format="json").status_code == 403
    assert reader.patch(f"{URL}{future['id']}/", {"name": "x"}, format="json").status_code == 403

    nobody = partner(["registry:read"])
    for response in (nobody.get(URL), nobody.get(IN_FORCE, {"region": QIAOGUANG}), nobody.post(URL, body())):
        assert response.status_code == 403 and response.json()["code"] == "permission_denied"
    assert APIClient().get(URL).status_code == 401


def test_staff_need_the_policy_capability_to_write(staff_factory, caseworker, manager, regions):
    future = publish(manager, start=str(later()))
    assert caseworker.get(f"{URL}{future['id']}/").status_code == 200  # relief.quote reads
    assert caseworker.post(URL, body(), format="json").status_code == 403
    assert caseworker.patch(f"{URL}{future['id']}/", {"name": "x"}, format="json").status_code == 403
    meals = staff(staff_factory, Role.MEAL_OPERATOR, "440402005003")
    assert meals.get(URL).status_code == 403


def test_writes_stay_inside_the_callers_region(staff_factory, manager, regions):
    city = publish(manager, start=str(later()))
    xiangzhou = publish(manager, region=XIANGZHOU, start=str(later()))

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
        assert client.get(f"{URL}{city['id']}/").status_code == 200  # the city's policy applies there

    own = publish(doumen_partner, region=DOUMEN, start=str(later(40)))
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


def test_a_duplicate_that_slips_past_the_checks_is_still_named(manager, regions, monkeypatch):
    """Two publishers at once: the unique constraint refuses the second, with the same answer."""
    from relief.services import policies

    first = publish(manager, topups=[{"category": "minor", "kind": "percent", "value": "40"}])
    monkeypatch.setattr(policies, "_validate", lambda policy, topups: None)
    topups = [{"category": "minor", "kind": "fixed", "value": "1"}]
    duplicate = manager.post(URL, body(standard="1300", topups=topups), format="json")
    assert fields(duplicate) == {"effective_from"}
    assert list(ReliefPolicy.objects.values_list("pk", flat=True)) == [first["id"]]
