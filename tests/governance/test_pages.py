"""The council pages: every page with data and empty; recording a meeting of two topics through the form (one
resolved, one not) and a wrong item shown next to its topic with nothing saved; the topic's accept and decline
guards; the resolution's steps and its printable outcome notice; micro-projects; the figures page equal to
selectors.figures and moving when a resolution is implemented; region scoping (404 for another community's
secretary, absent from their lists) and view-only staff refused every write (403)."""

import csv
import io
import re
from datetime import timedelta

import pytest
from django.conf import settings
from django.urls import reverse
from django.utils import timezone, translation

from civic.roles import Role
from governance import selectors, services
from governance.models import (
    Council,
    CouncilMember,
    Meeting,
    MicroProject,
    MicroProjectStatus,
    Resolution,
    ResolutionStatus,
    Topic,
    TopicStatus,
)

QIAOGUANG = "440402005001"
KANGNING = "440402001001"  # another street's community
GONGBEI = "440402005000"

TODAY = timezone.localdate


def START():
    return TODAY() - timedelta(days=31)


@pytest.fixture
def signed_in(client):
    """A signed-in browser in English (the source language), so messages can be matched."""

    def login(user):
        client.logout()
        client.force_login(user)
        client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
        return client

    yield login
    translation.activate(settings.LANGUAGE_CODE)


@pytest.fixture
def people(staff_factory, secretary):
    return {
        "secretary": secretary,
        "caseworker": staff_factory(Role.CASEWORKER, QIAOGUANG, username="cw"),
        "other": staff_factory(Role.COMMUNITY_SECRETARY, KANGNING, username="other-secretary"),
        "street": staff_factory(Role.STREET_REVIEWER, GONGBEI, username="street"),
        "auditor": staff_factory(Role.AUDITOR, "440402000000", username="audit"),
        "director": staff_factory(Role.CHILD_DIRECTOR, QIAOGUANG, username="cd"),
    }


def text(response):
    return response.content.decode()


def fragment(html, testid, end="</fieldset>"):
    """The HTML of the element with this test id, up to its closing tag (elements of one kind are not nested)."""
    match = re.search(rf'data-testid="{re.escape(testid)}"(.*?){end}', html, re.S)
    assert match, testid
    return match.group(1)


def meeting_payload(council, items, **extra):
    """The meeting form as posted: all current members present, and per topic {field: value} ticked on the agenda."""
    payload = {
        "held_on": (TODAY() - timedelta(days=1)).isoformat(),
        "place": "议事厅",
        "minutes": "讨论两项议题",
        "attendees": [m.pk for m in council.members.filter(left_on__isnull=True)],
        "other_participants": "12",
    }
    for topic, fields in items:
        prefix = f"topic-{topic.pk}-"
        payload[prefix + "on_agenda"] = "on"
        payload.update({prefix + name: value for name, value in fields.items()})
    return payload


RESOLVED = {
    "outcome": "resolved",
    "votes_for": "4",
    "votes_against": "1",
    "votes_abstain": "0",
    "resolution_text": "由业主分摊费用，加装电梯",
    "owner": "社区居委会",
}
NOT_RESOLVED = {"outcome": "not_resolved", "votes_for": "1", "votes_against": "3", "votes_abstain": "1"}


def resolved(due_in=30):
    return {**RESOLVED, "due_on": (TODAY() + timedelta(days=due_in)).isoformat()}


def record_meeting(client, council, items):
    return client.post(reverse("governance:meeting-record", args=[council.pk]), meeting_payload(council, items))


@pytest.fixture
def meeting(secretary, council, accepted_topics):
    """A meeting that resolved the first topic and not the second."""
    first, second = accepted_topics
    return services.meeting_record(
        actor=secretary,
        council=council,
        held_on=TODAY() - timedelta(days=1),
        place="议事厅",
        minutes="讨论两项议题",
        attendees=list(council.members.all()),
        other_participants=12,
        items=[
            services.Item(
                topic=first,
                outcome="resolved",
                votes_for=4,
                votes_against=1,
                resolution_text="由业主分摊费用，加装电梯",
                owner="社区居委会",
                due_on=TODAY() + timedelta(days=30),
            ),
            services.Item(topic=second, outcome="not_resolved", votes_for=1, votes_against=3),
        ],
    )


