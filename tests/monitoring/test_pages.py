"""The monitoring pages: every page for the roles that follow monitoring, 403 for the others, 404 for another area's
warning, person or record; the warning's steps through its forms (dismiss with a reason, open a review, take
over), the warnings closed by an application filed or a visit recorded elsewhere, the rule form, people watched by
hand, unmatched records reviewed, the "Run now" button, the filtered export and the household file's panel."""

import csv
import io
import re
from datetime import timedelta

import pytest
from django.conf import settings
from django.urls import reverse
from django.utils import timezone, translation

from civic.models import Job, Resident
from civic.roles import Role
from monitoring.models import (
    Action,
    AlertEvent,
    AlertStatus,
    Category,
    FeedRecord,
    MatchStatus,
    MonitoredPerson,
    Rule,
    WatchStatus,
)
from monitoring.services import ingest
from relief.models import EntitlementAction, EntitlementEvent
from tests.conftest import id_number

from .conftest import QIAOGUANG, XIANGZHOU, alerts, grant, record

OTHER_COMMUNITY = "440402005002"  # 拱北's other community
FAR_COMMUNITY = "440403100001"  # another district's
CITY = "440400000000"
TODAY = timezone.localdate


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
def staff(staff_factory, caseworker, reviewer):
    return {
        "caseworker": caseworker,
        "reviewer": reviewer,
        "district": staff_factory(Role.DISTRICT_APPROVER, XIANGZHOU, username="district"),
        "manager": staff_factory(Role.CITY_MANAGER, CITY, username="manager"),
        "auditor": staff_factory(Role.AUDITOR, XIANGZHOU, username="auditor"),
    }


@pytest.fixture
def outsiders(staff_factory):
    return {
        "other": staff_factory(Role.CASEWORKER, OTHER_COMMUNITY, username="other-community"),
        "far": staff_factory(Role.CASEWORKER, FAR_COMMUNITY, username="far-district"),
    }


@pytest.fixture
def death_alert(dibao_family, caseworker, send, nightly):
    household, _entitlement = dibao_family
    send("population", [record(household.head, "D-1", event="death")])
    nightly()
    [alert] = alerts("death")
    return alert


@pytest.fixture
def medical_alert(household_factory, policy, caseworker, send, nightly):
    household = household_factory(QIAOGUANG, size=2, names=["陈大勇", "林美华"])
    grant(household, income="1000")
    send("medical", [record(household.head, "M-1", amount="9000.00")])
    nightly()
    [alert] = alerts("medical")
    return alert


@pytest.fixture
def unmatched(partner, regions):
    """Two records of the population feed sent by 侨光社区's partner with numbers nobody has."""
    sender = partner("population", region=QIAOGUANG)
    records = [
        {"reference": "U-1", "id_number": id_number(birth="19700101", seq=901), "name": "张错号", "date": "2024-05-01"},
        {"reference": "U-2", "id_number": id_number(birth="19700101", seq=902), "name": "外地人", "date": "2024-05-02"},
    ]
    result = ingest.records_receive(sender=sender, feed_kind="population", records=records)
    assert result["unmatched"] == 2
    return {r.reference: r for r in FeedRecord.objects.filter(match=MatchStatus.UNMATCHED)}


def text(response):
    return response.content.decode()


def field_html(html, name):
    """The HTML of the form field `name` (its wrapper div from civic/_field.html)."""
    match = re.search(rf'<div class="field[^"]*">\s*<label for="id_{name}">.*?</div>', html, re.S)
    assert match, name
    return match.group(0)


# ------------------------------------------------------------------------------------------------ who sees what


