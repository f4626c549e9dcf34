"""/api/v1/monitoring/: partner systems send records through their feed (one scope each) and read back what they
sent; staff and monitoring:read tokens read the early warnings raised and the people watched, within their area."""

import json
from datetime import timedelta

import pytest
import yaml
from django.core.management import call_command
from django.utils import timezone
from rest_framework.test import APIClient

from civic.models import ApiToken
from civic.roles import Role
from monitoring.models import Alert, AlertEvent, AlertStatus, FeedRecord, MatchStatus, MonitoredPerson
from monitoring.services.alerts import alert_dismiss
from tests.conftest import id_number

from .conftest import GONGBEI, QIAOGUANG, grant, record

CITY = "440400000000"
XIANGZHOU = "440402000000"
XIAWAN = "440402005003"  # 拱北街道 › 夏湾社区
XINTANG = "440403100001"  # 斗门区 › 井岸镇 › 新堂社区, another district
DOUMEN = "440403000000"
API = "/api/v1/monitoring/"
ALERTS, PEOPLE = f"{API}alerts/", f"{API}people/"
TODAY = timezone.localdate


def records_url(feed):
    return f"{API}feeds/{feed}/records/"


def token_client(scopes, region=CITY, name="合作系统"):
    """A partner system's client, its token stored as create_partner stores one (only the hash)."""
    raw, key_hash, hint = ApiToken.generate()
    token = ApiToken.objects.create(
        name=name, key_hash=key_hash, key_hint=hint, scopes=sorted(scopes), region_id=region
    )
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Bearer {raw}")
    client.token = token
    return client


def logged_in(user):
    client = APIClient()
    client.force_login(user)
    return client


def post(client, feed, records, **headers):
    return client.post(records_url(feed), {"records": records}, format="json", **headers)


def ids(response):
    assert response.status_code == 200, response.content
    return sorted(row["id"] for row in response.json()["results"])


def nobody(seq=1):
    """A valid ID number no resident has."""
    return id_number(area="440402", birth="19900101", seq=900 + seq)


@pytest.fixture
def population(regions):
    return token_client(["monitoring:population"], name="公安人口系统")


@pytest.fixture
def death(dibao_family, caseworker, send, nightly):
    """王建国 of the dibao family died three days ago: the nightly run raises a review task for 侨光's
    caseworker."""
    household, entitlement = dibao_family
    father = household.members.get(name="王建国")
    send("population", [record(father, "D-1", event="death", on=TODAY() - timedelta(days=3))])
    job = nightly()
    assert job.state == "done", job.error
    return Alert.objects.get(rule="death")


# --------------------------------------------------------------------------------------------------- feeds


def test_a_partner_sends_records_and_they_are_matched_by_id_number(dibao_family, population):
    household, _ = dibao_family
    father = household.members.get(name="王建国")
    batch = [
        record(father, "P-1", event="death", on=TODAY() - timedelta(days=2)),
        {"reference": "P-2", "id_number": nobody(), "name": "外地人", "date": TODAY().isoformat(), "event": "moved_in"},
    ]
    response = post(population, "population", batch)
    assert response.status_code == 200, response.content
    assert response.json() == {
        "received": 2,
        "new": 2,
        "repeated": 0,
        "matched": 1,
        "unmatched": 1,
        "unmatched_references": ["P-2"],
    }
    matched = FeedRecord.objects.get(reference="P-1")
    assert matched.resident == father and matched.match == MatchStatus.MATCHED and matched.event == "death"
    assert matched.sender == population.token and matched.region_id == QIAOGUANG
    unmatched = FeedRecord.objects.get(reference="P-2")
    assert unmatched.resident is None and unmatched.match == MatchStatus.UNMATCHED and unmatched.region_id == CITY


