"""The relief applications API: the workflow driven end to end by four roles, the services' guards as HTTP
answers in the one error shape, partner scopes, list filters, uploads, and what lists never show."""

import json
from datetime import timedelta

import pytest
import yaml
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone
from rest_framework.test import APIClient

from civic.models import Region
from civic.roles import Role
from civic.services import partner_create
from relief.models import Application, Document, Entitlement, Objection, Status
from relief.services import applications as flow

QIAOGUANG = "440402005001"  # 香洲区 › 拱北街道 › 侨光社区
GONGBEI = "440402005002"  # 香洲区 › 拱北街道 › 拱北社区
KANGNING = "440402001001"  # 香洲区 › 翠香街道 › 康宁社区
XINTANG = "440403100001"  # 斗门区 › 井岸镇 › 新堂社区: same city, another district
URL = "/api/v1/relief/applications/"
CHECKLIST = ("id_proof", "commitment", "declaration")
PDF = b"%PDF-1.4 test"


@pytest.fixture
def staff(staff_factory):
    return {
        "caseworker": staff_factory(Role.CASEWORKER, QIAOGUANG, username="cw"),
        "colleague": staff_factory(Role.CASEWORKER, QIAOGUANG, username="cw2"),
        "reviewer": staff_factory(Role.STREET_REVIEWER, "440402005000", username="street"),
        "approver": staff_factory(Role.DISTRICT_APPROVER, "440402", username="district"),
        "approver_b": staff_factory(Role.DISTRICT_APPROVER, "440402", username="district-b"),
        "other_street": staff_factory(Role.STREET_REVIEWER, "440402001000", username="street2"),
        "other_district": staff_factory(Role.DISTRICT_APPROVER, "440403", username="district2"),
        "doumen_caseworker": staff_factory(Role.CASEWORKER, XINTANG, username="cw-doumen"),
        "child_director": staff_factory(Role.CHILD_DIRECTOR, QIAOGUANG, username="child"),
        "meal_operator": staff_factory(Role.MEAL_OPERATOR, QIAOGUANG, username="meals"),
    }


@pytest.fixture
def clients(staff):
    made = {}
    for name, user in staff.items():
        client = APIClient()
        client.force_login(user)
        made[name] = client
    return made


def partner(scopes, region="440402"):
    _token, raw = partner_create(name="市核对中心", scopes=scopes, region_code=region)
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Bearer {raw}")
    return client


def filing(household, programme="dibao", **extra):
    head = household.members.get(relationship="head")
    spouse = household.members.get(relationship="spouse")
    return {
        "household": household.pk,
        "programme": programme,
        "incomes": [
            {"resident": head.pk, "kind": "wages", "monthly_amount": "1400.00"},
            {"resident": spouse.pk, "kind": "wages", "monthly_amount": "700"},
        ],
        "assets": [{"kind": "home", "description": "自住房一套", "value": "0"}],
        "expenses": [{"kind": "education", "monthly_amount": "200"}],
        **extra,
    }


def assert_error(response, status, code=None, fields=None):
    assert response.status_code == status, response.content
    body = response.json()
    assert set(body) == {"code", "message", "fields"} and body["message"]
    if code:
        assert body["code"] == code, body
    if fields is not None:
        assert set(body["fields"]) == set(fields), body
    return body


def ok(response, status=200):
    assert response.status_code == status, response.content
    return response.json()


def upload(client, pk, kind, name=None, content=PDF):
    name = name or f"{kind}.pdf"
    return client.post(f"{URL}{pk}/documents/", {"kind": kind, "file": SimpleUploadedFile(name, content)})


def post(client, pk, step, body=None):
    return client.post(f"{URL}{pk}/{step}/", body or {}, format="json")


def visit(second):
    return {"visited_on": timezone.localdate().isoformat(), "second_investigator": second.pk, "findings": "住房简陋"}


def notice_passes(pk):
    Application.objects.filter(pk=pk).update(notice_until=timezone.localdate() - timedelta(days=1))


def filed(clients, household, documents=CHECKLIST, **extra):
    pk = ok(clients["caseworker"].post(URL, filing(household, **extra), format="json"), 201)["id"]
    for kind in documents:
        ok(upload(clients["caseworker"], pk, kind), 201)
    return pk


