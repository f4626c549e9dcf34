"""/api/v1/childcare/: a school's system files a mandatory report (强制报告) for a community inside its region and
gets a reference and the deadline at once; it alone reads the report back by that reference, and learns the
outcome once civil affairs close the case, never who the child is or what the case file holds."""

import json
from datetime import date, datetime, timedelta

import pytest
import yaml
from django.core.management import call_command
from django.utils import timezone
from rest_framework.test import APIClient

from childcare import services
from childcare.models import CaseView, MandatoryReport, ReportEvent
from civic.models import ApiToken, Resident
from civic.roles import Role

QIAOGUANG = "440402005001"  # 香洲区 › 拱北街道 › 侨光社区
GONGBEI_STREET = "440402005000"  # 拱北街道
XIANGZHOU = "440402000000"  # 香洲区
CITY = "440400000000"
XINTANG = "440403100001"  # 斗门区 › 井岸镇 › 新堂社区, outside 香洲区
REPORTS = "/api/v1/childcare/reports/"


def partner(scopes, region=GONGBEI_STREET, name="拱北小学"):
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


@pytest.fixture
def people(staff_factory):
    return {
        "director": staff_factory(Role.CHILD_DIRECTOR, QIAOGUANG, username="director"),
        "supervisor": staff_factory(Role.CHILD_SUPERVISOR, GONGBEI_STREET, username="supervisor"),
        "protection": staff_factory(Role.CHILD_PROTECTION, XIANGZHOU, username="protection"),
        "caseworker": staff_factory(Role.CASEWORKER, QIAOGUANG, username="caseworker"),
        "manager": staff_factory(Role.CITY_MANAGER, CITY, username="manager"),
    }


@pytest.fixture
def child(household_factory):
    """A ten-year-old of 侨光社区."""
    resident = household_factory(QIAOGUANG, size=3, names=["李建国", "王丽", "李小明"]).members.get(name="李小明")
    today = timezone.localdate()
    Resident.objects.filter(pk=resident.pk).update(birth_date=date(today.year - 10, 1, 1))
    return Resident.objects.get(pk=resident.pk)


@pytest.fixture
def school(regions):
    return partner(["childcare:report"])


def body(**extra):
    return {
        "reporter_kind": "school",
        "reporter_name": "拱北小学 班主任陈老师",
        "reporter_contact": "0756-8881234",
        "region": QIAOGUANG,
        "situation": "repeated_injuries",
        "immediate_danger": False,
        "account": "学生手臂多处淤青，自述在家被打。",
        **extra,
    }


def when(text):
    return datetime.fromisoformat(text)


def file(client, **extra):
    response = client.post(REPORTS, body(**extra), format="json")
    assert response.status_code == 201, response.content
    return response.json()


# ----------------------------------------------------------------------------------------------- filing


def test_a_school_reports_a_known_child_and_gets_a_reference_and_the_deadline(school, child, people):
    client, token = school
    before = timezone.now()
    answer = file(client, child_id_number=child.id_number.lower(), immediate_danger=True)
    assert set(answer) == {"reference", "received_at", "act_by", "state"}
    report = MandatoryReport.objects.get()
    assert answer["reference"] == report.reference and report.reference.startswith("QZ")
    assert answer["state"] == "received"
    received = when(answer["received_at"])
    assert before <= received <= timezone.now()
    assert when(answer["act_by"]) - received == timedelta(hours=24)  # immediate danger
    assert report.child == child and report.reporter_token == token
    assert report.region_id == QIAOGUANG and report.assigned_to == people["director"]
    assert report.reporter_kind == "school" and report.reporter_contact == "0756-8881234"
    assert ReportEvent.objects.get(report=report).actor_label == "partner: 拱北小学"
    assert child.id_number not in json.dumps(answer)


def test_a_child_described_only_is_reported_with_three_days_to_act(school):
    client, _token = school
    answer = file(client, child_description="约八岁男孩，常在侨光市场乞讨", situation="organised_begging")
    assert when(answer["act_by"]) - when(answer["received_at"]) == timedelta(hours=72)
    report = MandatoryReport.objects.get(reference=answer["reference"])
    assert report.child is None and report.child_description == "约八岁男孩，常在侨光市场乞讨"
    assert report.immediate_danger is False

    # Another report gets another reference.
    again = file(client, child_description="另一名女孩", situation="malnutrition")
    assert again["reference"] != answer["reference"]


