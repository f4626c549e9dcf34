"""/api/v1/governance/: councils with their members and execution rate, topics, meetings, resolutions with their
history, micro-projects and the figures, read within the caller's area; topics sent by a hotline system (12345) or
recorded by staff, one topic per hotline reference however often it is sent."""

import json
from datetime import timedelta

import pytest
import yaml
from django.core.management import call_command
from django.utils import timezone
from rest_framework.test import APIClient

from civic.api.authentication import PartnerPrincipal
from civic.models import ApiToken
from civic.roles import Role
from governance import selectors, services
from governance.api.serializers import FiguresBy
from governance.models import Resolution, Topic

QIAOGUANG = "440402005001"  # 香洲区 › 拱北街道 › 侨光社区, the conftest council's community
XIAWAN = "440402005003"  # 拱北街道 › 夏湾社区
GONGBEI = "440402005000"  # 拱北街道
XIANGZHOU = "440402000000"
CITY = "440400000000"
XINTANG = "440403100001"  # 斗门区 › 井岸镇 › 新堂社区, another district
API = "/api/v1/governance/"
COUNCILS, TOPICS, MEETINGS = f"{API}councils/", f"{API}topics/", f"{API}meetings/"
RESOLUTIONS, MICRO, FIGURES = f"{API}resolutions/", f"{API}micro-projects/", f"{API}figures/"
TODAY = timezone.localdate


def partner(scopes, region=XIANGZHOU, name="区议事协商平台"):
    """A partner system's client, its token stored as create_partner stores one (only the hash)."""
    raw, key_hash, hint = ApiToken.generate()
    ApiToken.objects.create(name=name, key_hash=key_hash, key_hint=hint, scopes=sorted(scopes), region_id=region)
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Bearer {raw}")
    return client


def logged_in(user):
    client = APIClient()
    client.force_login(user)
    return client


def ids(response):
    assert response.status_code == 200, response.content
    return sorted(row["id"] for row in response.json()["results"])


def days_ago(n):
    return TODAY() - timedelta(days=n)


def council_with_members(actor, region, level, name, members, established=400):
    council = services.council_create(
        actor=actor, region_code=region, level=level, name=name, established_on=days_ago(established)
    )
    for member_name, kind, role, phone in members:
        services.member_add(
            actor=actor,
            council=council,
            name=member_name,
            kind=kind,
            role=role,
            phone=phone,
            joined_on=days_ago(300),
        )
    return council


def topic(actor, council, title, category="facilities", source="resident", received=5, accept=True, **extra):
    created, _ = services.topic_create(
        actor=actor,
        council=council,
        title=title,
        source=source,
        category=category,
        proposer="居民代表",
        received_on=days_ago(received),
        **extra,
    )
    return services.topic_accept(actor=actor, topic=created) if accept else created


def meeting(actor, council, items, held=20):
    members = list(council.members.filter(left_on__isnull=True))
    return services.meeting_record(
        actor=actor,
        council=council,
        held_on=days_ago(held),
        place="议事厅",
        minutes="议事会例会",
        attendees=members,
        other_participants=10,
        items=[
            services.Item(
                topic=t,
                outcome=outcome,
                votes_for=len(members) - 1 if outcome == "resolved" else 1,
                votes_against=1 if outcome == "resolved" else len(members) - 1,
                resolution_text=f"决议：{t.title}" if outcome == "resolved" else "",
                owner="社区居委会" if outcome == "resolved" else "",
                due_on=days_ago(held) + timedelta(days=due) if outcome == "resolved" else None,
            )
            for t, outcome, due in items
        ],
    )


@pytest.fixture
def people(staff_factory, secretary):
    return {
        "secretary": secretary,
        "reviewer": staff_factory(Role.STREET_REVIEWER, GONGBEI, username="gongbei-reviewer"),
        "xintang": staff_factory(Role.COMMUNITY_SECRETARY, XINTANG, username="xintang-secretary"),
        "caseworker": staff_factory(Role.CASEWORKER, QIAOGUANG, username="qiaoguang-caseworker"),
        "child": staff_factory(Role.CHILD_DIRECTOR, QIAOGUANG, username="qiaoguang-child"),
    }