@pytest.fixture
def resolution(meeting):
    return Resolution.objects.get(deliberation__meeting=meeting)


# --- the pages, with data and empty ----------------------------------------------------------------------------


def test_the_lists_are_empty_before_any_council_business(signed_in, people):
    client = signed_in(people["secretary"])
    for name, message in [
        ("governance:council-list", "No council in your area yet."),
        ("governance:topic-list", "No topic received in your area yet."),
        ("governance:resolution-list", "No resolution made in your area yet."),
        ("governance:micro-project-list", "No micro-project in your area yet."),
        ("governance:figures", "No council business in your area for this period yet."),
    ]:
        response = client.get(reverse(name))
        assert response.status_code == 200, name
        assert message in text(response), name


def test_a_council_without_business_shows_its_empty_sections(signed_in, people, secretary):
    council = services.council_create(actor=secretary, region_code=QIAOGUANG, level="building", name="3栋楼栋议事会")
    client = signed_in(secretary)
    page = text(client.get(reverse("governance:council-detail", args=[council.pk])))
    for message in (
        "The council has no members yet.",
        "No topic received yet.",
        "No meeting recorded yet.",
        "No resolution made yet.",
        "No micro-project yet.",
    ):
        assert message in page
    assert "—" in fragment(page, "council-rate", "</strong>")
    form = text(client.get(reverse("governance:meeting-record", args=[council.pk])))
    assert 'data-testid="agenda-empty"' in form and "The council has no current members." in form


def test_every_page_renders_with_data(signed_in, people, council, meeting, resolution, accepted_topics):
    project = services.micro_project_create(
        actor=people["secretary"], topic=accepted_topics[0], name="3栋电梯井道施工", budget="80000"
    )
    services.progress_add(actor=people["secretary"], resolution=resolution, note="已完成设计", percent=40)
    expected = {
        reverse("governance:council-list"): ["侨光社区议事会"],
        reverse("governance:council-detail", args=[council.pk]): ["陈伯", "3栋加装电梯", "3栋电梯井道施工"],
        reverse("governance:topic-list"): ["3栋加装电梯", "小区停车位划线"],
        reverse("governance:topic-detail", args=[accepted_topics[0].pk]): [
            "由业主分摊费用，加装电梯",
            "3栋电梯井道施工",
        ],
        reverse("governance:topic-detail", args=[accepted_topics[1].pk]): ["No resolution"],
        reverse("governance:meeting-detail", args=[meeting.pk]): ["何淑仪", "讨论两项议题", "由业主分摊费用"],
        reverse("governance:resolution-list"): ["3栋加装电梯", "社区居委会"],
        reverse("governance:resolution-detail", args=[resolution.pk]): ["已完成设计", "40%"],
        reverse("governance:micro-project-list"): ["3栋电梯井道施工", "80000.00"],
        reverse("governance:micro-project-detail", args=[project.pk]): ["3栋电梯井道施工", "Update the project"],
        reverse("governance:figures"): ["侨光社区议事会"],
        reverse("governance:meeting-record", args=[council.pk]): ["Record the meeting"],
        reverse("governance:topic-create"): ["侨光社区议事会"],
        reverse("governance:council-create"): ["侨光社区"],
    }
    for who in ("secretary", "street"):
        client = signed_in(people[who])
        for url, snippets in expected.items():
            response = client.get(url)
            assert response.status_code == 200, (who, url)
            for snippet in snippets:
                assert snippet in text(response), (who, url, snippet)
    # Pages that read only: a caseworker, an auditor of the district.
    for who in ("caseworker", "auditor"):
        client = signed_in(people[who])
        page = text(client.get(reverse("governance:resolution-detail", args=[resolution.pk])))
        assert "已完成设计" in page and 'data-testid="progress-form"' not in page
        assert client.get(reverse("governance:council-create")).status_code == 403
    # No capability at all.
    client = signed_in(people["director"])
    assert client.get(reverse("governance:council-list")).status_code == 403
    assert client.get(reverse("governance:figures")).status_code == 403


