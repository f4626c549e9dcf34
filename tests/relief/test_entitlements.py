"""Dynamic management of entitlements (动态管理): reviews, suspension, ending, gradual exit, a death bringing the
review forward, the lists and the pages. Entitlements are made by walking an application through the workflow."""

from datetime import date, timedelta
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone

from civic.errors import ApplicationError
from civic.models import FieldChange, Resident
from civic.roles import Role
from civic.services import resident_record_death
from relief import selectors, tasks
from relief.models import (
    Entitlement,
    EntitlementAction,
    EntitlementEvent,
    EntitlementStatus,
    ReviewClass,
)
from relief.services import applications as flow
from relief.services import entitlements as manage
from tests.relief.support import CHECKLIST, QIAOGUANG, pdf

# --- fixtures, as in test_workflow.py ------------------------------------------------------------------------------


@pytest.fixture
def staff(staff_factory):
    return {
        "caseworker": staff_factory(Role.CASEWORKER, QIAOGUANG, username="cw"),
        "colleague": staff_factory(Role.CASEWORKER, QIAOGUANG, username="cw2"),
        "elsewhere": staff_factory(Role.CASEWORKER, "440402001001", username="cw-kangning"),
        "reviewer": staff_factory(Role.STREET_REVIEWER, "440402005000", username="street"),
        "approver": staff_factory(Role.DISTRICT_APPROVER, "440402", username="district"),
        "other_street": staff_factory(Role.STREET_REVIEWER, "440402001000", username="street2"),
        "other_district": staff_factory(Role.DISTRICT_APPROVER, "440403", username="district2"),
    }


def filed(staff, household):
    head = household.head
    spouse = household.members.get(relationship="spouse")
    return flow.application_file(
        actor=staff["caseworker"],
        household=household,
        programme="dibao",
        incomes=[(head, "wages", Decimal("1400")), (spouse, "wages", Decimal("700"))],
        documents=[(kind, pdf(f"{kind}.pdf")) for kind in CHECKLIST],
        public_notice=False,
    )


def granted(staff, household):
    """File, investigate, give the opinion and approve: the entitlement the decision creates."""
    application = filed(staff, household)
    flow.investigation_start(actor=staff["reviewer"], application=application)
    flow.home_visit_record(
        actor=staff["caseworker"],
        application=application,
        visited_on=timezone.localdate(),
        second_investigator=staff["colleague"],
        findings="住房简陋，无车辆",
    )
    flow.cross_check_record(actor=staff["reviewer"], application=application, source="市核对中心", passed=True)
    flow.opinion_give(actor=staff["reviewer"], application=application, opinion="approve", reasons="符合条件")
    flow.decide(actor=staff["approver"], application=application, approve=True)
    return Entitlement.objects.get(application=application)


@pytest.fixture
def entitlement(staff, household):
    return granted(staff, household)


def refused(call, **kwargs):
    with pytest.raises(ApplicationError) as info:
        call(**kwargs)
    return info.value


def first_of_next_month(day):
    return (day.replace(day=1) + timedelta(days=32)).replace(day=1)


# --- suspend, resume, end ------------------------------------------------------------------------------------------


def test_a_reviewer_suspends_and_resumes_with_reasons_and_events(staff, entitlement):
    manage.entitlement_suspend(actor=staff["reviewer"], entitlement=entitlement, reason="联系不上家庭，暂停发放")
    assert entitlement.status == EntitlementStatus.SUSPENDED
    manage.entitlement_resume(actor=staff["reviewer"], entitlement=entitlement, reason="已联系上，恢复发放")
    entitlement.refresh_from_db()
    assert entitlement.status == EntitlementStatus.ACTIVE
    events = list(entitlement.events.values_list("action", "old_status", "new_status", "reason", "actor"))
    assert events == [
        ("suspended", "active", "suspended", "联系不上家庭，暂停发放", staff["reviewer"].pk),
        ("resumed", "suspended", "active", "已联系上，恢复发放", staff["reviewer"].pk),
    ]