@pytest.fixture
def world(people, council, accepted_topics):
    """侨光: the conftest community council (5 members) and a building council; 夏湾's and 拱北街道's councils
    (the street reviewer's); 新堂's in another district. 侨光 met 20 days ago: the elevator was resolved, due 5
    days ago and still in progress (overdue), with a micro-project; the parking was not resolved. 夏湾 met 30
    days ago and implemented and published its resolution; so did 新堂."""
    secretary, reviewer, xintang = people["secretary"], people["reviewer"], people["xintang"]
    member = council.members.get(name="李姐")
    services.member_leave(actor=secretary, member=member, on=days_ago(100))
    services.member_add(
        actor=secretary,
        council=council,
        name="黄先生",
        kind="deputy",
        role="member",
        phone="13800000001",
        joined_on=days_ago(90),
    )
    building = council_with_members(
        secretary,
        QIAOGUANG,
        "building",
        "侨光新村3栋楼栋议事会",
        [
            ("陈伯", "resident", "chair", "13800000002"),
            ("林姨", "resident", "member", ""),
            ("张先生", "owners", "member", ""),
        ],
    )
    xiawan = council_with_members(
        reviewer,
        XIAWAN,
        "community",
        "夏湾社区议事会",
        [
            ("梁主任", "party", "chair", ""),
            ("周姐", "resident", "member", ""),
            ("物业吴经理", "property", "member", ""),
        ],
    )
    street = council_with_members(
        reviewer,
        GONGBEI,
        "street",
        "拱北街道议事会",
        [("罗书记", "party", "chair", ""), ("人大代表冯女士", "deputy", "member", "")],
    )
    doumen = council_with_members(
        xintang,
        XINTANG,
        "community",
        "新堂社区议事会",
        [("何叔", "resident", "chair", ""), ("邓姐", "resident", "member", ""), ("苏伯", "resident", "member", "")],
    )
    elevator, parking = accepted_topics
    qiaoguang_meeting = meeting(secretary, council, [(elevator, "resolved", 15), (parking, "not_resolved", 0)])
    elevator_resolution = Resolution.objects.get(topic=elevator)
    services.progress_add(
        actor=secretary, resolution=elevator_resolution, note="已完成意见征集", percent=40, on=days_ago(10)
    )
    project = services.micro_project_create(actor=secretary, topic=elevator, name="3栋加装电梯", budget="80000")
    services.micro_project_update(actor=secretary, project=project, status="underway", completion=60, spent="48000")

    fitness = topic(
        reviewer, xiawan, "夏湾公园健身器材更新", source="hotline", received=40, external_ref="ZH12345-0001"
    )
    xiawan_meeting = meeting(reviewer, xiawan, [(fitness, "resolved", 20)], held=30)
    fitness_resolution = Resolution.objects.get(topic=fitness)
    services.resolution_implemented(
        actor=reviewer, resolution=fitness_resolution, outcome="已更换器材12件", on=days_ago(15)
    )
    services.resolution_publish(actor=reviewer, resolution=fitness_resolution, on=days_ago(14))

    lamps = topic(xintang, doumen, "新堂路灯维修", received=50)
    doumen_meeting = meeting(xintang, doumen, [(lamps, "resolved", 10)], held=45)
    services.resolution_implemented(
        actor=xintang, resolution=Resolution.objects.get(topic=lamps), outcome="已修复", on=days_ago(40)
    )
    noise = topic(reviewer, street, "口岸周边夜间噪音", category="dispute", source="hotline", received=60, accept=False)
    return {
        "council": council,
        "building": building,
        "xiawan": xiawan,
        "street": street,
        "doumen": doumen,
        "elevator": elevator,
        "parking": parking,
        "fitness": fitness,
        "lamps": lamps,
        "noise": noise,
        "meetings": {"qiaoguang": qiaoguang_meeting, "xiawan": xiawan_meeting, "doumen": doumen_meeting},
        "resolutions": {
            "elevator": elevator_resolution,
            "fitness": fitness_resolution,
            "lamps": Resolution.objects.get(topic=lamps),
        },
        "project": project,
    }


# ------------------------------------------------------------------------------------------------ councils


