"""Registry API: households and residents, scoped by region, ID numbers masked unless revealed (and logged)."""

import io
import json

import pytest
import yaml
from django.core.management import call_command
from rest_framework.test import APIClient

from civic import idnumbers
from civic.models import FieldChange, Household, HouseholdMembership, IdReveal, Resident
from civic.roles import Role
from civic.services.registry import household_create

QIAOGUANG, GONGBEI, KANGNING = "440402005001", "440402005002", "440402001001"
GONGBEI_STREET = "440402005000"


def id_no(seq, birth="19800101", area="440402"):
    body = f"{area}{birth}{seq:03d}"
    return body + idnumbers.check_char(body)


def member(seq, name, relationship="head", **extra):
    return {"id_number": id_no(seq), "name": name, "relationship": relationship, **extra}


def partner_client(scopes, region):
    out = io.StringIO()
    call_command("create_partner", name="民政合作方", scopes=scopes, region=region, stdout=out, stderr=io.StringIO())
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Bearer {out.getvalue().strip()}")
    return client


def staff_client(user):
    client = APIClient()
    client.force_login(user)
    return client


@pytest.fixture
def root(db, django_user_model):
    return django_user_model.objects.create_superuser("registry-root", password="Str0ng-pass-word!")


@pytest.fixture
def homes(regions, root):
    """One household in each of three communities: two in 拱北街道, one in 翠香街道."""
    return {
        QIAOGUANG: household_create(
            actor=root,
            region_code=QIAOGUANG,
            address="侨光路1号",
            members=[member(11, "张伟"), member(12, "李娜", "spouse")],
        ),
        GONGBEI: household_create(actor=root, region_code=GONGBEI, address="拱北路2号", members=[member(21, "王芳")]),
        KANGNING: household_create(actor=root, region_code=KANGNING, address="康宁路3号", members=[member(31, "刘洋")]),
    }


def head_of(household):
    return Resident.objects.get(household=household, relationship="head")


def results(response):
    assert response.status_code == 200, response.content
    return response.json()["results"]


def assert_error(response, status, code=None):
    assert response.status_code == status, response.content
    body = response.json()
    assert set(body) == {"code", "message", "fields"} and body["message"]
    if code:
        assert body["code"] == code
    return body


@pytest.fixture
def caller(staff_factory):
    """A client for ("staff", role, region) or ("partner", scopes, region)."""

    def make(kind, who, region):
        return staff_client(staff_factory(who, region)) if kind == "staff" else partner_client(who, region)

    return make


# --------------------------------------------------------------------------------------- region scoping


@pytest.mark.parametrize(
    "kind, who", [("staff", Role.CASEWORKER), ("partner", "registry:read,registry:reveal_id")], ids=["staff", "partner"]
)
def test_community_caller_sees_only_its_community_and_gets_404_elsewhere(homes, caller, kind, who):
    client = caller(kind, who, QIAOGUANG)
    own = homes[QIAOGUANG]

    assert [h["id"] for h in results(client.get("/api/v1/households/"))] == [own.pk]
    assert {r["household"] for r in results(client.get("/api/v1/residents/"))} == {own.pk}
    assert client.get(f"/api/v1/households/{own.pk}/").status_code == 200
    assert client.get(f"/api/v1/residents/{head_of(own).pk}/").status_code == 200

    for code in (GONGBEI, KANGNING):
        assert_error(client.get(f"/api/v1/households/{homes[code].pk}/"), 404, "not_found")
        assert_error(client.get(f"/api/v1/residents/{head_of(homes[code]).pk}/"), 404, "not_found")
        # Filters never reach across the boundary either.
        assert results(client.get(f"/api/v1/households/?region={code}")) == []
        assert results(client.get(f"/api/v1/residents/?household={homes[code].pk}")) == []
        assert results(client.get(f"/api/v1/residents/?id_number={head_of(homes[code]).id_number}")) == []
    assert not IdReveal.objects.exclude(resident=head_of(own)).exists()