@pytest.mark.parametrize("call", [manage.entitlement_suspend, manage.entitlement_end])
def test_wrong_roles_and_other_regions_are_refused(staff, entitlement, call):
    allowed = "reviewer" if call is manage.entitlement_suspend else "approver"
    wrong = ["caseworker", "other_street", "other_district", "approver" if allowed == "reviewer" else "reviewer"]
    for who in wrong:
        error = refused(call, actor=staff[who], entitlement=entitlement, reason="理由")
        assert (error.code, error.status) == ("forbidden", 403), who
    entitlement.refresh_from_db()
    assert entitlement.status == EntitlementStatus.ACTIVE and not entitlement.events.exists()


def test_resume_needs_the_street_of_the_household(staff, entitlement):
    manage.entitlement_suspend(actor=staff["reviewer"], entitlement=entitlement, reason="暂停")
    for who in ("caseworker", "other_street", "approver"):
        assert refused(manage.entitlement_resume, actor=staff[who], entitlement=entitlement, reason="x").status == 403


@pytest.mark.parametrize("reason", ["", "   ", None])
def test_an_empty_reason_is_refused_naming_the_field(staff, entitlement, reason):
    for call, who in (
        (manage.entitlement_suspend, "reviewer"),
        (manage.entitlement_end, "approver"),
        (manage.gradual_exit_start, "reviewer"),
    ):
        error = refused(call, actor=staff[who], entitlement=entitlement, reason=reason)
        assert "reason" in error.fields, call
    error = refused(
        manage.review_record, actor=staff["reviewer"], entitlement=entitlement, outcome="continue", reason=reason
    )
    assert "reason" in error.fields
    assert not EntitlementEvent.objects.exists()


def test_two_suspensions_at_once_one_wins_and_the_other_is_told(staff, entitlement, staff_factory):
    second = staff_factory(Role.STREET_REVIEWER, "440402005000", username="street-b")
    stale = Entitlement.objects.get(pk=entitlement.pk)  # the second reviewer's page, loaded at the same time
    manage.entitlement_suspend(actor=staff["reviewer"], entitlement=entitlement, reason="第一次")
    error = refused(manage.entitlement_suspend, actor=second, entitlement=stale, reason="第二次")
    assert (error.code, error.status) == ("conflict", 409)
    # Reloaded, the page no longer offers it: the status says why.
    error = refused(
        manage.entitlement_suspend, actor=second, entitlement=Entitlement.objects.get(pk=entitlement.pk), reason="x"
    )
    assert (error.code, error.status) == ("wrong_status", 409)
    assert entitlement.events.count() == 1


def test_the_district_ends_the_benefit_at_the_end_of_the_month_and_not_twice(staff, entitlement):
    stale = Entitlement.objects.get(pk=entitlement.pk)
    manage.entitlement_end(actor=staff["approver"], entitlement=entitlement, reason="家庭收入已超过低保标准")
    today = timezone.localdate()
    assert entitlement.status == EntitlementStatus.ENDED
    assert entitlement.ends_on == first_of_next_month(today) - timedelta(days=1)
    assert entitlement.ended_reason == "家庭收入已超过低保标准"
    error = refused(manage.entitlement_end, actor=staff["approver"], entitlement=entitlement, reason="再次")
    assert error.status == 409 and error.code == "wrong_status"
    error = refused(manage.entitlement_end, actor=staff["approver"], entitlement=stale, reason="同时")
    assert error.code == "conflict" and error.status == 409
    assert list(entitlement.events.values_list("action", flat=True)) == ["ended"]


def test_a_suspended_benefit_may_be_ended(staff, entitlement):
    manage.entitlement_suspend(actor=staff["reviewer"], entitlement=entitlement, reason="暂停核查")
    manage.entitlement_end(actor=staff["approver"], entitlement=entitlement, reason="核查发现隐瞒收入")
    event = entitlement.events.get(action="ended")
    assert (event.old_status, event.new_status) == ("suspended", "ended")