def investigated(clients, staff, household, **extra):
    pk = filed(clients, household, **extra)
    ok(post(clients["reviewer"], pk, "investigation"))
    ok(post(clients["caseworker"], pk, "home-visits", visit(staff["colleague"])), 201)
    ok(post(clients["reviewer"], pk, "cross-checks", {"source": "市核对中心", "passed": True}), 201)
    return pk


def at_decision(clients, staff, household):
    pk = investigated(clients, staff, household)
    ok(post(clients["reviewer"], pk, "opinion", {"opinion": "approve", "reasons": "符合条件"}))
    notice_passes(pk)
    return pk


# ------------------------------------------------------------------------------------------- end to end


def test_a_dibao_application_walked_through_the_api_by_four_roles(clients, staff, household):
    caseworker, reviewer, approver = clients["caseworker"], clients["reviewer"], clients["approver"]
    centre = partner(["relief:cross_check"])

    body = ok(caseworker.post(URL, filing(household), format="json"), 201)
    pk = body["id"]
    assert body["status"] == "accepted" and body["public_notice"] is True
    assert body["missing_documents"] == list(CHECKLIST)
    assert body["amount"] is None and body["explanation"] == [] and body["entitlement"] is None
    assert [i["monthly_amount"] for i in body["incomes"]] == ["1400.00", "700.00"]
    assert body["expenses"] == [{"id": body["expenses"][0]["id"], "kind": "education", "monthly_amount": "200.00"}]
    assert body["step_due"] and body["overall_due"] and body["overdue"] is False

    for kind in CHECKLIST:
        body = ok(upload(caseworker, pk, kind, name=f"{kind}.PDF"), 201)
    assert body["missing_documents"] == []
    assert [d["kind"] for d in body["documents"]] == list(CHECKLIST)
    assert set(body["documents"][0]) == {"id", "kind", "name", "uploaded_at", "uploaded_by"}

    body = ok(post(reviewer, pk, "investigation"))
    assert body["status"] == "investigating"
    body = ok(post(caseworker, pk, "home-visits", visit(staff["colleague"])), 201)
    assert body["home_visits"][0]["second_investigator"]["id"] == staff["colleague"].pk
    body = ok(post(centre, pk, "cross-checks", {"source": "市核对中心", "passed": True, "details": "一致"}), 201)
    assert body["status"] == "investigating" and "cross_checks" not in body  # a summary: no case file for it

    body = ok(post(reviewer, pk, "opinion", {"opinion": "approve", "reasons": "符合条件"}))
    assert body["status"] == "notice"
    assert body["notice_until"] == (timezone.localdate() + timedelta(days=7)).isoformat()
    notice_passes(pk)

    body = ok(post(approver, pk, "decision", {"approve": True, "reasons": "同意"}))
    assert body["status"] == "approved" and body["amount"] == "1640.00"
    assert body["explanation"] and body["explanation"][-1]["amount"] == "1640.00"
    assert all(isinstance(line["text"], str) and line["text"] for line in body["explanation"])
    assert body["decided_by"]["id"] == staff["approver"].pk and body["step_due"] is None
    assert [e["action"] for e in body["events"]] == [
        "filed",
        "document_added",
        "document_added",
        "document_added",
        "investigation_started",
        "home_visit",
        "cross_check",
        "opinion_given",
        "notice_ended",
        "approved",
    ]
    assert body["cross_checks"][0]["passed"] is True and body["events"][6]["actor"] == "partner: 市核对中心"

    entitlement = Entitlement.objects.get(application_id=pk)
    assert body["entitlement"]["id"] == entitlement.pk and body["entitlement"]["amount"] == "1640.00"
    rows = ok(approver.get("/api/v1/relief/entitlements/"))["results"]
    assert [(r["id"], r["amount"], r["application"]) for r in rows] == [(entitlement.pk, "1640.00", pk)]
    one = ok(partner(["relief:read"]).get(f"/api/v1/relief/entitlements/{entitlement.pk}/"))
    assert one["amount"] == "1640.00" and one["starts_on"] == entitlement.starts_on.isoformat()
    assert_error(clients["other_district"].get(f"/api/v1/relief/entitlements/{entitlement.pk}/"), 404, "not_found")
    assert ok(clients["other_district"].get("/api/v1/relief/entitlements/"))["results"] == []


