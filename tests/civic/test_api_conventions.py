"""Idempotency-Key and the one error shape, through a test-only endpoint."""

import pytest
from rest_framework.test import APIClient

from civic.models import IdempotencyRecord
from civic.roles import Role

from . import api_test_urls

pytestmark = pytest.mark.urls("tests.civic.api_test_urls")
URL = "/api/v1/test-echo/"


@pytest.fixture
def client(staff_factory):
    api_test_urls.calls.clear()
    client = APIClient(raise_request_exception=False)
    client.force_login(staff_factory(Role.CASEWORKER, "440402005001"))
    return client


def post(client, body, key=None):
    headers = {"HTTP_IDEMPOTENCY_KEY": key} if key else {}
    return client.post(URL, body, format="json", **headers)


def test_same_key_same_body_replays_the_stored_response(client):
    first = post(client, {"name": "a", "amount": "10.00"}, key="k-1")
    second = post(client, {"name": "a", "amount": "10.00"}, key="k-1")
    assert first.status_code == second.status_code == 201
    assert first.json() == second.json() == {"call": 1, "name": "a"}
    assert second["Idempotent-Replayed"] == "true"
    assert len(api_test_urls.calls) == 1


def test_same_key_different_body_is_422(client):
    post(client, {"name": "a", "amount": "10.00"}, key="k-2")
    response = post(client, {"name": "a", "amount": "99.00"}, key="k-2")
    assert response.status_code == 422
    assert response.json()["code"] == "idempotency_key_reused"
    assert "Idempotency-Key" in response.json()["fields"]
    assert len(api_test_urls.calls) == 1


def test_without_a_key_every_post_runs(client):
    post(client, {"name": "a", "amount": "1"})
    post(client, {"name": "a", "amount": "1"})
    assert len(api_test_urls.calls) == 2
    assert not IdempotencyRecord.objects.exists()


def test_keys_belong_to_their_caller(client, staff_factory):
    post(client, {"name": "a", "amount": "1"}, key="shared")
    other = APIClient()
    other.force_login(staff_factory(Role.CASEWORKER, "440402005002"))
    response = post(other, {"name": "b", "amount": "1"}, key="shared")
    assert response.status_code == 201 and response.json()["name"] == "b"


def test_server_errors_are_not_stored_so_a_retry_runs_again(client):
    response = post(client, {"name": "boom", "amount": "1"}, key="k-3")
    assert response.status_code == 500
    assert response.json()["code"] == "server_error"
    post(client, {"name": "boom", "amount": "1"}, key="k-3")
    assert len(api_test_urls.calls) == 2


def test_validation_errors_name_each_field(client):
    response = post(client, {"name": "far-too-long-name", "amount": "abc"})
    assert response.status_code == 400
    body = response.json()
    assert body["code"] == "invalid"
    assert set(body["fields"]) == {"name", "amount"}
    assert body["message"]


def test_application_errors_keep_their_code_status_and_fields(client):
    response = post(client, {"name": "refuse", "amount": "1"})
    assert response.status_code == 409
    assert response.json() == {"code": "refused", "message": "Refused by rule.", "fields": {"name": ["not this one"]}}


def test_overlong_key_is_refused(client):
    response = post(client, {"name": "a", "amount": "1"}, key="x" * 300)
    assert response.status_code == 400
    assert response.json()["code"] == "invalid_idempotency_key"
    assert api_test_urls.calls == []