def test_councils_are_listed_within_the_callers_area(world, people):
    mine = sorted([world["council"].pk, world["building"].pk])
    street = sorted([*mine, world["xiawan"].pk, world["street"].pk])
    reader = partner(["governance:read"])
    city = partner(["governance:read"], region=CITY, name="市议事协商平台")
    assert ids(logged_in(people["secretary"]).get(COUNCILS)) == mine
    assert ids(logged_in(people["caseworker"]).get(COUNCILS)) == mine
    assert ids(logged_in(people["reviewer"]).get(COUNCILS)) == street
    assert ids(reader.get(COUNCILS)) == street
    assert ids(city.get(COUNCILS)) == sorted([*street, world["doumen"].pk])

    assert ids(city.get(COUNCILS, {"level": "building"})) == [world["building"].pk]
    assert ids(city.get(COUNCILS, {"region": XIAWAN})) == [world["xiawan"].pk]
    assert ids(city.get(COUNCILS, {"region": GONGBEI})) == street
    assert ids(city.get(COUNCILS, {"region": "999999999999"})) == []
    assert ids(city.get(COUNCILS, {"q": "楼栋"})) == [world["building"].pk]
    assert ids(reader.get(COUNCILS, {"region": XINTANG})) == []  # another district: nothing, whatever the filter
    response = city.get(COUNCILS, {"level": "province"})
    assert response.status_code == 400 and set(response.json()["fields"]) == {"level"}

    row = next(r for r in reader.get(COUNCILS).json()["results"] if r["id"] == world["council"].pk)
    assert row == {
        "id": world["council"].pk,
        "name": "侨光社区议事会",
        "level": "community",
        "region": QIAOGUANG,
        "region_name": "侨光社区",
        "place": "侨光社区党群服务中心",
        "established_on": days_ago(400).isoformat(),
        "is_active": True,
        "members_count": 5,  # 李姐 left, 黄先生 joined
    }


def test_a_council_shows_its_members_and_execution_rate(world, people):
    url = f"{COUNCILS}{world['council'].pk}/"
    reader = partner(["governance:read"])
    body = reader.get(url).json()
    assert [(m["name"], m["role"], m["kind"]) for m in body["members"]] == [
        ("陈伯", "chair", "resident"),
        ("何淑仪", "secretary", "party"),
        ("业委会刘主任", "member", "owners"),
        ("物业王经理", "member", "property"),
        ("黄先生", "member", "deputy"),
    ]
    assert all(m["phone"] is None for m in body["members"])  # no phone numbers for partners
    assert "13800000001" not in json.dumps(body)
    # The elevator is overdue and not implemented: 0 of 1.
    assert body["execution_rate"] == {"implemented": 0, "due": 1, "rate": "0.0000"}

    staff = logged_in(people["secretary"]).get(url).json()
    assert next(m for m in staff["members"] if m["name"] == "黄先生")["phone"] == "13800000001"
    assert all(m["phone"] is None for m in logged_in(people["caseworker"]).get(url).json()["members"])

    xiawan = reader.get(f"{COUNCILS}{world['xiawan'].pk}/").json()
    assert xiawan["execution_rate"] == {"implemented": 1, "due": 1, "rate": "1.0000"}
    building = reader.get(f"{COUNCILS}{world['building'].pk}/").json()
    assert building["execution_rate"] == {"implemented": 0, "due": 0, "rate": None}

    for client, pk in (
        (reader, world["doumen"].pk),
        (logged_in(people["secretary"]), world["xiawan"].pk),
        (logged_in(people["xintang"]), world["council"].pk),
        (reader, 999999),
    ):
        response = client.get(f"{COUNCILS}{pk}/")
        assert response.status_code == 404 and response.json()["code"] == "not_found"


def test_reading_needs_credentials_and_the_scope(world, people):
    hotline = partner(["governance:hotline"], name="12345热线")
    for url in (
        COUNCILS,
        f"{COUNCILS}{world['council'].pk}/",
        TOPICS,
        f"{TOPICS}{world['elevator'].pk}/",
        MEETINGS,
        RESOLUTIONS,
        f"{RESOLUTIONS}{world['resolutions']['elevator'].pk}/",
        MICRO,
        FIGURES,
    ):
        assert APIClient().get(url).status_code == 401, url
        response = hotline.get(url)
        assert response.status_code == 403 and response.json()["code"] == "permission_denied", url
        assert logged_in(people["child"]).get(url).status_code == 403, url
        assert partner(["eldercare:read"], name="养老平台").get(url).status_code == 403, url
    both = partner(["governance:hotline", "governance:read"], name="12345热线（可读）")
    assert ids(both.get(TOPICS))  # with governance:read as well, the hotline reads


# -------------------------------------------------------------------------------------------------- topics