def test_the_api_amount_is_the_services_and_the_quote_endpoints(clients, staff, household):
    pk = at_decision(clients, staff, household)
    application = Application.objects.get(pk=pk)
    expected = flow.application_quote(application).amount
    today = timezone.localdate()
    members = [{"age": m.age_on(today)} for m in household.members.order_by("pk")]
    members[0]["incomes"] = [{"kind": "wages", "amount": "1400"}]
    members[1]["incomes"] = [{"kind": "wages", "amount": "700"}]
    quote = ok(
        clients["caseworker"].post(
            "/api/v1/relief/quotes/", {"programme": "dibao", "region": QIAOGUANG, "members": members}, format="json"
        )
    )
    body = ok(post(clients["approver"], pk, "decision", {"approve": True}))
    assert body["amount"] == quote["amount"] == str(expected) == "1640.00"
    # The same steps with the same sums (the application also states that its declared assets are within limits).
    assert [line["amount"] for line in body["explanation"] if line["amount"] is not None] == [
        line["amount"] for line in quote["lines"]
    ]
    assert body["explanation"][-1] == quote["lines"][-1]


def test_a_refusal_needs_reasons_and_carries_no_amount(clients, staff, household):
    pk = at_decision(clients, staff, household)
    assert_error(post(clients["approver"], pk, "decision", {"approve": False}), 400, fields={"reasons"})
    body = ok(post(clients["approver"], pk, "decision", {"approve": False, "reasons": "人均收入高于标准"}))
    assert body["status"] == "refused" and body["amount"] is None and body["explanation"] == []
    assert body["decision_reasons"] == "人均收入高于标准" and not Entitlement.objects.exists()


def test_an_objection_sends_the_case_back_to_investigation(clients, staff, household):
    pk = investigated(clients, staff, household)
    ok(post(clients["reviewer"], pk, "opinion", {"opinion": "approve", "reasons": "符合"}))
    objection = {"received_on": timezone.localdate().isoformat(), "content": "有人反映其有车辆"}
    body = ok(post(clients["caseworker"], pk, "objections", objection), 201)
    assert body["status"] == "investigating" and body["notice_until"] is None
    assert body["objections"][0]["content"] == "有人反映其有车辆"
    body = ok(post(clients["reviewer"], pk, "opinion", {"opinion": "approve", "reasons": "复查后仍符合"}))
    assert body["status"] == "notice"


# ---------------------------------------------------------------------------------------------- filing


def test_any_caseworker_in_the_city_may_file_and_the_case_goes_to_the_familys_street(clients, staff, household):
    body = ok(clients["doumen_caseworker"].post(URL, filing(household), format="json"), 201)
    application = Application.objects.get(pk=body["id"])
    assert application.region_id == QIAOGUANG and application.accepted_in_id == XINTANG
    assert body["region"] == QIAOGUANG and body["accepted_in"] == XINTANG
    # The family's street handles it; the service point that accepted it does not follow the file.
    assert ok(clients["reviewer"].get(f"{URL}{application.pk}/"))["id"] == application.pk
    assert_error(clients["doumen_caseworker"].get(f"{URL}{application.pk}/"), 404, "not_found")


def test_a_household_in_another_city_is_not_found(clients, household_factory, policy):
    Region.objects.create(code="440100000000", name="广州市", level="city", parent_id="440000000000")
    Region.objects.create(code="440103000000", name="荔湾区", level="district", parent_id="440100000000")
    Region.objects.create(code="440103001000", name="沙面街道", level="street", parent_id="440103000000")
    Region.objects.create(code="440103001001", name="沙面社区", level="community", parent_id="440103001000")
    elsewhere = household_factory("440103001001", size=1)
    response = clients["caseworker"].post(URL, {"household": elsewhere.pk, "programme": "dibao"}, format="json")
    assert_error(response, 400, "invalid", fields={"household"})
    response = clients["caseworker"].post(URL, {"household": 999999, "programme": "dibao"}, format="json")
    assert_error(response, 400, "invalid", fields={"household"})
    assert not Application.objects.exists()


