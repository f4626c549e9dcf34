"""The statutory workflow's guards: role, region, separation of duties, double decisions, deadlines."""

from datetime import timedelta
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from civic import workdays
from civic.errors import ApplicationError
from civic.roles import Role
from relief import selectors
from relief.models import ApplicationEvent, Entitlement, Status
from relief.services import applications as flow
from tests.relief.support import CHECKLIST, QIAOGUANG, pdf


@pytest.fixture
def staff(staff_factory):
    return {
        "caseworker": staff_factory(Role.CASEWORKER, QIAOGUANG, username="cw"),
        "colleague": staff_factory(Role.CASEWORKER, QIAOGUANG, username="cw2"),
        "reviewer": staff_factory(Role.STREET_REVIEWER, "440402005000", username="street"),
        "approver": staff_factory(Role.DISTRICT_APPROVER, "440402", username="district"),
        "other_street": staff_factory(Role.STREET_REVIEWER, "440402001000", username="street2"),
        "other_district": staff_factory(Role.DISTRICT_APPROVER, "440403", username="district2"),
    }


def filed(staff, household, documents=CHECKLIST, **options):
    head = household.head
    spouse = household.members.get(relationship="spouse")
    return flow.application_file(
        actor=staff["caseworker"],
        household=household,
        programme="dibao",
        incomes=[(head, "wages", Decimal("1400")), (spouse, "wages", Decimal("700"))],
        documents=[(kind, pdf(f"{kind}.pdf")) for kind in documents],
        **options,
    )


def investigated(staff, application):
    flow.investigation_start(actor=staff["reviewer"], application=application)
    flow.home_visit_record(
        actor=staff["caseworker"],
        application=application,
        visited_on=timezone.localdate(),
        second_investigator=staff["colleague"],
        findings="住房简陋，无车辆",
    )
    flow.cross_check_record(actor=staff["reviewer"], application=application, source="市核对中心", passed=True)
    return application


def notice_passes(application):
    application.refresh_from_db()
    type(application).objects.filter(pk=application.pk).update(notice_until=timezone.localdate() - timedelta(days=1))
    application.refresh_from_db()


def test_a_dibao_application_from_filing_to_entitlement(staff, household):
    application = investigated(staff, filed(staff, household))
    flow.opinion_give(actor=staff["reviewer"], application=application, opinion="approve", reasons="符合条件")
    assert application.status == Status.NOTICE
    assert application.notice_until == timezone.localdate() + timedelta(days=7)
    notice_passes(application)
    flow.decide(actor=staff["approver"], application=application, approve=True)
    assert application.status == Status.APPROVED and application.amount == Decimal("1640.00")
    entitlement = Entitlement.objects.get(application=application)
    today = timezone.localdate()
    assert entitlement.starts_on == (today.replace(day=1) + timedelta(days=32)).replace(day=1)
    assert entitlement.amount == Decimal("1640.00")
    assert entitlement.review_due > entitlement.starts_on
    actions = list(application.events.values_list("action", flat=True))
    assert actions == [
        "filed",
        "investigation_started",
        "home_visit",
        "cross_check",
        "opinion_given",
        "notice_ended",
        "approved",
    ]


def test_the_workflow_amount_equals_the_quote(staff, household):
    from relief import quoting

    application = investigated(staff, filed(staff, household))
    quote = flow.application_quote(application)
    members = [{"age": m.age_on(timezone.localdate()), "incomes": []} for m in household.members.order_by("pk")]
    members[0]["incomes"] = [{"kind": "wages", "amount": Decimal("1400")}]
    members[1]["incomes"] = [{"kind": "wages", "amount": Decimal("700")}]
    _p, direct = quoting.quote_for(
        programme="dibao",
        region_code=QIAOGUANG,
        area="urban",
        on=timezone.localdate(),
        household=quoting.household_from_data({"members": members}),
    )
    assert quote.amount == direct.amount == Decimal("1640.00")