@pytest.mark.parametrize(
    "kind, who", [("staff", Role.STREET_REVIEWER), ("partner", "registry:read")], ids=["staff", "partner"]
)
def test_street_caller_sees_all_and_only_its_street(homes, caller, kind, who):
    client = caller(kind, who, GONGBEI_STREET)
    street = {homes[QIAOGUANG].pk, homes[GONGBEI].pk}

    assert {h["id"] for h in results(client.get("/api/v1/households/"))} == street
    assert {r["household"] for r in results(client.get("/api/v1/residents/"))} == street
    for code in (QIAOGUANG, GONGBEI):
        assert client.get(f"/api/v1/households/{homes[code].pk}/").status_code == 200
    assert_error(client.get(f"/api/v1/households/{homes[KANGNING].pk}/"), 404, "not_found")
    assert_error(client.get(f"/api/v1/residents/{head_of(homes[KANGNING]).pk}/"), 404, "not_found")


def test_community_caseworker_may_not_write_in_another_community(homes, staff_factory):
    client = staff_client(staff_factory(Role.CASEWORKER, QIAOGUANG))
    other = homes[GONGBEI]
    before = FieldChange.objects.count()

    assert_error(client.patch(f"/api/v1/households/{other.pk}/", {"address": "x"}, format="json"), 404)
    assert_error(client.patch(f"/api/v1/residents/{head_of(other).pk}/", {"phone": "1"}, format="json"), 404)
    body = {"region": GONGBEI, "address": "拱北路9号", "members": [member(40, "赵敏")]}
    assert_error(client.post("/api/v1/households/", body, format="json"), 403, "forbidden")
    body = {"household": other.pk, **member(41, "孙丽", "child")}
    response = client.post("/api/v1/residents/", body, format="json")
    assert "household" in assert_error(response, 400, "invalid")["fields"]

    assert Household.objects.count() == 3 and Resident.objects.count() == 4
    assert FieldChange.objects.count() == before


# ---------------------------------------------------------------------------------------------- privacy


def test_lists_mask_every_id_number_even_for_those_who_may_reveal(homes, staff_factory):
    client = staff_client(staff_factory(Role.STREET_REVIEWER, GONGBEI_STREET))
    numbers = list(Resident.objects.values_list("id_number", flat=True))

    for url in ("/api/v1/households/", "/api/v1/residents/", f"/api/v1/households/{homes[QIAOGUANG].pk}/"):
        response = client.get(url)
        assert response.status_code == 200
        assert not any(number in response.content.decode() for number in numbers), url
    rows = results(client.get("/api/v1/residents/"))
    for row in rows:
        resident = Resident.objects.get(pk=row["id"])
        assert row["id_number_masked"] == idnumbers.mask(resident.id_number)
        assert row["id_number_masked"].startswith("440402********") and "id_number" not in row
    household = results(client.get("/api/v1/households/"))[0]
    assert household["head"]["id_number_masked"].count("*") == 8
    assert not IdReveal.objects.exists()


def test_detail_reveals_the_full_number_to_staff_with_the_capability_and_logs_each_time(homes, staff_factory):
    user = staff_factory(Role.CASEWORKER, QIAOGUANG)
    client = staff_client(user)
    resident = head_of(homes[QIAOGUANG])

    for times in (1, 2):
        body = client.get(f"/api/v1/residents/{resident.pk}/").json()
        assert body["id_number"] == resident.id_number
        assert body["id_number_masked"] == idnumbers.mask(resident.id_number)
        assert IdReveal.objects.filter(resident=resident, actor=user, channel="api").count() == times


def test_staff_without_the_capability_get_the_masked_number_and_no_log(homes, staff_factory):
    client = staff_client(staff_factory(Role.CHILD_DIRECTOR, QIAOGUANG))
    resident = head_of(homes[QIAOGUANG])

    body = client.get(f"/api/v1/residents/{resident.pk}/").json()
    assert body["id_number"] == body["id_number_masked"] == idnumbers.mask(resident.id_number)
    assert not IdReveal.objects.exists()


