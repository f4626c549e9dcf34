import pytest
from django.utils import translation

from civic import services
from civic.errors import ApplicationError
from civic.models import FieldChange, Household, HouseholdMembership, Resident
from civic.roles import Role
from tests.conftest import id_number


def member(n, relationship="child", **extra):
    return {
        "name": f"成员{n}",
        "id_number": id_number(seq=n),
        "relationship": relationship,
        "hukou_type": "local_urban",
        "work_ability": "full",
        **extra,
    }


@pytest.fixture
def caseworker(staff_factory):
    return staff_factory(Role.CASEWORKER, "440402005001")


def create(actor, members, region="440402005001"):
    return services.household_create(actor=actor, region_code=region, address="侨光路1号", members=members)


def test_registering_a_family_creates_members_head_memberships_and_history(caseworker):
    household = create(caseworker, [member(1, "head"), member(2, "spouse"), member(3)])
    assert household.head.name == "成员1"
    assert list(household.members.values_list("region_id", flat=True)) == ["440402005001"] * 3
    assert HouseholdMembership.objects.filter(household=household, ended_at__isnull=True).count() == 3
    first = Resident.objects.get(name="成员1")
    assert first.birth_date.isoformat() == "1980-01-01" and first.sex == "M"
    history = FieldChange.objects.filter(object_id=first.pk, content_type__model="resident")
    assert {h.field for h in history} >= {"name", "id_number", "relationship"}
    recorded = history.get(field="id_number").after
    assert recorded == "440402********" + id_number(seq=1)[-4:]  # history never holds whole numbers
    assert all(h.actor == caseworker for h in history)


def test_an_invalid_id_number_saves_nothing_and_names_the_member_field(caseworker):
    bad = member(2, "spouse", id_number="440402198001010020")
    with pytest.raises(ApplicationError) as info:
        create(caseworker, [member(1, "head"), bad])
    assert "members.1.id_number" in info.value.fields
    assert not Household.objects.exists() and not Resident.objects.exists() and not FieldChange.objects.exists()


@pytest.mark.parametrize("heads", [0, 2])
def test_a_household_has_exactly_one_head(caseworker, heads):
    members = [member(1, "head" if heads else "spouse"), member(2, "head" if heads == 2 else "child")]
    with pytest.raises(ApplicationError) as info:
        create(caseworker, members)
    assert "members" in info.value.fields


def test_the_same_number_twice_in_one_household_is_refused(caseworker):
    with pytest.raises(ApplicationError) as info:
        create(caseworker, [member(1, "head"), member(1, "spouse")])
    assert "members.1.id_number" in info.value.fields


def test_a_duplicate_shows_where_it_is_only_to_someone_who_may_see_it(caseworker, staff_factory):
    household = create(caseworker, [member(1, "head")])
    neighbour = staff_factory(Role.CASEWORKER, "440402005002")
    reviewer = staff_factory(Role.STREET_REVIEWER, "440402005000")
    with translation.override("en"):
        with pytest.raises(ApplicationError) as seen:
            create(reviewer, [member(1, "head")], region="440402005002")
        with pytest.raises(ApplicationError) as hidden:
            create(neighbour, [member(1, "head")], region="440402005002")
    assert household.number in seen.value.message and "侨光社区" in seen.value.message
    assert hidden.value.message == "This ID number is already registered in another community."


def test_a_caseworker_cannot_register_in_another_community(caseworker):
    with pytest.raises(ApplicationError) as info:
        create(caseworker, [member(1, "head")], region="440402005002")
    assert info.value.status == 403
    assert not Household.objects.exists()


def test_disability_category_and_grade_go_together(caseworker):
    with pytest.raises(ApplicationError) as info:
        create(caseworker, [member(1, "head", disability_category="physical")])
    assert "members.0.disability_grade" in info.value.fields
    household = create(caseworker, [member(1, "head", disability_category="physical", disability_grade=2)])
    assert household.head.disability_grade == 2


def test_an_update_leaves_before_and_after_in_the_history(caseworker):
    household = create(caseworker, [member(1, "head"), member(2, "spouse")])
    spouse = household.members.get(relationship="spouse")
    services.household_update(
        actor=caseworker,
        household=household,
        region_code="440402005001",
        address="侨光路99号",
        is_rural=False,
        members=[{**member(2, "spouse"), "pk": spouse.pk, "phone": "13800138000"}],
    )
    changes = FieldChange.objects.filter(action="changed")
    assert {(c.field, c.before, c.after) for c in changes} == {
        ("address", "侨光路1号", "侨光路99号"),
        ("phone", "", "13800138000"),
    }


def test_swapping_the_head_in_one_update_works(caseworker):
    household = create(caseworker, [member(1, "head"), member(2, "spouse")])
    head, spouse = household.head, household.members.get(relationship="spouse")
    services.household_update(
        actor=caseworker,
        household=household,
        region_code="440402005001",
        address=household.address,
        is_rural=False,
        members=[{**member(1, "spouse"), "pk": head.pk}, {**member(2, "head"), "pk": spouse.pk}],
    )
    household.refresh_from_db()
    assert household.head == spouse


def test_moving_a_person_keeps_the_history(caseworker):
    first = create(caseworker, [member(1, "head"), member(2, "child")])
    second = create(caseworker, [member(3, "head")])
    child = first.members.get(relationship="child")
    services.resident_move(actor=caseworker, resident=child, to_household=second, relationship="spouse", reason="婚嫁")
    child.refresh_from_db()
    assert child.household == second and child.relationship == "spouse"
    memberships = list(HouseholdMembership.objects.filter(resident=child).order_by("started_at"))
    assert [m.household for m in memberships] == [first, second]
    assert memberships[0].ended_at is not None and memberships[0].end_reason == "婚嫁"
    assert memberships[1].ended_at is None
    move = FieldChange.objects.get(action="moved", object_id=child.pk)
    assert (move.before, move.after) == (first.number, second.number)


def test_the_head_cannot_leave_while_others_remain(caseworker):
    first = create(caseworker, [member(1, "head"), member(2, "child")])
    second = create(caseworker, [member(3, "head")])
    with pytest.raises(ApplicationError):
        services.resident_move(actor=caseworker, resident=first.head, to_household=second, relationship="spouse")


def test_moving_into_another_community_needs_access_to_it(caseworker, household_factory):
    mine = create(caseworker, [member(1, "head"), member(2, "child")])
    theirs = household_factory("440402005002", size=1)
    with pytest.raises(ApplicationError) as info:
        services.resident_move(
            actor=caseworker, resident=mine.members.get(relationship="child"), to_household=theirs, relationship="child"
        )
    assert info.value.status == 403