def test_an_idempotency_key_files_the_report_once(school):
    client, _token = school
    payload = body(child_description="约八岁男孩")
    first = client.post(REPORTS, payload, format="json", HTTP_IDEMPOTENCY_KEY="report-1")
    replay = client.post(REPORTS, payload, format="json", HTTP_IDEMPOTENCY_KEY="report-1")
    assert first.status_code == replay.status_code == 201 and replay["Idempotent-Replayed"] == "true"
    assert replay.json() == first.json()
    assert MandatoryReport.objects.count() == 1
    reused = client.post(REPORTS, {**payload, "account": "别的事"}, format="json", HTTP_IDEMPOTENCY_KEY="report-1")
    assert reused.status_code == 422 and reused.json()["code"] == "idempotency_key_reused"


def test_bad_bodies_are_refused_naming_the_fields(school, child, household_factory):
    client, _token = school
    adult = household_factory(QIAOGUANG, size=1).head
    for payload, named in (
        (body(), {"child_id_number", "child_description"}),
        (body(child_description="   "), {"child_id_number", "child_description"}),
        (body(child_description="男孩", situation="bullying"), {"situation"}),
        (body(child_description="男孩", reporter_kind="neighbour"), {"reporter_kind"}),
        (body(child_description="男孩", reporter_name=""), {"reporter_name"}),
        (body(child_description="男孩", account=""), {"account"}),
        (body(child_description="男孩", immediate_danger="perhaps"), {"immediate_danger"}),
        ({"child_description": "男孩"}, {"reporter_kind", "reporter_name", "region", "situation", "account"}),
        (body(child_description="男孩", reporter_name="   ", account="   "), {"reporter_name", "account"}),
    ):
        response = client.post(REPORTS, payload, format="json")
        assert response.status_code == 400, (payload, response.content)
        assert response.json()["code"] == "invalid" and response.json()["message"]
        assert set(response.json()["fields"]) == named, response.content
    assert not MandatoryReport.objects.exists()
    # An ID number that is not a minor of the area is accepted and kept with the report, revealing nothing.
    response = client.post(REPORTS, body(child_id_number=adult.id_number), format="json")
    assert response.status_code == 201
    assert MandatoryReport.objects.get().child is None


def test_a_community_outside_the_tokens_region_is_not_found(school, regions):
    client, _token = school
    for region in (XINTANG, "440402001001", "999999999999", GONGBEI_STREET):  # another district, street; none; a street
        response = client.post(REPORTS, body(region=region, child_description="男孩"), format="json")
        assert response.status_code == 404, (region, response.content)
        assert response.json()["code"] == "not_found" and set(response.json()["fields"]) == {"region"}
    assert not MandatoryReport.objects.exists()


def test_who_may_file(people, regions):
    payload = body(child_description="男孩")
    # Staff who must report may do so through the API as well; they follow it on the pages.
    response = logged_in(people["caseworker"]).post(REPORTS, payload, format="json")
    assert response.status_code == 201, response.content
    assert MandatoryReport.objects.get().reporter_token is None
    # Without the scope or the capability: 403; without credentials: 401.
    reader, _token = partner(["registry:read"], name="区教育局")
    response = reader.post(REPORTS, payload, format="json")
    assert response.status_code == 403 and response.json()["code"] == "permission_denied"
    assert logged_in(people["manager"]).post(REPORTS, payload, format="json").status_code == 403
    assert APIClient().post(REPORTS, payload, format="json").status_code == 401
    assert MandatoryReport.objects.count() == 1


# --------------------------------------------------------------------------------------------- read-back