def test_amounts_and_counts_follow_the_feed(dibao_family):
    household, _ = dibao_family
    head = household.members.get(name="王建国")
    utility = token_client(["monitoring:utility"], name="水电气系统")
    response = post(
        utility,
        "utility",
        [
            {**record(head, "U-1", event="water"), "amount": 350.5, "count": 3},
            {**record(head, "U-2", event="gas"), "amount": "120.00"},
        ],
    )
    assert response.status_code == 200, response.content
    assert response.json()["new"] == 2 and response.json()["matched"] == 2
    stored = {r.reference: r for r in FeedRecord.objects.all()}
    assert str(stored["U-1"].amount) == "350.50" and stored["U-1"].count == 3
    assert str(stored["U-2"].amount) == "120.00" and stored["U-2"].count is None


def test_a_batch_sent_again_stores_nothing_twice(dibao_family, population):
    household, _ = dibao_family
    batch = [record(member, f"R-{member.pk}", event="moved_out") for member in household.members.all()]
    assert post(population, "population", batch).json()["new"] == 3
    again = post(population, "population", [*batch, record(household.head, "R-new", event="moved_in")])
    assert again.status_code == 200, again.content
    assert again.json() == {
        "received": 4,
        "new": 1,
        "repeated": 3,
        "matched": 1,
        "unmatched": 0,
        "unmatched_references": [],
    }
    assert FeedRecord.objects.count() == 4


def test_one_wrong_record_names_its_field_and_stores_none_of_the_batch(dibao_family, population):
    household, _ = dibao_family
    head = household.head
    good = record(head, "G-1", event="death")
    for records, named in (
        (
            [
                good,
                {**record(head, "G-2"), "id_number": nobody()[:-1]},
                {**record(head, "G-3"), "date": (TODAY() + timedelta(days=1)).isoformat()},
            ],
            {"records[1].id_number", "records[2].date"},
        ),
        ([good, {**record(head, "G-4"), "event": "wedding"}], {"records[1].event"}),
        ([good, {**record(head, "G-1")}], {"records[1].reference"}),
        (
            [{"id_number": ["x"], "date": "yesterday"}],
            {"records[0].reference", "records[0].id_number", "records[0].date"},
        ),
        ([good, "not a record"], {"records[1].reference", "records[1].id_number", "records[1].date"}),
        ([{**good, "amount": "12.00"}], {"records[0].amount"}),  # the population feed carries no amount
        ([], {"records"}),
        ([good] * 1001, {"records"}),
    ):
        response = post(population, "population", records)
        assert response.status_code == 400, response.content
        body = response.json()
        assert body["code"] == "invalid" and set(body["fields"]) == named, (records[:3], body)
    medical = token_client(["monitoring:medical"], name="医保系统")
    response = post(medical, "medical", [record(head, "M-1", event="inpatient")])
    assert response.status_code == 400 and set(response.json()["fields"]) == {"records[0].amount"}
    for body in ({}, {"records": "P-1"}, {"records": {"reference": "P-1"}}):
        response = population.post(records_url("population"), body, format="json")
        assert response.status_code == 400 and set(response.json()["fields"]) == {"records"}, response.content
    assert not FeedRecord.objects.exists()


def test_sending_needs_the_feeds_own_scope(dibao_family, caseworker, population):
    batch = [record(dibao_family[0].head, "S-1", event="death")]
    for client in (
        token_client(["monitoring:medical"], name="医保系统"),
        token_client(["monitoring:read"], name="监测平台"),
        logged_in(caseworker),
    ):
        for response in (post(client, "population", batch), client.get(records_url("population"))):
            assert response.status_code == 403, response.content
            assert response.json()["code"] in {"permission_denied", "forbidden"}
            assert set(response.json()) == {"code", "message", "fields"}
    assert not FeedRecord.objects.exists()