def test_topics_are_listed_and_filtered(world, people, django_assert_max_num_queries):
    elevator, parking, fitness, noise = world["elevator"], world["parking"], world["fitness"], world["noise"]
    reader = partner(["governance:read"])
    with django_assert_max_num_queries(4):
        response = reader.get(TOPICS)
    assert ids(response) == sorted([elevator.pk, parking.pk, fitness.pk, noise.pk])
    assert ids(logged_in(people["secretary"]).get(TOPICS)) == sorted([elevator.pk, parking.pk])
    assert ids(logged_in(people["xintang"]).get(TOPICS)) == [world["lamps"].pk]

    assert ids(reader.get(TOPICS, {"status": "resolved"})) == sorted([elevator.pk, fitness.pk])
    assert ids(reader.get(TOPICS, {"status": "proposed"})) == [noise.pk]
    assert ids(reader.get(TOPICS, {"source": "hotline"})) == sorted([fitness.pk, noise.pk])
    assert ids(reader.get(TOPICS, {"category": "dispute"})) == [noise.pk]
    assert ids(reader.get(TOPICS, {"council": world["xiawan"].pk})) == [fitness.pk]
    assert ids(reader.get(TOPICS, {"council": world["doumen"].pk})) == []
    assert ids(reader.get(TOPICS, {"received_after": days_ago(45).isoformat()})) == sorted(
        [elevator.pk, parking.pk, fitness.pk]
    )
    assert ids(reader.get(TOPICS, {"received_before": days_ago(40).isoformat()})) == sorted([fitness.pk, noise.pk])
    window = {"received_after": days_ago(45).isoformat(), "received_before": days_ago(30).isoformat()}
    assert ids(reader.get(TOPICS, window)) == [fitness.pk]
    for bad, named in (({"status": "open"}, {"status"}), ({"received_after": "last week"}, {"received_after"})):
        response = reader.get(TOPICS, bad)
        assert response.status_code == 400 and response.json()["code"] == "invalid"
        assert set(response.json()["fields"]) == named

    row = next(r for r in reader.get(TOPICS).json()["results"] if r["id"] == fitness.pk)
    assert row == {
        "id": fitness.pk,
        "council": world["xiawan"].pk,
        "council_name": "夏湾社区议事会",
        "region": XIAWAN,
        "title": "夏湾公园健身器材更新",
        "description": "",
        "source": "hotline",
        "category": "facilities",
        "proposer": "居民代表",
        "reference": "ZH12345-0001",
        "received_on": days_ago(40).isoformat(),
        "status": "resolved",
        "decline_reason": "",
        "created_at": row["created_at"],
    }


def test_a_topic_shows_its_deliberations_and_resolution(world, people):
    reader = partner(["governance:read"])
    body = reader.get(f"{TOPICS}{world['elevator'].pk}/").json()
    meeting = world["meetings"]["qiaoguang"]
    assert body["status"] == "resolved" and body["council"] == world["council"].pk
    assert body["deliberations"] == [
        {
            "meeting": meeting.pk,
            "held_on": days_ago(20).isoformat(),
            "votes_for": 4,
            "votes_against": 1,
            "votes_abstain": 0,
            "outcome": "resolved",
            "notes": "",
        }
    ]
    assert body["resolution"] == {
        "id": world["resolutions"]["elevator"].pk,
        "text": "决议：3栋加装电梯",
        "owner": "社区居委会",
        "due_on": days_ago(5).isoformat(),
        "status": "in_progress",
        "overdue": True,
        "closed_on": None,
        "outcome": "",
        "not_implemented_reason": "",
        "published_on": None,
    }
    parking = reader.get(f"{TOPICS}{world['parking'].pk}/").json()
    assert parking["status"] == "not_resolved" and parking["resolution"] is None
    assert [d["outcome"] for d in parking["deliberations"]] == ["not_resolved"]
    assert reader.get(f"{TOPICS}{world['noise'].pk}/").json()["deliberations"] == []

    assert reader.get(f"{TOPICS}{world['lamps'].pk}/").status_code == 404
    assert logged_in(people["secretary"]).get(f"{TOPICS}{world['fitness'].pk}/").status_code == 404


# --------------------------------------------------------------------------------------------- topics: POST


def hotline_body(council, reference="GD20261123001", **extra):
    return {
        "council": council.pk,
        "title": "楼道灯不亮",
        "description": "居民来电反映3栋楼道灯已坏一周",
        "category": "facilities",
        "proposer": "12345热线",
        "received_on": days_ago(1).isoformat(),
        "reference": reference,
        **extra,
    }


def test_a_hotline_token_files_a_topic_once_per_reference(world):
    hotline = partner(["governance:hotline"], region=CITY, name="12345热线")
    body = hotline_body(world["council"], source="resident")
    first = hotline.post(TOPICS, body, format="json")
    assert first.status_code == 201, first.content
    topic = Topic.objects.get(external_ref="GD20261123001")
    answer = first.json()
    assert answer["id"] == topic.pk and answer["source"] == "hotline" and answer["status"] == "proposed"
    assert (topic.source, topic.council, topic.received_on) == ("hotline", world["council"], days_ago(1))

    again = hotline.post(TOPICS, {**body, "title": "楼道灯仍不亮"}, format="json")
    assert again.status_code == 200 and again.json() == answer
    assert Topic.objects.filter(external_ref="GD20261123001").count() == 1

    other = hotline.post(TOPICS, hotline_body(world["xiawan"]), format="json")
    assert other.status_code == 409 and other.json()["code"] == "reference_reused"