def test_only_the_filing_token_reads_the_report_back(school, child, people):
    client, _token = school
    reference = file(client, child_id_number=child.id_number)["reference"]
    url = f"{REPORTS}{reference}/"
    response = client.get(url)
    assert response.status_code == 200, response.content
    assert response.json() == {
        "reference": reference,
        "received_at": response.json()["received_at"],
        "state": "received",
        "outcome": None,
        "closed_at": None,
    }
    assert client.get(f"{REPORTS}{reference.lower()}/").status_code == 200

    hospital, _token = partner(["childcare:report"], name="香洲区人民医院")
    police, _token = partner(["childcare:report"], region=XIANGZHOU, name="香洲公安分局")
    for other in (
        hospital,
        police,
        logged_in(people["director"]),
        logged_in(people["supervisor"]),
        logged_in(people["protection"]),
        logged_in(people["caseworker"]),
    ):
        response = other.get(url)
        assert response.status_code == 404 and response.json()["code"] == "not_found", response.content
        assert reference not in response.content.decode()
    assert client.get(f"{REPORTS}QZ19990000001/").status_code == 404
    reader, _token = partner(["registry:read"], name="区教育局")
    assert reader.get(url).status_code == 403
    assert logged_in(people["manager"]).get(url).status_code == 403
    assert APIClient().get(url).status_code == 401

    # Need-to-know: each attempt on the report is kept, shown or refused.
    views = CaseView.objects.filter(report__reference=reference, channel="api")
    assert views.filter(allowed=True).count() == 2
    assert views.filter(allowed=False).count() == 6
    assert views.filter(allowed=True).first().viewer_label == "partner: 拱北小学"


def test_the_outcome_appears_once_the_case_is_closed(school, child, people):
    client, _token = school
    reference = file(client, child_id_number=child.id_number, immediate_danger=True)["reference"]
    url = f"{REPORTS}{reference}/"
    report = MandatoryReport.objects.get(reference=reference)
    supervisor = people["supervisor"]
    report = services.report_step(
        actor=people["director"], report=report, step="assess", risk_level="high", note="家访：伤痕新旧不一"
    )
    assert client.get(url).json()["state"] == "assessed"
    report = services.report_step(actor=supervisor, report=report, step="plan", plan="报警并安排临时照料")
    report = services.report_step(actor=supervisor, report=report, step="refer", referred_to="police")
    report = services.report_step(actor=supervisor, report=report, step="follow_up", note="公安已立案")
    answer = client.get(url).json()
    assert (answer["state"], answer["outcome"], answer["closed_at"]) == ("follow_up", None, None)

    outcome = "已移交公安机关立案，儿童由祖母临时照料，社区持续跟进。"
    services.report_step(actor=supervisor, report=report, step="close", outcome=outcome)
    answer = client.get(url).json()
    assert answer["state"] == "closed" and answer["outcome"] == outcome
    assert abs(when(answer["closed_at"]) - timezone.now()) < timedelta(minutes=1)
    # Never who the child is, nor the case notes or plan.
    text = json.dumps(answer, ensure_ascii=False)
    for secret in (child.id_number, child.name, "伤痕新旧不一", "报警并安排临时照料", "公安已立案", "手臂多处淤青"):
        assert secret not in text
    assert set(answer) == {"reference", "received_at", "state", "outcome", "closed_at"}


# ----------------------------------------------------------------------------------------------- schema


def test_the_schema_documents_both_endpoints(client, db, tmp_path):
    call_command("spectacular", "--fail-on-warn", "--file", str(tmp_path / "schema.yaml"))
    response = client.get("/api/schema/", {"format": "json"})
    assert response.status_code == 200
    schema = json.loads(response.content) if response.content.startswith(b"{") else yaml.safe_load(response.content)
    paths = schema["paths"]
    create = paths[REPORTS]["post"]
    assert create["operationId"] == "childcare_reports_create"
    assert {"201", "400", "401", "403", "404", "409", "422"} <= set(create["responses"])
    read = paths[REPORTS + "{reference}/"]["get"]
    assert read["operationId"] == "childcare_reports_retrieve"
    assert {"200", "401", "403", "404"} <= set(read["responses"])
    error = "#/components/schemas/ApiError"
    for operation, codes in ((create, ("400", "401", "403", "404")), (read, ("401", "403", "404"))):
        for code in codes:
            assert operation["responses"][code]["content"]["application/json"]["schema"]["$ref"] == error
    status = schema["components"]["schemas"]["ChildcareReportStatus"]["properties"]
    assert set(status) == {"reference", "received_at", "state", "outcome", "closed_at"}


def test_the_scope_is_registered():
    from civic.api.scopes import SCOPES

    assert "childcare:report" in SCOPES