def test_the_lists_filter(signed_in, people, council, meeting, accepted_topics):
    client = signed_in(people["secretary"])
    topics = text(client.get(reverse("governance:topic-list"), {"status": "not_resolved"}))
    assert "小区停车位划线" in topics and "3栋加装电梯" not in topics
    topics = text(client.get(reverse("governance:topic-list"), {"q": "电梯", "council": council.pk}))
    assert "3栋加装电梯" in topics and "小区停车位划线" not in topics
    councils = text(client.get(reverse("governance:council-list"), {"level": "street"}))
    assert "No council matches these filters." in councils
    assert "侨光社区议事会" in text(client.get(reverse("governance:council-list"), {"q": "侨光"}))
    assert "No resolution matches" in text(client.get(reverse("governance:resolution-list"), {"overdue": "on"}))


def test_the_navigation_offers_the_council_pages(signed_in, people):
    page = text(signed_in(people["caseworker"]).get(reverse("governance:council-list")))
    for name in ("governance:council-list", "governance:topic-list", "governance:resolution-list"):
        assert f'href="{reverse(name)}"' in page
    assert f'href="{reverse("governance:figures")}"' in page


# --- councils and members --------------------------------------------------------------------------------------


def test_setting_up_a_council_and_its_members(signed_in, people):
    client = signed_in(people["secretary"])
    form = text(client.get(reverse("governance:council-create")))
    assert 'value="440402005001"' in form and 'value="440402001001"' not in form  # only the user's area
    wrong = client.post(
        reverse("governance:council-create"),
        {"level": "street", "region": QIAOGUANG, "name": "议事会", "established_on": TODAY().isoformat()},
    )
    assert wrong.status_code == 400 and "council belongs to a" in text(wrong)
    response = client.post(
        reverse("governance:council-create"),
        {"level": "neighbourhood", "region": QIAOGUANG, "name": "金海岸小区议事会", "place": "小区会所",
         "established_on": TODAY().isoformat()},
    )  # fmt: skip
    council = Council.objects.get(name="金海岸小区议事会")
    assert response.status_code == 302 and response.url == reverse("governance:council-detail", args=[council.pk])

    add = reverse("governance:member-add", args=[council.pk])
    assert client.post(add, {"name": "", "kind": "resident", "role": "member"}).status_code == 400
    response = client.post(
        add, {"name": "陈伯", "kind": "resident", "role": "chair", "joined_on": TODAY().isoformat()}, follow=True
    )
    assert "陈伯 is a member of the council." in text(response)
    member = CouncilMember.objects.get(council=council)
    leave = reverse("governance:member-leave", args=[council.pk, member.pk])
    early = client.post(leave, {"left_on": (TODAY() - timedelta(days=3)).isoformat()})
    assert early.status_code == 400 and "A member cannot leave before joining." in text(early)
    assert client.post(leave, {"left_on": TODAY().isoformat()}).status_code == 302
    member.refresh_from_db()
    assert member.left_on == TODAY()
    again = client.post(leave, {"left_on": TODAY().isoformat()})
    assert again.status_code == 409 and "This member has left already." in text(again)


# --- topics ----------------------------------------------------------------------------------------------------


def test_receiving_a_topic_and_the_accept_and_decline_guards(signed_in, people, council):
    client = signed_in(people["secretary"])
    form = text(client.get(reverse("governance:topic-create"), {"council": council.pk}))
    assert f'<option value="{council.pk}" selected>' in form
    payload = {
        "council": council.pk,
        "title": "楼下夜市噪音",
        "source": "hotline",
        "category": "dispute",
        "proposer": "12345热线",
        "received_on": TODAY().isoformat(),
        "external_ref": "ZH2025-0001",
    }
    missing = client.post(reverse("governance:topic-create"), {**payload, "title": " "})
    assert missing.status_code == 400
    response = client.post(reverse("governance:topic-create"), payload)
    topic = Topic.objects.get()
    assert response.url == reverse("governance:topic-detail", args=[topic.pk])
    twice = client.post(reverse("governance:topic-create"), payload, follow=True)
    assert Topic.objects.count() == 1 and "received already" in text(twice)

    detail = reverse("governance:topic-detail", args=[topic.pk])
    page = text(client.get(detail))
    assert 'data-testid="topic-accept"' in page and 'data-testid="topic-decline"' in page
    no_reason = client.post(reverse("governance:topic-decline", args=[topic.pk]), {"reason": ""})
    assert no_reason.status_code == 400 and "This field is required." in text(no_reason)
    assert client.post(reverse("governance:topic-accept", args=[topic.pk])).status_code == 302
    topic.refresh_from_db()
    assert topic.status == TopicStatus.ACCEPTED
    assert 'data-testid="topic-accept"' not in text(client.get(detail))
    again = client.post(reverse("governance:topic-accept", args=[topic.pk]))
    assert again.status_code == 409
    assert 'data-testid="refusal"' in text(again) and "this step is not open" in text(again)
    late = client.post(reverse("governance:topic-decline", args=[topic.pk]), {"reason": "属于执法事项"})
    assert late.status_code == 409 and "this step is not open" in text(late)
    topic.refresh_from_db()
    assert topic.status == TopicStatus.ACCEPTED and topic.decline_reason == ""