def test_a_hotline_resending_a_reference_gets_the_same_topic(world, people):
    """The resend path, which stores nothing: the topic filed with this reference first (here by staff) is
    answered with 200; the same reference for another council is refused."""
    staff = logged_in(people["secretary"])
    first = staff.post(TOPICS, hotline_body(world["council"]), format="json")
    assert first.status_code == 201, first.content
    assert first.json()["source"] == "hotline" and first.json()["reference"] == "GD20261123001"
    hotline = partner(["governance:hotline"], region=CITY, name="12345热线")
    again = hotline.post(TOPICS, hotline_body(world["council"], title="楼道灯仍不亮"), format="json")
    assert again.status_code == 200, again.content
    assert again.json() == first.json()
    assert staff.post(TOPICS, hotline_body(world["council"]), format="json").json() == first.json()
    assert Topic.objects.filter(external_ref="GD20261123001").count() == 1

    reused = hotline.post(TOPICS, hotline_body(world["xiawan"]), format="json")
    assert reused.status_code == 409 and reused.json()["code"] == "reference_reused", reused.content
    assert Topic.objects.filter(external_ref="GD20261123001").count() == 1


def test_staff_record_topics_from_any_source(world, people):
    staff = logged_in(people["secretary"])
    body = {
        "council": world["building"].pk,
        "title": "3栋楼顶防水",
        "category": "property",
        "proposer": "3栋业主",
        "source": "resident",
    }
    response = staff.post(TOPICS, body, format="json")
    assert response.status_code == 201, response.content
    topic = Topic.objects.get(pk=response.json()["id"])
    assert (topic.source, topic.external_ref, topic.received_on, topic.status) == ("resident", "", TODAY(), "proposed")
    assert topic.created_by == people["secretary"]
    # Without a reference every request is a new topic.
    assert staff.post(TOPICS, body, format="json").status_code == 201
    # The street reviewer records for 夏湾 too; the Idempotency-Key replays the answer.
    reviewer = logged_in(people["reviewer"])
    body = {**body, "council": world["xiawan"].pk, "title": "夏湾市场周边停车"}
    keyed = reviewer.post(TOPICS, body, format="json", HTTP_IDEMPOTENCY_KEY="topic-1")
    replay = reviewer.post(TOPICS, body, format="json", HTTP_IDEMPOTENCY_KEY="topic-1")
    assert keyed.status_code == replay.status_code == 201 and replay["Idempotent-Replayed"] == "true"
    assert Topic.objects.filter(title="夏湾市场周边停车").count() == 1


def test_topics_are_filed_only_for_councils_of_the_callers_area(world, people):
    before = Topic.objects.count()
    hotline = partner(["governance:hotline"], region=XIANGZHOU, name="香洲区12345")
    for client, council_id in (
        (hotline, world["doumen"].pk),  # another district
        (hotline, 999999),
        (logged_in(people["secretary"]), world["xiawan"].pk),  # another community of the street
        (logged_in(people["xintang"]), world["council"].pk),
    ):
        response = client.post(TOPICS, {**hotline_body(world["council"]), "council": council_id}, format="json")
        assert response.status_code == 404 and response.json()["code"] == "not_found", response.content

    body = hotline_body(world["council"])
    reader = partner(["governance:read"], name="只读平台")
    assert reader.post(TOPICS, body, format="json").status_code == 403
    assert logged_in(people["caseworker"]).post(TOPICS, body, format="json").status_code == 403
    assert APIClient().post(TOPICS, body, format="json").status_code == 401
    assert Topic.objects.count() == before


