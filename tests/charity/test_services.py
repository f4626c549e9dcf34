"""Charity writes: pairings (one organisation with two streets, no double pairing, nothing recorded on an ended
one), project status guards and activities' named beneficiaries, the referral steps' guards, region scoping of
every write, and the report's figures against direct sums."""

from datetime import date, timedelta
from decimal import Decimal

import pytest
from django.db.models import Sum
from django.utils import timezone, translation

from charity import selectors, services
from charity.models import EntryKind, FundEntry, PairingActivity, ProjectActivity, ProjectStatus, ReferralStatus
from civic.errors import ApplicationError
from civic.roles import Role

from .conftest import credit_code

D = Decimal


def test_a_grade_awarded_without_an_end_is_valid_five_years(charity_officer):
    organisation = services.organisation_register(
        actor=charity_officer,
        region_code="440402000000",
        name="评估机构",
        kind="foundation",
        credit_code=credit_code(9),
        grade="5A",
        grade_valid_from=date(2024, 2, 29),
    )
    assert organisation.grade_valid_until == date(2029, 2, 27)


def test_one_organisation_pairs_with_two_streets_but_not_twice_with_one(charity_officer, organisation, regions):
    for street in ("440402005000", "440402004000"):
        services.pairing_create(actor=charity_officer, organisation=organisation, street=regions[street])
    assert organisation.pairings.count() == 2
    with pytest.raises(ApplicationError) as again:
        services.pairing_create(actor=charity_officer, organisation=organisation, street=regions["440402005000"])
    assert again.value.code == "pairing_exists"
    with pytest.raises(ApplicationError) as community:
        services.pairing_create(actor=charity_officer, organisation=organisation, street=regions["440402005001"])
    assert "target" in community.value.fields


def test_an_ended_pairing_takes_no_more_activities(charity_officer, street_pairing):
    services.pairing_activity_record(actor=charity_officer, pairing=street_pairing, description="走访", beneficiaries=5)
    services.pairing_end(actor=charity_officer, pairing=street_pairing)
    with pytest.raises(ApplicationError) as refused:
        services.pairing_activity_record(actor=charity_officer, pairing=street_pairing, description="再走访")
    assert "pairing" in refused.value.fields
    assert PairingActivity.objects.filter(pairing=street_pairing).count() == 1


def test_a_donor_pairs_with_a_household_of_the_area(charity_officer, family):
    pairing = services.pairing_create(actor=charity_officer, donor_name="爱心人士", household=family)
    assert pairing.region_id == family.region_id and pairing.helper_name == "爱心人士"
    activity = services.pairing_activity_record(
        actor=charity_officer, pairing=pairing, description="生活费", value="300"
    )
    assert activity.household == family and activity.beneficiaries == 1


def test_project_status_moves_only_forward(charity_officer, project):
    services.project_move(actor=charity_officer, project=project, status=ProjectStatus.COMPLETED)
    with pytest.raises(ApplicationError) as refused:
        services.project_move(actor=charity_officer, project=project, status=ProjectStatus.RUNNING)
    assert refused.value.code == "invalid_status"
    with pytest.raises(ApplicationError) as closed:
        services.activity_record(actor=charity_officer, project=project, place="社区", beneficiaries=3)
    assert "project" in closed.value.fields


def test_named_beneficiaries_never_exceed_the_count_nor_leave_the_area(
    charity_officer, project, family, household_factory
):
    members = list(family.members.all())
    with pytest.raises(ApplicationError) as too_many:
        services.activity_record(
            actor=charity_officer, project=project, place="社区", beneficiaries=2, residents=members
        )
    assert "residents" in too_many.value.fields
    elsewhere = household_factory("440403100001", size=1)
    with pytest.raises(ApplicationError) as outside:
        services.activity_record(
            actor=charity_officer,
            project=project,
            place="社区",
            beneficiaries=5,
            residents=list(elsewhere.members.all()),
        )
    assert "residents" in outside.value.fields
    assert not ProjectActivity.objects.exists()


def test_referral_steps_are_guarded(caseworker, charity_officer, family, fund):
    referral = services.referral_create(
        actor=caseworker, household=family, reason="judgement", need="医疗费用", channel="fund", fund=fund
    )
    with pytest.raises(ApplicationError) as twice:
        services.referral_create(
            actor=caseworker, household=family, reason="judgement", need="再次", channel="fund", fund=fund
        )
    assert twice.value.code == "referral_open"
    with pytest.raises(ApplicationError) as by_caseworker:
        services.referral_accept(actor=caseworker, referral=referral)
    assert by_caseworker.value.status == 403
    with pytest.raises(ApplicationError) as no_reason:
        services.referral_decline(actor=charity_officer, referral=referral, reason=" ")
    assert "reason" in no_reason.value.fields
    services.referral_decline(actor=charity_officer, referral=referral, reason="不符合基金资助范围")
    referral.refresh_from_db()
    assert referral.status == ReferralStatus.DECLINED and referral.outcome == "不符合基金资助范围"
    with pytest.raises(ApplicationError) as after:
        services.referral_help(actor=charity_officer, referral=referral, description="x", value="10")
    assert after.value.code == "invalid_status"
    # Declined: the family may be referred there again.
    again = services.referral_create(
        actor=caseworker, household=family, reason="judgement", need="再次申请", channel="fund", fund=fund
    )
    services.referral_close(actor=charity_officer, referral=again, reason="家庭已搬离")
    again.refresh_from_db()
    assert again.status == ReferralStatus.CLOSED