def test_declining_a_topic_keeps_the_reason(signed_in, people, council):
    topic, _ = services.topic_create(
        actor=people["secretary"], council=council, title="噪音", source="hotline", category="dispute", proposer="x"
    )
    client = signed_in(people["secretary"])
    response = client.post(reverse("governance:topic-decline", args=[topic.pk]), {"reason": "属于执法事项，已转城管"})
    assert response.status_code == 302
    page = text(client.get(reverse("governance:topic-detail", args=[topic.pk])))
    assert "属于执法事项，已转城管" in page and 'data-testid="project-form"' not in page


# --- meetings --------------------------------------------------------------------------------------------------


def test_recording_a_meeting_with_two_topics_through_the_page(signed_in, people, council, accepted_topics):
    first, second = accepted_topics
    client = signed_in(people["secretary"])
    form = text(client.get(reverse("governance:meeting-record", args=[council.pk])))
    assert f'data-testid="agenda-{first.pk}"' in form and f'data-testid="agenda-{second.pk}"' in form
    assert form.count('name="attendees"') == 5

    response = record_meeting(client, council, [(first, resolved()), (second, NOT_RESOLVED)])
    meeting = Meeting.objects.get()
    assert response.status_code == 302 and response.url == reverse("governance:meeting-detail", args=[meeting.pk])
    assert Topic.objects.get(pk=first.pk).status == TopicStatus.RESOLVED
    assert Topic.objects.get(pk=second.pk).status == TopicStatus.NOT_RESOLVED
    resolution = Resolution.objects.get()
    assert resolution.topic_id == first.pk and resolution.owner == "社区居委会"
    assert resolution.due_on == TODAY() + timedelta(days=30)
    assert meeting.attendees.count() == 5 and meeting.other_participants == 12

    page = text(client.get(response.url))
    assert "2 topics deliberated, 1 resolutions" in page
    items = fragment(page, f"item-{first.pk}", "</tr>")
    assert (
        "由业主分摊费用，加装电梯" in items and reverse("governance:resolution-detail", args=[resolution.pk]) in items
    )
    assert "No resolution" in fragment(page, f"item-{second.pk}", "</tr>")
    assert "17" in fragment(page, "participants", "</dd>")  # five members and twelve others
    # Neither topic is on the next meeting's agenda.
    assert 'data-testid="agenda-empty"' in text(client.get(reverse("governance:meeting-record", args=[council.pk])))


def test_a_wrong_item_is_shown_next_to_its_topic_and_nothing_is_saved(signed_in, people, council, accepted_topics):
    first, second = accepted_topics
    client = signed_in(people["secretary"])
    no_due = {key: value for key, value in resolved().items() if key != "due_on"}
    response = record_meeting(client, council, [(first, no_due), (second, NOT_RESOLVED)])
    assert response.status_code == 400
    page = text(response)
    assert "Give the date it is due." in fragment(page, f"agenda-{first.pk}")
    assert "Give the date it is due." not in fragment(page, f"agenda-{second.pk}")
    assert 'data-testid="meeting-errors"' in page
    # The input is kept.
    assert "由业主分摊费用，加装电梯" in fragment(page, f"agenda-{first.pk}")
    assert 'value="讨论两项议题"' in page or "讨论两项议题</textarea>" in page
    assert not Meeting.objects.exists() and not Resolution.objects.exists()
    assert {t.status for t in Topic.objects.all()} == {TopicStatus.ACCEPTED}