def test_sending_needs_a_valid_token(regions):
    batch = [{"reference": "A-1", "id_number": nobody(), "date": TODAY().isoformat()}]
    response = post(APIClient(), "population", batch)
    assert response.status_code == 401 and response.json()["code"] == "not_authenticated"
    assert response["WWW-Authenticate"] == "Bearer"
    stranger = APIClient()
    stranger.credentials(HTTP_AUTHORIZATION="Bearer not-a-token")
    for response in (post(stranger, "population", batch), stranger.get(records_url("population"))):
        assert response.status_code == 401 and response.json()["code"] == "authentication_failed"
    revoked = token_client(["monitoring:population"])
    ApiToken.objects.filter(pk=revoked.token.pk).update(is_active=False)
    assert post(revoked, "population", batch).status_code == 401
    assert not FeedRecord.objects.exists()


def test_an_unknown_feed_is_not_found(population):
    batch = [{"reference": "A-1", "id_number": nobody(), "date": TODAY().isoformat()}]
    for response in (post(population, "weather", batch), population.get(records_url("weather"))):
        assert response.status_code == 404 and response.json()["code"] == "not_found", response.content


def test_an_idempotency_key_replays_the_answer(dibao_family, population):
    batch = [record(dibao_family[0].head, "I-1", event="death")]
    first = post(population, "population", batch, HTTP_IDEMPOTENCY_KEY="batch-1")
    second = post(population, "population", batch, HTTP_IDEMPOTENCY_KEY="batch-1")
    assert first.status_code == second.status_code == 200
    assert first.json() == second.json() and second.json()["new"] == 1
    assert second["Idempotent-Replayed"] == "true"
    other = post(
        population, "population", [*batch, record(dibao_family[0].head, "I-2")], HTTP_IDEMPOTENCY_KEY="batch-1"
    )
    assert other.status_code == 422 and other.json()["code"] == "idempotency_key_reused"
    assert FeedRecord.objects.count() == 1


def test_a_partner_reads_back_only_its_own_records(dibao_family, population, django_assert_max_num_queries):
    household, _ = dibao_family
    father, mother = household.members.get(name="王建国"), household.members.get(name="李秀兰")
    post(
        population,
        "population",
        [record(father, "A-1", event="moved_out"), {**record(None, "A-2", id_number=nobody())}],
    )
    other = token_client(["monitoring:population", "monitoring:medical"], name="另一个人口系统")
    post(other, "population", [record(mother, "B-1", event="moved_out")])
    post(other, "medical", [record(mother, "B-2", event="inpatient", amount="800.00")])

    with django_assert_max_num_queries(4):
        response = population.get(records_url("population"))
    assert response.status_code == 200, response.content
    rows = response.json()["results"]
    assert [row["reference"] for row in rows] == ["A-1", "A-2"]
    assert set(rows[0]) == {"reference", "event", "date", "match", "received_at"}
    assert rows[0]["match"] == "matched" and rows[1]["match"] == "unmatched" and rows[0]["event"] == "moved_out"
    assert rows[0]["date"] == TODAY().isoformat()
    assert "王建国" not in response.content.decode() and father.id_number not in response.content.decode()

    assert [
        r["reference"] for r in population.get(records_url("population"), {"match": "unmatched"}).json()["results"]
    ] == ["A-2"]
    assert [
        r["reference"] for r in population.get(records_url("population"), {"reference": "A-1"}).json()["results"]
    ] == ["A-1"]
    assert population.get(records_url("population"), {"reference": "B-1"}).json()["results"] == []
    assert [r["reference"] for r in other.get(records_url("population")).json()["results"]] == ["B-1"]
    assert [r["reference"] for r in other.get(records_url("medical")).json()["results"]] == ["B-2"]
    response = population.get(records_url("population"), {"match": "lost"})
    assert response.status_code == 400 and set(response.json()["fields"]) == {"match"}


# -------------------------------------------------------------------------------------------------- alerts