def test_partner_needs_the_reveal_scope_and_each_reveal_is_logged(homes):
    resident = head_of(homes[QIAOGUANG])
    url = f"/api/v1/residents/{resident.pk}/"

    masked = partner_client("registry:read", QIAOGUANG).get(url).json()
    assert masked["id_number"] == idnumbers.mask(resident.id_number)
    assert not IdReveal.objects.exists()

    revealing = partner_client("registry:read,registry:reveal_id", QIAOGUANG)
    assert revealing.get(url).json()["id_number"] == resident.id_number
    assert revealing.get(url).json()["id_number"] == resident.id_number
    reveals = IdReveal.objects.filter(resident=resident)
    assert reveals.count() == 2
    assert all(r.actor is None and r.actor_label == "partner: 民政合作方" and r.channel == "api" for r in reveals)


# ------------------------------------------------------------------------------------------------ create


def test_create_household_with_members(regions, staff_factory):
    user = staff_factory(Role.CASEWORKER, QIAOGUANG)
    body = {
        "region": QIAOGUANG,
        "address": " 侨光路8号 ",
        "members": [
            member(51, "陈静", phone="13800000001"),
            member(52, "陈晨", "child", disability_category="visual", disability_grade=2),
        ],
    }
    response = staff_client(user).post("/api/v1/households/", body, format="json")

    assert response.status_code == 201, response.content
    data = response.json()
    household = Household.objects.get(pk=data["id"])
    assert data["number"] == household.number and data["region"] == QIAOGUANG and data["address"] == "侨光路8号"
    assert data["size"] == 2 and data["head"]["name"] == "陈静"
    assert [m["id_number_masked"] for m in data["members"]] == [idnumbers.mask(id_no(51)), idnumbers.mask(id_no(52))]
    assert id_no(51) not in response.content.decode()
    child = Resident.objects.get(id_number=id_no(52))
    assert child.sex == "F" and child.birth_date.isoformat() == "1980-01-01" and child.disability_grade == 2
    assert household.head.name == "陈静" and HouseholdMembership.objects.filter(household=household).count() == 2
    rows = FieldChange.objects.filter(action="created", actor=user)
    assert rows.filter(object_id=household.pk, field="address", after="侨光路8号").exists()
    assert rows.filter(object_id=child.pk, field="id_number", after=idnumbers.mask(id_no(52))).exists()


def test_invalid_id_number_is_400_naming_the_member_field_and_saves_nothing(regions, staff_factory):
    client = staff_client(staff_factory(Role.CASEWORKER, QIAOGUANG))
    wrong = id_no(62)[:17] + ("0" if id_no(62)[17] != "0" else "1")
    body = {
        "region": QIAOGUANG,
        "address": "侨光路6号",
        "members": [member(61, "周杰"), {"id_number": wrong, "name": "周芷", "relationship": "spouse"}],
    }

    body = assert_error(client.post("/api/v1/households/", body, format="json"), 400, "invalid_id_number")

    assert list(body["fields"]) == ["members.1.id_number"]
    assert body["fields"]["members.1.id_number"][0]
    assert not Household.objects.exists() and not Resident.objects.exists() and not FieldChange.objects.exists()


def test_shape_errors_use_the_same_dotted_field_names(regions, staff_factory):
    client = staff_client(staff_factory(Role.CASEWORKER, QIAOGUANG))
    body = {"region": QIAOGUANG, "address": "侨光路6号", "members": [member(61, "周杰"), {"id_number": id_no(62)}]}

    body = assert_error(client.post("/api/v1/households/", body, format="json"), 400, "invalid")

    assert set(body["fields"]) == {"members.1.name", "members.1.relationship"}
    assert not Household.objects.exists() and not Resident.objects.exists()


def test_household_needs_exactly_one_head(regions, staff_factory):
    client = staff_client(staff_factory(Role.CASEWORKER, QIAOGUANG))
    body = {"region": QIAOGUANG, "address": "侨光路6号", "members": [member(61, "周杰", "spouse")]}
    assert "members" in assert_error(client.post("/api/v1/households/", body, format="json"), 400)["fields"]
    assert not Household.objects.exists()