def test_every_page_renders_for_the_roles_that_follow_monitoring(signed_in, staff, death_alert, unmatched):
    pages = [
        reverse("monitoring:work-list"),
        reverse("monitoring:alert-list"),
        reverse("monitoring:alert-detail", args=[death_alert.pk]),
        reverse("monitoring:alert-print", args=[death_alert.pk]),
        reverse("monitoring:person-list"),
        reverse("monitoring:unmatched-list"),
        reverse("monitoring:rule-list"),
        reverse("monitoring:run-list"),
    ]
    for role, user in staff.items():
        client = signed_in(user)
        for url in pages:
            response = client.get(url)
            assert response.status_code == 200, (role, url)
    client = signed_in(staff["manager"])
    assert client.get(reverse("monitoring:rule-edit", args=["medical"])).status_code == 200
    client = signed_in(staff["caseworker"])
    assert client.get(reverse("monitoring:person-add")).status_code == 200
    assert client.get(reverse("monitoring:index")).status_code == 302


def test_roles_without_the_capability_are_refused(signed_in, staff, staff_factory, death_alert):
    secretary = staff_factory(Role.COMMUNITY_SECRETARY, QIAOGUANG, username="secretary")
    client = signed_in(secretary)
    for name in ("work-list", "alert-list", "person-list", "unmatched-list", "rule-list", "run-list"):
        assert client.get(reverse(f"monitoring:{name}")).status_code == 403, name
    assert client.get(reverse("monitoring:alert-detail", args=[death_alert.pk])).status_code == 403

    # Those who follow but do not work warnings see no task forms and may not post them.
    client = signed_in(staff["district"])
    page = text(client.get(reverse("monitoring:alert-detail", args=[death_alert.pk])))
    assert 'data-testid="dismiss-form"' not in page
    dismiss = reverse("monitoring:alert-dismiss", args=[death_alert.pk])
    assert client.post(dismiss, {"reason": "x"}).status_code == 403
    assert client.get(reverse("monitoring:person-add")).status_code == 403
    assert client.get(reverse("monitoring:rule-edit", args=["medical"])).status_code == 403
    assert client.post(reverse("monitoring:run-start")).status_code == 403

    client = signed_in(staff["caseworker"])
    assert client.get(reverse("monitoring:rule-edit", args=["medical"])).status_code == 403
    assert client.post(reverse("monitoring:run-start")).status_code == 403
    death_alert.refresh_from_db()
    assert death_alert.status == AlertStatus.OPEN


def test_another_community_or_district_finds_nothing(signed_in, outsiders, death_alert, unmatched, caseworker):
    from monitoring.services import people

    person = MonitoredPerson.objects.filter(household=death_alert.household).first()
    household = death_alert.household
    member = household.members.exclude(pk=household.head_id).first()
    by_hand = people.person_add(actor=caseworker, resident=member, reason="热线反映")
    record_ = unmatched["U-1"]
    for user in outsiders.values():
        client = signed_in(user)
        assert client.get(reverse("monitoring:alert-detail", args=[death_alert.pk])).status_code == 404
        assert client.get(reverse("monitoring:alert-print", args=[death_alert.pk])).status_code == 404
        assert (
            client.post(reverse("monitoring:alert-dismiss", args=[death_alert.pk]), {"reason": "x"}).status_code == 404
        )
        assert client.post(reverse("monitoring:alert-take", args=[death_alert.pk])).status_code == 404
        assert client.get(reverse("monitoring:person-end", args=[by_hand.pk])).status_code == 404
        assert client.post(reverse("monitoring:record-match", args=[record_.pk]), {}).status_code == 404
        assert client.post(reverse("monitoring:record-set-aside", args=[record_.pk]), {}).status_code == 404
        assert f"alert-{death_alert.pk}" not in text(client.get(reverse("monitoring:alert-list")))
        assert f"person-{person.pk}" not in text(client.get(reverse("monitoring:person-list")))
        assert f"record-{record_.pk}" not in text(client.get(reverse("monitoring:unmatched-list")))
    death_alert.refresh_from_db()
    assert death_alert.status == AlertStatus.OPEN and not AlertEvent.objects.filter(alert=death_alert).exists()


# --------------------------------------------------------------------------------------------------- task lists