def test_the_second_item_errors_land_on_the_second_topic(signed_in, people, council, accepted_topics):
    """Only the ticked topics are sent: index 1 of the service is the second ticked one, whatever the page order."""
    first, second = accepted_topics
    client = signed_in(people["secretary"])
    too_many = {**NOT_RESOLVED, "votes_for": "9"}
    response = record_meeting(client, council, [(first, NOT_RESOLVED), (second, too_many)])
    assert response.status_code == 400
    assert "votes were cast but only 5 members were present" in fragment(text(response), f"agenda-{second.pk}")
    # An unticked topic is left alone; the meeting's own fields are checked with it.
    response = client.post(
        reverse("governance:meeting-record", args=[council.pk]),
        {**meeting_payload(council, [(second, too_many)]), "minutes": ""},
    )
    page = text(response)
    assert response.status_code == 400 and "This field is required." in page
    assert "votes were cast" not in fragment(page, f"agenda-{first.pk}")
    assert not Meeting.objects.exists()


def test_a_meeting_in_the_future_is_refused(signed_in, people, council, accepted_topics):
    client = signed_in(people["secretary"])
    payload = {**meeting_payload(council, []), "held_on": (TODAY() + timedelta(days=2)).isoformat()}
    response = client.post(reverse("governance:meeting-record", args=[council.pk]), payload)
    assert response.status_code == 400 and "The date cannot be in the future." in text(response)
    assert not Meeting.objects.exists()


# --- resolutions -----------------------------------------------------------------------------------------------


def test_carrying_out_a_resolution_and_publishing_its_outcome(signed_in, people, resolution):
    client = signed_in(people["secretary"])
    detail = reverse("governance:resolution-detail", args=[resolution.pk])
    assert client.get(reverse("governance:resolution-print", args=[resolution.pk])).status_code == 404
    assert 'data-testid="publish-form"' not in text(client.get(detail))

    bad = client.post(reverse("governance:progress-add", args=[resolution.pk]), {"note": "设计", "percent": "120"})
    assert bad.status_code == 400
    progress = {"note": "已完成设计", "percent": "40"}
    assert client.post(reverse("governance:progress-add", args=[resolution.pk]), progress).status_code == 302
    future = client.post(
        reverse("governance:resolution-implemented", args=[resolution.pk]),
        {"outcome": "电梯已投入使用", "closed_on": (TODAY() + timedelta(days=1)).isoformat()},
    )
    assert future.status_code == 400
    assert "The date cannot be in the future." in fragment(text(future), "implemented-form", "</form>")
    response = client.post(
        reverse("governance:resolution-implemented", args=[resolution.pk]),
        {"outcome": "电梯已投入使用", "closed_on": TODAY().isoformat()},
    )
    assert response.status_code == 302
    resolution.refresh_from_db()
    assert resolution.status == ResolutionStatus.IMPLEMENTED and resolution.closed_on == TODAY()

    page = text(client.get(detail))
    history = fragment(page, "history", "</table>")
    assert "已完成设计" in history and "电梯已投入使用" in history
    assert 'data-testid="progress-form"' not in page and 'data-testid="publish-form"' in page
    again = client.post(
        reverse("governance:resolution-not-implemented", args=[resolution.pk]),
        {"reason": "资金不足", "closed_on": TODAY().isoformat()},
    )
    assert again.status_code == 409 and "this step is not open" in text(again)

    notice = client.get(reverse("governance:resolution-print", args=[resolution.pk]))
    assert notice.status_code == 200
    sheet = text(notice)
    for snippet in ("侨光社区议事会", "3栋加装电梯", "由业主分摊费用，加装电梯", "社区居委会", "电梯已投入使用"):
        assert snippet in sheet
    assert not re.search(r"<script(?![^>]*\bsrc=)|\son\w+=", sheet)  # no inline JavaScript

    assert client.post(reverse("governance:resolution-publish", args=[resolution.pk])).status_code == 302
    resolution.refresh_from_db()
    assert resolution.published_on == TODAY()
    twice = client.post(reverse("governance:resolution-publish", args=[resolution.pk]))
    assert twice.status_code == 409 and "published already" in text(twice)


