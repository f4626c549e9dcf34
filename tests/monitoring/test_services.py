"""The task lifecycle of a warning, people watched by hand and the bureau's rule settings."""

from datetime import timedelta
from decimal import Decimal

import pytest
from django.utils import timezone

from civic.errors import ApplicationError
from civic.models import Job
from civic.roles import Role
from monitoring.models import (
    Action,
    AlertEvent,
    AlertStatus,
    AlertStep,
    Category,
    EndCause,
    MonitoredPerson,
    Rule,
    WatchStatus,
)
from monitoring.rules import rules_in_force
from monitoring.services import alerts as alert_services
from monitoring.services import people, rules
from relief.models import EntitlementAction

from .conftest import OTHER_DISTRICT, QIAOGUANG, alerts, grant, record


@pytest.fixture
def death_alert(dibao_family, caseworker, send, nightly):
    household, entitlement = dibao_family
    send("population", [record(household.head, "D-1", event="death")])
    nightly()
    [alert] = alerts("death")
    return alert


def test_dismissing_needs_a_reason_and_closes_the_task_in_time(death_alert, caseworker):
    with pytest.raises(ApplicationError) as refused:
        alert_services.alert_dismiss(actor=caseworker, alert=death_alert, reason="  ")
    assert "reason" in refused.value.fields
    death_alert.refresh_from_db()
    assert death_alert.status == AlertStatus.OPEN

    alert_services.alert_dismiss(actor=caseworker, alert=death_alert, reason="同名误报，本人健在，已上门核实")

    death_alert.refresh_from_db()
    assert death_alert.status == AlertStatus.DISMISSED and death_alert.in_time
    assert death_alert.handled_by == caseworker and death_alert.handled_on == timezone.localdate()
    assert list(AlertEvent.objects.filter(alert=death_alert).values_list("step", flat=True)) == [AlertStep.DISMISSED]
    # Nothing open for the family any more: its people are back to plainly watched.
    assert set(MonitoredPerson.objects.filter(household=death_alert.household).values_list("status", flat=True)) == {
        WatchStatus.WATCHED
    }


def test_a_closed_task_cannot_be_closed_again(death_alert, caseworker):
    stale = type(death_alert).objects.get(pk=death_alert.pk)
    alert_services.alert_dismiss(actor=caseworker, alert=death_alert, reason="已核实")
    with pytest.raises(ApplicationError) as refused:
        alert_services.alert_open_review(actor=caseworker, alert=stale, reason="复核")
    assert refused.value.status == 409


def test_opening_the_review_brings_it_forward_to_today_and_handles_the_task(death_alert, caseworker):
    entitlement = death_alert.entitlement
    assert entitlement.review_due > timezone.localdate()

    alert_services.alert_open_review(actor=caseworker, alert=death_alert, reason="户主王建国死亡，复核家庭人口和金额")

    entitlement.refresh_from_db()
    death_alert.refresh_from_db()
    assert entitlement.review_due == timezone.localdate()
    assert death_alert.status == AlertStatus.HANDLED
    assert death_alert.review.action == EntitlementAction.REVIEW_DUE_BROUGHT_FORWARD
    assert death_alert.review.entitlement_id == entitlement.pk and "王建国" in death_alert.review.reason


def test_only_the_family_s_area_may_act_on_a_task(death_alert, staff_factory):
    outsider = staff_factory(Role.CASEWORKER, "440402005002", username="other-community")
    district = staff_factory(Role.DISTRICT_APPROVER, "440402000000", username="district")
    with pytest.raises(ApplicationError) as hidden:
        alert_services.alert_dismiss(actor=outsider, alert=death_alert, reason="x")
    assert hidden.value.status == 404
    with pytest.raises(ApplicationError) as forbidden:
        alert_services.alert_dismiss(actor=district, alert=death_alert, reason="x")
    assert forbidden.value.status == 403


def test_another_caseworker_of_the_community_takes_the_task_over(death_alert, caseworker, staff_factory):
    colleague = staff_factory(Role.CASEWORKER, QIAOGUANG, username="colleague")
    alert_services.alert_take(actor=colleague, alert=death_alert)
    death_alert.refresh_from_db()
    assert death_alert.assignee == colleague
    assert AlertEvent.objects.filter(alert=death_alert, step=AlertStep.ASSIGNED, actor=colleague).exists()


def test_an_application_filed_for_the_family_handles_the_warning_that_asked_for_one(
    household_factory, policy, caseworker, send, nightly, django_capture_on_commit_callbacks
):
    from relief.services.applications import filing

    household = household_factory(QIAOGUANG, size=2)
    grant(household, income="1000")
    send("medical", [record(household.head, "M-1", amount="9000.00")])
    nightly()
    [alert] = alerts("medical")
    assert alert.action == Action.APPLY and alert.programme == "temp_expenditure"

    with django_capture_on_commit_callbacks(execute=True):
        application = filing.application_file(
            actor=caseworker, household=household, programme="temp_expenditure", account="6217000011112222"
        )

    alert.refresh_from_db()
    assert alert.status == AlertStatus.HANDLED and alert.application == application
    assert alert.handled_by == caseworker


