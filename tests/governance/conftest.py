"""Shared council fixtures: the demo community secretary of 侨光社区 with the community's council of five members
and two accepted topics."""

from datetime import timedelta

import pytest
from django.utils import timezone

from civic.roles import Role
from governance import services


@pytest.fixture
def secretary(staff_factory):
    return staff_factory(Role.COMMUNITY_SECRETARY, "440402005001", username="council-secretary")


@pytest.fixture
def council(secretary):
    council = services.council_create(
        actor=secretary,
        region_code="440402005001",
        level="community",
        name="侨光社区议事会",
        place="侨光社区党群服务中心",
        established_on=timezone.localdate() - timedelta(days=400),
    )
    for i, (name, kind, role) in enumerate(
        [
            ("何淑仪", "party", "secretary"),
            ("陈伯", "resident", "chair"),
            ("李姐", "resident", "member"),
            ("物业王经理", "property", "member"),
            ("业委会刘主任", "owners", "member"),
        ]
    ):
        services.member_add(
            actor=secretary,
            council=council,
            name=name,
            kind=kind,
            role=role,
            joined_on=timezone.localdate() - timedelta(days=300 - i),
        )
    return council


@pytest.fixture
def accepted_topics(secretary, council):
    topics = []
    for title, category in [("3栋加装电梯", "elevator"), ("小区停车位划线", "property")]:
        topic, _ = services.topic_create(
            actor=secretary, council=council, title=title, source="resident", category=category, proposer="居民代表"
        )
        topics.append(services.topic_accept(actor=secretary, topic=topic))
    return topics