# --- reviews -------------------------------------------------------------------------------------------------------


def test_a_review_changing_the_amount_keeps_the_old_and_new_amounts(staff, entitlement):
    assert entitlement.amount == Decimal("1640.00")
    manage.review_record(
        actor=staff["reviewer"],
        entitlement=entitlement,
        outcome="change_amount",
        reason="配偶收入增加，补差减少",
        new_amount=Decimal("1200"),
    )
    entitlement.refresh_from_db()
    assert entitlement.amount == Decimal("1200.00")
    event = entitlement.events.get()
    assert event.action == EntitlementAction.AMOUNT_CHANGED and event.at_review
    assert (event.old_amount, event.new_amount) == (Decimal("1640.00"), Decimal("1200.00"))
    assert event.reason == "配偶收入增加，补差减少" and event.new_status == "active"


@pytest.mark.parametrize(
    ("new_amount", "field"), [(None, "new_amount"), (Decimal("-1"), "new_amount"), (Decimal("1640"), "new_amount")]
)
def test_a_change_of_amount_needs_a_new_non_negative_amount(staff, entitlement, new_amount, field):
    error = refused(
        manage.review_record,
        actor=staff["reviewer"],
        entitlement=entitlement,
        outcome="change_amount",
        reason="复核",
        new_amount=new_amount,
    )
    assert field in error.fields
    entitlement.refresh_from_db()
    assert entitlement.amount == Decimal("1640.00")


@pytest.mark.parametrize(("review_class", "months"), [(ReviewClass.YEARLY, 12), (ReviewClass.SIX_MONTHLY, 6)])
def test_the_next_review_follows_the_review_class_from_the_first_of_next_month(
    staff, entitlement, review_class, months
):
    Entitlement.objects.filter(pk=entitlement.pk).update(review_class=review_class)
    entitlement.refresh_from_db()
    manage.review_record(actor=staff["reviewer"], entitlement=entitlement, outcome="continue", reason="情况未变")
    start = first_of_next_month(timezone.localdate())
    year, month = divmod(start.month - 1 + months, 12)
    assert entitlement.review_due == date(start.year + year, month + 1, 1)
    assert entitlement.events.get().action == EntitlementAction.REVIEWED


def test_a_review_may_change_the_review_class(staff, entitlement):
    assert entitlement.review_class == ReviewClass.YEARLY
    manage.review_record(
        actor=staff["reviewer"],
        entitlement=entitlement,
        outcome="continue",
        reason="家中有劳动年龄成员，收入不稳定",
        review_class=ReviewClass.SIX_MONTHLY,
    )
    assert entitlement.review_class == ReviewClass.SIX_MONTHLY
    assert entitlement.review_due == manage.add_months(first_of_next_month(timezone.localdate()), 6)


def test_review_outcomes_suspend_and_end_and_who_may_record_them(staff, entitlement):
    for who in ("caseworker", "other_street", "approver"):
        error = refused(manage.review_record, actor=staff[who], entitlement=entitlement, outcome="continue", reason="x")
        assert error.status == 403, who
    error = refused(manage.review_record, actor=staff["reviewer"], entitlement=entitlement, outcome="end", reason="x")
    assert error.status == 403  # ending is the district's decision
    error = refused(manage.review_record, actor=staff["reviewer"], entitlement=entitlement, outcome="bogus", reason="x")
    assert "outcome" in error.fields
    manage.review_record(actor=staff["reviewer"], entitlement=entitlement, outcome="suspend", reason="需入户核查")
    assert entitlement.status == EntitlementStatus.SUSPENDED
    error = refused(
        manage.review_record, actor=staff["other_district"], entitlement=entitlement, outcome="end", reason="x"
    )
    assert error.status == 403
    manage.review_record(actor=staff["approver"], entitlement=entitlement, outcome="end", reason="收入超过标准")
    assert entitlement.status == EntitlementStatus.ENDED and entitlement.ended_reason == "收入超过标准"
    assert list(entitlement.events.values_list("action", "at_review")) == [("suspended", True), ("ended", True)]
    error = refused(
        manage.review_record, actor=staff["reviewer"], entitlement=entitlement, outcome="continue", reason="x"
    )
    assert error.code == "wrong_status"