def test_a_resolution_given_up_prints_its_reason(signed_in, people, resolution):
    client = signed_in(people["secretary"])
    missing = client.post(reverse("governance:resolution-not-implemented", args=[resolution.pk]), {"reason": ""})
    assert missing.status_code == 400
    response = client.post(
        reverse("governance:resolution-not-implemented", args=[resolution.pk]),
        {"reason": "业主意见未能统一", "closed_on": TODAY().isoformat()},
    )
    assert response.status_code == 302
    sheet = text(client.get(reverse("governance:resolution-print", args=[resolution.pk])))
    assert "业主意见未能统一" in fragment(sheet, "notice-reason", "</dd>")
    late = client.post(reverse("governance:progress-add", args=[resolution.pk]), {"note": "x"})
    assert late.status_code == 409 and 'data-testid="refusal"' in text(late)


def test_overdue_resolutions_are_marked_with_their_reminders(signed_in, people, resolution):
    Resolution.objects.filter(pk=resolution.pk).update(due_on=TODAY() - timedelta(days=2))
    services.overdue_remind()
    client = signed_in(people["caseworker"])
    listing = text(client.get(reverse("governance:resolution-list"), {"overdue": "on"}))
    row = fragment(listing, f"resolution-{resolution.pk}", "</tr>")
    assert f'data-testid="overdue-{resolution.pk}"' in row and TODAY().isoformat() in row
    page = text(client.get(reverse("governance:resolution-detail", args=[resolution.pk])))
    assert 'data-testid="history-reminder"' in page and "Overdue reminder" in page


# --- micro-projects --------------------------------------------------------------------------------------------


def test_a_micro_project_from_its_topic_to_completion(signed_in, people, accepted_topics):
    topic = accepted_topics[0]
    client = signed_in(people["secretary"])
    url = reverse("governance:micro-project-create", args=[topic.pk])
    assert client.post(url, {"name": "", "budget": "100"}).status_code == 400
    zero = client.post(url, {"name": "电梯", "budget": "0"})
    assert zero.status_code == 400 and "above zero" in text(zero)
    response = client.post(url, {"name": "3栋电梯井道施工", "budget": "80000"})
    project = MicroProject.objects.get()
    assert response.url == reverse("governance:micro-project-detail", args=[project.pk])

    update = reverse("governance:micro-project-update", args=[project.pk])
    assert 'value="completed"' not in text(client.get(response.url))  # planned: underway or cancelled only
    wrong = client.post(update, {"status": "completed"})
    assert wrong.status_code == 400
    assert client.post(update, {"status": "underway", "completion": "50", "spent": "30000"}).status_code == 302
    assert client.post(update, {"status": "completed", "spent": "79000.50"}).status_code == 302
    project.refresh_from_db()
    assert project.status == MicroProjectStatus.COMPLETED and project.completion == 100
    assert str(project.spent) == "79000.50" and project.completed_on == TODAY()
    page = text(client.get(response.url))
    assert 'data-testid="project-update-form"' not in page and "100%" in page


# --- figures ---------------------------------------------------------------------------------------------------


def figures_cells(client, by="community", **params):
    """The figures page and a function reading one of its cells by test id. The period starts a month back, so
    yesterday's meeting counts even on the first of January."""
    params.setdefault("start", START().isoformat())
    page = text(client.get(reverse("governance:figures"), {"by": by, **params}))

    def cell(testid):
        return re.sub(r"<[^>]+>", "", fragment(page, testid, "</t[hd]>").split(">", 1)[1]).strip()

    return page, cell