def test_filing_sets_working_day_deadlines(staff, household):
    application = filed(staff, household)
    today = timezone.localdate()
    assert application.step_due == workdays.add_working_days(today, 3)
    assert application.overall_due == workdays.add_working_days(today, 30)
    assert application.region_id == QIAOGUANG and application.public_notice


def test_wrong_roles_are_refused(staff, household):
    application = filed(staff, household)
    with pytest.raises(ApplicationError) as info:
        flow.investigation_start(actor=staff["caseworker"], application=application)
    assert info.value.status == 403
    investigated(staff, application)
    with pytest.raises(ApplicationError):
        flow.opinion_give(actor=staff["approver"], application=application, opinion="approve", reasons="x")
    flow.opinion_give(actor=staff["reviewer"], application=application, opinion="approve", reasons="符合")
    notice_passes(application)
    with pytest.raises(ApplicationError):
        flow.decide(actor=staff["reviewer"], application=application, approve=True)


def test_another_street_or_district_is_refused(staff, household):
    application = filed(staff, household)
    with pytest.raises(ApplicationError):
        flow.investigation_start(actor=staff["other_street"], application=application)
    investigated(staff, application)
    flow.opinion_give(actor=staff["reviewer"], application=application, opinion="approve", reasons="符合")
    notice_passes(application)
    with pytest.raises(ApplicationError):
        flow.decide(actor=staff["other_district"], application=application, approve=True)
    assert not Entitlement.objects.exists()


def test_whoever_accepted_the_case_may_not_decide_it(staff, household, django_user_model):
    chief = django_user_model.objects.create_superuser("chief", password="Str0ng-pass-word!")
    application = flow.application_file(
        actor=chief, household=household, programme="dibao", documents=[(k, pdf()) for k in CHECKLIST]
    )
    investigated(staff, application)
    flow.opinion_give(actor=staff["reviewer"], application=application, opinion="approve", reasons="符合")
    notice_passes(application)
    with pytest.raises(ApplicationError) as info:
        flow.decide(actor=chief, application=application, approve=True)
    assert info.value.code == "separation_of_duties"


def test_two_decisions_at_once_one_wins_and_the_other_is_told(staff, household, staff_factory):
    second_approver = staff_factory(Role.DISTRICT_APPROVER, "440402", username="district-b")
    application = investigated(staff, filed(staff, household))
    flow.opinion_give(actor=staff["reviewer"], application=application, opinion="approve", reasons="符合")
    notice_passes(application)
    flow.notice_close(application)
    stale = type(application).objects.get(pk=application.pk)  # the second approver's page, loaded at the same time
    flow.decide(actor=staff["approver"], application=application, approve=True)
    with pytest.raises(ApplicationError) as info:
        flow.decide(actor=second_approver, application=stale, approve=False, reasons="不符合")
    assert info.value.code == "conflict" and info.value.status == 409
    application.refresh_from_db()
    assert application.status == Status.APPROVED and Entitlement.objects.count() == 1


def test_an_objection_sends_the_case_back_and_a_new_notice_follows(staff, household):
    application = investigated(staff, filed(staff, household))
    flow.opinion_give(actor=staff["reviewer"], application=application, opinion="approve", reasons="符合")
    flow.objection_record(
        actor=staff["caseworker"], application=application, received_on=timezone.localdate(), content="有人反映其有车辆"
    )
    assert application.status == Status.INVESTIGATING and application.notice_until is None
    flow.opinion_give(actor=staff["reviewer"], application=application, opinion="approve", reasons="复查后仍符合")
    assert application.status == Status.NOTICE
    assert application.objections.count() == 1


def test_the_decision_waits_for_the_notice_period(staff, household):
    application = investigated(staff, filed(staff, household))
    flow.opinion_give(actor=staff["reviewer"], application=application, opinion="approve", reasons="符合")
    with pytest.raises(ApplicationError) as info:
        flow.decide(actor=staff["approver"], application=application, approve=True)
    assert info.value.code == "not_ready"


