"""Shared charity fixtures: the district's charity officer, a caseworker, an organisation with a fund, a running
project and a street pairing in 拱北街道, and a family of 侨光社区 whose dibao application was refused."""

from datetime import timedelta

import pytest
from django.utils import timezone

from charity import credit_codes, services
from charity.models import ProjectStatus
from civic.roles import Role


def credit_code(seq, region="440402"):
    """A valid unified social credit code (GB 32100) for tests: 5 + 1 (social organisation), region, a body."""
    body = f"51{region}MJ{seq:07d}"[:17]
    return body + credit_codes.check_character(body)


@pytest.fixture
def charity_officer(staff_factory):
    return staff_factory(Role.CHARITY_OFFICER, "440402", username="charity-officer")


@pytest.fixture
def caseworker(staff_factory):
    return staff_factory(Role.CASEWORKER, "440402005001", username="charity-caseworker")


@pytest.fixture
def organisation(charity_officer):
    return services.organisation_register(
        actor=charity_officer,
        region_code="440402000000",
        name="香洲区慈善会",
        kind="social_group",
        credit_code=credit_code(1),
        grade="4A",
        grade_valid_from=timezone.localdate() - timedelta(days=400),
    )


@pytest.fixture
def fund(charity_officer, organisation):
    fund = services.fund_open(actor=charity_officer, organisation=organisation, name="困难家庭救助基金")
    services.donation_record(actor=charity_officer, fund=fund, donor="珠海爱心企业", amount="5000.00")
    return fund


@pytest.fixture
def project(charity_officer, organisation):
    project = services.project_create(
        actor=charity_officer,
        organisation=organisation,
        name="拱北助学计划",
        category="student_aid",
        region_code="440402005000",
        budget="20000.00",
        starts_on=timezone.localdate() - timedelta(days=30),
    )
    return services.project_move(actor=charity_officer, project=project, status=ProjectStatus.RUNNING)


@pytest.fixture
def street_pairing(charity_officer, organisation, regions):
    return services.pairing_create(
        actor=charity_officer,
        organisation=organisation,
        street=regions["440402005000"],
        started_on=timezone.localdate() - timedelta(days=60),
        commitment="每季度走访慰问",
    )


@pytest.fixture
def family(household_factory):
    return household_factory("440402005001", size=3, names=["陈家明", "林秀英", "陈小雨"])


@pytest.fixture
def refused_application(family, caseworker):
    """The family's dibao application, refused (written straight to the row: the relief workflow has its own
    tests)."""
    from relief.models import Application

    return Application.objects.create(
        household=family,
        region_id=family.region_id,
        programme="dibao",
        area="urban",
        status="refused",
        accepted_at=timezone.now() - timedelta(days=40),
        accepted_by=caseworker,
        overall_due=timezone.localdate() + timedelta(days=10),
        decision_reasons="家庭收入高于当地低保标准",
    )