def test_filing_input_errors_name_the_field(clients, household, household_factory):
    stranger = household_factory(GONGBEI, size=1).members.get()
    data = filing(household)
    data["incomes"][1]["resident"] = stranger.pk
    data["incomes"][0]["monthly_amount"] = "-1"
    data["assets"][0]["kind"] = "yacht"
    data["programme"] = "lottery"
    body = assert_error(clients["caseworker"].post(URL, data, format="json"), 400, "invalid")
    assert set(body["fields"]) == {"incomes.0.monthly_amount", "assets.0.kind", "programme"}
    data = filing(household)
    data["incomes"][1]["resident"] = stranger.pk
    body = assert_error(clients["caseworker"].post(URL, data, format="json"), 400, "invalid")
    assert set(body["fields"]) == {"incomes.1.resident"}
    assert not Application.objects.exists()


def test_the_exclusive_programmes_are_refused_through_the_api(clients, household):
    ok(clients["caseworker"].post(URL, filing(household), format="json"), 201)
    response = clients["caseworker"].post(URL, filing(household, programme="edge"), format="json")
    assert_error(response, 400, "exclusive_programme", fields={"programme"})


def test_an_idempotency_key_replays_a_filing_instead_of_filing_twice(clients, household):
    headers = {"HTTP_IDEMPOTENCY_KEY": "filing-1"}
    first = clients["caseworker"].post(URL, filing(household), format="json", **headers)
    again = clients["caseworker"].post(URL, filing(household), format="json", **headers)
    assert first.status_code == again.status_code == 201 and again["Idempotent-Replayed"] == "true"
    assert first.json()["id"] == again.json()["id"] and Application.objects.count() == 1
    other = clients["caseworker"].post(URL, filing(household, programme="rigid"), format="json", **headers)
    assert_error(other, 422, "idempotency_key_reused")


# ---------------------------------------------------------------------------------------------- guards


def test_wrong_roles_are_403(clients, staff, household):
    pk = filed(clients, household)
    assert_error(post(clients["caseworker"], pk, "investigation"), 403, "forbidden")
    assert_error(post(clients["approver"], pk, "investigation"), 403, "forbidden")
    ok(post(clients["reviewer"], pk, "investigation"))
    assert_error(post(clients["approver"], pk, "home-visits", visit(staff["colleague"])), 403, "forbidden")
    ok(post(clients["caseworker"], pk, "home-visits", visit(staff["colleague"])), 201)
    assert_error(post(clients["caseworker"], pk, "cross-checks", {"source": "x", "passed": True}), 403, "forbidden")
    ok(post(clients["reviewer"], pk, "cross-checks", {"source": "x", "passed": True}), 201)
    opinion = {"opinion": "approve", "reasons": "符合"}
    assert_error(post(clients["approver"], pk, "opinion", opinion), 403, "forbidden")
    assert_error(post(clients["caseworker"], pk, "opinion", opinion), 403, "forbidden")
    ok(post(clients["reviewer"], pk, "opinion", opinion))
    notice_passes(pk)
    assert_error(post(clients["reviewer"], pk, "decision", {"approve": True}), 403, "forbidden")
    assert_error(post(clients["caseworker"], pk, "decision", {"approve": True}), 403, "forbidden")
    # Roles without relief.view are stopped before the service.
    assert_error(clients["child_director"].get(URL), 403, "permission_denied")
    assert_error(post(clients["meal_operator"], pk, "decision", {"approve": True}), 403, "permission_denied")
    assert_error(clients["approver"].post(URL, filing(household), format="json"), 403, "permission_denied")
    assert Application.objects.get(pk=pk).status == Status.NOTICE