def test_duplicate_id_number_is_refused_with_a_clear_error(homes, staff_factory):
    client = staff_client(staff_factory(Role.CASEWORKER, QIAOGUANG))
    taken_here, taken_elsewhere = head_of(homes[QIAOGUANG]), head_of(homes[KANGNING])

    body = {"region": QIAOGUANG, "address": "侨光路7号", "members": [member(11, "张伟")]}
    error = assert_error(client.post("/api/v1/households/", body, format="json"), 400)
    assert error["fields"]["members.0.id_number"] and error["code"] == "duplicate_id_number"
    assert homes[QIAOGUANG].number in error["fields"]["members.0.id_number"][0]

    # Outside the caller's area: only the fact, not who or where.
    body["members"] = [member(31, "刘洋")]
    message = assert_error(client.post("/api/v1/households/", body, format="json"), 400)["fields"][
        "members.0.id_number"
    ]
    assert taken_elsewhere.name not in message[0] and homes[KANGNING].number not in message[0]

    body = {"household": homes[QIAOGUANG].pk, **member(11, "张伟", "child")}
    error = assert_error(client.post("/api/v1/residents/", body, format="json"), 400, "duplicate_id_number")
    assert set(error["fields"]) == {"id_number"}
    assert Household.objects.count() == 3 and Resident.objects.count() == 4
    assert Resident.objects.get(id_number=taken_here.id_number) == taken_here


def test_add_a_member_to_an_existing_household(homes, staff_factory):
    user = staff_factory(Role.CASEWORKER, QIAOGUANG)
    household = homes[QIAOGUANG]
    body = {"household": household.pk, **member(13, "张小伟", "child", phone="13900000000")}

    response = staff_client(user).post("/api/v1/residents/", body, format="json")

    assert response.status_code == 201, response.content
    data = response.json()
    resident = Resident.objects.get(pk=data["id"])
    assert data["household"] == household.pk and data["region"] == QIAOGUANG and data["sex"] == "M"
    assert data["id_number"] == data["id_number_masked"] == idnumbers.mask(id_no(13))
    assert HouseholdMembership.objects.filter(resident=resident, household=household, ended_at=None).exists()
    assert FieldChange.objects.filter(object_id=resident.pk, action="created", field="name", after="张小伟").exists()
    household.refresh_from_db()
    assert household.head.name == "张伟"


def test_a_second_head_is_refused(homes, staff_factory):
    client = staff_client(staff_factory(Role.CASEWORKER, QIAOGUANG))
    body = {"household": homes[QIAOGUANG].pk, **member(14, "张二")}
    assert "relationship" in assert_error(client.post("/api/v1/residents/", body, format="json"), 400)["fields"]
    assert not Resident.objects.filter(name="张二").exists()


def test_idempotency_key_replays_a_household_creation(regions, staff_factory):
    client = staff_client(staff_factory(Role.CASEWORKER, QIAOGUANG))
    body = {"region": QIAOGUANG, "address": "侨光路5号", "members": [member(71, "吴磊")]}
    first = client.post("/api/v1/households/", body, format="json", HTTP_IDEMPOTENCY_KEY="k-1")
    second = client.post("/api/v1/households/", body, format="json", HTTP_IDEMPOTENCY_KEY="k-1")
    assert first.status_code == second.status_code == 201
    assert second["Idempotent-Replayed"] == "true" and first.json() == second.json()
    assert Household.objects.count() == 1


# ------------------------------------------------------------------------------------------------ update


def test_patch_household_leaves_field_history(homes, staff_factory):
    user = staff_factory(Role.CASEWORKER, QIAOGUANG)
    household = homes[QIAOGUANG]

    response = staff_client(user).patch(
        f"/api/v1/households/{household.pk}/", {"address": "侨光路100号", "is_rural": True}, format="json"
    )

    assert response.status_code == 200, response.content
    assert response.json()["address"] == "侨光路100号" and response.json()["is_rural"] is True
    changes = FieldChange.objects.filter(object_id=household.pk, action="changed", actor=user)
    assert {(c.field, c.before, c.after) for c in changes} == {
        ("address", "侨光路1号", "侨光路100号"),
        ("is_rural", "0", "1"),
    }