def test_the_figures_page_shows_the_selectors_figures_and_moves_when_implemented(
    signed_in, people, council, resolution
):
    client = signed_in(people["secretary"])
    row = selectors.figures(people["secretary"], "community", start=START())["rows"][0]
    page, cell = figures_cells(client)
    assert (row["due"], row["implemented"], row["rate"]) == (0, 0, None)
    assert cell(f"due-{QIAOGUANG}") == "0" and cell(f"rate-{QIAOGUANG}") == "—"
    assert cell(f"participants-{QIAOGUANG}") == str(row["participants"]) == "17"
    assert cell("total-rate") == "—" and "implemented ÷ resolutions due" in page

    services.resolution_implemented(actor=people["secretary"], resolution=resolution, outcome="电梯已投入使用")
    row = selectors.figures(people["secretary"], "community", start=START())["rows"][0]
    assert (row["due"], row["implemented"]) == (1, 1)
    page, cell = figures_cells(client)
    assert cell(f"due-{QIAOGUANG}") == "1" and cell(f"implemented-{QIAOGUANG}") == "1"
    assert cell(f"rate-{QIAOGUANG}") == "100.0%" and cell("total-rate") == "100.0%"
    # Per council and per street, the same numbers.
    _page, cell = figures_cells(client, by="council")
    assert cell(f"rate-{council.pk}") == "100.0%"
    _page, cell = figures_cells(client, by="street")
    assert cell("rate-440402005") == "100.0%"
    # As of a day before it was implemented (and before it is due), nothing was due.
    _page, cell = figures_cells(client, as_of=(TODAY() - timedelta(days=1)).isoformat())
    assert cell("total-rate") == "—"


def test_the_rate_has_one_decimal(signed_in, people, council, accepted_topics, resolution):
    """Three resolutions due, two implemented: 66.7%."""
    secretary = people["secretary"]
    extra = []
    for title in ("路灯维修", "垃圾分类点"):
        topic, _ = services.topic_create(
            actor=secretary, council=council, title=title, source="resident", category="facilities", proposer="居民"
        )
        extra.append(services.topic_accept(actor=secretary, topic=topic))
    services.meeting_record(
        actor=secretary,
        council=council,
        held_on=TODAY(),
        place="议事厅",
        minutes="两项",
        attendees=list(council.members.all()),
        items=[
            services.Item(
                topic=t, outcome="resolved", votes_for=3, resolution_text="办", owner="居委会", due_on=TODAY()
            )
            for t in extra
        ],
    )
    for r in Resolution.objects.exclude(pk=resolution.pk):
        services.resolution_implemented(actor=secretary, resolution=r, outcome="已办")
    services.resolution_not_implemented(actor=secretary, resolution=resolution, reason="资金不足")
    _page, cell = figures_cells(signed_in(secretary))
    assert cell(f"rate-{QIAOGUANG}") == "66.7%"


def test_the_figures_as_csv(signed_in, people, council, resolution):
    services.resolution_implemented(actor=people["secretary"], resolution=resolution, outcome="已办")
    client = signed_in(people["secretary"])
    page = text(client.get(reverse("governance:figures"), {"by": "council"}))
    assert f"{reverse('governance:figures-csv')}?by=council" in page
    response = client.get(reverse("governance:figures-csv"), {"by": "council"})
    assert response["Content-Type"].startswith("text/csv")
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert rows[0][:4] == ["Council", "Resolutions due", "Implemented", "Execution rate (%)"]
    assert rows[1][:4] == ["侨光社区议事会", "1", "1", "100.0"]
    assert rows[-1][0] == "Total"


# --- who may see and do what -----------------------------------------------------------------------------------