def test_another_region_gets_404_for_the_detail_and_every_transition(clients, staff, household):
    pk = filed(clients, household)
    other = clients["other_street"]
    assert_error(other.get(f"{URL}{pk}/"), 404, "not_found")
    assert ok(other.get(URL))["results"] == []
    assert_error(post(other, pk, "investigation"), 404, "not_found")
    assert_error(upload(other, pk, "other"), 404, "not_found")
    ok(post(clients["reviewer"], pk, "investigation"))
    assert_error(post(other, pk, "cross-checks", {"source": "x", "passed": True}), 404, "not_found")
    assert_error(post(other, pk, "home-visits", visit(staff["colleague"])), 404, "not_found")
    assert_error(post(other, pk, "opinion", {"opinion": "approve", "reasons": "x"}), 404, "not_found")
    assert_error(
        post(partner(["relief:cross_check"], "440403"), pk, "cross-checks", {"source": "x", "passed": True}), 404
    )
    ok(post(clients["caseworker"], pk, "home-visits", visit(staff["colleague"])), 201)
    ok(post(clients["reviewer"], pk, "cross-checks", {"source": "x", "passed": True}), 201)
    ok(post(clients["reviewer"], pk, "opinion", {"opinion": "approve", "reasons": "符合"}))
    objection = {"received_on": timezone.localdate().isoformat(), "content": "x"}
    assert_error(post(clients["doumen_caseworker"], pk, "objections", objection), 404, "not_found")
    notice_passes(pk)
    assert_error(post(clients["other_district"], pk, "decision", {"approve": True}), 404, "not_found")
    assert_error(clients["other_district"].get(f"{URL}{pk}/"), 404, "not_found")
    assert_error(clients["caseworker"].get(f"{URL}999999/"), 404, "not_found")
    assert not Entitlement.objects.exists()


def test_whoever_accepted_the_case_may_not_decide_it(clients, staff, household, django_user_model):
    chief = django_user_model.objects.create_superuser("chief", password="Str0ng-pass-word!")
    client = APIClient()
    client.force_login(chief)
    pk = ok(client.post(URL, filing(household), format="json"), 201)["id"]
    for kind in CHECKLIST:
        ok(upload(clients["caseworker"], pk, kind), 201)
    ok(post(clients["reviewer"], pk, "investigation"))
    ok(post(clients["caseworker"], pk, "home-visits", visit(staff["colleague"])), 201)
    ok(post(clients["reviewer"], pk, "cross-checks", {"source": "x", "passed": True}), 201)
    ok(post(clients["reviewer"], pk, "opinion", {"opinion": "approve", "reasons": "符合"}))
    notice_passes(pk)
    assert_error(post(client, pk, "decision", {"approve": True}), 403, "separation_of_duties")
    assert Application.objects.get(pk=pk).decided_at is None


def test_a_second_decision_gets_409_and_one_entitlement_stays(clients, staff, household, monkeypatch):
    from relief.api import application_views

    pk = at_decision(clients, staff, household)
    flow.notice_close(Application.objects.get(pk=pk))
    stale = Application.objects.get(pk=pk)  # the second approver's copy, loaded before the first decision
    ok(post(clients["approver"], pk, "decision", {"approve": True}))

    # Sent again after the first answer: the application is no longer waiting for a decision.
    assert_error(post(clients["approver_b"], pk, "decision", {"approve": False, "reasons": "x"}), 409, "not_ready")
    # Sent at the same moment: the second sees the step it expected, and loses the compare-and-set.
    monkeypatch.setattr(application_views, "_application", lambda principal, pk: stale)
    body = assert_error(post(clients["approver_b"], pk, "decision", {"approve": False, "reasons": "x"}), 409)
    assert body["code"] == "conflict"
    application = Application.objects.get(pk=pk)
    assert application.status == Status.APPROVED and application.decided_by == staff["approver"]
    assert Entitlement.objects.count() == 1


def test_steps_from_the_wrong_status_are_refused_with_clear_codes(clients, staff, household):
    pk = filed(clients, household, documents=("id_proof",))
    body = assert_error(post(clients["reviewer"], pk, "investigation"), 400, "documents_missing", {"documents"})
    assert "承诺" in body["message"] or "commitment" in body["message"].lower()
    assert_error(post(clients["caseworker"], pk, "home-visits", visit(staff["colleague"])), 409, "wrong_status")
    assert_error(post(clients["reviewer"], pk, "cross-checks", {"source": "x", "passed": True}), 409, "wrong_status")
    objection = {"received_on": timezone.localdate().isoformat(), "content": "x"}
    assert_error(post(clients["caseworker"], pk, "objections", objection), 409, "wrong_status")
    assert_error(post(clients["approver"], pk, "decision", {"approve": True}), 409, "not_ready")
    ok(upload(clients["caseworker"], pk, "commitment"), 201)
    ok(upload(clients["caseworker"], pk, "declaration"), 201)
    ok(post(clients["reviewer"], pk, "investigation"))
    assert_error(post(clients["reviewer"], pk, "investigation"), 409, "wrong_status")
    opinion = {"opinion": "approve", "reasons": "符合"}
    assert_error(post(clients["reviewer"], pk, "opinion", opinion), 400, "investigation_incomplete")
    assert_error(post(clients["caseworker"], pk, "objections", objection), 409, "wrong_status")
    assert not Objection.objects.exists()
    ok(post(clients["caseworker"], pk, "home-visits", visit(staff["colleague"])), 201)
    ok(post(clients["reviewer"], pk, "cross-checks", {"source": "x", "passed": True}), 201)
    ok(post(clients["reviewer"], pk, "opinion", opinion))
    assert_error(post(clients["reviewer"], pk, "opinion", opinion), 409, "wrong_status")
    assert_error(post(clients["approver"], pk, "decision", {"approve": True}), 409, "not_ready")  # notice running
    notice_passes(pk)
    ok(post(clients["approver"], pk, "decision", {"approve": True}))
    assert_error(upload(clients["caseworker"], pk, "other"), 409, "wrong_status")
    assert_error(post(clients["reviewer"], pk, "investigation"), 409, "wrong_status")


