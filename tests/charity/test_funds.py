"""Charity core: the GB 32100 check of unified social credit codes, and a fund's balance that never goes negative,
also when two grants are made at once (real PostgreSQL row locks, two connections)."""

import threading
from decimal import Decimal

import pytest
from django.db import connection
from django.utils import translation

from charity import credit_codes, services
from charity.models import EntryKind, Fund, FundEntry
from civic.errors import ApplicationError
from civic.roles import Role

D = Decimal


@pytest.mark.parametrize("code", ["91350100M000100Y43", "91230184MA1BUFLT44", "9135 0100 m000 100y 43"])
def test_valid_codes_pass_the_gb_32100_check(code):
    assert credit_codes.problem(code) is None


@pytest.mark.parametrize(
    "code, says",
    [
        ("91350100M000100Y4A", "“3”"),  # wrong check character: names the right one
        ("91350100M000100Y4", "18 characters"),
        ("91350100M00O100Y43", "“O”"),
        ("9135A100M000100Y43", "3 to 8"),
    ],
)
def test_invalid_codes_are_refused_naming_the_rule(code, says):
    with translation.override("en"):
        assert says in credit_codes.problem(code)


@pytest.fixture
def officer(staff_factory):
    return staff_factory(Role.CITY_MANAGER, "440400", username="charity-officer")


@pytest.fixture
def fund(officer):
    organisation = services.organisation_register(
        actor=officer,
        region_code="440400000000",
        name="珠海市慈善总会",
        kind="foundation",
        credit_code="91350100M000100Y43",
    )
    fund = Fund.objects.create(organisation=organisation, name="助学基金")
    services.donation_record(actor=officer, fund=fund, donor="爱心企业", amount="1000")
    return fund


def test_organisation_registration_names_each_bad_field(officer, regions):
    with pytest.raises(ApplicationError) as refused:
        services.organisation_register(
            actor=officer,
            region_code="440400000000",
            name="",
            kind="club",
            credit_code="91350100M000100Y4A",
            grade="6A",
        )
    assert set(refused.value.fields) == {"name", "kind", "credit_code", "grade"}


def test_a_grant_larger_than_the_balance_is_refused_and_the_ledger_keeps_the_balance(officer, fund):
    services.grant_make(actor=officer, fund=fund, recipient="困难学生家庭", amount="600")
    with pytest.raises(ApplicationError) as refused:
        services.grant_make(actor=officer, fund=fund, recipient="另一家庭", amount="600")
    assert refused.value.code == "insufficient_funds"
    fund.refresh_from_db()
    assert fund.balance == D("400.00")
    assert [e.balance_after for e in fund.entries.order_by("pk")] == [D("1000.00"), D("400.00")]


@pytest.mark.django_db(transaction=True)
def test_two_grants_at_once_never_overdraw_the_fund(staff_factory, regions):
    officer = staff_factory(Role.CITY_MANAGER, "440400", username="officer-concurrent")
    organisation = services.organisation_register(
        actor=officer, region_code="440400000000", name="慈善会", kind="foundation", credit_code="91230184MA1BUFLT44"
    )
    fund = Fund.objects.create(organisation=organisation, name="应急基金")
    services.donation_record(actor=officer, fund=fund, donor="捐赠人", amount="1000")
    assert connection.vendor == "postgresql", "the concurrency test needs PostgreSQL: run it with `make test`"
    barrier = threading.Barrier(2)
    outcomes = []

    def grant():
        try:
            barrier.wait()
            services.grant_make(actor=officer, fund=fund, recipient="受助家庭", amount="600")
            outcomes.append("granted")
        except ApplicationError as exc:
            outcomes.append(exc.code)
        finally:
            connection.close()

    threads = [threading.Thread(target=grant) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(outcomes) == ["granted", "insufficient_funds"]
    fund.refresh_from_db()
    assert fund.balance == D("400.00")
    assert FundEntry.objects.filter(fund=fund, kind=EntryKind.GRANT).count() == 1
