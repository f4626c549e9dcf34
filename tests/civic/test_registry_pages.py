"""Caseworker pages: scoping (404 outside one's area), forms with errors next to fields, history, reveal."""

import pytest
from django.urls import reverse

from civic.models import FieldChange, Household, IdReveal, Resident
from civic.roles import Role
from tests.conftest import id_number


@pytest.fixture
def two_communities(household_factory):
    mine = household_factory("440402005001", size=3, names=["王建华", "李芳", "王小明"])
    neighbour = household_factory("440402005002", size=2, names=["赵大勇", "钱丽"])
    other_street = household_factory("440402001001", size=1, names=["孙国强"])
    return mine, neighbour, other_street


def signed_in(client, user):
    client.force_login(user)
    return client


def pages_of(household):
    resident = household.members.first()
    return [
        ("get", reverse("registry:household-detail", args=[household.pk])),
        ("get", reverse("registry:household-edit", args=[household.pk])),
        ("get", reverse("registry:resident-detail", args=[resident.pk])),
        ("post", reverse("registry:resident-reveal", args=[resident.pk])),
        ("post", reverse("registry:resident-move", args=[resident.pk])),
    ]


def test_a_community_caseworker_gets_404_for_every_page_of_another_community(client, staff_factory, two_communities):
    mine, neighbour, other_street = two_communities
    signed_in(client, staff_factory(Role.CASEWORKER, "440402005001"))
    for household in (neighbour, other_street):
        for method, url in pages_of(household):
            assert getattr(client, method)(url).status_code == 404, url
    for method, url in pages_of(mine)[:3]:
        assert getattr(client, method)(url).status_code == 200, url
    assert not IdReveal.objects.exists()


def test_lists_show_only_the_users_area(client, staff_factory, two_communities):
    signed_in(client, staff_factory(Role.CASEWORKER, "440402005001"))
    page = client.get(reverse("registry:household-list")).content.decode()
    assert "王建华" in page and "赵大勇" not in page and "孙国强" not in page
    # Searching for someone elsewhere finds nothing, and says so.
    page = client.get(reverse("registry:household-list"), {"q": "赵大勇"}).content.decode()
    assert "赵大勇" in page  # echoed in the empty-state message only
    assert 'data-testid="household-results"' not in page


def test_a_street_reviewer_sees_all_and_only_their_street(client, staff_factory, two_communities):
    mine, neighbour, other_street = two_communities
    signed_in(client, staff_factory(Role.STREET_REVIEWER, "440402005000"))
    page = client.get(reverse("registry:household-list")).content.decode()
    assert "王建华" in page and "赵大勇" in page and "孙国强" not in page
    for household in (mine, neighbour):
        assert client.get(reverse("registry:household-detail", args=[household.pk])).status_code == 200
    for method, url in pages_of(other_street):
        assert getattr(client, method)(url).status_code == 404, url


def test_a_role_without_registry_access_is_refused(client, staff_factory, two_communities):
    signed_in(client, staff_factory(Role.MEAL_OPERATOR, "440402005001"))
    assert client.get(reverse("registry:household-list")).status_code == 403
    assert client.get(reverse("registry:household-detail", args=[two_communities[0].pk])).status_code == 403


@pytest.mark.parametrize("query", ["王建", "侨光", lambda h: h.head.id_number, lambda h: h.head.id_number.lower()])
def test_search_by_name_address_or_id_number(client, staff_factory, two_communities, query):
    mine = two_communities[0]
    Household.objects.filter(pk=mine.pk).update(address="侨光路8号2栋301房")
    signed_in(client, staff_factory(Role.STREET_REVIEWER, "440402005000"))
    q = query(mine) if callable(query) else query
    page = client.get(reverse("registry:household-list"), {"q": q}).content.decode()
    assert mine.number in page and two_communities[1].number not in page


def test_search_by_mobile_number(client, staff_factory, two_communities):
    mine = two_communities[0]
    Resident.objects.filter(pk=mine.head_id).update(phone="13912345678")
    signed_in(client, staff_factory(Role.CASEWORKER, "440402005001"))
    page = client.get(reverse("registry:household-list"), {"q": "13912345678"}).content.decode()
    assert mine.number in page


def test_lists_mask_id_numbers(client, staff_factory, two_communities):
    mine = two_communities[0]
    signed_in(client, staff_factory(Role.CASEWORKER, "440402005001"))
    for url in (reverse("registry:household-list"), reverse("registry:household-detail", args=[mine.pk])):
        page = client.get(url).content.decode()
        assert mine.head.id_number not in page
        assert mine.head.id_number[:6] + "********" + mine.head.id_number[-4:] in page


def test_revealing_a_full_id_number_is_logged(client, staff_factory, two_communities):
    user = staff_factory(Role.CASEWORKER, "440402005001")
    resident = two_communities[0].head
    signed_in(client, user)
    response = client.post(reverse("registry:resident-reveal", args=[resident.pk]))
    assert resident.id_number in response.content.decode()
    assert response["Cache-Control"].startswith("max-age=0") or "no-cache" in response["Cache-Control"]
    reveal = IdReveal.objects.get()
    assert (reveal.actor, reveal.resident, reveal.channel) == (user, resident, "page")