def test_a_home_visit_needs_a_second_investigator_from_there(clients, staff, household):
    pk = filed(clients, household)
    ok(post(clients["reviewer"], pk, "investigation"))
    for second in (staff["caseworker"], staff["other_street"]):
        assert_error(post(clients["caseworker"], pk, "home-visits", visit(second)), 400, fields={"second_investigator"})
    body = {**visit(staff["colleague"]), "second_investigator": 999999}
    assert_error(post(clients["caseworker"], pk, "home-visits", body), 400, fields={"second_investigator"})
    tomorrow = (timezone.localdate() + timedelta(days=1)).isoformat()
    body = {**visit(staff["colleague"]), "visited_on": tomorrow}
    assert_error(post(clients["caseworker"], pk, "home-visits", body), 400, fields={"visited_on"})
    assert_error(
        post(clients["caseworker"], pk, "home-visits", {}),
        400,
        "invalid",
        {"visited_on", "second_investigator", "findings"},
    )


def test_anonymous_callers_get_401(household):
    assert_error(APIClient().get(URL), 401, "not_authenticated")
    assert_error(APIClient().post(f"{URL}1/decision/", {"approve": True}, format="json"), 401)


# ---------------------------------------------------------------------------------------------- scopes


def test_a_partner_with_relief_read_may_read_but_not_act(clients, staff, household):
    pk = filed(clients, household)
    reader = partner(["relief:read"])
    assert [r["id"] for r in ok(reader.get(URL))["results"]] == [pk]
    assert ok(reader.get(f"{URL}{pk}/"))["id"] == pk
    for step, body in [
        ("investigation", {}),
        ("home-visits", visit(staff["colleague"])),
        ("cross-checks", {"source": "x", "passed": True}),
        ("opinion", {"opinion": "approve", "reasons": "x"}),
        ("objections", {"received_on": "2024-01-01", "content": "x"}),
        ("decision", {"approve": True}),
    ]:
        assert_error(post(reader, pk, step, body), 403, "permission_denied")
    assert_error(upload(reader, pk, "other"), 403, "permission_denied")
    assert_error(reader.post(URL, filing(household), format="json"), 403, "permission_denied")
    assert_error(partner(["relief:read"], "440403").get(f"{URL}{pk}/"), 404, "not_found")
    assert Application.objects.get(pk=pk).status == Status.ACCEPTED


def test_cross_checks_need_the_cross_check_scope(clients, staff, household):
    pk = filed(clients, household)
    ok(post(clients["reviewer"], pk, "investigation"))
    result = {"source": "市核对中心", "passed": False, "details": "银行存款与申报不符"}
    for scopes in (["relief:read"], ["relief:quote"], ["registry:read", "registry:write"]):
        assert_error(post(partner(scopes), pk, "cross-checks", result), 403, "permission_denied")
    centre = partner(["relief:cross_check"])
    assert_error(centre.get(f"{URL}{pk}/"), 403, "permission_denied")  # posting results is not reading files
    assert ok(post(centre, pk, "cross-checks", result), 201)["status"] == "investigating"
    body = ok(post(partner(["relief:read", "relief:cross_check"]), pk, "cross-checks", result), 201)
    assert [c["passed"] for c in body["cross_checks"]] == [False, False]
    assert body["cross_checks"][0]["details"] == "银行存款与申报不符"