def test_help_larger_than_the_fund_is_refused_and_the_referral_stays_open(caseworker, charity_officer, family, fund):
    referral = services.referral_create(
        actor=caseworker, household=family, reason="judgement", need="x", channel="fund", fund=fund
    )
    with pytest.raises(ApplicationError) as refused:
        services.referral_help(actor=charity_officer, referral=referral, description="资助", value="9000")
    assert refused.value.code == "insufficient_funds"
    referral.refresh_from_db()
    assert referral.status == ReferralStatus.REFERRED and not referral.grants.exists()


def test_partly_covered_needs_an_approved_application(caseworker, family, refused_application, fund):
    with translation.override("en"), pytest.raises(ApplicationError) as refused:
        services.referral_create(
            actor=caseworker,
            household=family,
            reason="partly_covered",
            application=refused_application,
            need="x",
            channel="fund",
            fund=fund,
        )
    assert "approved" in refused.value.fields["application"][0]


def test_writes_outside_ones_area_are_not_found(staff_factory, caseworker, family, fund, project, street_pairing):
    other_caseworker = staff_factory(Role.CASEWORKER, "440402001001")
    other_officer = staff_factory(Role.CHARITY_OFFICER, "440403")
    with pytest.raises(ApplicationError) as refer:
        services.referral_create(
            actor=other_caseworker, household=family, reason="judgement", need="x", channel="fund", fund=fund
        )
    assert refer.value.status == 404
    referral = services.referral_create(
        actor=caseworker, household=family, reason="judgement", need="x", channel="fund", fund=fund
    )
    for step in (
        lambda: services.referral_accept(actor=other_officer, referral=referral),
        lambda: services.grant_make(actor=other_officer, fund=fund, recipient="x", amount="1"),
        lambda: services.activity_record(actor=other_officer, project=project, place="x", beneficiaries=1),
        lambda: services.pairing_end(actor=other_officer, pairing=street_pairing),
    ):
        with pytest.raises(ApplicationError) as refused:
            step()
        assert refused.value.status == 404
    assert not selectors.referrals_for(other_officer).exists()
    assert not selectors.projects_for(other_officer).exists()
    assert selectors.referrals_for(caseworker).get() == referral


def test_a_city_fund_is_helped_from_by_the_citys_officers_only(staff_factory, caseworker, charity_officer, family):
    manager = staff_factory(Role.CITY_MANAGER, "440400", username="city-charity")
    city = services.organisation_register(
        actor=manager,
        region_code="440400000000",
        name="市慈善总会",
        kind="foundation",
        credit_code=credit_code(7, "440400"),
    )
    fund = services.fund_open(actor=manager, organisation=city, name="救助基金")
    services.donation_record(actor=manager, fund=fund, donor="企业", amount="1000")
    referral = services.referral_create(
        actor=caseworker, household=family, reason="judgement", need="x", channel="fund", fund=fund
    )
    with pytest.raises(ApplicationError) as district:
        services.referral_help(actor=charity_officer, referral=referral, description="资助", value="100")
    assert district.value.status == 403
    services.referral_help(actor=manager, referral=referral, description="资助", value="100")
    referral.refresh_from_db()
    assert referral.status == ReferralStatus.HELPED


def test_the_report_adds_up_to_direct_sums(
    staff_factory, charity_officer, caseworker, family, fund, project, street_pairing, regions
):
    services.grant_make(actor=charity_officer, fund=fund, project=project, amount="1000")
    services.activity_record(
        actor=charity_officer,
        project=project,
        place="社工站",
        beneficiaries=12,
        spent="600",
        residents=list(family.members.all()),
    )
    services.pairing_activity_record(
        actor=charity_officer, pairing=street_pairing, description="慰问", beneficiaries=8, value="400"
    )
    referral = services.referral_create(
        actor=caseworker, household=family, reason="judgement", need="x", channel="fund", fund=fund
    )
    services.referral_help(actor=charity_officer, referral=referral, description="资助", value="250")
    today = timezone.localdate()
    figures = selectors.report(charity_officer, start=today - timedelta(days=365), end=today)
    assert figures["region"].code == "440402000000"
    gongbei = [row for row in figures["rows"] if row["region"].code == "440402005000"]
    by_category = {row["category"]: row for row in gongbei}
    assert by_category["student_aid"]["granted"] == D("1000") and by_category["student_aid"]["beneficiaries"] == 12
    assert by_category["pairing"]["activities"] == 1 and by_category["pairing"]["spent"] == D("400")
    assert by_category["household"]["granted"] == D("250")
    total = figures["total"]
    assert total["raised"] == FundEntry.objects.filter(kind=EntryKind.DONATION).aggregate(s=Sum("amount"))["s"]
    assert total["granted"] == FundEntry.objects.filter(kind=EntryKind.GRANT).aggregate(s=Sum("amount"))["s"]
    assert total["beneficiaries"] == 12 + 8
    # Drilled down to the street: broken down by community; the donation made at district level is not in it.
    street = selectors.report(charity_officer, region=regions["440402005000"], start=today - timedelta(days=365))
    assert street["total"]["raised"] == 0 and street["total"]["granted"] == D("1250")
    # Another district's officer asking for this street gets their own district, with nothing in it.
    other = selectors.report(staff_factory(Role.CHARITY_OFFICER, "440403"), region=regions["440402005000"])
    assert other["region"].code == "440403000000" and other["total"]["granted"] == 0
