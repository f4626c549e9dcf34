"""Council business: the meeting with its topics, resolutions and their implementation, the execution rate as
DOMAIN.md defines it (implemented ÷ due), status guards, region scoping, hotline topics sent twice, and the
overdue reminders."""

from datetime import timedelta

import pytest
from django.utils import timezone

from civic.errors import ApplicationError
from civic.roles import Role
from governance import selectors, services
from governance.models import Progress, ProgressKind, Resolution, Topic, TopicStatus

TODAY = timezone.localdate


def _meeting(secretary, council, topics, outcomes, due_in=30, held_ago=1):
    members = list(council.members.all())
    items = [
        services.Item(
            topic=topic,
            outcome=outcome,
            votes_for=4 if outcome == "resolved" else 1,
            votes_against=1 if outcome == "resolved" else 3,
            resolution_text=f"决议：{topic.title}" if outcome == "resolved" else "",
            owner="社区居委会" if outcome == "resolved" else "",
            due_on=TODAY() + timedelta(days=due_in) if outcome == "resolved" else None,
        )
        for topic, outcome in zip(topics, outcomes, strict=True)
    ]
    return services.meeting_record(
        actor=secretary,
        council=council,
        held_on=TODAY() - timedelta(days=held_ago),
        place="议事厅",
        minutes="讨论两项议题",
        attendees=members,
        other_participants=12,
        items=items,
    )


def test_a_meeting_resolves_one_topic_and_not_the_other(secretary, council, accepted_topics):
    meeting = _meeting(secretary, council, accepted_topics, ["resolved", "not_resolved"])
    first, second = (Topic.objects.get(pk=t.pk) for t in accepted_topics)
    assert first.status == TopicStatus.RESOLVED and second.status == TopicStatus.NOT_RESOLVED
    resolution = first.resolution
    assert resolution.deliberation.meeting == meeting and resolution.owner == "社区居委会"
    assert meeting.attendees.count() == 5


def test_nothing_is_saved_when_one_item_is_wrong(secretary, council, accepted_topics):
    items = [
        services.Item(topic=accepted_topics[0], outcome="resolved", votes_for=2, votes_against=3),
        services.Item(topic=accepted_topics[1], outcome="deferred"),
    ]
    with pytest.raises(ApplicationError) as refused:
        services.meeting_record(
            actor=secretary,
            council=council,
            held_on=TODAY(),
            place="议事厅",
            minutes="x",
            attendees=list(council.members.all()),
            items=items,
        )
    assert {"items.0.outcome", "items.0.resolution_text", "items.0.owner", "items.0.due_on"} <= set(
        refused.value.fields
    )
    assert not Resolution.objects.exists() and council.meetings.count() == 0
    assert all(Topic.objects.get(pk=t.pk).status == TopicStatus.ACCEPTED for t in accepted_topics)


def test_only_accepted_topics_are_deliberated(secretary, council):
    topic, _ = services.topic_create(
        actor=secretary, council=council, title="噪音", source="hotline", category="dispute", proposer="12345"
    )
    with pytest.raises(ApplicationError) as refused:
        services.meeting_record(
            actor=secretary,
            council=council,
            held_on=TODAY(),
            place="议事厅",
            minutes="x",
            items=[services.Item(topic=topic, outcome="not_resolved")],
        )
    assert "items.0.topic" in refused.value.fields
    services.topic_decline(actor=secretary, topic=topic, reason="属于执法事项，已转城管")
    with pytest.raises(ApplicationError) as again:
        services.topic_accept(actor=secretary, topic=topic)
    assert again.value.code == "invalid_status"