def test_two_reviews_at_once_the_second_is_told_the_benefit_changed(staff, entitlement):
    stale = Entitlement.objects.get(pk=entitlement.pk)  # the second reviewer's page, loaded before the first review
    manage.review_record(
        actor=staff["reviewer"],
        entitlement=entitlement,
        outcome="change_amount",
        reason="收入增加",
        new_amount=Decimal("900"),
    )
    error = refused(manage.review_record, actor=staff["reviewer"], entitlement=stale, outcome="continue", reason="未变")
    assert (error.code, error.status) == ("conflict", 409)
    entitlement.refresh_from_db()
    assert entitlement.amount == Decimal("900.00") and entitlement.events.count() == 1


# --- gradual exit --------------------------------------------------------------------------------------------------


def test_a_gradual_exit_pays_on_for_the_months_chosen_then_the_daily_job_ends_it(staff, entitlement):
    today = timezone.localdate()
    manage.gradual_exit_start(
        actor=staff["reviewer"], entitlement=entitlement, months=3, reason="户主就业，人均收入为标准的1.2倍"
    )
    last_month = manage.add_months(first_of_next_month(today), 2)
    assert entitlement.gradual_exit_until == first_of_next_month(last_month) - timedelta(days=1)
    assert entitlement.ends_on == entitlement.gradual_exit_until
    assert entitlement.status == EntitlementStatus.ACTIVE
    assert entitlement.events.get().action == EntitlementAction.GRADUAL_EXIT

    assert manage.gradual_exits_end_due(today=entitlement.gradual_exit_until) == 0  # the last day is still paid
    day_after = entitlement.gradual_exit_until + timedelta(days=1)
    assert manage.gradual_exits_end_due(today=day_after) == 1
    assert manage.gradual_exits_end_due(today=day_after) == 0
    entitlement.refresh_from_db()
    assert entitlement.status == EntitlementStatus.ENDED and entitlement.ended_reason
    assert entitlement.ends_on == entitlement.gradual_exit_until
    ended = entitlement.events.get(action="ended")
    assert (ended.old_status, ended.new_status, ended.actor, ended.actor_label) == ("active", "ended", None, "system")


def test_the_beat_task_ends_passed_gradual_exits_and_is_idempotent(staff, household, household_factory):
    from civic.celery import app as celery_app

    entitlement = granted(staff, household)
    manage.gradual_exit_start(actor=staff["reviewer"], entitlement=entitlement, reason="就业增收")
    Entitlement.objects.filter(pk=entitlement.pk).update(gradual_exit_until=timezone.localdate() - timedelta(days=1))
    assert tasks.end_finished_gradual_exits.delay().get() == 1
    assert tasks.end_finished_gradual_exits.delay().get() == 0
    entitlement.refresh_from_db()
    assert entitlement.status == EntitlementStatus.ENDED
    assert entitlement.events.filter(action="ended").count() == 1
    entries = [e for e in celery_app.conf.beat_schedule.values() if e["task"] == tasks.end_finished_gradual_exits.name]
    assert len(entries) == 1


