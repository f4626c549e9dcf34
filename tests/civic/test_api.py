import io

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from rest_framework.test import APIClient

from civic.models import ApiToken
from civic.roles import Role


def make_partner(scopes, region):
    out, err = io.StringIO(), io.StringIO()
    call_command("create_partner", name="Bank of Zhuhai", scopes=scopes, region=region, stdout=out, stderr=err)
    return out.getvalue().strip()


@pytest.fixture
def bearer(regions):
    def client_for(scopes="regions:read", region="440402005000"):
        client = APIClient()
        client.credentials(HTTP_AUTHORIZATION=f"Bearer {make_partner(scopes, region)}")
        return client

    return client_for


def test_create_partner_prints_the_token_once_and_stores_only_its_hash(regions):
    raw = make_partner("regions:read", "440402")
    token = ApiToken.objects.get()
    assert raw.startswith("cvk_") and len(raw) > 40
    assert raw not in (token.key_hash, token.key_hint)
    assert token.key_hash != raw and len(token.key_hash) == 64
    assert token.region_id == "440402000000"
    assert token.scopes == ["regions:read"]


def test_create_partner_refuses_unknown_scope_and_region(regions):
    with pytest.raises(CommandError, match="banking:everything"):
        make_partner("banking:everything", "440402")
    with pytest.raises(CommandError, match="999999"):
        make_partner("regions:read", "999999")
    assert not ApiToken.objects.exists()


def test_partner_token_identifies_the_partner(bearer):
    response = bearer().get("/api/v1/me/")
    assert response.status_code == 200
    body = response.json()
    assert body["kind"] == "partner"
    assert body["region"]["code"] == "440402005000"
    assert body["scopes"] == ["regions:read"]


@pytest.mark.parametrize(
    "header",
    ["Bearer cvk_not-a-real-token", "Bearer", "Bearer a b"],
)
def test_bad_token_gets_401_in_the_error_shape(regions, header):
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=header)
    response = client.get("/api/v1/me/")
    assert response.status_code == 401
    body = response.json()
    assert set(body) == {"code", "message", "fields"}
    assert body["code"] == "authentication_failed"
    assert response["WWW-Authenticate"] == "Bearer"


def test_revoked_token_is_refused(bearer):
    client = bearer()
    ApiToken.objects.update(is_active=False)
    assert client.get("/api/v1/me/").status_code == 401


def test_no_credentials_gets_401_with_code(regions):
    response = APIClient().get("/api/v1/regions/")
    assert response.status_code == 401
    assert response.json()["code"] == "not_authenticated"


def test_partner_sees_only_regions_in_its_own_subtree(bearer):
    response = bearer(region="440402005000").get("/api/v1/regions/")
    codes = [r["code"] for r in response.json()["results"]]
    assert codes == ["440402005000", "440402005001", "440402005002", "440402005003"]


def test_region_outside_scope_is_404(bearer):
    client = bearer(region="440402005000")
    assert client.get("/api/v1/regions/440402005001/").status_code == 200
    response = client.get("/api/v1/regions/440402001001/")
    assert response.status_code == 404
    assert response.json()["code"] == "not_found"


def test_partner_without_the_scope_gets_403(regions):
    from civic.api import scopes

    scopes.register("test:other", "another scope")
    try:
        client = APIClient()
        client.credentials(HTTP_AUTHORIZATION=f"Bearer {make_partner('test:other', '440402')}")
        response = client.get("/api/v1/regions/")
    finally:
        scopes.SCOPES.pop("test:other")
    assert response.status_code == 403
    assert response.json()["code"] == "permission_denied"


def test_staff_use_their_session_and_are_scoped_by_role_region(staff_factory):
    user = staff_factory(Role.STREET_REVIEWER, "440403102000")
    client = APIClient()
    client.force_login(user)
    response = client.get("/api/v1/regions/")
    assert response.status_code == 200
    assert {r["code"] for r in response.json()["results"]} == {
        "440403102000",
        "440403102201",
        "440403102202",
        "440403102203",
    }


def test_meal_operator_has_no_region_reading_capability(staff_factory):
    client = APIClient()
    client.force_login(staff_factory(Role.MEAL_OPERATOR, "440402005003"))
    assert client.get("/api/v1/regions/").status_code == 403


def test_lists_use_cursor_pagination(staff_factory, django_assert_max_num_queries):
    client = APIClient()
    client.force_login(staff_factory(Role.CITY_MANAGER, "440400"))
    seen = []
    url = "/api/v1/regions/?page_size=5"
    with django_assert_max_num_queries(4):
        first = client.get(url).json()
    assert "cursor=" in first["next"] and first["previous"] is None
    seen += [r["code"] for r in first["results"]]
    url = first["next"]
    while url:
        page = client.get(url).json()
        seen += [r["code"] for r in page["results"]]
        url = page["next"]
    assert len(seen) == len(set(seen)) == 22  # the city and everything under it, each once


def test_unknown_api_path_answers_in_the_error_shape(regions):
    response = APIClient().get("/api/v1/no-such-thing/")
    assert response.status_code == 404
    body = response.json()
    assert body["code"] == "not_found" and body["fields"] == {} and body["message"]


def test_wrong_method_answers_in_the_error_shape(staff_factory):
    client = APIClient()
    client.force_login(staff_factory(Role.CITY_MANAGER, "440400"))
    response = client.delete("/api/v1/regions/")
    assert response.status_code == 405
    assert response.json()["code"] == "method_not_allowed"