def test_cases_without_public_notice_go_straight_to_the_district(staff, household):
    application = investigated(staff, filed(staff, household, public_notice=False))
    flow.opinion_give(actor=staff["reviewer"], application=application, opinion="approve", reasons="符合")
    assert application.status == Status.DECIDING and application.notice_from is None


def test_the_opinion_needs_the_visit_and_the_cross_check(staff, household):
    application = filed(staff, household)
    flow.investigation_start(actor=staff["reviewer"], application=application)
    with pytest.raises(ApplicationError) as info:
        flow.opinion_give(actor=staff["reviewer"], application=application, opinion="approve", reasons="符合")
    assert info.value.code == "investigation_incomplete"


def test_a_home_visit_needs_two_different_investigators(staff, household):
    application = filed(staff, household)
    flow.investigation_start(actor=staff["reviewer"], application=application)
    for second in (staff["caseworker"], staff["other_street"]):
        with pytest.raises(ApplicationError) as info:
            flow.home_visit_record(
                actor=staff["caseworker"],
                application=application,
                visited_on=timezone.localdate(),
                second_investigator=second,
                findings="x",
            )
        assert "second_investigator" in info.value.fields


def test_a_refusal_needs_written_reasons(staff, household):
    application = investigated(staff, filed(staff, household, public_notice=False))
    flow.opinion_give(actor=staff["reviewer"], application=application, opinion="refuse", reasons="收入超标")
    with pytest.raises(ApplicationError):
        flow.decide(actor=staff["approver"], application=application, approve=False, reasons=" ")
    flow.decide(actor=staff["approver"], application=application, approve=False, reasons="家庭人均收入高于标准")
    assert application.status == Status.REFUSED and not Entitlement.objects.exists()


def test_dibao_and_edge_exclude_each_other(staff, household):
    filed(staff, household)
    with pytest.raises(ApplicationError) as info:
        flow.application_file(actor=staff["caseworker"], household=household, programme="edge")
    assert info.value.code == "exclusive_programme"


def test_a_late_step_is_listed_as_overdue_for_its_street_and_district_only(staff, household):
    application = filed(staff, household)
    type(application).objects.filter(pk=application.pk).update(step_due=timezone.localdate() - timedelta(days=2))
    for who in ("reviewer", "approver", "caseworker"):
        assert list(selectors.overdue_applications(staff[who])) == [application], who
    for who in ("other_street", "other_district"):
        assert list(selectors.overdue_applications(staff[who])) == [], who
    flow.investigation_start(actor=staff["reviewer"], application=application)
    assert list(selectors.overdue_applications(staff["reviewer"])) == []


def test_notices_close_in_the_daily_job(staff, household):
    application = investigated(staff, filed(staff, household))
    flow.opinion_give(actor=staff["reviewer"], application=application, opinion="approve", reasons="符合")
    assert flow.notices_close_due() == 0
    notice_passes(application)
    assert flow.notices_close_due() == 1
    application.refresh_from_db()
    assert application.status == Status.DECIDING
    assert ApplicationEvent.objects.filter(application=application, action="notice_ended").exists()


def test_the_investigation_waits_for_the_document_checklist(staff, household):
    application = filed(staff, household, documents=("id_proof",))
    with pytest.raises(ApplicationError) as info:
        flow.investigation_start(actor=staff["reviewer"], application=application)
    assert info.value.code == "documents_missing"
    flow.document_add(actor=staff["caseworker"], application=application, kind="commitment", upload=pdf())
    flow.document_add(actor=staff["caseworker"], application=application, kind="declaration", upload=pdf())
    flow.investigation_start(actor=staff["reviewer"], application=application)
    assert application.status == Status.INVESTIGATING