def test_the_gradual_exit_guards(staff, entitlement):
    for months in (0, 13, "x"):
        error = refused(
            manage.gradual_exit_start, actor=staff["reviewer"], entitlement=entitlement, months=months, reason="就业"
        )
        assert "months" in error.fields
    for who in ("caseworker", "other_street", "approver"):
        error = refused(manage.gradual_exit_start, actor=staff[who], entitlement=entitlement, reason="就业")
        assert error.status == 403, who
    stale = Entitlement.objects.get(pk=entitlement.pk)
    manage.gradual_exit_start(actor=staff["reviewer"], entitlement=entitlement, reason="就业", months=12)
    assert (
        refused(manage.gradual_exit_start, actor=staff["reviewer"], entitlement=entitlement, reason="再次").status
        == 409
    )
    assert (
        refused(manage.gradual_exit_start, actor=staff["reviewer"], entitlement=stale, reason="同时").code == "conflict"
    )
    assert entitlement.events.count() == 1


# --- a death brings the review forward -----------------------------------------------------------------------------


def test_a_death_brings_the_review_forward_to_within_three_months(
    staff, entitlement, django_capture_on_commit_callbacks
):
    spouse = entitlement.household.members.get(relationship="spouse")
    died_on = timezone.localdate() - timedelta(days=3)
    assert entitlement.review_due > manage.add_months(died_on, 3)
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        resident_record_death(actor=staff["caseworker"], resident=spouse, died_on=died_on)
    assert len(callbacks) == 1
    entitlement.refresh_from_db()
    assert entitlement.review_due == manage.add_months(died_on, 3)
    event = entitlement.events.get()
    assert event.action == EntitlementAction.REVIEW_DUE_BROUGHT_FORWARD and spouse.name in event.reason
    assert Resident.objects.get(pk=spouse.pk).died_on == died_on
    history = FieldChange.objects.get(object_id=spouse.pk, field="died_on")
    assert (history.before, history.after, history.actor) == ("", died_on.isoformat(), staff["caseworker"])
    # Told again (a retried callback), nothing changes.
    manage.review_due_for_death(spouse, died_on)
    assert entitlement.events.count() == 1


def test_the_review_waits_for_the_commit_of_the_death(staff, entitlement, django_capture_on_commit_callbacks):
    spouse = entitlement.household.members.get(relationship="spouse")
    before = entitlement.review_due
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        resident_record_death(actor=staff["caseworker"], resident=spouse, died_on=timezone.localdate())
    entitlement.refresh_from_db()
    assert entitlement.review_due == before and len(callbacks) == 1


def test_a_review_already_sooner_is_left_alone(staff, entitlement, django_capture_on_commit_callbacks):
    soon = timezone.localdate() + timedelta(days=10)
    Entitlement.objects.filter(pk=entitlement.pk).update(review_due=soon)
    with django_capture_on_commit_callbacks(execute=True):
        resident_record_death(
            actor=staff["reviewer"], resident=entitlement.household.head, died_on=timezone.localdate()
        )
    entitlement.refresh_from_db()
    assert entitlement.review_due == soon and not entitlement.events.exists()


def test_recording_a_death_is_guarded(staff, entitlement, django_capture_on_commit_callbacks):
    head = entitlement.household.head
    today = timezone.localdate()
    for who in ("elsewhere", "other_street", "approver"):  # other community, other street, no registry.edit
        error = refused(resident_record_death, actor=staff[who], resident=head, died_on=today)
        assert error.status == 403, who
    error = refused(resident_record_death, actor=staff["caseworker"], resident=head, died_on=today + timedelta(days=1))
    assert "died_on" in error.fields
    error = refused(resident_record_death, actor=staff["caseworker"], resident=head, died_on=date(1900, 1, 1))
    assert "died_on" in error.fields
    with django_capture_on_commit_callbacks(execute=True):
        resident_record_death(actor=staff["caseworker"], resident=head, died_on=today)
    error = refused(resident_record_death, actor=staff["caseworker"], resident=head, died_on=today)
    assert error.status == 409
    assert FieldChange.objects.filter(object_id=head.pk, field="died_on").count() == 1


# --- lists ---------------------------------------------------------------------------------------------------------


