"""Children's allowances: street verification and district confirmation, the 补差 arithmetic for a child already
on dibao or 特困, and the allowance paid through the monthly batch."""

from datetime import date, timedelta
from decimal import Decimal

import pytest
from django.utils import timezone

from childcare import allowances, services
from childcare.models import AllowanceStandard, ClaimState
from civic.errors import ApplicationError
from civic.models import Resident
from civic.roles import Role
from relief.models import Batch, BatchLine, Entitlement
from relief.services import disbursement
from tests.relief.money_support import dibao_entitlement, published_policy, tekun_entitlement

D = Decimal
QIAOGUANG = "440402005001"


@pytest.fixture
def staff(staff_factory):
    return {
        "director": staff_factory(Role.CHILD_DIRECTOR, QIAOGUANG, username="director"),
        "supervisor": staff_factory(Role.CHILD_SUPERVISOR, "440402005000", username="supervisor"),
        "protection": staff_factory(Role.CHILD_PROTECTION, "440402", username="protection"),
        "manager": staff_factory(Role.CITY_MANAGER, "440400", username="manager"),
        "manager2": staff_factory(Role.CITY_MANAGER, "440400", username="manager2"),
    }


@pytest.fixture
def standard(regions):
    """Guangzhou-like figures: 2,570 in an institution; scattered 2,200 (DOMAIN.md)."""
    return AllowanceStandard.objects.create(
        region_id="440400000000", effective_from=date(2024, 1, 1), institutional=D("2570"), scattered=D("2200")
    )


def child_in(household_factory, size=3, category="orphan_scattered", staff=None):
    household = household_factory(QIAOGUANG, size=size)
    child = household.members.exclude(pk=household.head_id).first() if size > 1 else household.head
    today = timezone.localdate()
    Resident.objects.filter(pk=child.pk).update(birth_date=today.replace(year=today.year - 9))
    child.refresh_from_db()
    profile = services.profile_register(
        actor=staff["director"],
        resident=child,
        categories=[category],
        director=staff["director"],
        supervisor=staff["supervisor"],
        guardian="祖母",
    )
    return profile


def granted(staff, profile, kind="orphan_scattered"):
    claim = allowances.claim_file(
        actor=staff["director"], profile=profile, kind=kind, payee_name="祖母", account="6217 0000 1111 2222"
    )
    claim = allowances.claim_verify(actor=staff["supervisor"], claim=claim, approve=True)
    return allowances.claim_confirm(actor=staff["protection"], claim=claim, approve=True)


def test_street_verifies_and_district_confirms_then_the_allowance_is_a_monthly_entitlement(
    staff, standard, household_factory
):
    profile = child_in(household_factory, staff=staff)
    claim = allowances.claim_file(
        actor=staff["director"], profile=profile, kind="orphan_scattered", payee_name="祖母", account="6217000011112222"
    )
    assert claim.state == ClaimState.FILED and claim.due_on > timezone.localdate()
    with pytest.raises(ApplicationError) as refused:
        allowances.claim_confirm(actor=staff["protection"], claim=claim, approve=True)
    assert refused.value.code == "wrong_state"  # the street verifies first
    claim = allowances.claim_verify(actor=staff["supervisor"], claim=claim, approve=True)
    claim = allowances.claim_confirm(actor=staff["protection"], claim=claim, approve=True)
    assert (claim.state, claim.amount) == (ClaimState.CONFIRMED, D("2200.00"))
    entitlement = claim.entitlement
    assert (entitlement.programme, entitlement.amount, entitlement.account) == (
        "child_allowance",
        D("2200.00"),
        "6217000011112222",
    )
    assert list(entitlement.members.all()) == [profile.resident]
    assert entitlement.starts_on == (timezone.localdate().replace(day=1) + timedelta(days=32)).replace(day=1)


def test_a_child_already_on_dibao_gets_only_the_difference(staff, standard, household_factory):
    profile = child_in(household_factory, size=3, staff=staff)
    policy = published_policy(standard="1100")
    # 3 × 1,100 − 600 = 2,700 for three people: 900 a person is already paid for the child.
    benefit = dibao_entitlement(profile.resident.household, policy=policy, income="600")
    assert benefit.amount == D("2700.00")
    amount, lines = allowances.quote(profile, "orphan_scattered")
    assert amount == D("1300.00")  # 2,200 − 900
    assert "900.00" in lines[1]["text"]
    assert granted(staff, profile).amount == D("1300.00")


