"""The referral lifecycle: a family relief refused is referred to a fund, a project or a pairing, answered by the
district's charity officer and followed to an outcome recorded through the channel itself."""

from decimal import Decimal

import pytest
from django.utils import translation

from charity import selectors, services
from charity.models import EntryKind, FundEntry, ReferralStatus
from civic.errors import ApplicationError

D = Decimal


def test_a_refused_family_referred_to_a_fund_is_helped_by_a_grant_to_the_household(
    caseworker, charity_officer, family, refused_application, fund
):
    referral = services.referral_create(
        actor=caseworker,
        household=family,
        reason="refused",
        application=refused_application,
        need="孩子上学费用困难",
        amount_sought="1500",
        channel="fund",
        fund=fund,
    )
    assert referral.status == ReferralStatus.REFERRED and referral.answer_due > referral.referred_at.date()
    services.referral_accept(actor=charity_officer, referral=referral, note="已联系家庭")
    services.referral_help(actor=charity_officer, referral=referral, description="资助学费", value="1200.00")
    referral.refresh_from_db()
    fund.refresh_from_db()
    assert referral.status == ReferralStatus.HELPED and referral.help_value == D("1200.00")
    assert fund.balance == D("3800.00")
    grant = FundEntry.objects.get(kind=EntryKind.GRANT, referral=referral)
    assert grant.household == family and grant.party == "陈家明"
    assert [e.status for e in referral.events.all()] == ["referred", "accepted", "helped"]
    seen = selectors.household_help(caseworker, family)
    assert seen["referrals"] == [referral] and seen["grants"] == [grant]


def test_a_refusal_reason_needs_the_refused_application(caseworker, family, fund):
    with translation.override("en"), pytest.raises(ApplicationError) as refused:
        services.referral_create(
            actor=caseworker, household=family, reason="refused", need="x", channel="fund", fund=fund
        )
    assert "application" in refused.value.fields


def test_project_help_names_the_members_and_counts_them(caseworker, charity_officer, family, project):
    referral = services.referral_create(
        actor=caseworker, household=family, reason="judgement", need="助学", channel="project", project=project
    )
    services.referral_help(actor=charity_officer, referral=referral, description="发放助学金", value="800")
    activity = referral.project_activities.get()
    assert activity.beneficiaries == 3 and set(activity.residents.all()) == set(family.members.all())
    with pytest.raises(ApplicationError) as again:
        services.referral_help(actor=charity_officer, referral=referral, description="再次", value="1")
    assert again.value.code == "invalid_status"


def test_street_pairing_takes_referrals_from_its_street_only(
    caseworker, charity_officer, household_factory, street_pairing, staff_factory
):
    from civic.roles import Role

    other = household_factory("440402001001", size=1)
    other_caseworker = staff_factory(Role.CASEWORKER, "440402001001")
    with pytest.raises(ApplicationError) as refused:
        services.referral_create(
            actor=other_caseworker,
            household=other,
            reason="judgement",
            need="x",
            channel="pairing",
            pairing=street_pairing,
        )
    assert "pairing" in refused.value.fields