def test_patch_household_members_changes_some_and_adds_one(homes, staff_factory):
    user = staff_factory(Role.CASEWORKER, QIAOGUANG)
    household = homes[QIAOGUANG]
    spouse = Resident.objects.get(household=household, relationship="spouse")
    body = {"members": [{"id": spouse.pk, "phone": "13700000000"}, member(15, "张丽", "child")]}

    response = staff_client(user).patch(f"/api/v1/households/{household.pk}/", body, format="json")

    assert response.status_code == 200, response.content
    assert [m["name"] for m in response.json()["members"]] == ["张伟", "李娜", "张丽"]
    spouse.refresh_from_db()
    assert spouse.phone == "13700000000" and spouse.name == "李娜"
    assert FieldChange.objects.filter(object_id=spouse.pk, field="phone", before="", after="13700000000").exists()
    assert Resident.objects.get(id_number=id_no(15)).household == household


def test_patch_household_swaps_the_head(homes, staff_factory):
    client = staff_client(staff_factory(Role.CASEWORKER, QIAOGUANG))
    household = homes[QIAOGUANG]
    head, spouse = head_of(household), Resident.objects.get(household=household, relationship="spouse")

    lone = {"members": [{"id": spouse.pk, "relationship": "head"}]}
    error = assert_error(client.patch(f"/api/v1/households/{household.pk}/", lone, format="json"), 400)
    assert "members" in error["fields"]

    both = {"members": [{"id": spouse.pk, "relationship": "head"}, {"id": head.pk, "relationship": "spouse"}]}
    response = client.patch(f"/api/v1/households/{household.pk}/", both, format="json")
    assert response.status_code == 200, response.content
    assert response.json()["head"]["id"] == spouse.pk


def test_patch_resident_leaves_history_and_corrects_birth_date(homes, staff_factory):
    user = staff_factory(Role.CASEWORKER, QIAOGUANG)
    resident = Resident.objects.get(household=homes[QIAOGUANG], relationship="spouse")
    corrected = id_no(12, birth="19820315")

    response = staff_client(user).patch(
        f"/api/v1/residents/{resident.pk}/", {"id_number": corrected, "phone": "13600000000"}, format="json"
    )

    assert response.status_code == 200, response.content
    assert response.json()["birth_date"] == "1982-03-15" and response.json()["phone"] == "13600000000"
    resident.refresh_from_db()
    assert resident.id_number == corrected and resident.name == "李娜"
    changes = {c.field: (c.before, c.after) for c in FieldChange.objects.filter(object_id=resident.pk, actor=user)}
    assert changes["phone"] == ("", "13600000000")
    assert changes["id_number"] == (idnumbers.mask(id_no(12)), idnumbers.mask(corrected))
    assert changes["birth_date"] == ("1980-01-01", "1982-03-15")


def test_patch_resident_errors_name_the_resident_field(homes, staff_factory):
    client = staff_client(staff_factory(Role.CASEWORKER, QIAOGUANG))
    spouse = Resident.objects.get(household=homes[QIAOGUANG], relationship="spouse")
    url = f"/api/v1/residents/{spouse.pk}/"

    error = assert_error(client.patch(url, {"id_number": "44040219800101"}, format="json"), 400)
    assert list(error["fields"]) == ["id_number"]
    error = assert_error(client.patch(url, {"relationship": "head"}, format="json"), 400)
    assert list(error["fields"]) == ["relationship"]
    error = assert_error(client.patch(url, {"disability_category": "visual"}, format="json"), 400)
    assert list(error["fields"]) == ["disability_grade"]
    assert not FieldChange.objects.filter(action="changed").exists()


# ------------------------------------------------------------------------------------------- permissions