def test_the_body_names_the_fields_that_are_wrong(world, people):
    before = Topic.objects.count()
    hotline = partner(["governance:hotline"], name="12345热线")
    staff = logged_in(people["secretary"])
    council = world["council"]
    tomorrow = (TODAY() + timedelta(days=1)).isoformat()
    for client, body, named in (
        (hotline, hotline_body(council, reference=""), {"reference"}),
        (hotline, {k: v for k, v in hotline_body(council).items() if k != "reference"}, {"reference"}),
        (hotline, hotline_body(council, reference="x" * 41), {"reference"}),
        (hotline, hotline_body(council, title="  "), {"title"}),
        (hotline, hotline_body(council, category="noise"), {"category"}),
        (hotline, hotline_body(council, received_on="yesterday"), {"received_on"}),
        (hotline, {"reference": "R1"}, {"council", "title", "category", "proposer"}),
        (staff, hotline_body(council, source="radio"), {"source"}),
        (staff, hotline_body(council, received_on=tomorrow), {"received_on"}),  # the service's own check
        (staff, hotline_body(council, proposer=""), {"proposer"}),
    ):
        response = client.post(TOPICS, body, format="json")
        assert response.status_code == 400 and response.json()["code"] == "invalid", response.content
        assert set(response.json()["fields"]) == named, (body, response.content)
    assert Topic.objects.count() == before


# ------------------------------------------------------------------------------------------------ meetings


def test_meetings_are_listed_with_who_took_part_and_what_was_deliberated(world, people, django_assert_max_num_queries):
    meetings = world["meetings"]
    reader = partner(["governance:read"])
    with django_assert_max_num_queries(5):
        response = reader.get(MEETINGS)
    assert ids(response) == sorted([meetings["qiaoguang"].pk, meetings["xiawan"].pk])
    assert ids(logged_in(people["xintang"]).get(MEETINGS)) == [meetings["doumen"].pk]
    assert ids(reader.get(MEETINGS, {"council": world["xiawan"].pk})) == [meetings["xiawan"].pk]
    assert ids(reader.get(MEETINGS, {"held_after": days_ago(25).isoformat()})) == [meetings["qiaoguang"].pk]
    assert ids(reader.get(MEETINGS, {"held_before": days_ago(25).isoformat()})) == [meetings["xiawan"].pk]
    assert reader.get(MEETINGS, {"held_before": "2026-13-01"}).status_code == 400

    row = next(r for r in response.json()["results"] if r["id"] == meetings["qiaoguang"].pk)
    assert row == {
        "id": meetings["qiaoguang"].pk,
        "council": world["council"].pk,
        "council_name": "侨光社区议事会",
        "region": QIAOGUANG,
        "held_on": days_ago(20).isoformat(),
        "place": "议事厅",
        "members_present": 5,
        "other_participants": 10,
        "participants": 15,
        "minutes": "议事会例会",
        "deliberations": [
            {
                "topic": world["elevator"].pk,
                "topic_title": "3栋加装电梯",
                "votes_for": 4,
                "votes_against": 1,
                "votes_abstain": 0,
                "outcome": "resolved",
            },
            {
                "topic": world["parking"].pk,
                "topic_title": "小区停车位划线",
                "votes_for": 1,
                "votes_against": 4,
                "votes_abstain": 0,
                "outcome": "not_resolved",
            },
        ],
    }


# --------------------------------------------------------------------------------------------- resolutions


def test_resolutions_are_listed_and_filtered(world, people, django_assert_max_num_queries):
    elevator, fitness = world["resolutions"]["elevator"], world["resolutions"]["fitness"]
    reader = partner(["governance:read"])
    with django_assert_max_num_queries(4):
        response = reader.get(RESOLUTIONS)
    assert ids(response) == sorted([elevator.pk, fitness.pk])
    assert ids(logged_in(people["secretary"]).get(RESOLUTIONS)) == [elevator.pk]
    assert ids(reader.get(RESOLUTIONS, {"overdue": "true"})) == [elevator.pk]
    assert ids(reader.get(RESOLUTIONS, {"overdue": "false"})) == [fitness.pk]
    assert ids(reader.get(RESOLUTIONS, {"status": "implemented"})) == [fitness.pk]
    assert ids(reader.get(RESOLUTIONS, {"status": "in_progress"})) == [elevator.pk]
    assert ids(reader.get(RESOLUTIONS, {"council": world["council"].pk})) == [elevator.pk]
    assert ids(reader.get(RESOLUTIONS, {"council": world["doumen"].pk})) == []
    response = reader.get(RESOLUTIONS, {"status": "done"})
    assert response.status_code == 400 and set(response.json()["fields"]) == {"status"}

    row = next(r for r in reader.get(RESOLUTIONS).json()["results"] if r["id"] == fitness.pk)
    assert row == {
        "id": fitness.pk,
        "council": world["xiawan"].pk,
        "council_name": "夏湾社区议事会",
        "region": XIAWAN,
        "topic": world["fitness"].pk,
        "topic_title": "夏湾公园健身器材更新",
        "meeting": world["meetings"]["xiawan"].pk,
        "resolved_on": days_ago(30).isoformat(),
        "text": "决议：夏湾公园健身器材更新",
        "owner": "社区居委会",
        "due_on": days_ago(10).isoformat(),
        "status": "implemented",
        "overdue": False,
        "closed_on": days_ago(15).isoformat(),
        "outcome": "已更换器材12件",
        "not_implemented_reason": "",
        "published_on": days_ago(14).isoformat(),
        "last_reminded_on": None,
    }


