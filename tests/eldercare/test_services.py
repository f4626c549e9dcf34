"""Elder-care rules: DOMAIN.md's meal example and the outside-district rule, idempotent check-in, daily limit,
settlement totals, special-hardship visits falling overdue on schedule and the coverage per community."""

from datetime import date, timedelta
from decimal import Decimal

import pytest
from django.utils import timezone

from civic.errors import ApplicationError
from civic.models import JobState, Resident
from civic.roles import Role
from eldercare import selectors, services
from eldercare.models import Enrolment, HallMenu, Meal, MealHall, MealPolicy, MealTier, SettlementState, Tier
from relief.models import ReliefPolicy
from tests.relief.money_support import dibao_entitlement

D = Decimal
QIAOGUANG = "440402005001"  # 香洲区 › 拱北街道 › 侨光社区
SAME_STREET = "440402005002"  # 拱北街道, another community
OTHER_STREET = "440402001001"  # 香洲区, another street
OTHER_DISTRICT = "440403100001"  # 斗门区


@pytest.fixture
def staff(staff_factory):
    return {
        "caseworker": staff_factory(Role.CASEWORKER, QIAOGUANG, username="cw"),
        "elsewhere": staff_factory(Role.CASEWORKER, OTHER_DISTRICT, username="cw-doumen"),
        "street": staff_factory(Role.STREET_REVIEWER, "440402005000", username="street"),
        "street2": staff_factory(Role.STREET_REVIEWER, "440402005000", username="street2"),
    }


@pytest.fixture
def policy(regions):
    """DOMAIN.md's example: a 12-yuan meal; low-income 60+ pays 1, 80+ pays 3, 60–79 pays 5; city and district
    3 each; the street pays the rest."""
    policy = MealPolicy.objects.create(region_id="440400000000", effective_from=date(2024, 1, 1), name="助餐补贴")
    for tier, elder in ((Tier.LOW_INCOME, "1"), (Tier.AGE_80, "3"), (Tier.AGE_60, "5")):
        MealTier.objects.create(policy=policy, tier=tier, elder_pays=D(elder), city_share=D(3), district_share=D(3))
    return policy


@pytest.fixture
def hall(policy):
    hall = MealHall.objects.create(
        name="侨光长者饭堂", operator="颐康餐饮", address="侨光路1号", region_id=QIAOGUANG, capacity=60
    )
    HallMenu.objects.create(hall=hall, meal_type="lunch", price=D(12))
    HallMenu.objects.create(hall=hall, meal_type="dinner", price=D(10))
    return hall


def elder(household_factory, staff, age, region=QIAOGUANG):
    """A resident of `age` in `region`, enrolled for meals (enrolment itself is tested on its own)."""
    resident = household_factory(region, size=1).head
    today = timezone.localdate()
    Resident.objects.filter(pk=resident.pk).update(birth_date=today.replace(year=today.year - age) - timedelta(days=10))
    resident.refresh_from_db()
    Enrolment.objects.create(resident=resident, card_number=f"C{resident.pk:06d}", enrolled_by=staff["street"])
    return resident


def lunch(actor, hall, resident, **kw):
    return services.meal_record(actor=actor, hall=hall, meal_type="lunch", id_number=resident.id_number, **kw)


def paid(meal):
    return (meal.elder_paid, meal.city_share, meal.district_share, meal.street_share)


def test_domain_example_what_each_elder_pays_for_a_12_yuan_meal(staff, hall, household_factory):
    young = elder(household_factory, staff, 70)
    old = elder(household_factory, staff, 85)
    poor = elder(household_factory, staff, 66)
    dibao_entitlement(
        poor.household,
        policy=ReliefPolicy.objects.create(
            state="published",
            region_id="440400000000",
            area="urban",
            effective_from=date(2020, 1, 1),
            name="低保",
            dibao_standard=D("1221"),
        ),
    )
    assert paid(lunch(staff["caseworker"], hall, young)[0]) == (D(5), D(3), D(3), D(1))
    assert paid(lunch(staff["caseworker"], hall, old)[0]) == (D(3), D(3), D(3), D(3))
    meal = lunch(staff["caseworker"], hall, poor)[0]
    assert meal.tier == Tier.LOW_INCOME and paid(meal) == (D(1), D(3), D(3), D(5))