def test_execution_rate_is_implemented_over_due(secretary, council, accepted_topics):
    """DOMAIN.md: implemented ÷ due. A resolution counts as due once its due date has passed or its implementation
    closed; one implemented early counts at once, one not yet due does not count."""
    _meeting(secretary, council, accepted_topics, ["resolved", "resolved"], due_in=10)
    resolutions = list(Resolution.objects.order_by("pk"))
    assert selectors.execution_rate(Resolution.objects.all()) == (0, 0, None)
    services.resolution_implemented(actor=secretary, resolution=resolutions[0], outcome="电梯已安装")
    assert selectors.execution_rate(Resolution.objects.all()) == (1, 1, 1.0)
    # Ten days on the second is due and not implemented: 1 of 2.
    later = TODAY() + timedelta(days=11)
    assert selectors.execution_rate(Resolution.objects.all(), as_of=later) == (1, 2, 0.5)
    services.resolution_not_implemented(actor=secretary, resolution=resolutions[1], reason="业主意见未能统一")
    assert selectors.execution_rate(Resolution.objects.all()) == (1, 2, 0.5)
    figures = selectors.figures(secretary, "community")
    row = figures["rows"][0]
    assert (row["implemented"], row["due"], row["rate"]) == (1, 2, 0.5)
    assert row["meetings"] == 1 and row["participants"] == 5 + 12 and row["topics"] == 2


def test_resolution_steps_are_guarded(secretary, council, accepted_topics):
    _meeting(secretary, council, accepted_topics[:1], ["resolved"])
    resolution = Resolution.objects.get()
    with pytest.raises(ApplicationError) as early:
        services.resolution_publish(actor=secretary, resolution=resolution)
    assert early.value.code == "not_closed"
    services.progress_add(actor=secretary, resolution=resolution, note="已完成设计", percent=40)
    services.resolution_implemented(actor=secretary, resolution=resolution, outcome="已完成")
    with pytest.raises(ApplicationError) as twice:
        services.resolution_implemented(actor=secretary, resolution=resolution, outcome="再次")
    assert twice.value.code == "invalid_status"
    services.resolution_publish(actor=secretary, resolution=resolution)
    kinds = list(resolution.progress.values_list("kind", flat=True))
    assert kinds == ["update", "implemented", "published"]


def test_overdue_resolutions_are_reminded_once_a_week(secretary, council, accepted_topics):
    _meeting(secretary, council, accepted_topics[:1], ["resolved"], due_in=0, held_ago=3)
    today = TODAY() + timedelta(days=1)
    assert services.overdue_remind(today) == 1
    assert services.overdue_remind(today) == 0  # rerun the same day
    assert services.overdue_remind(today + timedelta(days=3)) == 0
    assert services.overdue_remind(today + timedelta(days=7)) == 1
    assert Progress.objects.filter(kind=ProgressKind.REMINDER).count() == 2


def test_a_hotline_request_sent_twice_is_one_topic(secretary, council):
    first, created = services.topic_create(
        actor=secretary,
        council=council,
        title="路灯不亮",
        source="hotline",
        category="facilities",
        proposer="12345热线",
        external_ref="GD20261123001",
    )
    again, created_again = services.topic_create(
        actor=secretary,
        council=council,
        title="路灯不亮",
        source="hotline",
        category="facilities",
        proposer="12345热线",
        external_ref="GD20261123001",
    )
    assert created and not created_again and again == first


def test_other_areas_see_nothing_and_change_nothing(staff_factory, secretary, council, accepted_topics):
    outsider = staff_factory(Role.COMMUNITY_SECRETARY, "440402001001")
    caseworker = staff_factory(Role.CASEWORKER, "440402005001")
    with pytest.raises(ApplicationError) as refused:
        services.topic_accept(actor=outsider, topic=accepted_topics[0])
    assert refused.value.status == 404
    with pytest.raises(ApplicationError) as read_only:
        services.topic_create(
            actor=caseworker, council=council, title="x", source="resident", category="other", proposer="x"
        )
    assert read_only.value.status == 403
    assert not selectors.councils_for(outsider).exists() and not selectors.topics_for(outsider).exists()
    assert selectors.topics_for(caseworker).count() == 2


def test_a_council_belongs_to_a_region_of_its_level(secretary):
    with pytest.raises(ApplicationError) as refused:
        services.council_create(actor=secretary, region_code="440402005001", level="street", name="x")
    assert "region" in refused.value.fields
    building = services.council_create(
        actor=secretary, region_code="440402005001", level="building", name="3栋楼栋议事会"
    )
    assert building.region_id == "440402005001"