def test_a_resolution_shows_its_history(world, people):
    elevator, fitness = world["resolutions"]["elevator"], world["resolutions"]["fitness"]
    services.overdue_remind()
    reader = partner(["governance:read"])
    body = reader.get(f"{RESOLUTIONS}{elevator.pk}/").json()
    assert body["overdue"] is True and body["last_reminded_on"] == TODAY().isoformat()
    assert body["progress"] == [
        {
            "kind": "update",
            "on": days_ago(10).isoformat(),
            "note": "已完成意见征集",
            "percent": 40,
            "by": str(people["secretary"]),
        },
        {"kind": "reminder", "on": TODAY().isoformat(), "note": "", "percent": None, "by": None},
    ]
    closed = reader.get(f"{RESOLUTIONS}{fitness.pk}/").json()
    assert [(p["kind"], p["on"], p["percent"]) for p in closed["progress"]] == [
        ("implemented", days_ago(15).isoformat(), 100),
        ("published", days_ago(14).isoformat(), None),
    ]
    assert reader.get(f"{RESOLUTIONS}{world['resolutions']['lamps'].pk}/").status_code == 404
    assert logged_in(people["secretary"]).get(f"{RESOLUTIONS}{fitness.pk}/").status_code == 404


# ------------------------------------------------------------------------------------------ micro-projects


def test_micro_projects_are_listed(world, people):
    project = world["project"]
    xintang_project = services.micro_project_create(
        actor=people["xintang"], topic=world["lamps"], name="新堂路灯更换", budget="12000"
    )
    reader = partner(["governance:read"])
    assert ids(reader.get(MICRO)) == [project.pk]
    assert ids(logged_in(people["xintang"]).get(MICRO)) == [xintang_project.pk]
    assert ids(reader.get(MICRO, {"status": "underway"})) == [project.pk]
    assert ids(reader.get(MICRO, {"status": "planned"})) == []
    assert ids(reader.get(MICRO, {"council": world["council"].pk})) == [project.pk]
    row = reader.get(MICRO).json()["results"][0]
    assert row == {
        "id": project.pk,
        "name": "3栋加装电梯",
        "topic": world["elevator"].pk,
        "topic_title": "3栋加装电梯",
        "council": world["council"].pk,
        "council_name": "侨光社区议事会",
        "region": QIAOGUANG,
        "budget": "80000.00",
        "spent": "48000.00",
        "status": "underway",
        "completion": 60,
        "completed_on": None,
        "created_at": row["created_at"],
    }


# ------------------------------------------------------------------------------------------------- figures


def expected_rows(figures):
    def rate(row):
        return None if row["rate"] is None else f"{row['rate']:.4f}"

    keys = ("due", "implemented", "meetings", "participants", "topics", "resolved")
    rows = [
        {
            "key": str(row["key"]).ljust(12, "0") if figures["grouping"] == "street" else str(row["key"]),
            "label": row["label"],
            "rate": rate(row),
            **{k: row[k] for k in keys},
        }
        for row in figures["rows"]
    ]
    return rows, {"rate": rate(figures["total"]), **{k: figures["total"][k] for k in keys}}


@pytest.mark.parametrize("by", ["council", "community", "street"])
def test_the_figures_are_the_selectors_figures(world, people, by):
    reader = partner(["governance:read"])
    as_of = TODAY()
    start = days_ago(90)
    response = reader.get(FIGURES, {"by": by, "start": start.isoformat(), "as_of": as_of.isoformat()})
    assert response.status_code == 200, response.content
    body = response.json()
    principal = PartnerPrincipal(ApiToken.objects.get(name="区议事协商平台"))
    figures = selectors.figures(principal, by, as_of=as_of, start=start)
    rows, total = expected_rows(figures)
    assert (body["by"], body["as_of"], body["start"], body["end"]) == (
        by,
        as_of.isoformat(),
        start.isoformat(),
        as_of.isoformat(),
    )
    assert body["rows"] == rows and body["total"] == total
    assert figures["rows"] and all(row["key"] for row in body["rows"])
    # The street: 侨光's elevator is overdue (due, not implemented), 夏湾's fitness equipment implemented.
    assert (total["due"], total["implemented"], total["rate"]) == (2, 1, "0.5000")
    assert total["meetings"] == 2 and total["participants"] == 5 + 10 + 3 + 10
    if by == "street":
        assert [row["key"] for row in body["rows"]] == [GONGBEI]
    if by == "community":
        qiaoguang = next(row for row in body["rows"] if row["key"] == QIAOGUANG)
        assert (qiaoguang["label"], qiaoguang["rate"], qiaoguang["topics"]) == ("侨光社区", "0.0000", 2)