def test_eating_outside_ones_district_or_street_loses_that_levels_share(staff, hall, household_factory):
    doumen = elder(household_factory, staff, 70, region=OTHER_DISTRICT)
    other_street = elder(household_factory, staff, 70, region=OTHER_STREET)
    same_street = elder(household_factory, staff, 70, region=SAME_STREET)
    assert paid(lunch(staff["caseworker"], hall, doumen)[0]) == (D(9), D(3), D(0), D(0))
    assert paid(lunch(staff["caseworker"], hall, other_street)[0]) == (D(6), D(3), D(3), D(0))
    assert paid(lunch(staff["caseworker"], hall, same_street)[0]) == (D(5), D(3), D(3), D(1))


def test_a_repeated_check_in_returns_the_same_meal_and_pays_nothing_twice(staff, hall, household_factory):
    resident = elder(household_factory, staff, 70)
    first, created = lunch(staff["caseworker"], hall, resident)
    again, created_again = services.meal_record(
        actor=staff["caseworker"], hall=hall, meal_type="lunch", card_number=f"C{resident.pk:06d}"
    )
    assert created and not created_again and again.pk == first.pk
    assert Meal.objects.count() == 1


def test_check_in_refusals_have_clear_codes(staff, hall, household_factory):
    resident = elder(household_factory, staff, 70)
    other = MealHall.objects.create(name="二号饭堂", operator="x", address="y", region_id=QIAOGUANG, capacity=10)
    HallMenu.objects.create(hall=other, meal_type="lunch", price=D(12))
    lunch(staff["caseworker"], hall, resident)

    def code(**kwargs):
        with pytest.raises(ApplicationError) as refused:
            services.meal_record(actor=staff["caseworker"], **kwargs)
        return refused.value.code

    assert code(hall=other, meal_type="lunch", resident=resident) == "over_daily_limit"
    assert code(hall=hall, meal_type="breakfast", resident=resident) == "meal_not_served"
    assert code(hall=hall, meal_type="lunch", id_number="440402195001010000") == "unknown_resident"
    stranger = household_factory(QIAOGUANG, size=1).head
    assert code(hall=hall, meal_type="lunch", resident=stranger) == "not_enrolled"
    with pytest.raises(ApplicationError) as refused:
        services.meal_record(actor=staff["elsewhere"], hall=hall, meal_type="dinner", resident=resident)
    assert refused.value.status == 404  # a hall outside the caseworker's area


def test_enrolment_is_for_residents_aged_60_and_over_in_ones_area(staff, household_factory):
    older = household_factory(QIAOGUANG, size=1).head
    Resident.objects.filter(pk=older.pk).update(birth_date=date(1950, 5, 1))
    older.refresh_from_db()
    assert services.enrol(actor=staff["caseworker"], resident=older, card_number="C 000 777").card_number == "C000777"
    with pytest.raises(ApplicationError) as refused:
        services.enrol(actor=staff["elsewhere"], resident=older, card_number="C000778")
    assert refused.value.status == 404

    young = household_factory(QIAOGUANG, size=1).head
    today = timezone.localdate()
    Resident.objects.filter(pk=young.pk).update(birth_date=today.replace(year=today.year - 59))
    young.refresh_from_db()
    with pytest.raises(ApplicationError) as refused:
        services.enrol(actor=staff["caseworker"], resident=young, card_number="C123456")
    assert refused.value.code == "not_eligible" and "resident" in refused.value.fields


def test_settlement_totals_equal_the_meals_and_the_street_approves_with_four_eyes(
    staff, hall, household_factory, django_capture_on_commit_callbacks
):
    last_month = (timezone.localdate().replace(day=1) - timedelta(days=1)).replace(day=10)
    people = [elder(household_factory, staff, age) for age in (65, 70, 85)]
    for resident in people:
        for offset in range(3):
            at = timezone.make_aware(
                timezone.datetime.combine(last_month + timedelta(days=offset), timezone.datetime.min.time()).replace(
                    hour=12
                )
            )
            lunch(staff["caseworker"], hall, resident, served_at=at)
    with django_capture_on_commit_callbacks(execute=True):
        settlement, job = services.settlement_start(actor=staff["street"], hall=hall, day=last_month)
    job.refresh_from_db()
    settlement.refresh_from_db()
    assert job.state == JobState.DONE
    meals = Meal.objects.filter(hall=hall)
    assert settlement.meal_count == meals.count() == 9
    assert settlement.city_share == sum(m.city_share for m in meals) == D(27)
    assert settlement.subsidy == sum(m.city_share + m.district_share + m.street_share for m in meals)
    assert settlement.elder_paid + settlement.subsidy == sum(m.price for m in meals)
    with pytest.raises(ApplicationError) as refused:
        services.settlement_approve(actor=staff["street"], settlement=settlement)
    assert refused.value.code == "separation_of_duties"
    assert services.settlement_approve(actor=staff["street2"], settlement=settlement).state == SettlementState.APPROVED
    with pytest.raises(ApplicationError):
        services.settlement_start(actor=staff["street"], hall=hall, day=timezone.localdate())  # not ended yet