# ----------------------------------------------------------------------------------------------- lists


def test_list_filters(clients, staff, household, household_factory, policy):
    first = filed(clients, household)
    other = household_factory(GONGBEI, size=2)
    second = ok(
        clients["reviewer"].post(URL, {"household": other.pk, "programme": "temp_emergency"}, format="json"), 201
    )
    second = second["id"]
    third = ok(clients["reviewer"].post(URL, {"household": other.pk, "programme": "rigid"}, format="json"), 201)["id"]
    for kind in CHECKLIST:
        ok(upload(clients["reviewer"], second, kind), 201)
    ok(post(clients["reviewer"], second, "investigation"))
    Application.objects.filter(pk=third).update(step_due=timezone.localdate() - timedelta(days=2))
    client = clients["reviewer"]

    def ids(query):
        return [row["id"] for row in ok(client.get(URL + query))["results"]]

    assert ids("") == [first, second, third]
    assert ids("?status=investigating") == [second]
    assert ids("?status=accepted") == [first, third]
    assert ids("?programme=dibao") == [first]
    assert ids(f"?household={other.pk}") == [second, third]
    assert ids("?overdue=true") == [third]
    assert ids("?overdue=false") == [first, second]
    assert ids(f"?overdue=true&household={household.pk}") == []
    rows = ok(client.get(URL + "?overdue=true"))["results"]
    assert rows[0]["overdue"] is True and rows[0]["step_due"] == (timezone.localdate() - timedelta(days=2)).isoformat()
    assert ids("?page_size=2") == [first, second]
    page = ok(client.get(URL + "?page_size=2"))
    assert [r["id"] for r in ok(client.get(page["next"]))["results"]] == [third]
    assert_error(client.get(URL + "?status=flying"), 400, "invalid", {"status"})
    assert_error(client.get(URL + "?household=abc"), 400, "invalid", {"household"})
    assert ids("?overdue=true") == ids("?overdue=true&status=accepted")
    assert ok(clients["other_street"].get(URL + "?overdue=true"))["results"] == []


def test_lists_show_no_file_paths_or_id_numbers(clients, staff, household):
    pk = filed(clients, household)
    content = clients["reviewer"].get(URL).content.decode()
    detail = clients["reviewer"].get(f"{URL}{pk}/").content.decode()
    for document in Document.objects.filter(application_id=pk):
        assert document.file.name not in content and document.file.name not in detail
        assert document.file.name.rsplit("/", 1)[-1] not in detail
    assert "relief/" not in content and "/media/" not in content and "/media/" not in detail
    for member in household.members.all():
        for number in (member.id_number, member.id_number_masked, member.id_number[6:14]):
            assert number not in content and number not in detail
        assert member.name not in content
    rows = json.loads(content)["results"]
    assert "documents" not in rows[0] and "incomes" not in rows[0]


def test_uploads_of_the_wrong_type_are_400_naming_the_field(clients, household):
    pk = ok(clients["caseworker"].post(URL, filing(household), format="json"), 201)["id"]
    caseworker = clients["caseworker"]
    assert_error(upload(caseworker, pk, "id_proof", name="virus.exe", content=b"MZ"), 400, "invalid_file", {"file"})
    assert_error(upload(caseworker, pk, "id_proof", name="scan.pdf", content=b"MZ\x90\x00"), 400, "invalid", {"file"})
    assert_error(upload(caseworker, pk, "id_proof", name="photo.png", content=PDF), 400, "invalid", {"file"})
    big = b"%PDF-" + b"0" * flow.MAX_UPLOAD_BYTES
    assert_error(upload(caseworker, pk, "id_proof", name="big.pdf", content=big), 400, "invalid_file", {"file"})
    assert_error(upload(caseworker, pk, "passport", name="a.pdf"), 400, "invalid", {"kind"})
    response = caseworker.post(f"{URL}{pk}/documents/", {"kind": "id_proof"})
    assert_error(response, 400, "invalid", {"file"})
    assert not Document.objects.exists()
    ok(upload(caseworker, pk, "id_proof", name="photo.jpg", content=b"\xff\xd8\xff\xe0rest"), 201)
    body = ok(
        upload(caseworker, pk, "other", name="440402198001010011身份证.png", content=b"\x89PNG\r\n\x1a\nrest"), 201
    )
    assert body["documents"][-1]["name"] == "440402********0011身份证.png"
    assert Document.objects.count() == 2