def test_a_child_on_tekun_gets_nothing_when_tekun_pays_more(staff, standard, household_factory):
    profile = child_in(household_factory, size=1, category="orphan_institutional", staff=staff)
    policy = published_policy(standard="1221")
    tekun_entitlement(profile.resident.household, policy=policy, share="2.2")  # 2,686.20 a month
    Entitlement.objects.get(programme="tekun").members.set([profile.resident])
    amount, _lines = allowances.quote(profile, "orphan_institutional")
    assert amount == D("0.00")  # 2,570 − 2,686.20, never below zero


def test_the_allowance_is_paid_by_the_monthly_batch(
    staff, standard, household_factory, django_capture_on_commit_callbacks
):
    profile = child_in(household_factory, staff=staff)
    entitlement = granted(staff, profile).entitlement
    next_month = entitlement.starts_on
    with django_capture_on_commit_callbacks(execute=True):
        disbursement.batch_generate(actor=staff["manager"], region_code="440400000000", month=next_month)
    line = BatchLine.objects.get(entitlement=entitlement)
    assert (line.programme, line.total, line.account) == ("child_allowance", D("2200.00"), "6217000011112222")
    assert Batch.objects.get(month=next_month).total == D("2200.00")


def test_claims_are_guarded(staff, standard, household_factory, staff_factory):
    profile = child_in(household_factory, staff=staff)
    with pytest.raises(ApplicationError) as refused:
        allowances.claim_file(
            actor=staff["director"], profile=profile, kind="de_facto_unsupported", payee_name="x", account="1"
        )
    assert set(refused.value.fields) == {"kind", "account"}
    claim = allowances.claim_file(
        actor=staff["director"], profile=profile, kind="orphan_scattered", payee_name="祖母", account="6217000011112222"
    )
    with pytest.raises(ApplicationError) as refused:
        allowances.claim_file(
            actor=staff["director"],
            profile=profile,
            kind="orphan_scattered",
            payee_name="祖母",
            account="6217000011112222",
        )
    assert refused.value.code == "duplicate"
    other_supervisor = staff_factory(Role.CHILD_SUPERVISOR, "440402001000", username="other-street")
    with pytest.raises(ApplicationError) as refused:
        allowances.claim_verify(actor=other_supervisor, claim=claim, approve=True)
    assert refused.value.status == 404
    with pytest.raises(ApplicationError) as refused:
        allowances.claim_verify(actor=staff["supervisor"], claim=claim, approve=False)
    assert "reasons" in refused.value.fields
    assert allowances.claim_verify(
        actor=staff["supervisor"], claim=claim, approve=False, reasons="监护人有能力抚养"
    ).state == (ClaimState.REFUSED)


def test_director_visits_fall_due_by_the_profiles_interval_and_list_overdue(staff, standard, household_factory):
    from childcare import selectors

    profile = child_in(household_factory, staff=staff)
    today = timezone.localdate()
    assert profile.next_visit_due == today + timedelta(days=30)
    assert list(selectors.visits_overdue(staff["director"], today + timedelta(days=31))) == [profile]
    services.visit_record(actor=staff["director"], profile=profile, visited_on=today, findings="生活正常")
    profile.refresh_from_db()
    assert profile.next_visit_due == today + timedelta(days=30)
    assert list(selectors.visits_overdue(staff["director"], today + timedelta(days=30))) == []
    with pytest.raises(ApplicationError) as refused:
        services.visit_record(actor=staff["manager"], profile=profile, visited_on=today, findings="x")
    assert refused.value.status == 404  # a manager reads figures, not case files


def test_a_de_facto_unsupported_child_needs_both_parents_or_the_remaining_one_unable(staff, household_factory):
    household = household_factory(QIAOGUANG, size=2)
    child = household.members.exclude(pk=household.head_id).get()
    Resident.objects.filter(pk=child.pk).update(birth_date=date(timezone.localdate().year - 8, 1, 1))
    child.refresh_from_db()

    def register(father, mother):
        return services.profile_register(
            actor=staff["director"],
            resident=child,
            categories=["de_facto_unsupported"],
            director=staff["director"],
            supervisor=staff["supervisor"],
            father=father,
            mother=mother,
        )

    for father, mother in (("able", "imprisoned"), ("", "missing"), ("deceased", "deceased")):
        with pytest.raises(ApplicationError) as refused:
            register(father, mother)
        assert "categories" in refused.value.fields
    profile = register("deceased", "imprisoned")  # the remaining parent is in prison
    assert (profile.father, profile.mother) == ("deceased", "imprisoned")