def test_my_tasks_lists_open_warnings_urgent_first_with_the_past_due_marked(
    signed_in, caseworker, death_alert, medical_alert, django_assert_max_num_queries
):
    type(death_alert).objects.filter(pk=death_alert.pk).update(due_on=TODAY() - timedelta(days=1))
    type(medical_alert).objects.filter(pk=medical_alert.pk).update(urgent=True)
    client = signed_in(caseworker)
    with django_assert_max_num_queries(12):
        response = client.get(reverse("monitoring:work-list"))
    page = text(response)
    assert page.index(f"task-{medical_alert.pk}") < page.index(f"task-{death_alert.pk}")
    row = page[page.index(f'data-testid="task-{death_alert.pk}"') :]
    row = row[: row.index("</tr>")]
    assert 'data-testid="overdue"' in row and "overdue-row" in page
    assert reverse("registry:household-detail", args=[death_alert.household_id]) in row
    assert death_alert.household.number in row and death_alert.household.address in row

    only = text(client.get(reverse("monitoring:work-list"), {"rule": "medical"}))
    assert f"task-{medical_alert.pk}" in only and f"task-{death_alert.pk}" not in only

    from monitoring.services import alerts as alert_services

    alert_services.alert_dismiss(actor=caseworker, alert=death_alert, reason="已核实")
    alert_services.alert_dismiss(actor=caseworker, alert=medical_alert, reason="已核实")
    assert 'data-testid="empty"' in text(client.get(reverse("monitoring:work-list")))


def test_the_warning_list_filters_and_searches(
    signed_in, staff, death_alert, medical_alert, django_assert_max_num_queries
):
    client = signed_in(staff["district"])
    url = reverse("monitoring:alert-list")
    with django_assert_max_num_queries(12):
        page = text(client.get(url))
    assert f"alert-{death_alert.pk}" in page and f"alert-{medical_alert.pk}" in page

    def shown(**query):
        html = text(client.get(url, query))
        return {pk for pk in (death_alert.pk, medical_alert.pk) if f'data-testid="alert-{pk}"' in html}

    assert shown(rule="death") == {death_alert.pk}
    assert shown(q=medical_alert.household.number) == {medical_alert.pk}
    assert shown(q="陈大勇") == {medical_alert.pk}
    assert shown(community=QIAOGUANG) == {death_alert.pk, medical_alert.pk}
    assert shown(community=OTHER_COMMUNITY) == set()
    assert shown(overdue="on") == set()
    type(death_alert).objects.filter(pk=death_alert.pk).update(due_on=TODAY() - timedelta(days=2))
    assert shown(overdue="on") == {death_alert.pk}
    assert shown(found_from=(TODAY() + timedelta(days=1)).isoformat()) == set()
    assert shown(found_from=TODAY().isoformat(), found_to=TODAY().isoformat()) == {death_alert.pk, medical_alert.pk}
    assert shown(status="dismissed") == set()


def test_the_export_holds_the_filtered_warnings_only_with_masked_numbers(signed_in, staff, death_alert, medical_alert):
    client = signed_in(staff["reviewer"])
    response = client.get(reverse("monitoring:alert-export", args=["csv"]), {"rule": "death"})
    assert response.status_code == 200 and response["Content-Disposition"].endswith('.csv"')
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert len(rows) == 2
    assert rows[1][0] == str(death_alert.pk) and rows[1][5] == death_alert.household.number
    person = death_alert.resident
    assert person.id_number_masked in rows[1] and person.id_number not in response.content.decode("utf-8-sig")

    everything = client.get(reverse("monitoring:alert-export", args=["csv"]))
    assert len(list(csv.reader(io.StringIO(everything.content.decode("utf-8-sig"))))) == 3
    xlsx = client.get(reverse("monitoring:alert-export", args=["xlsx"]), {"rule": "medical"})
    assert xlsx.status_code == 200 and xlsx.content[:2] == b"PK"
    assert client.get(reverse("monitoring:alert-export", args=["pdf"])).status_code == 404