def test_list_and_detail_queries_do_not_grow_with_the_data(
    clients, staff, household, household_factory, django_assert_max_num_queries
):
    pk = investigated(clients, staff, household)
    for _i in range(4):
        other = household_factory(QIAOGUANG, size=2)
        ok(clients["caseworker"].post(URL, {"household": other.pk, "programme": "temp_emergency"}, format="json"), 201)
    reader = partner(["relief:read"])
    reader.get("/api/v1/me/")  # the token's first use is recorded once
    with django_assert_max_num_queries(2):  # token, page
        assert len(ok(reader.get(URL))["results"]) == 5
    with django_assert_max_num_queries(11):  # token, application, then one query per kind of record it shows
        assert ok(reader.get(f"{URL}{pk}/"))["id"] == pk


# ----------------------------------------------------------------------------------------------- schema


def test_schema_documents_every_operation(client, db):
    response = client.get("/api/schema/", {"format": "json"})
    assert response.status_code == 200
    schema = json.loads(response.content) if response.content.startswith(b"{") else yaml.safe_load(response.content)
    paths = schema["paths"]
    write = {"400", "401", "403", "404", "409", "422"}
    expected = {
        (URL, "get"): ("relief_applications_list", {"200", "400", "401", "403"}),
        (URL, "post"): ("relief_applications_create", {"201", *write}),
        (URL + "{id}/", "get"): ("relief_applications_retrieve", {"200", "401", "403", "404"}),
        (URL + "{id}/documents/", "post"): ("relief_applications_documents_create", {"201", *write}),
        (URL + "{id}/investigation/", "post"): ("relief_applications_investigation_create", {"200", *write}),
        (URL + "{id}/home-visits/", "post"): ("relief_applications_home_visits_create", {"201", *write}),
        (URL + "{id}/cross-checks/", "post"): ("relief_applications_cross_checks_create", {"201", *write}),
        (URL + "{id}/opinion/", "post"): ("relief_applications_opinion_create", {"200", *write}),
        (URL + "{id}/objections/", "post"): ("relief_applications_objections_create", {"201", *write}),
        (URL + "{id}/decision/", "post"): ("relief_applications_decision_create", {"200", *write}),
        ("/api/v1/relief/entitlements/", "get"): ("relief_entitlements_list", {"200", "400", "401", "403"}),
        ("/api/v1/relief/entitlements/{id}/", "get"): ("relief_entitlements_retrieve", {"200", "401", "403", "404"}),
    }
    for (path, method), (operation_id, codes) in expected.items():
        operation = paths[path][method]
        assert operation["operationId"] == operation_id
        assert codes <= set(operation["responses"]), (path, method, set(operation["responses"]))
        assert not {"put", "patch", "delete"} & set(paths[path])
    params = {p["name"] for p in paths[URL]["get"]["parameters"]}
    assert {"cursor", "page_size", "status", "programme", "household", "overdue"} <= params
    assert "multipart/form-data" in paths[URL + "{id}/documents/"]["post"]["requestBody"]["content"]


def test_an_objection_can_go_to_a_democratic_review_through_the_api(clients, staff, household):
    pk = investigated(clients, staff, household)
    ok(post(clients["reviewer"], pk, "opinion", {"opinion": "approve", "reasons": "符合"}))
    objection = {
        "received_on": timezone.localdate().isoformat(),
        "content": "反映收入不实",
        "resolution": "democratic_review",
    }
    ok(post(clients["caseworker"], pk, "objections", objection), 201)
    assert_error(
        post(clients["reviewer"], pk, "opinion", {"opinion": "approve", "reasons": "符合"}),
        400,
        "democratic_review_pending",
    )
    review = {"held_on": timezone.localdate().isoformat(), "participants": 9, "supports": True, "minutes": "多数支持"}
    ok(post(clients["caseworker"], pk, "democratic-reviews", review), 201)
    body = ok(post(clients["reviewer"], pk, "opinion", {"opinion": "approve", "reasons": "评议后符合"}))
    assert body["status"] == "notice"