def test_another_communitys_secretary_neither_sees_nor_touches_this_council(
    signed_in, people, council, meeting, resolution, accepted_topics
):
    project = services.micro_project_create(
        actor=people["secretary"], topic=accepted_topics[0], name="电梯", budget="1"
    )
    member = council.members.first()
    client = signed_in(people["other"])
    for url in (
        reverse("governance:council-detail", args=[council.pk]),
        reverse("governance:topic-detail", args=[accepted_topics[0].pk]),
        reverse("governance:meeting-detail", args=[meeting.pk]),
        reverse("governance:resolution-detail", args=[resolution.pk]),
        reverse("governance:resolution-print", args=[resolution.pk]),
        reverse("governance:micro-project-detail", args=[project.pk]),
        reverse("governance:meeting-record", args=[council.pk]),
    ):
        assert client.get(url).status_code == 404, url
    posts = {
        reverse("governance:member-add", args=[council.pk]): {"name": "x", "kind": "resident", "role": "member"},
        reverse("governance:member-leave", args=[council.pk, member.pk]): {},
        reverse("governance:meeting-record", args=[council.pk]): meeting_payload(council, []),
        reverse("governance:topic-accept", args=[accepted_topics[0].pk]): {},
        reverse("governance:topic-decline", args=[accepted_topics[0].pk]): {"reason": "x"},
        reverse("governance:micro-project-create", args=[accepted_topics[0].pk]): {"name": "x", "budget": "1"},
        reverse("governance:progress-add", args=[resolution.pk]): {"note": "x"},
        reverse("governance:resolution-implemented", args=[resolution.pk]): {"outcome": "x"},
        reverse("governance:resolution-not-implemented", args=[resolution.pk]): {"reason": "x"},
        reverse("governance:resolution-publish", args=[resolution.pk]): {},
        reverse("governance:micro-project-update", args=[project.pk]): {"status": "underway"},
    }
    for url, data in posts.items():
        assert client.post(url, data).status_code == 404, url
    # Topics are filed only to councils of one's own area.
    topic = client.post(
        reverse("governance:topic-create"),
        {"council": council.pk, "title": "x", "source": "resident", "category": "other", "proposer": "x",
         "received_on": TODAY().isoformat()},
    )  # fmt: skip
    assert topic.status_code == 400
    for name in ("council-list", "topic-list", "resolution-list", "micro-project-list", "figures"):
        page = text(client.get(reverse(f"governance:{name}")))
        assert "侨光社区议事会" not in page and "3栋加装电梯" not in page, name
    assert Topic.objects.count() == 2 and Meeting.objects.count() == 1
    assert MicroProject.objects.count() == 1 and not CouncilMember.objects.filter(name="x").exists()


def test_view_only_staff_are_refused_every_write(signed_in, people, council, resolution, accepted_topics):
    project = services.micro_project_create(
        actor=people["secretary"], topic=accepted_topics[0], name="电梯", budget="1"
    )
    member = council.members.first()
    client = signed_in(people["caseworker"])
    assert client.get(reverse("governance:council-detail", args=[council.pk])).status_code == 200
    page = text(client.get(reverse("governance:council-detail", args=[council.pk])))
    assert 'data-testid="member-form"' not in page and 'data-testid="meeting-record-link"' not in page
    for url in (
        reverse("governance:council-create"),
        reverse("governance:topic-create"),
        reverse("governance:meeting-record", args=[council.pk]),
    ):
        assert client.get(url).status_code == 403, url
    for url, data in {
        reverse("governance:council-create"): {"level": "community", "region": QIAOGUANG, "name": "x"},
        reverse("governance:member-add", args=[council.pk]): {"name": "x", "kind": "resident", "role": "member"},
        reverse("governance:member-leave", args=[council.pk, member.pk]): {},
        reverse("governance:meeting-record", args=[council.pk]): meeting_payload(council, []),
        reverse("governance:topic-accept", args=[accepted_topics[0].pk]): {},
        reverse("governance:topic-decline", args=[accepted_topics[0].pk]): {"reason": "x"},
        reverse("governance:micro-project-create", args=[accepted_topics[0].pk]): {"name": "x", "budget": "1"},
        reverse("governance:progress-add", args=[resolution.pk]): {"note": "x"},
        reverse("governance:resolution-implemented", args=[resolution.pk]): {"outcome": "x"},
        reverse("governance:resolution-not-implemented", args=[resolution.pk]): {"reason": "x"},
        reverse("governance:resolution-publish", args=[resolution.pk]): {},
        reverse("governance:micro-project-update", args=[project.pk]): {"status": "underway"},
    }.items():
        assert client.post(url, data).status_code == 403, url
    assert Meeting.objects.count() == 1 and Council.objects.count() == 1
    assert Resolution.objects.get().status == ResolutionStatus.IN_PROGRESS


def test_the_street_reviewer_records_for_the_streets_communities(signed_in, people, council, accepted_topics):
    client = signed_in(people["street"])
    response = record_meeting(client, council, [(accepted_topics[1], NOT_RESOLVED)])
    assert response.status_code == 302 and Meeting.objects.get().recorded_by == people["street"]


def test_the_lists_keep_to_a_few_queries(signed_in, people, council, meeting, django_assert_max_num_queries):
    client = signed_in(people["secretary"])
    for name in ("council-list", "topic-list", "resolution-list", "micro-project-list", "figures"):
        with django_assert_max_num_queries(15):
            assert client.get(reverse(f"governance:{name}")).status_code == 200
