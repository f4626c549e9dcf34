"""Community councils in a real browser: the demo community secretary receives and accepts two topics, records the
meeting that resolves one and not the other, watches the council's execution rate on the figures page, marks the
resolution implemented and sees the rate move to 100.0%. Elements are found by test id and form field name (the
Chinese of new labels is added by the translators)."""

from datetime import timedelta

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from civic.models import User
from governance import services
from governance.models import Meeting, Resolution, ResolutionStatus, Topic, TopicStatus
from tests.browser.test_relief import demo_city, sign_in  # noqa: F401 - fixtures and helpers

pytestmark = pytest.mark.browser

QIAOGUANG = "440402005001"


@pytest.fixture
def council(demo_city):  # noqa: F811
    """A building council of 侨光社区 with three members, set up by the demo secretary (a name of its own, so that
    whatever council demo data the app loads stays apart)."""
    secretary = User.objects.get(username="secretary")
    council = services.council_create(
        actor=secretary,
        region_code=QIAOGUANG,
        level="building",
        name="侨光社区5栋楼栋议事会",
        place="5栋架空层",
        established_on=timezone.localdate() - timedelta(days=90),
    )
    for name, kind, role in [
        ("陈伯", "resident", "chair"),
        ("李姐", "resident", "member"),
        ("王经理", "property", "member"),
    ]:
        services.member_add(
            actor=secretary,
            council=council,
            name=name,
            kind=kind,
            role=role,
            joined_on=timezone.localdate() - timedelta(days=60),
        )
    return council


def receive_and_accept(page, council, title, category):
    page.goto(f"/governance/topics/new/?council={council.pk}")
    form = page.get_by_test_id("topic-form")
    form.locator('[name="title"]').fill(title)
    form.locator('[name="source"]').select_option("resident")
    form.locator('[name="category"]').select_option(category)
    form.locator('[name="proposer"]').fill("5栋居民代表")
    page.get_by_test_id("topic-submit").click()
    expect(page.get_by_test_id("topic-title")).to_have_text(title)
    page.get_by_test_id("topic-accept").click()
    expect(page.get_by_test_id("topic-accept")).to_have_count(0)
    topic = Topic.objects.get(council=council, title=title)
    assert topic.status == TopicStatus.ACCEPTED
    return topic


def test_the_secretary_records_a_meeting_and_the_execution_rate_follows(page, council):
    today = timezone.localdate()
    sign_in(page, "secretary")
    elevator = receive_and_accept(page, council, "5栋加装电梯", "elevator")
    parking = receive_and_accept(page, council, "5栋门前停车位划线", "property")

    # The meeting: members present, the minutes, and the two topics on the agenda.
    page.goto(f"/governance/councils/{council.pk}/")
    expect(page.get_by_test_id("council-name")).to_have_text("侨光社区5栋楼栋议事会")
    page.get_by_test_id("meeting-record-link").click()
    form = page.get_by_test_id("meeting-form")
    expect(form.locator('[name="place"]')).to_have_value("5栋架空层")
    form.locator('[name="minutes"]').fill("讨论加装电梯和停车位划线两项议题")
    for box in form.get_by_test_id("attendees").locator('[name="attendees"]').all():
        box.check()
    form.locator('[name="other_participants"]').fill("8")

    first = page.get_by_test_id(f"agenda-{elevator.pk}")
    first.locator('[name$="-on_agenda"]').check()
    first.locator('[name$="-outcome"]').select_option("resolved")
    first.locator('[name$="-votes_for"]').fill("3")
    first.locator('[name$="-resolution_text"]').fill("5栋加装电梯，费用按楼层分摊")
    first.locator('[name$="-owner"]').fill("侨光社区居委会")
    first.locator('[name$="-due_on"]').fill((today + timedelta(days=60)).isoformat())

    second = page.get_by_test_id(f"agenda-{parking.pk}")
    second.locator('[name$="-on_agenda"]').check()
    second.locator('[name$="-outcome"]').select_option("not_resolved")
    second.locator('[name$="-votes_for"]').fill("1")
    second.locator('[name$="-votes_against"]').fill("2")
    page.get_by_test_id("meeting-submit").click()

    expect(page.get_by_test_id("meeting-title")).to_be_visible()
    expect(page.get_by_test_id(f"item-{elevator.pk}")).to_contain_text("5栋加装电梯，费用按楼层分摊")
    expect(page.get_by_test_id(f"item-{parking.pk}")).to_contain_text("5栋门前停车位划线")
    expect(page.get_by_test_id("participants")).to_have_text("11")  # three members and eight others
    meeting = Meeting.objects.get(council=council)
    resolution = Resolution.objects.get(deliberation__meeting=meeting)
    assert resolution.topic_id == elevator.pk and Topic.objects.get(pk=parking.pk).status == TopicStatus.NOT_RESOLVED

    # Nothing is due yet: no rate for the council.
    page.goto("/governance/figures/?by=council")
    expect(page.get_by_test_id(f"figures-row-{council.pk}")).to_be_visible()
    expect(page.get_by_test_id(f"rate-{council.pk}")).to_have_text("—")
    expect(page.get_by_test_id(f"due-{council.pk}")).to_have_text("0")

    # The resolution is carried out.
    page.goto(f"/governance/meetings/{meeting.pk}/")
    page.get_by_test_id(f"item-{elevator.pk}").get_by_role("link", name="5栋加装电梯，费用按楼层分摊").click()
    expect(page.get_by_test_id("resolution-text")).to_have_text("5栋加装电梯，费用按楼层分摊")
    done = page.get_by_test_id("implemented-form")
    done.locator('[name="outcome"]').fill("电梯已安装并通过验收，投入使用")
    page.get_by_test_id("implemented-submit").click()
    expect(page.get_by_test_id("outcome")).to_have_text("电梯已安装并通过验收，投入使用")
    expect(page.get_by_test_id("print-link")).to_be_visible()
    assert Resolution.objects.get(pk=resolution.pk).status == ResolutionStatus.IMPLEMENTED

    # The figures move: one due, one implemented.
    page.goto("/governance/figures/?by=council")
    expect(page.get_by_test_id(f"rate-{council.pk}")).to_have_text("100.0%")
    expect(page.get_by_test_id(f"due-{council.pk}")).to_have_text("1")
    expect(page.get_by_test_id(f"implemented-{council.pk}")).to_have_text("1")

    # The outcome notice to put up.
    page.goto(f"/governance/resolutions/{resolution.pk}/print/")
    expect(page.get_by_test_id("notice-outcome")).to_have_text("电梯已安装并通过验收，投入使用")
    expect(page.get_by_test_id("notice-owner")).to_have_text("侨光社区居委会")