# ---------------------------------------------------------------------------------------------- one warning


def test_the_warning_explains_what_was_found(signed_in, caseworker, death_alert, medical_alert):
    client = signed_in(caseworker)
    page = text(client.get(reverse("monitoring:alert-detail", args=[death_alert.pk])))
    summary = page[page.index('data-testid="alert-summary"') :]
    assert "王建国 died on" in summary[:400]
    assert "Deaths and household-registration moves" in page  # the feed
    assert "D-1" in page and "population partner" in page
    assert reverse("relief:entitlement-detail", args=[death_alert.entitlement_id]) in page
    assert death_alert.resident.id_number_masked in page and death_alert.resident.id_number not in page
    assert 'data-testid="rule-explanation"' in page

    page = text(client.get(reverse("monitoring:alert-detail", args=[medical_alert.pk])))
    figures = page[page.index('data-testid="alert-figures"') :]
    assert "9000.00" in figures and "12000.00" in figures and "75.0 %" in figures

    sheet = text(client.get(reverse("monitoring:alert-print", args=[death_alert.pk])))
    assert 'data-testid="task-sheet"' in sheet and "王建国 died on" in sheet


def test_dismissing_without_a_reason_is_refused_and_changes_nothing(signed_in, caseworker, death_alert):
    client = signed_in(caseworker)
    url = reverse("monitoring:alert-dismiss", args=[death_alert.pk])
    response = client.post(url, {"dismiss-reason": "   "})
    assert response.status_code == 400
    assert "Say why the warning needs no action" in field_html(text(response), "dismiss-reason")
    death_alert.refresh_from_db()
    assert death_alert.status == AlertStatus.OPEN and not AlertEvent.objects.filter(alert=death_alert).exists()

    response = client.post(url, {"dismiss-reason": "同名误报，本人健在"}, follow=True)
    assert response.status_code == 200
    death_alert.refresh_from_db()
    assert death_alert.status == AlertStatus.DISMISSED
    outcome = text(response)
    assert "同名误报，本人健在" in outcome and 'data-testid="in-time"' in outcome
    assert 'data-testid="dismiss-form"' not in outcome

    again = client.post(url, {"dismiss-reason": "再次"})
    assert again.status_code == 409 and 'data-testid="refusal"' in text(again)


def test_opening_a_review_handles_the_warning_and_brings_the_review_forward(signed_in, caseworker, death_alert):
    client = signed_in(caseworker)
    page = text(client.get(reverse("monitoring:alert-detail", args=[death_alert.pk])))
    form = page[page.index('data-testid="review-form"') :]
    assert "王建国 died on" in form[: form.index("</form>")]  # the suggested reason

    empty = client.post(reverse("monitoring:alert-review", args=[death_alert.pk]), {"review-reason": ""})
    assert empty.status_code == 400 and "Say what the review is to look at" in text(empty)

    response = client.post(
        reverse("monitoring:alert-review", args=[death_alert.pk]),
        {"review-reason": "户主王建国死亡，复核家庭人口"},
        follow=True,
    )
    assert response.status_code == 200
    assert "A review of the benefit is open" in text(response)
    death_alert.refresh_from_db()
    entitlement = death_alert.entitlement
    entitlement.refresh_from_db()
    assert death_alert.status == AlertStatus.HANDLED and entitlement.review_due == TODAY()
    event = EntitlementEvent.objects.get(pk=death_alert.review_id)
    assert event.action == EntitlementAction.REVIEW_DUE_BROUGHT_FORWARD and "王建国" in event.reason
    assert 'data-testid="review-link"' in text(response)
    assert reverse("relief:entitlement-detail", args=[entitlement.pk]) in text(response)