def test_the_community_caseworker_sees_its_warnings(death, dibao_family, caseworker):
    household, entitlement = dibao_family
    father = household.members.get(name="王建国")
    response = logged_in(caseworker).get(ALERTS)
    assert ids(response) == [death.pk]
    [row] = response.json()["results"]
    assert row["rule"] == "death" and row["action"] == "review" and row["status"] == "open"
    assert row["region"] == QIAOGUANG and row["household"] == household.pk and row["overdue"] is False
    assert row["resident"] == {"id": father.pk, "name": "王建国", "id_number_masked": father.id_number_masked}
    assert father.id_number not in response.content.decode()
    assert row["assignee"] == str(caseworker) and row["due_on"] == death.due_on.isoformat()


def test_a_warning_shows_its_record_and_history(death, dibao_family, caseworker):
    household, entitlement = dibao_family
    response = logged_in(caseworker).get(f"{ALERTS}{death.pk}/")
    assert response.status_code == 200, response.content
    body = response.json()
    assert body["id"] == death.pk and body["entitlement"] == entitlement.pk and body["other_entitlement"] is None
    assert body["record"]["feed"] == "population" and body["record"]["reference"] == "D-1"
    assert body["record"]["event"] == "death" and body["record"]["date"] == (TODAY() - timedelta(days=3)).isoformat()
    assert body["events"] == [] and body["status"] == "open"
    assert body["application"] is None and body["review"] is None and body["visit"] is None
    alert_dismiss(actor=caseworker, alert=death, reason="死亡已核实，家庭另行复核")
    body = logged_in(caseworker).get(f"{ALERTS}{death.pk}/").json()
    assert body["status"] == "dismissed" and body["outcome"] == "死亡已核实，家庭另行复核"
    assert body["handled_on"] == TODAY().isoformat()
    [event] = body["events"]
    assert event["step"] == "dismissed" and event["note"] == "死亡已核实，家庭另行复核"
    assert event["by"] == AlertEvent.objects.get(alert=death).actor_label and "qiaoguang-caseworker" in event["by"]
    reader = token_client(["monitoring:read"], region=GONGBEI, name="街道监测平台")
    assert reader.get(f"{ALERTS}{death.pk}/").json()["resident"]["name"] == "王建国"


def test_warnings_and_people_are_read_only_within_the_callers_area(death, staff_factory, caseworker):
    city = token_client(["monitoring:read"], name="市监测平台")
    doumen = token_client(["monitoring:read"], region=DOUMEN, name="斗门监测平台")
    xintang = logged_in(staff_factory(Role.CASEWORKER, XINTANG, username="xintang-caseworker"))
    xiawan = logged_in(staff_factory(Role.CASEWORKER, XIAWAN, username="xiawan-caseworker"))
    reviewer = logged_in(staff_factory(Role.STREET_REVIEWER, GONGBEI, username="gongbei-reviewer"))
    people = sorted(MonitoredPerson.objects.filter(region_id=QIAOGUANG).values_list("pk", flat=True))
    assert len(people) == 3
    for client in (city, reviewer, logged_in(caseworker)):
        assert ids(client.get(ALERTS)) == [death.pk]
        assert client.get(f"{ALERTS}{death.pk}/").status_code == 200
        assert ids(client.get(PEOPLE)) == people
    for client in (doumen, xintang, xiawan):
        assert ids(client.get(ALERTS)) == []
        assert ids(client.get(PEOPLE)) == []
        response = client.get(f"{ALERTS}{death.pk}/")
        assert response.status_code == 404 and response.json()["code"] == "not_found"
    response = city.get(f"{ALERTS}999999/")
    assert response.status_code == 404 and response.json()["code"] == "not_found"


def test_reading_warnings_needs_credentials_and_monitoring_view(death, staff_factory, population):
    child = logged_in(staff_factory(Role.CHILD_DIRECTOR, QIAOGUANG, username="qiaoguang-child"))
    for url in (ALERTS, f"{ALERTS}{death.pk}/", PEOPLE):
        response = APIClient().get(url)
        assert response.status_code == 401 and response.json()["code"] == "not_authenticated", url
        for client in (population, child, token_client(["governance:read"], name="议事平台")):
            response = client.get(url)
            assert response.status_code == 403 and response.json()["code"] == "permission_denied", url