def test_uploads_are_limited_by_type_and_size_and_nothing_is_half_saved(staff, household):
    from relief.models import Application

    with pytest.raises(ApplicationError) as info:
        flow.application_file(
            actor=staff["caseworker"],
            household=household,
            programme="dibao",
            documents=[("id_proof", SimpleUploadedFile("virus.exe", b"MZ"))],
        )
    assert info.value.code == "invalid_file"
    big = SimpleUploadedFile("big.pdf", b"0" * (flow.MAX_UPLOAD_BYTES + 1))
    with pytest.raises(ApplicationError):
        flow.application_file(
            actor=staff["caseworker"], household=household, programme="dibao", documents=[("id_proof", big)]
        )
    assert not Application.objects.exists()


def test_stored_files_carry_no_personal_data_in_their_names(staff, household):
    application = filed(staff, household)
    for document in application.documents.all():
        assert household.head.name not in document.file.name and household.head.id_number not in document.file.name
        assert document.file.name.startswith(f"relief/{application.pk}/")


def test_assets_above_the_limits_make_the_household_ineligible(staff, household):
    application = flow.application_file(
        actor=staff["caseworker"],
        household=household,
        programme="dibao",
        assets=[("vehicle", "小汽车", Decimal("80000"))],
        documents=[(kind, pdf()) for kind in CHECKLIST],
    )
    quote = flow.application_quote(application)
    assert not quote.eligible


def test_tekun_applications_use_the_self_care_assessment(staff, household_factory, policy):
    single = household_factory(QIAOGUANG, size=1)
    application = flow.application_file(
        actor=staff["caseworker"],
        household=single,
        programme="tekun",
        self_care_failures=5,
        care_form="dispersed",
        documents=[(k, pdf()) for k in CHECKLIST],
    )
    quote = flow.application_quote(application)
    assert quote.amount == Decimal("1870.00")  # 1.3 × 1,100 + 40% × 1,100 (fully dependent, at home)


def emergency(staff, household, months):
    return flow.application_file(
        actor=staff["caseworker"], household=household, programme="temp_emergency", aid_months=Decimal(months)
    )


def test_the_street_pays_emergency_aid_first_within_its_limit(staff, household):
    application = emergency(staff, household, 2)  # 2,200 yuan, under the street's 3,000
    assert not application.public_notice
    flow.emergency_pay_first(actor=staff["reviewer"], application=application, reasons="火灾后无处安身")
    assert application.status == Status.APPROVED and application.amount == Decimal("2200.00")
    assert application.paperwork_due == workdays.add_working_days(timezone.localdate(), 5)
    assert not Entitlement.objects.exists()  # one-off aid, not a monthly benefit
    type(application).objects.filter(pk=application.pk).update(paperwork_due=timezone.localdate() - timedelta(days=1))
    assert selectors.paperwork_overdue(staff["approver"]) == [application]
    assert selectors.paperwork_overdue(staff["other_district"]) == []


def test_above_the_street_limit_the_district_decides(staff, household):
    application = emergency(staff, household, 4)  # 4,400 yuan
    with pytest.raises(ApplicationError) as info:
        flow.emergency_pay_first(actor=staff["reviewer"], application=application, reasons="急需")
    assert info.value.code == "above_street_limit"
    application.refresh_from_db()
    assert application.status == Status.ACCEPTED


def test_only_emergency_aid_may_be_paid_first(staff, household):
    with pytest.raises(ApplicationError) as info:
        flow.emergency_pay_first(actor=staff["reviewer"], application=filed(staff, household), reasons="急需")
    assert info.value.code == "not_emergency"


def approved(staff, application):
    investigated(staff, application)
    flow.opinion_give(actor=staff["reviewer"], application=application, opinion="approve", reasons="符合")
    notice_passes(application)
    return flow.decide(actor=staff["approver"], application=application, approve=True)


def test_one_person_cannot_hold_two_exclusive_programmes_even_after_moving(staff, household, household_factory):
    from civic.services import resident_move

    approved(staff, filed(staff, household))
    entitlement = Entitlement.objects.get()
    assert set(entitlement.members.all()) == set(household.members.all())
    # The child marries into another household, which then applies for edge-family support.
    child = household.members.get(relationship="child")
    other = household_factory(QIAOGUANG, size=1)
    resident_move(actor=staff["caseworker"], resident=child, to_household=other, relationship="spouse")
    with pytest.raises(ApplicationError) as info:
        flow.application_file(
            actor=staff["caseworker"], household=other, programme="edge", documents=[(k, pdf()) for k in CHECKLIST]
        )
    assert info.value.code == "exclusive_programme" and child.name in info.value.message