def test_a_colleague_takes_the_task_over(signed_in, staff_factory, caseworker, death_alert):
    colleague = staff_factory(Role.CASEWORKER, QIAOGUANG, username="colleague")
    client = signed_in(colleague)
    assert 'data-testid="take"' in text(client.get(reverse("monitoring:alert-detail", args=[death_alert.pk])))
    response = client.post(reverse("monitoring:alert-take", args=[death_alert.pk]), follow=True)
    assert response.status_code == 200
    death_alert.refresh_from_db()
    assert death_alert.assignee == colleague
    assert 'data-testid="take"' not in text(response)
    # Now it is the colleague's: it left the first caseworker's list.
    mine = text(signed_in(caseworker).get(reverse("monitoring:work-list")))
    assert f"task-{death_alert.pk}" not in mine


def test_a_warning_asking_for_an_application_leads_to_the_filled_form_and_closes_when_filed(
    signed_in, caseworker, medical_alert, django_capture_on_commit_callbacks
):
    client = signed_in(caseworker)
    page = text(client.get(reverse("monitoring:alert-detail", args=[medical_alert.pk])))
    link = f"{reverse('relief:application-file')}?household={medical_alert.household_id}&amp;programme=temp_expenditure"
    assert link in page
    assert medical_alert.household.head.id_number not in page

    form = client.get(
        reverse("relief:application-file"),
        {"household": medical_alert.household_id, "programme": "temp_expenditure"},
    )
    assert form.status_code == 200
    html = text(form)
    assert f'name="household" value="{medical_alert.household_id}"' in html
    assert re.search(r'<option value="temp_expenditure"[^>]*selected', html)
    missing = client.get(reverse("relief:application-file"), {"household": "99999999", "programme": "dibao"})
    assert missing.status_code == 404
    assert client.get(reverse("relief:application-file"), {"household": "abc"}).status_code == 404

    from relief.services.applications import filing

    with django_capture_on_commit_callbacks(execute=True):
        application = filing.application_file(
            actor=caseworker,
            household=medical_alert.household,
            programme="temp_expenditure",
            account="6217000011112222",
        )
    medical_alert.refresh_from_db()
    assert medical_alert.status == AlertStatus.HANDLED and medical_alert.application == application
    page = text(client.get(reverse("monitoring:alert-detail", args=[medical_alert.pk])))
    assert reverse("relief:application-detail", args=[application.pk]) in page
    assert 'data-testid="apply"' not in page


def test_the_file_form_by_household_stays_within_the_city(signed_in, staff_factory, medical_alert):
    """全城通办: any caseworker of the city may open it; a household unknown to the user's city is a 404."""
    other = staff_factory(Role.CASEWORKER, OTHER_COMMUNITY, username="other-cw")
    client = signed_in(other)
    response = client.get(reverse("relief:application-file"), {"household": medical_alert.household_id})
    assert response.status_code == 200


def test_a_warning_asking_for_a_visit_closes_when_the_visit_is_recorded(
    signed_in, household_factory, caseworker, send, nightly, django_capture_on_commit_callbacks
):
    from eldercare import services as eldercare_services

    household = household_factory(QIAOGUANG, size=1)
    Resident.objects.filter(pk=household.head_id).update(birth_date=TODAY().replace(year=1938))
    elder = eldercare_services.elder_register(
        actor=caseworker, resident=household.head, categories=["living_alone"], risk="key", visitor=caseworker
    )
    send("hotline", [record(household.head, "H-1")])
    nightly()
    [alert] = alerts("elder_hotline")
    assert alert.action == Action.VISIT

    client = signed_in(caseworker)
    page = text(client.get(reverse("monitoring:alert-detail", args=[alert.pk])))
    assert reverse("eldercare:elder-detail", args=[elder.pk]) in page and 'data-testid="record-visit-link"' in page

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("eldercare:visit-record", args=[elder.pk]),
            {"visited_on": TODAY().isoformat(), "findings": "老人腿脚不便，已联系助餐", "risk": ""},
        )
    assert response.status_code == 302
    alert.refresh_from_db()
    assert alert.status == AlertStatus.HANDLED and alert.visit is not None and alert.in_time
    page = text(client.get(reverse("monitoring:alert-detail", args=[alert.pk])))
    assert 'data-testid="visit-link"' in page