@pytest.mark.parametrize(
    "scopes, method, expected",
    [
        ("regions:read", "get", 403),
        ("registry:write", "get", 403),
        ("registry:read", "post", 403),
        ("registry:read", "patch", 403),
        ("registry:read", "get", 200),
    ],
)
def test_partner_needs_the_scope_for_the_method(homes, scopes, method, expected):
    client = partner_client(scopes, QIAOGUANG)
    household = homes[QIAOGUANG]
    if method == "get":
        response = client.get("/api/v1/households/")
    elif method == "post":
        response = client.post("/api/v1/households/", {"address": "x"}, format="json")
    else:
        response = client.patch(f"/api/v1/households/{household.pk}/", {"address": "x"}, format="json")
    assert response.status_code == expected
    if expected == 403:
        assert_error(response, 403, "permission_denied")
    assert Household.objects.get(pk=household.pk).address == "侨光路1号"


@pytest.mark.parametrize(
    "role, region, method",
    [
        (Role.MEAL_OPERATOR, "440402005003", "get"),
        (Role.CHILD_DIRECTOR, QIAOGUANG, "post"),
        (Role.DISTRICT_APPROVER, "440402000000", "patch"),
    ],
)
def test_staff_need_the_capability_for_the_method(homes, staff_factory, role, region, method):
    client = staff_client(staff_factory(role, region))
    url = f"/api/v1/residents/{head_of(homes[QIAOGUANG]).pk}/" if method == "patch" else "/api/v1/residents/"
    response = getattr(client, method)(url, {"phone": "1"} if method != "get" else None, format="json")
    assert_error(response, 403, "permission_denied")


def test_anonymous_gets_401(homes):
    assert_error(APIClient().get("/api/v1/households/"), 401, "not_authenticated")
    assert_error(APIClient().get(f"/api/v1/residents/{head_of(homes[QIAOGUANG]).pk}/"), 401)


def test_partner_with_the_write_scope_can_register_a_household(regions):
    client = partner_client("registry:read,registry:write", QIAOGUANG)
    body = {"region": QIAOGUANG, "address": "侨光路4号", "members": [member(81, "郑爽")]}
    response = client.post("/api/v1/households/", body, format="json")
    assert response.status_code == 201, response.content
    assert FieldChange.objects.filter(actor=None, actor_label="partner: 民政合作方", action="created").exists()


# -------------------------------------------------------------------------------------- lookups and lists


def test_lookup_by_id_number(homes):
    client = partner_client("registry:read", GONGBEI_STREET)
    resident = Resident.objects.get(name="李娜")

    rows = results(client.get(f"/api/v1/residents/?id_number={resident.id_number.lower()}"))
    assert [r["id"] for r in rows] == [resident.pk]
    assert rows[0]["id_number_masked"] == idnumbers.mask(resident.id_number)
    assert results(client.get(f"/api/v1/residents/?id_number={id_no(99)}")) == []


def test_list_filters(homes):
    client = partner_client("registry:read", GONGBEI_STREET)
    qiaoguang, gongbei = homes[QIAOGUANG], homes[GONGBEI]

    assert [h["id"] for h in results(client.get(f"/api/v1/households/?region={GONGBEI}"))] == [gongbei.pk]
    assert [h["id"] for h in results(client.get("/api/v1/households/?q=李"))] == [qiaoguang.pk]
    assert [h["id"] for h in results(client.get("/api/v1/households/?q=拱北路"))] == [gongbei.pk]
    assert [h["id"] for h in results(client.get(f"/api/v1/households/?q={id_no(21)}"))] == [gongbei.pk]
    assert results(client.get("/api/v1/households/?q=康宁路")) == []
    names = [r["name"] for r in results(client.get(f"/api/v1/residents/?household={qiaoguang.pk}"))]
    assert names == ["张伟", "李娜"]
    assert [r["name"] for r in results(client.get("/api/v1/residents/?name=王"))] == ["王芳"]
    assert_error(client.get("/api/v1/residents/?household=abc"), 400, "invalid")