def test_exclusivity_is_checked_again_when_the_district_decides(staff, household, household_factory):
    from civic.services import resident_move

    second = household_factory(QIAOGUANG, size=1)
    pending = flow.application_file(
        actor=staff["caseworker"], household=second, programme="dibao", documents=[(k, pdf()) for k in CHECKLIST]
    )
    approved(staff, filed(staff, household))
    # A covered member joins the household whose application is still open.
    spouse = household.members.get(relationship="spouse")
    resident_move(actor=staff["caseworker"], resident=spouse, to_household=second, relationship="spouse")
    investigated(staff, pending)
    flow.opinion_give(actor=staff["reviewer"], application=pending, opinion="approve", reasons="符合")
    notice_passes(pending)
    with pytest.raises(ApplicationError) as info:
        flow.decide(actor=staff["approver"], application=pending, approve=True)
    assert info.value.code == "exclusive_programme"


def test_an_objection_may_go_to_a_democratic_review_before_the_new_opinion(staff, household):
    application = investigated(staff, filed(staff, household))
    flow.opinion_give(actor=staff["reviewer"], application=application, opinion="approve", reasons="符合")
    flow.objection_record(
        actor=staff["caseworker"],
        application=application,
        received_on=timezone.localdate(),
        content="邻居反映其收入不实",
        resolution="democratic_review",
    )
    with pytest.raises(ApplicationError) as info:
        flow.opinion_give(actor=staff["reviewer"], application=application, opinion="approve", reasons="符合")
    assert info.value.code == "democratic_review_pending"
    with pytest.raises(ApplicationError):
        flow.democratic_review_record(
            actor=staff["caseworker"],
            application=application,
            held_on=timezone.localdate(),
            participants=2,
            supports=True,
            minutes="评议",
        )
    flow.democratic_review_record(
        actor=staff["caseworker"],
        application=application,
        held_on=timezone.localdate(),
        participants=9,
        supports=True,
        minutes="9名代表评议，多数认为符合条件",
    )
    flow.opinion_give(actor=staff["reviewer"], application=application, opinion="approve", reasons="评议后仍符合")
    assert application.status == Status.NOTICE
    assert list(application.events.values_list("action", flat=True))[-3:] == [
        "objection",
        "democratic_review",
        "opinion_given",
    ]


def test_tekun_has_fifteen_working_days_and_the_district_check_rate_is_counted(staff, household_factory, policy):
    single = household_factory(QIAOGUANG, size=1)
    application = flow.application_file(
        actor=staff["caseworker"],
        household=single,
        programme="tekun",
        self_care_failures=2,
        documents=[(k, pdf()) for k in CHECKLIST],
    )
    flow.investigation_start(actor=staff["reviewer"], application=application)
    assert application.step_due == workdays.add_working_days(timezone.localdate(), 15)
    flow.home_visit_record(
        actor=staff["caseworker"],
        application=application,
        visited_on=timezone.localdate(),
        second_investigator=staff["colleague"],
        findings="独居老人",
    )
    flow.cross_check_record(actor=staff["reviewer"], application=application, source="核对中心", passed=True)
    flow.opinion_give(actor=staff["reviewer"], application=application, opinion="approve", reasons="符合特困条件")
    notice_passes(application)
    flow.decide(actor=staff["approver"], application=application, approve=True, checked_in_person=True)
    assert selectors.tekun_check_rate(staff["approver"]) == {
        "year": timezone.localdate().year,
        "decided": 1,
        "checked": 1,
        "share": 1.0,
    }
    assert selectors.tekun_check_rate(staff["other_district"])["decided"] == 0