def test_a_city_manager_sees_but_cannot_reveal(client, staff_factory, two_communities):
    resident = two_communities[0].head
    signed_in(client, staff_factory(Role.CITY_MANAGER, "440400"))
    assert client.get(reverse("registry:resident-detail", args=[resident.pk])).status_code == 200
    assert client.post(reverse("registry:resident-reveal", args=[resident.pk])).status_code == 404
    assert not IdReveal.objects.exists()


def form_data(region="440402005001", members=()):
    data = {
        "region": region,
        "address": "侨光路12号",
        "is_rural": "",
        "members-TOTAL_FORMS": str(max(len(members), 1)),
        "members-INITIAL_FORMS": "0",
        "members-MIN_NUM_FORMS": "0",
        "members-MAX_NUM_FORMS": "20",
    }
    for i, m in enumerate(members):
        base = {"hukou_type": "local_urban", "work_ability": "full", "disability_category": "", "disability_grade": ""}
        data.update({f"members-{i}-{k}": v for k, v in {**base, **m}.items()})
    return data


def test_registering_through_the_page(client, staff_factory, regions):
    signed_in(client, staff_factory(Role.CASEWORKER, "440402005001"))
    members = [
        {"relationship": "head", "name": "周伟", "id_number": id_number(seq=11)},
        {"relationship": "spouse", "name": "吴静", "id_number": id_number(birth="19820202", seq=12)},
    ]
    response = client.post(reverse("registry:household-create"), form_data(members=members))
    household = Household.objects.get()
    assert response.status_code == 302 and response["Location"] == reverse(
        "registry:household-detail", args=[household.pk]
    )
    assert household.members.count() == 2 and household.head.name == "周伟"


def test_a_wrong_id_number_is_shown_next_to_its_field_and_input_is_kept(client, staff_factory, regions):
    signed_in(client, staff_factory(Role.CASEWORKER, "440402005001"))
    members = [
        {"relationship": "head", "name": "周伟", "id_number": id_number(seq=11)},
        {"relationship": "spouse", "name": "吴静", "id_number": "440402198202020121"},
    ]
    response = client.post(reverse("registry:household-create"), form_data(members=members))
    assert response.status_code == 200
    member_form = response.context["formset"].forms[1]
    assert "校验码错误" in member_form.errors["id_number"][0]
    page = response.content.decode()
    assert "吴静" in page and "440402198202020121" in page  # nothing the user typed is lost
    assert not Household.objects.exists() and not Resident.objects.exists()


def test_a_caseworker_cannot_pick_another_community(client, staff_factory, regions):
    signed_in(client, staff_factory(Role.CASEWORKER, "440402005001"))
    members = [{"relationship": "head", "name": "周伟", "id_number": id_number(seq=11)}]
    response = client.post(reverse("registry:household-create"), form_data(region="440402005002", members=members))
    assert response.status_code == 200
    assert response.context["form"].errors["region"]
    assert not Household.objects.exists()


def test_the_household_file_shows_history_of_changes(client, staff_factory, two_communities):
    mine = two_communities[0]
    user = staff_factory(Role.CASEWORKER, "440402005001")
    signed_in(client, user)
    data = form_data()
    data.update({"address": "侨光路77号", "members-TOTAL_FORMS": "0", "members-INITIAL_FORMS": "0"})
    response = client.post(reverse("registry:household-edit", args=[mine.pk]), data)
    assert response.status_code == 302
    change = FieldChange.objects.get(action="changed", field="address")
    assert change.actor == user
    page = client.get(reverse("registry:household-detail", args=[mine.pk])).content.decode()
    assert "侨光路77号" in page and "测试路" in page  # after and before, in the history table


def test_the_household_file_has_a_panel_slot_with_an_empty_state(client, staff_factory, two_communities):
    signed_in(client, staff_factory(Role.CASEWORKER, "440402005001"))
    page = client.get(reverse("registry:household-detail", args=[two_communities[0].pk])).content.decode()
    assert 'data-testid="panels"' in page


def test_move_to_a_household_number_outside_the_area_is_refused(client, staff_factory, two_communities):
    mine, neighbour, _ = two_communities
    signed_in(client, staff_factory(Role.CASEWORKER, "440402005001"))
    child = mine.members.get(relationship="child")
    response = client.post(
        reverse("registry:resident-move", args=[child.pk]),
        {"household_number": neighbour.number, "relationship": "child", "reason": "迁出"},
    )
    assert response.status_code == 400
    assert response.context["move_form"].errors["household_number"]
    child.refresh_from_db()
    assert child.household == mine


def test_the_list_page_costs_the_same_few_queries_however_many_households(
    client, staff_factory, household_factory, django_assert_max_num_queries
):
    for _ in range(30):
        household_factory("440402005001", size=2)
    signed_in(client, staff_factory(Role.CASEWORKER, "440402005001"))
    with django_assert_max_num_queries(8):
        response = client.get(reverse("registry:household-list"))
    assert response.status_code == 200
    page = response.context["page"]
    assert page.paginator.count == 30 and len(page.object_list) == 25
    assert {h.size for h in page.object_list} == {2}