def test_cursor_pagination_walks_every_household_once(regions, root, staff_factory, django_assert_max_num_queries):
    for i in range(7):
        household_create(actor=root, region_code=QIAOGUANG, address=f"侨光路{i}号", members=[member(100 + i, "居民")])
    household_create(actor=root, region_code=KANGNING, address="康宁路1号", members=[member(120, "外人")])
    client = staff_client(staff_factory(Role.CASEWORKER, QIAOGUANG))

    seen, url, pages = [], "/api/v1/households/?page_size=3", 0
    while url:
        with django_assert_max_num_queries(5):  # session, user, user's region, the page, its member counts
            page = client.get(url).json()
        seen += [h["id"] for h in page["results"]]
        url, pages = page["next"], pages + 1
    assert pages == 3 and len(seen) == len(set(seen)) == 7
    assert seen == sorted(seen)

    seen, url = [], "/api/v1/residents/?page_size=4"
    while url:
        with django_assert_max_num_queries(4):
            page = client.get(url).json()
        seen += [r["id"] for r in page["results"]]
        url = page["next"]
    assert len(seen) == len(set(seen)) == 7


def test_list_and_detail_query_counts_do_not_grow_with_the_data(regions, root, django_assert_max_num_queries):
    for i in range(10):
        household_create(
            actor=root,
            region_code=QIAOGUANG,
            address=f"侨光路{i}号",
            members=[member(200 + 2 * i, f"户主{i}"), member(201 + 2 * i, f"配偶{i}", "spouse")],
        )
    client = partner_client("registry:read,registry:reveal_id", GONGBEI_STREET)
    client.get("/api/v1/me/")  # the token's first use is recorded once
    household = Household.objects.last()

    with django_assert_max_num_queries(3):  # token, page, member counts of the page
        assert len(results(client.get("/api/v1/households/"))) == 10
    with django_assert_max_num_queries(2):
        assert len(results(client.get("/api/v1/residents/"))) == 20
    with django_assert_max_num_queries(3):
        assert len(client.get(f"/api/v1/households/{household.pk}/").json()["members"]) == 2
    with django_assert_max_num_queries(3):  # token, resident, reveal log
        assert client.get(f"/api/v1/residents/{household.head_id}/").status_code == 200


# ------------------------------------------------------------------------------------------------ schema


def test_schema_documents_the_registry_endpoints(client, db):
    response = client.get("/api/schema/", {"format": "json"})
    assert response.status_code == 200
    schema = json.loads(response.content) if response.content.startswith(b"{") else yaml.safe_load(response.content)
    paths = schema["paths"]
    expected = {
        ("/api/v1/households/", "get"): ("households_list", {"200", "400", "401", "403"}),
        ("/api/v1/households/", "post"): ("households_create", {"201", "400", "401", "403", "422"}),
        ("/api/v1/households/{id}/", "get"): ("households_retrieve", {"200", "401", "403", "404"}),
        ("/api/v1/households/{id}/", "patch"): ("households_partial_update", {"200", "400", "401", "403", "404"}),
        ("/api/v1/residents/", "get"): ("residents_list", {"200", "400", "401", "403"}),
        ("/api/v1/residents/", "post"): ("residents_create", {"201", "400", "401", "403", "422"}),
        ("/api/v1/residents/{id}/", "get"): ("residents_retrieve", {"200", "401", "403", "404"}),
        ("/api/v1/residents/{id}/", "patch"): ("residents_partial_update", {"200", "400", "401", "403", "404"}),
    }
    for (path, method), (operation_id, codes) in expected.items():
        operation = paths[path][method]
        assert operation["operationId"] == operation_id
        assert codes <= set(operation["responses"]), (path, method)
        assert "put" not in paths[path] and "delete" not in paths[path]
    params = {p["name"] for p in paths["/api/v1/residents/"]["get"]["parameters"]}
    assert {"cursor", "page_size", "id_number", "household", "name"} <= params
    params = {p["name"] for p in paths["/api/v1/households/"]["get"]["parameters"]}
    assert {"cursor", "q", "region"} <= params


def test_registry_scopes_are_registered():
    from civic.api.scopes import SCOPES

    assert {"registry:read", "registry:write", "registry:reveal_id"} <= set(SCOPES)