def test_reviews_due_within_thirty_days_for_the_street_and_district_only(staff, entitlement):
    today = timezone.localdate()
    for days, listed in ((-5, True), (0, True), (30, True), (31, False), (200, False)):
        Entitlement.objects.filter(pk=entitlement.pk).update(review_due=today + timedelta(days=days))
        for who in ("reviewer", "approver", "caseworker"):
            assert (list(selectors.reviews_due(staff[who])) == [entitlement]) is listed, (days, who)
        for who in ("other_street", "other_district", "elsewhere"):
            assert list(selectors.reviews_due(staff[who])) == [], (days, who)
    Entitlement.objects.filter(pk=entitlement.pk).update(review_due=today, status=EntitlementStatus.ENDED)
    assert list(selectors.reviews_due(staff["reviewer"])) == []
    assert list(selectors.entitlements_for(staff["reviewer"])) == [entitlement]
    assert list(selectors.entitlements_for(staff["other_street"])) == []


def test_gradual_exits_ending_are_listed_thirty_days_ahead(staff, entitlement):
    today = timezone.localdate()
    manage.gradual_exit_start(actor=staff["reviewer"], entitlement=entitlement, reason="就业增收")
    for days, listed in ((-1, False), (0, True), (20, True), (30, True), (31, False)):
        Entitlement.objects.filter(pk=entitlement.pk).update(gradual_exit_until=today + timedelta(days=days))
        for who in ("reviewer", "approver"):
            assert (list(selectors.gradual_exits_ending(staff[who])) == [entitlement]) is listed, (days, who)
        for who in ("other_street", "other_district"):
            assert list(selectors.gradual_exits_ending(staff[who])) == [], (days, who)


# --- pages ---------------------------------------------------------------------------------------------------------


def act(entitlement, name):
    return reverse("relief:entitlement-act", args=[entitlement.pk, name])


def test_a_reviewer_suspends_and_resumes_through_the_page(client, staff, entitlement):
    client.force_login(staff["reviewer"])
    detail = reverse("relief:entitlement-detail", args=[entitlement.pk])
    page = client.get(detail).content.decode()
    assert 'data-testid="action-suspend"' in page and 'data-testid="action-end"' not in page
    assert client.post(act(entitlement, "suspend"), {"suspend-reason": "家庭外出务工，暂停"}).status_code == 302
    entitlement.refresh_from_db()
    assert entitlement.status == EntitlementStatus.SUSPENDED
    page = client.get(detail).content.decode()
    assert 'data-testid="action-resume"' in page and "家庭外出务工，暂停" in page
    assert client.post(act(entitlement, "resume"), {"resume-reason": "已返回，恢复"}).status_code == 302
    entitlement.refresh_from_db()
    assert entitlement.status == EntitlementStatus.ACTIVE


def test_an_empty_reason_is_shown_next_to_the_field(client, staff, entitlement):
    client.force_login(staff["reviewer"])
    response = client.post(act(entitlement, "suspend"), {"suspend-reason": ""})
    assert response.status_code == 400
    assert response.context["actions"]["suspend"].errors["reason"]
    response = client.post(
        act(entitlement, "review"),
        {"review-outcome": "change_amount", "review-review_class": "yearly", "review-reason": "收入变化"},
    )
    assert response.status_code == 400 and response.context["actions"]["review"].errors["new_amount"]
    entitlement.refresh_from_db()
    assert entitlement.status == EntitlementStatus.ACTIVE and not entitlement.events.exists()


def test_a_review_through_the_page_shows_old_and_new_amounts(client, staff, entitlement):
    client.force_login(staff["reviewer"])
    data = {
        "review-outcome": "change_amount",
        "review-new_amount": "1500",
        "review-review_class": "six_monthly",
        "review-reason": "子女入学，补差调整",
    }
    assert client.post(act(entitlement, "review"), data).status_code == 302
    page = client.get(reverse("relief:entitlement-detail", args=[entitlement.pk])).content.decode()
    assert "1640.00 → 1500.00" in page and "子女入学，补差调整" in page