def test_the_figures_default_to_this_year_by_council_and_check_their_parameters(world, people):
    secretary = logged_in(people["secretary"])
    body = secretary.get(FIGURES).json()
    assert body["by"] == "council" and body["as_of"] == TODAY().isoformat()
    assert body["start"] == TODAY().replace(month=1, day=1).isoformat()
    assert {row["key"] for row in body["rows"]} <= {str(world["council"].pk), str(world["building"].pk)}
    # Before the elevator fell due nothing was due in 侨光.
    early = secretary.get(FIGURES, {"as_of": days_ago(10).isoformat(), "start": days_ago(60).isoformat()}).json()
    assert (early["total"]["due"], early["total"]["rate"]) == (0, None)
    for bad, named in (
        ({"by": "district"}, {"by"}),
        ({"as_of": "today"}, {"as_of"}),
        ({"start": days_ago(1).isoformat(), "end": days_ago(2).isoformat()}, {"start"}),
    ):
        response = secretary.get(FIGURES, bad)
        assert response.status_code == 400 and set(response.json()["fields"]) == named, response.content
    assert tuple(FiguresBy.values) == selectors.GROUPINGS


# ----------------------------------------------------------------------------------------------- schema


def test_the_schema_documents_every_endpoint_and_refusal(client, db, tmp_path):
    call_command("spectacular", "--fail-on-warn", "--file", str(tmp_path / "schema.yaml"))
    response = client.get("/api/schema/", {"format": "json"})
    assert response.status_code == 200
    schema = json.loads(response.content) if response.content.startswith(b"{") else yaml.safe_load(response.content)
    paths = schema["paths"]
    lists = {"200", "400", "401", "403"}
    details = {"200", "401", "403", "404"}
    expected = {
        (COUNCILS, "get"): ("governance_councils_list", lists),
        (COUNCILS + "{id}/", "get"): ("governance_councils_retrieve", details),
        (TOPICS, "get"): ("governance_topics_list", lists),
        (TOPICS, "post"): ("governance_topics_create", {"200", "201", "400", "401", "403", "404", "409", "422"}),
        (TOPICS + "{id}/", "get"): ("governance_topics_retrieve", details),
        (MEETINGS, "get"): ("governance_meetings_list", lists),
        (RESOLUTIONS, "get"): ("governance_resolutions_list", lists),
        (RESOLUTIONS + "{id}/", "get"): ("governance_resolutions_retrieve", details),
        (MICRO, "get"): ("governance_micro_projects_list", lists),
        (FIGURES, "get"): ("governance_figures_retrieve", lists),
    }
    error = "#/components/schemas/ApiError"
    for (path, method), (operation_id, codes) in expected.items():
        operation = paths[path][method]
        assert operation["operationId"] == operation_id
        assert set(operation["responses"]) == codes, (path, method)
        for code in codes - {"200", "201"}:
            assert operation["responses"][code]["content"]["application/json"]["schema"]["$ref"] == error
    create = paths[TOPICS]["post"]["responses"]
    assert "reference_reused" in create["409"]["description"] and "not_found" in create["404"]["description"]
    components = schema["components"]["schemas"]
    assert components["GovernanceTopicStatusEnum"]["enum"] == [
        "proposed",
        "accepted",
        "declined",
        "resolved",
        "not_resolved",
    ]
    rate = components["GovernanceFiguresRow"]["properties"]["rate"]
    assert rate["type"] == "string" and rate["format"] == "decimal" and rate["nullable"] is True
    assert {"by", "as_of", "start", "end"} <= {p["name"] for p in paths[FIGURES]["get"]["parameters"]}
    assert {"status", "source", "category", "council", "received_after", "received_before", "cursor"} <= {
        p["name"] for p in paths[TOPICS]["get"]["parameters"]
    }
    assert "phone" in components["GovernanceMemberOutput"]["properties"]


def test_the_scopes_are_registered():
    from civic.api.scopes import SCOPES

    assert {"governance:read", "governance:hotline"} <= set(SCOPES)