# ------------------------------------------------------------------------------------------------------- rules


def test_the_rule_form_shows_the_rules_settings_and_refuses_a_bad_one_next_to_it(signed_in, staff):
    client = signed_in(staff["manager"])
    url = reverse("monitoring:rule-edit", args=["medical"])
    page = text(client.get(url))
    assert "Share of yearly income" in page and 'name="min_amount"' in page
    assert page.count('name="programmes"') == len(Category.choices)
    death = text(client.get(reverse("monitoring:rule-edit", args=["death"])))
    assert 'name="threshold"' not in death and 'name="window_days"' in death
    assert client.get(reverse("monitoring:rule-edit", args=["nonsense"])).status_code == 404

    payload = {
        "enabled": "on",
        "programmes": ["dibao", "tekun"],
        "threshold": "0",
        "min_amount": "5000",
        "window_days": "365",
        "deadline_days": "10",
    }
    refused = client.post(url, payload)
    assert refused.status_code == 400
    assert "Enter a number above 0." in field_html(text(refused), "threshold")
    assert Rule.objects.get(code="medical").threshold != 0

    response = client.post(url, {**payload, "threshold": "0.5", "deadline_days": "5", "urgent": "on"})
    assert response.status_code == 302 and response["Location"] == reverse("monitoring:rule-list")
    rule = Rule.objects.get(code="medical")
    assert str(rule.threshold) == "0.50" and rule.deadline_days == 5 and rule.urgent
    assert rule.programmes == ["dibao", "tekun"] and rule.updated_by == staff["manager"]

    listing = text(signed_in(staff["caseworker"]).get(reverse("monitoring:rule-list")))
    assert "Share of yearly income" in listing and "rule-edit-medical" not in listing


# ------------------------------------------------------------------------------------------------------ people


def test_a_caseworker_watches_a_person_by_hand_and_ends_the_watch(
    signed_in, caseworker, household_factory, django_assert_max_num_queries
):
    mine = household_factory(QIAOGUANG, size=1, names=["赵独居"])
    elsewhere = household_factory(OTHER_COMMUNITY, size=1)
    client = signed_in(caseworker)
    url = reverse("monitoring:person-add")

    unknown = client.post(url, {"id_number": id_number(birth="19600101", seq=777), "reason": "热线"})
    assert unknown.status_code == 400
    assert "No resident of your area has this ID number." in field_html(text(unknown), "id_number")
    outside = client.post(url, {"id_number": elsewhere.head.id_number, "reason": "热线"})
    assert outside.status_code == 400
    no_reason = client.post(url, {"id_number": mine.head.id_number, "reason": ""})
    assert no_reason.status_code == 400 and "Say why this person is to be watched." in text(no_reason)
    assert not MonitoredPerson.objects.exists()

    response = client.post(url, {"id_number": mine.head.id_number, "reason": "12345热线反映独居、无收入"})
    assert response.status_code == 302
    person = MonitoredPerson.objects.get(resident=mine.head)
    assert person.category == Category.ADDED and person.added_by_hand

    with django_assert_max_num_queries(10):
        listing = text(client.get(reverse("monitoring:person-list")))
    assert f"person-{person.pk}" in listing and mine.head.id_number_masked in listing
    assert mine.head.id_number not in listing
    found = text(client.get(reverse("monitoring:person-list"), {"q": mine.head.id_number}))
    assert f"person-{person.pk}" in found
    assert f"person-{person.pk}" in text(client.get(reverse("monitoring:person-list"), {"q": "独居"}))
    assert f"person-{person.pk}" not in text(client.get(reverse("monitoring:person-list"), {"category": "dibao"}))

    end = reverse("monitoring:person-end", args=[person.pk])
    assert client.post(end, {"reason": ""}).status_code == 400
    assert client.post(end, {"reason": "已就业，收入稳定"}).status_code == 302
    person.refresh_from_db()
    assert person.status == WatchStatus.ENDED and person.end_reason == "已就业，收入稳定"