def test_visits_fall_overdue_on_schedule_and_a_visit_clears_it(staff, household_factory):
    resident = elder(household_factory, staff, 82)
    listed = services.elder_register(
        actor=staff["caseworker"],
        resident=resident,
        categories=["living_alone"],
        risk="high",
        visitor=staff["caseworker"],
    )
    today = timezone.localdate()
    assert listed.next_visit_due == today + timedelta(days=7)
    assert services.overdue_flag(today + timedelta(days=7)) == 0
    assert services.overdue_flag(today + timedelta(days=8)) == 1
    assert services.overdue_flag(today + timedelta(days=8)) == 0  # once a day is enough
    listed.refresh_from_db()
    assert listed.overdue_since == today + timedelta(days=8)
    services.visit_record(actor=staff["caseworker"], elder=listed, visited_on=today, findings="身体尚可", risk="key")
    listed.refresh_from_db()
    assert (listed.risk, listed.next_visit_due, listed.overdue_since) == ("key", today + timedelta(days=30), None)


def test_visit_coverage_is_visited_over_listed_per_community(staff, household_factory):
    today = timezone.localdate()
    people = [elder(household_factory, staff, 75) for _ in range(4)]
    listed = [
        services.elder_register(
            actor=staff["caseworker"],
            resident=r,
            categories=["empty_nest"],
            risk="general",
            visitor=staff["caseworker"],
        )
        for r in people
    ]
    services.visit_record(actor=staff["caseworker"], elder=listed[0], visited_on=today, findings="好")
    services.visit_record(actor=staff["caseworker"], elder=listed[1], visited_on=today, findings="好")
    services.visit_record(actor=staff["caseworker"], elder=listed[1], visited_on=today, findings="再访")
    rows = selectors.visit_coverage(staff["caseworker"], today)
    assert rows == [{"region": QIAOGUANG, "name": "侨光社区", "elders": 4, "visited": 2, "rate": 0.5}]
    assert selectors.visit_coverage(staff["elsewhere"], today) == []


def test_an_administrator_records_a_meal_like_staff_and_a_card_is_found_however_spaced(
    staff, hall, household_factory, django_user_model
):
    resident = elder(household_factory, staff, 70)
    admin = django_user_model.objects.create_superuser("root-meals", password="Str0ng-pass-word!")
    card = f"C{resident.pk:06d}"
    meal, created = services.meal_record(
        actor=admin, hall=hall, meal_type="lunch", card_number=f" {card[:3]} {card[3:]}"
    )
    assert created and meal.source == "browser" and meal.resident == resident
    assert list(selectors.halls_for(admin)) == [hall]


def test_the_monthly_job_settles_last_month_for_every_open_hall_once(
    staff, hall, household_factory, django_capture_on_commit_callbacks
):
    resident = elder(household_factory, staff, 70)
    today = timezone.localdate()
    last_month = (today.replace(day=1) - timedelta(days=1)).replace(day=15)
    lunch(
        staff["caseworker"],
        hall,
        resident,
        served_at=timezone.make_aware(timezone.datetime(*last_month.timetuple()[:3], 12)),
    )
    with django_capture_on_commit_callbacks(execute=True):
        assert services.settlements_due(today) == 1
    settlement = hall.settlements.get()
    assert (settlement.period_start, settlement.meal_count) == (last_month.replace(day=1), 1)
    services.settlement_approve(actor=staff["street2"], settlement=settlement)
    with django_capture_on_commit_callbacks(execute=True):
        assert services.settlements_due(today) == 0  # approved: left alone
