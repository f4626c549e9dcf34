import io
import re
from collections import Counter
from datetime import date

import pytest
from django.core.management import call_command
from django.utils import timezone

from civic import idnumbers
from civic.demo import REGIONS
from civic.demo_population import households_add
from civic.models import (
    FieldChange,
    Household,
    HouseholdMembership,
    HukouType,
    Relationship,
    Resident,
    WorkAbility,
)

COMMUNITIES = {code for code, _name, level, _parent, _rural in REGIONS if level == "community"}
MOBILE = re.compile(r"^1[35789]\d{9}$")


@pytest.fixture
def population(regions):
    households, residents = households_add(300, seed=1, chunk_size=120)  # several chunks
    return households, residents


def test_adds_the_households_asked_for_with_their_members(population):
    households, residents = population
    assert households == Household.objects.count() == 300
    assert residents == Resident.objects.count()
    sizes = Counter(Resident.objects.values_list("household_id", flat=True))
    assert len(sizes) == 300
    # Singles, couples and large three-generation families all occur.
    assert {1, 2}.issubset(sizes.values()) and max(sizes.values()) >= 5
    relationships = set(Resident.objects.values_list("relationship", flat=True))
    assert {Relationship.HEAD, Relationship.SPOUSE, Relationship.CHILD, Relationship.PARENT} <= relationships
    assert {Relationship.GRANDCHILD, Relationship.CHILD_IN_LAW} <= relationships


def test_every_id_number_is_valid_and_matches_birth_date_sex_and_district(population):
    today = timezone.localdate()
    for resident in Resident.objects.select_related("household"):
        parsed = idnumbers.parse(resident.id_number, today=today)
        assert parsed.birth_date == resident.birth_date
        assert parsed.sex == resident.sex
        assert resident.id_number[:6] == resident.household.region_id[:6]
        assert resident.id_number[:6] in ("440402", "440403")
    assert Resident.objects.values("id_number").distinct().count() == Resident.objects.count()


def test_one_head_per_household_and_household_head_points_to_it(population):
    for household in Household.objects.prefetch_related("members"):
        heads = [m for m in household.members.all() if m.relationship == Relationship.HEAD]
        assert len(heads) == 1
        assert household.head_id == heads[0].pk


def test_members_live_in_their_households_community_of_the_demo_city(population):
    used = set()
    for household in Household.objects.select_related("region").prefetch_related("members"):
        assert household.region_id in COMMUNITIES and household.region.level == "community"
        assert household.is_rural == household.region.is_rural
        used.add(household.region_id)
        for resident in household.members.all():
            assert resident.region_id == household.region_id
            local = HukouType.LOCAL_RURAL if household.is_rural else HukouType.LOCAL_URBAN
            assert resident.hukou_type in (local, HukouType.NON_LOCAL)
        if household.is_rural:
            assert re.fullmatch(re.escape(household.region.name) + r"\w+巷\d+号", household.address)
        else:
            assert re.fullmatch(r"\w+路\d+号\d+栋\d+房", household.address)
    assert used == COMMUNITIES


def test_each_resident_has_one_open_membership_started_now(population):
    memberships = HouseholdMembership.objects.all()
    assert memberships.count() == Resident.objects.count()
    assert not memberships.filter(ended_at__isnull=False).exists()
    assert memberships.values("resident").distinct().count() == Resident.objects.count()
    for membership in memberships.select_related("resident"):
        assert membership.household_id == membership.resident.household_id
        assert membership.relationship == membership.resident.relationship
        assert (timezone.now() - membership.started_at).total_seconds() < 600


def test_people_look_like_a_real_population(population):
    today = timezone.localdate()
    residents = list(Resident.objects.all())
    adults = [r for r in residents if r.age_on(today) >= 18]
    children = [r for r in residents if r.age_on(today) < 16]
    assert children and all(r.work_ability == WorkAbility.NONE for r in children)
    assert all(not r.phone for r in children)
    assert all(MOBILE.match(r.phone) for r in residents if r.phone)
    assert sum(bool(r.phone) for r in adults) > 0.8 * len(adults)
    assert all(2 <= len(r.name) <= 3 for r in residents)
    disabled = [r for r in residents if r.disability_category]
    assert disabled and all(r.disability_grade in (1, 2, 3, 4) for r in disabled)
    assert all(r.disability_grade is None for r in residents if not r.disability_category)
    assert 0 < sum(r.serious_illness for r in residents) < 0.1 * len(residents)
    heads = [r.age_on(today) for r in residents if r.relationship == Relationship.HEAD]
    assert sum(25 <= age <= 80 for age in heads) > 0.8 * len(heads)


def test_no_history_rows_for_generated_people(population):
    assert not FieldChange.objects.exists()


def test_running_again_adds_more_without_clashing_with_existing_residents(regions):
    # Same seed twice: the second run draws the very same numbers first and must steer around them.
    households_add(150, seed=7)
    households_add(150, seed=7)
    assert Household.objects.count() == 300
    assert Resident.objects.values("id_number").distinct().count() == Resident.objects.count()
    assert HouseholdMembership.objects.filter(ended_at__isnull=True).count() == Resident.objects.count()


def test_the_orm_carries_on_after_the_generated_rows(population):
    last_household = Household.objects.order_by("-pk").first().pk
    last_resident = Resident.objects.order_by("-pk").first().pk
    household = Household.objects.create(region_id="440402005001", address="侨光路1号1栋101房")
    resident = Resident.objects.create(
        id_number="44010119800101001" + idnumbers.check_char("44010119800101001"),  # outside the demo districts
        name="测试",
        sex="M",
        birth_date=date(1980, 1, 1),
        household=household,
        region_id="440402005001",
    )
    membership = HouseholdMembership.objects.create(
        resident=resident, household=household, relationship=Relationship.HEAD, started_at=timezone.now()
    )
    assert household.pk > last_household and resident.pk > last_resident and membership.pk


def test_seed_demo_command_adds_households_each_run(db):
    out = io.StringIO()
    call_command("seed_demo", "--households", "40", stdout=out)
    call_command("seed_demo", "--households", "40", stdout=out)
    assert Household.objects.count() == 80
    assert out.getvalue().count("added 40 households") == 2
    assert Resident.objects.values("id_number").distinct().count() == Resident.objects.count()


def test_seed_demo_without_households_adds_no_residents(db):
    call_command("seed_demo", stdout=io.StringIO())
    assert not Household.objects.exists() and not Resident.objects.exists()


def test_min_households_tops_up_once(db):
    from io import StringIO

    from django.core.management import call_command

    from civic.models import Household

    call_command("seed_demo", "--min-households", "40", stdout=StringIO())
    call_command("seed_demo", "--min-households", "40", stdout=StringIO())
    assert Household.objects.count() == 40