def test_a_watch_for_a_benefit_cannot_be_ended_by_hand(signed_in, caseworker, death_alert):
    person = MonitoredPerson.objects.filter(household=death_alert.household, added_by_hand=False).first()
    client = signed_in(caseworker)
    assert f"person-end-{person.pk}" not in text(client.get(reverse("monitoring:person-list")))
    refused = client.post(reverse("monitoring:person-end", args=[person.pk]), {"reason": "不需要"})
    assert refused.status_code == 409 and 'data-testid="refusal"' in text(refused)


# ----------------------------------------------------------------------------------------------------- records


def test_unmatched_records_are_matched_or_set_aside(signed_in, caseworker, household_factory, unmatched):
    household = household_factory(QIAOGUANG, size=1)
    first, second = unmatched["U-1"], unmatched["U-2"]
    client = signed_in(caseworker)
    page = text(client.get(reverse("monitoring:unmatched-list")))
    assert f"record-{first.pk}" in page and f"record-{second.pk}" in page
    assert first.id_number not in page and "张错号" in page

    bad = client.post(reverse("monitoring:record-match", args=[first.pk]), {f"m{first.pk}-id_number": "123"})
    assert bad.status_code == 400
    assert 'class="field-error"' in text(bad)
    first.refresh_from_db()
    assert first.match == MatchStatus.UNMATCHED

    matched = client.post(
        reverse("monitoring:record-match", args=[first.pk]), {f"m{first.pk}-id_number": household.head.id_number}
    )
    assert matched.status_code == 302
    first.refresh_from_db()
    assert first.match == MatchStatus.MATCHED and first.resident == household.head

    aside = reverse("monitoring:record-set-aside", args=[second.pk])
    empty = client.post(aside, {f"s{second.pk}-reason": ""})
    assert empty.status_code == 400 and "Say why the record is set aside." in text(empty)
    assert client.post(aside, {f"s{second.pk}-reason": "外市居民，非本市户籍"}).status_code == 302
    second.refresh_from_db()
    assert second.match == MatchStatus.SET_ASIDE
    assert 'data-testid="empty"' in text(client.get(reverse("monitoring:unmatched-list")))


# -------------------------------------------------------------------------------------------------------- runs


def test_the_city_starts_a_run_and_a_second_one_is_refused_while_it_runs(signed_in, staff, death_alert):
    client = signed_in(staff["manager"])
    page = text(client.get(reverse("monitoring:run-list")))
    [done] = Job.objects.filter(kind="monitoring.nightly")
    assert f"run-{done.pk}" in page and "100 %" in page and "A death in a household on benefit: 1" in page

    response = client.post(reverse("monitoring:run-start"), follow=True)
    assert response.status_code == 200
    started = Job.objects.filter(kind="monitoring.nightly").exclude(pk=done.pk).get()
    assert started.created_by == staff["manager"] and started.state == "queued"
    assert f"run-{started.pk}" in text(response)

    again = client.post(reverse("monitoring:run-start"), follow=True)
    assert again.status_code == 200
    assert 'class="error"' in text(again)
    assert Job.objects.filter(kind="monitoring.nightly").count() == 2

    # Everyone who follows monitoring sees the city's runs, without the button.
    listing = text(signed_in(staff["caseworker"]).get(reverse("monitoring:run-list")))
    assert f"run-{done.pk}" in listing and 'data-testid="run-now"' not in listing


# ------------------------------------------------------------------------------------------- the household file


def test_the_household_file_shows_the_panel_with_a_link_to_the_warning(signed_in, caseworker, death_alert):
    client = signed_in(caseworker)
    page = text(client.get(reverse("registry:household-detail", args=[death_alert.household_id])))
    assert 'data-testid="monitoring-panel"' in page
    assert reverse("monitoring:alert-detail", args=[death_alert.pk]) in page