def test_warnings_are_filtered(death, household_factory, policy, send, nightly, caseworker):
    other = household_factory(XIAWAN, size=2)
    grant(other)
    send("population", [record(other.head, "D-9", event="death", on=TODAY() - timedelta(days=1))])
    nightly()
    xiawan = Alert.objects.get(record__reference="D-9")
    reader = token_client(["monitoring:read"], region=GONGBEI, name="街道监测平台")
    assert ids(reader.get(ALERTS)) == sorted([death.pk, xiawan.pk])
    assert ids(reader.get(ALERTS, {"region": QIAOGUANG})) == [death.pk]
    assert ids(reader.get(ALERTS, {"region": XIAWAN})) == [xiawan.pk]
    assert ids(reader.get(ALERTS, {"region": XINTANG})) == []
    assert ids(reader.get(ALERTS, {"region": "999999999999"})) == []
    assert ids(reader.get(ALERTS, {"rule": "death", "status": "open"})) == sorted([death.pk, xiawan.pk])
    assert ids(reader.get(ALERTS, {"rule": "medical"})) == []
    assert ids(reader.get(ALERTS, {"status": "dismissed"})) == []
    Alert.objects.filter(pk=death.pk).update(urgent=False)
    Alert.objects.filter(pk=xiawan.pk).update(urgent=True, due_on=TODAY() - timedelta(days=1))
    assert ids(reader.get(ALERTS, {"urgent": "true"})) == [xiawan.pk]
    assert ids(reader.get(ALERTS, {"urgent": "false"})) == [death.pk]
    assert ids(reader.get(ALERTS, {"due_before": TODAY().isoformat()})) == [xiawan.pk]
    assert reader.get(f"{ALERTS}{xiawan.pk}/").json()["overdue"] is True
    Alert.objects.filter(pk=xiawan.pk).update(status=AlertStatus.DISMISSED, handled_on=TODAY(), outcome="查无此事")
    assert ids(reader.get(ALERTS, {"status": "dismissed"})) == [xiawan.pk]
    assert reader.get(f"{ALERTS}{xiawan.pk}/").json()["overdue"] is False
    for bad, named in (
        ({"status": "lost"}, {"status"}),
        ({"rule": "weather"}, {"rule"}),
        ({"urgent": "maybe"}, {"urgent"}),
        ({"due_before": "tomorrow"}, {"due_before"}),
    ):
        response = reader.get(ALERTS, bad)
        assert response.status_code == 400 and set(response.json()["fields"]) == named, response.content


def test_people_are_listed_and_filtered(death, dibao_family, caseworker):
    household, _ = dibao_family
    client = logged_in(caseworker)
    response = client.get(PEOPLE)
    rows = {row["resident"]["name"]: row for row in response.json()["results"]}
    assert set(rows) == {"王建国", "李秀兰", "王小明"}
    mother = household.members.get(name="李秀兰")
    assert rows["李秀兰"]["resident"]["id_number_masked"] == mother.id_number_masked
    assert rows["李秀兰"]["category"] == "dibao" and rows["李秀兰"]["household"] == household.pk
    assert mother.id_number not in response.content.decode()
    warned = sorted(row["id"] for row in rows.values() if row["status"] == "warned")
    assert warned and ids(client.get(PEOPLE, {"status": "warned"})) == warned
    assert ids(client.get(PEOPLE, {"category": "dibao", "region": QIAOGUANG})) == sorted(r["id"] for r in rows.values())
    assert ids(client.get(PEOPLE, {"category": "tekun"})) == []
    assert ids(client.get(PEOPLE, {"region": XIAWAN})) == []
    response = client.get(PEOPLE, {"category": "rich"})
    assert response.status_code == 400 and set(response.json()["fields"]) == {"category"}