def test_a_visit_handles_the_urgent_visit_task(
    household_factory, caseworker, send, nightly, django_capture_on_commit_callbacks
):
    from civic.models import Resident
    from eldercare import services as eldercare_services

    household = household_factory(QIAOGUANG, size=1)
    Resident.objects.filter(pk=household.head_id).update(birth_date=timezone.localdate().replace(year=1938))
    elder = eldercare_services.elder_register(
        actor=caseworker, resident=household.head, categories=["living_alone"], risk="key", visitor=caseworker
    )
    send("hotline", [record(household.head, "H-1")])
    nightly()
    [alert] = alerts("elder_hotline")

    with django_capture_on_commit_callbacks(execute=True):
        visit = eldercare_services.visit_record(
            actor=caseworker, elder=elder, visited_on=timezone.localdate(), findings="老人腿脚不便，已联系助餐"
        )

    alert.refresh_from_db()
    assert alert.status == AlertStatus.HANDLED and alert.visit == visit and alert.in_time


def test_a_task_handled_after_its_deadline_is_late(death_alert, caseworker):
    type(death_alert).objects.filter(pk=death_alert.pk).update(due_on=timezone.localdate() - timedelta(days=1))
    death_alert.refresh_from_db()
    alert_services.alert_dismiss(actor=caseworker, alert=death_alert, reason="已核实")
    death_alert.refresh_from_db()
    assert not death_alert.in_time


def test_a_caseworker_watches_a_person_by_hand_and_ends_the_watch(household_factory, caseworker, nightly):
    household = household_factory(QIAOGUANG, size=1)
    person = people.person_add(actor=caseworker, resident=household.head, reason="12345热线反映独居、无收入")
    assert person.category == Category.ADDED and person.added_by_hand and person.status == WatchStatus.WATCHED

    nightly()  # no benefit covers them, yet they stay watched
    person.refresh_from_db()
    assert person.status == WatchStatus.WATCHED

    with pytest.raises(ApplicationError):
        people.person_add(actor=caseworker, resident=household.head, reason="again")
    people.person_end(actor=caseworker, person=person, reason="已纳入低保边缘，按项目监测")
    person.refresh_from_db()
    assert person.status == WatchStatus.ENDED and person.end_cause == EndCause.BY_HAND


def test_the_nightly_run_follows_benefits_in_and_out(household_factory, policy, nightly):
    household = household_factory(QIAOGUANG, size=2)
    entitlement = grant(household, "tekun", amount="1800.00")
    nightly()
    assert set(MonitoredPerson.objects.values_list("category", flat=True)) == {Category.TEKUN}
    type(entitlement).objects.filter(pk=entitlement.pk).update(status="ended")
    nightly(timezone.localdate() + timedelta(days=1))
    assert set(MonitoredPerson.objects.values_list("status", "end_cause")) == {
        (WatchStatus.ENDED, EndCause.BENEFIT_ENDED)
    }


def test_the_city_tunes_a_rule_and_bad_settings_are_refused_by_field(staff_factory, regions):
    manager = staff_factory(Role.CITY_MANAGER, "440400000000", username="manager")
    caseworker = staff_factory(Role.CASEWORKER, QIAOGUANG, username="cw")
    rules_in_force()
    medical = Rule.objects.get(code="medical")
    with pytest.raises(ApplicationError) as refused:
        rules.rule_update(actor=manager, rule=medical, data={"threshold": "-1", "window_days": 0, "programmes": []})
    assert set(refused.value.fields) == {"threshold", "window_days", "programmes"}
    medical.refresh_from_db()
    assert medical.threshold == Decimal("0.60")

    rules.rule_update(actor=manager, rule=medical, data={"threshold": "0.5", "min_amount": "3000"})
    medical.refresh_from_db()
    assert medical.threshold == Decimal("0.5") and medical.min_amount == Decimal("3000")
    with pytest.raises(ApplicationError) as forbidden:
        rules.rule_update(actor=caseworker, rule=medical, data={"threshold": "0.7"})
    assert forbidden.value.status == 403


def test_the_nightly_run_is_one_job_a_night_with_its_counts(dibao_family, send, nightly):
    household, _ = dibao_family
    send("population", [record(household.head, "D-1", event="death")])
    job = nightly()
    assert job.kind == "monitoring.nightly" and job.result["raised"]["death"] == 1
    assert job.done == job.total
    again = nightly()
    assert again.result["raised"]["death"] == 0
    assert Job.objects.filter(kind="monitoring.nightly").count() == 2


def test_other_districts_raise_warnings_for_their_own_caseworkers(
    household_factory, policy, staff_factory, send, nightly
):
    far = staff_factory(Role.CASEWORKER, "440403100001", username="far")
    household = household_factory("440403100001", size=2)
    grant(household)
    send("population", [record(household.head, "D-7", event="death")])
    nightly()
    [alert] = alerts("death")
    assert alert.assignee == far and alert.region_id.startswith(OTHER_DISTRICT[:6])