def test_the_district_ends_through_the_page_and_the_street_may_not(client, staff, entitlement):
    client.force_login(staff["reviewer"])
    assert client.post(act(entitlement, "end"), {"end-reason": "x"}).status_code == 403
    client.force_login(staff["approver"])
    assert client.post(act(entitlement, "end"), {"end-reason": "收入超过标准"}).status_code == 302
    entitlement.refresh_from_db()
    assert entitlement.status == EntitlementStatus.ENDED
    response = client.post(act(entitlement, "end"), {"end-reason": "再次"})
    assert response.status_code == 409 and response.context["actions"]["end"].non_field_errors()


def test_another_street_gets_404(client, staff, entitlement):
    client.force_login(staff["other_street"])
    assert client.get(reverse("relief:entitlement-detail", args=[entitlement.pk])).status_code == 404
    assert client.post(act(entitlement, "suspend"), {"suspend-reason": "x"}).status_code == 404
    entitlement.refresh_from_db()
    assert entitlement.status == EntitlementStatus.ACTIVE


def test_the_lists_show_what_is_due_scoped_with_empty_states(client, staff, entitlement, django_assert_max_num_queries):
    today = timezone.localdate()
    Entitlement.objects.filter(pk=entitlement.pk).update(review_due=today + timedelta(days=5))
    manage.gradual_exit_start(actor=staff["reviewer"], entitlement=entitlement, reason="就业增收")
    Entitlement.objects.filter(pk=entitlement.pk).update(gradual_exit_until=today + timedelta(days=12))
    detail = reverse("relief:entitlement-detail", args=[entitlement.pk])
    client.force_login(staff["reviewer"])
    for name in ("relief:reviews-due", "relief:gradual-exits"):
        with django_assert_max_num_queries(12):
            page = client.get(reverse(name)).content.decode()
        assert detail in page, name
    client.force_login(staff["other_street"])
    for name in ("relief:reviews-due", "relief:gradual-exits"):
        page = client.get(reverse(name)).content.decode()
        assert detail not in page and 'class="empty"' in page, name
    client.force_login(staff["reviewer"])
    nav = client.get(reverse("relief:application-list")).content.decode()
    assert reverse("relief:reviews-due") in nav


def test_the_household_panel_links_the_entitlement(client, staff, entitlement):
    client.force_login(staff["caseworker"])
    page = client.get(reverse("registry:household-detail", args=[entitlement.household_id])).content.decode()
    assert reverse("relief:entitlement-detail", args=[entitlement.pk]) in page


def test_recording_a_death_on_the_resident_page(client, staff, entitlement, django_capture_on_commit_callbacks):
    spouse = entitlement.household.members.get(relationship="spouse")
    url = reverse("registry:resident-death", args=[spouse.pk])
    client.force_login(staff["caseworker"])
    page = client.get(reverse("registry:resident-detail", args=[spouse.pk])).content.decode()
    assert 'data-testid="death-form"' in page
    tomorrow = timezone.localdate() + timedelta(days=1)
    response = client.post(url, {"died_on": tomorrow.isoformat()})
    assert response.status_code == 400 and response.context["death_form"].errors["died_on"]
    died_on = timezone.localdate() - timedelta(days=1)
    with django_capture_on_commit_callbacks(execute=True):
        assert client.post(url, {"died_on": died_on.isoformat()}).status_code == 302
    entitlement.refresh_from_db()
    assert entitlement.review_due == manage.add_months(died_on, 3)
    page = client.get(reverse("registry:resident-detail", args=[spouse.pk])).content.decode()
    assert 'data-testid="died-on"' in page and 'data-testid="death-form"' not in page
    client.force_login(staff["approver"])  # no registry.edit
    assert client.post(url, {"died_on": died_on.isoformat()}).status_code == 403