def test_lists_take_a_bounded_number_of_queries(
    household_factory, policy, send, nightly, caseworker, django_assert_max_num_queries
):
    families = [household_factory(QIAOGUANG, size=2) for _ in range(4)]
    for family in families:
        grant(family)
    send("population", [record(f.head, f"D-{f.pk}", event="death", on=TODAY() - timedelta(days=2)) for f in families])
    nightly()
    assert Alert.objects.count() == 4
    reader = token_client(["monitoring:read"], name="市监测平台")
    staff = logged_in(caseworker)
    detail = f"{ALERTS}{Alert.objects.first().pk}/"
    for client in (reader, staff):  # a token: itself (and its last use); staff: the session, the user, its region
        with django_assert_max_num_queries(4):
            assert len(ids(client.get(ALERTS))) == 4
        with django_assert_max_num_queries(4):
            assert len(ids(client.get(PEOPLE))) == 8
        with django_assert_max_num_queries(5):
            assert client.get(detail).status_code == 200


# -------------------------------------------------------------------------------------------------- schema


def test_the_schema_documents_every_endpoint_and_refusal(client, db, tmp_path):
    call_command("spectacular", "--fail-on-warn", "--file", str(tmp_path / "schema.yaml"))
    response = client.get("/api/schema/", {"format": "json"})
    assert response.status_code == 200
    schema = json.loads(response.content) if response.content.startswith(b"{") else yaml.safe_load(response.content)
    paths = schema["paths"]
    records = f"{API}feeds/{{feed}}/records/"
    lists = {"200", "400", "401", "403"}
    expected = {
        (records, "post"): ("monitoring_feed_records_create", {"200", "400", "401", "403", "404", "409", "422"}),
        (records, "get"): ("monitoring_feed_records_list", {"200", "400", "401", "403", "404"}),
        (ALERTS, "get"): ("monitoring_alerts_list", lists),
        (ALERTS + "{id}/", "get"): ("monitoring_alerts_retrieve", {"200", "401", "403", "404"}),
        (PEOPLE, "get"): ("monitoring_people_list", lists),
    }
    error = "#/components/schemas/ApiError"
    for (path, method), (operation_id, codes) in expected.items():
        operation = paths[path][method]
        assert operation["operationId"] == operation_id
        assert set(operation["responses"]) == codes, (path, method)
        for code in codes - {"200"}:
            assert operation["responses"][code]["content"]["application/json"]["schema"]["$ref"] == error
    create = paths[records]["post"]
    [feed] = [p for p in create["parameters"] if p["name"] == "feed"]
    assert feed["in"] == "path" and set(feed["schema"]["enum"]) == {
        "population",
        "medical",
        "disability",
        "unemployment",
        "utility",
        "property",
        "hotline",
        "school",
    }
    assert "`death`" in create["description"] and "monitoring:utility" in create["description"]
    assert "records[3]" in create["responses"]["400"]["description"]
    assert "idempotency_key_reused" in create["responses"]["422"]["description"]
    assert {"reference", "match", "cursor"} <= {p["name"] for p in paths[records]["get"]["parameters"]}
    assert {"status", "rule", "region", "urgent", "due_before", "cursor"} <= {
        p["name"] for p in paths[ALERTS]["get"]["parameters"]
    }
    assert {"category", "status", "region"} <= {p["name"] for p in paths[PEOPLE]["get"]["parameters"]}
    components = schema["components"]["schemas"]
    assert components["MonitoringMatchStatusEnum"]["enum"] == ["pending", "matched", "unmatched", "set_aside"]
    assert set(components["MonitoringFeedRecordOutput"]["properties"]) == {
        "reference",
        "event",
        "date",
        "match",
        "received_at",
    }
    assert "id_number_masked" in components["MonitoringResident"]["properties"]


def test_the_scopes_are_registered():
    from civic import access
    from civic.api.scopes import SCOPES

    assert {"monitoring:read", "monitoring:population", "monitoring:school"} <= set(SCOPES)
    assert access.SCOPE_CAPABILITIES["monitoring:read"] == {"monitoring.view"}
