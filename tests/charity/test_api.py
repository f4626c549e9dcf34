"""/api/v1/charity/: partners (charity:read) and staff read social organisations with their funds, fund ledgers,
projects with their activities and pairings within their area; staff refer families relief cannot cover and
follow the referrals to an outcome. Families appear by their household file number only, never by a name or an
ID number."""

import json
import re
from datetime import timedelta
from decimal import Decimal
from types import SimpleNamespace

import pytest
import yaml
from django.core.management import call_command
from django.utils import timezone
from rest_framework.test import APIClient

from charity import services
from charity.models import Fund, ReferralStatus
from civic.models import ApiToken
from civic.roles import Role
from tests.charity.conftest import credit_code

D = Decimal
API = "/api/v1/charity/"
ORGANISATIONS = f"{API}organisations/"
FUNDS = f"{API}funds/"
PROJECTS = f"{API}projects/"
PAIRINGS = f"{API}pairings/"
REFERRALS = f"{API}referrals/"
CITY = "440400000000"
XIANGZHOU = "440402000000"
GONGBEI_STREET = "440402005000"
QIAOGUANG = "440402005001"
DOUMEN = "440403000000"
JINGAN = "440403100000"  # 斗门区 › 井岸镇
XINTANG = "440403100001"  # 斗门区 › 井岸镇 › 新堂社区
MONEY = re.compile(r"^\d+\.\d{2}$")


def partner(scopes, region=XIANGZHOU, name="区慈善信息平台"):
    """A partner system's client and its token, stored as create_partner stores one (only the hash)."""
    raw, key_hash, hint = ApiToken.generate()
    token = ApiToken.objects.create(
        name=name, key_hash=key_hash, key_hint=hint, scopes=sorted(scopes), region_id=region
    )
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Bearer {raw}")
    return client, token


def logged_in(user):
    client = APIClient()
    client.force_login(user)
    return client


def ids(response):
    assert response.status_code == 200, response.content
    return sorted(row["id"] for row in response.json()["results"])


def text(response):
    return response.content.decode("utf-8")


@pytest.fixture
def reader(regions):
    """香洲区's charity platform: a partner with charity:read."""
    return partner(["charity:read"])[0]


@pytest.fixture
def officer_client(charity_officer):
    return logged_in(charity_officer)


@pytest.fixture
def caseworker_client(caseworker):
    return logged_in(caseworker)


@pytest.fixture
def household_pairing(charity_officer, organisation, family):
    pairing = services.pairing_create(
        actor=charity_officer,
        organisation=organisation,
        household=family,
        started_on=timezone.localdate() - timedelta(days=90),
        commitment="每月探访",
    )
    services.pairing_activity_record(
        actor=charity_officer, pairing=pairing, description="送米送油", beneficiaries=3, value="200"
    )
    services.pairing_activity_record(actor=charity_officer, pairing=pairing, description="中秋慰问", value="100")
    return pairing


@pytest.fixture
def doumen(staff_factory, household_factory, regions):
    """The same kinds of records in 斗门区, another district: none of them exists for 香洲区."""
    officer = staff_factory(Role.CHARITY_OFFICER, "440403", username="doumen-charity")
    caseworker = staff_factory(Role.CASEWORKER, XINTANG, username="xintang-caseworker")
    organisation = services.organisation_register(
        actor=officer,
        region_code=DOUMEN,
        name="斗门区慈善会",
        kind="foundation",
        credit_code=credit_code(2, region="440403"),
    )
    fund = services.fund_open(actor=officer, organisation=organisation, name="斗门助医基金")
    services.donation_record(actor=officer, fund=fund, donor="斗门爱心企业", amount="800")
    project = services.project_create(
        actor=officer,
        organisation=organisation,
        name="井岸助老",
        category="elderly_aid",
        region_code=JINGAN,
        budget="1000",
        starts_on=timezone.localdate() - timedelta(days=10),
    )
    pairing = services.pairing_create(
        actor=officer, organisation=organisation, street=regions[JINGAN], started_on=timezone.localdate()
    )
    household = household_factory(XINTANG, size=2, names=["黄志强", "黄丽"])
    referral = services.referral_create(
        actor=caseworker, household=household, reason="judgement", need="医疗费用", channel="fund", fund=fund
    )
    return SimpleNamespace(
        officer=officer,
        caseworker=caseworker,
        organisation=organisation,
        fund=fund,
        project=project,
        pairing=pairing,
        household=household,
        referral=referral,
    )


def refer(client, family, application, fund, **extra):
    body = {
        "household": family.pk,
        "reason": "refused",
        "application": application.pk,
        "need": "孩子上学费用困难",
        "amount_sought": "1500.00",
        "channel": "fund",
        "fund": fund.pk,
        **extra,
    }
    return client.post(REFERRALS, body, format="json")


# ------------------------------------------------------------------------------------------- organisations


def test_organisations_are_read_with_their_grade_and_funds(reader, organisation, fund, staff_factory, doumen):
    city_manager = staff_factory(Role.CITY_MANAGER, "440400", username="city-charity")
    federation = services.organisation_register(
        actor=city_manager, region_code=CITY, name="珠海市慈善总会", kind="foundation", credit_code=credit_code(3)
    )
    # 香洲区 sees its own organisations and the city's, not 斗门区's.
    assert ids(reader.get(ORGANISATIONS)) == sorted([organisation.pk, federation.pk])

    detail = reader.get(f"{ORGANISATIONS}{organisation.pk}/")
    assert detail.status_code == 200, detail.content
    body = detail.json()
    valid_from = timezone.localdate() - timedelta(days=400)
    assert body == {
        "id": organisation.pk,
        "name": "香洲区慈善会",
        "kind": "social_group",
        "credit_code": organisation.credit_code,
        "grade": "4A",
        "grade_valid_from": valid_from.isoformat(),
        "grade_valid_until": services.grade_valid_years_after(valid_from).isoformat(),
        "grade_valid": True,
        "region": XIANGZHOU,
        "region_name": "香洲区",
        "funds": [{"id": fund.pk, "name": "困难家庭救助基金", "balance": "5000.00"}],
    }
    listed = next(row for row in reader.get(ORGANISATIONS).json()["results"] if row["id"] == organisation.pk)
    assert listed == {key: value for key, value in body.items() if key != "funds"}
    city = reader.get(f"{ORGANISATIONS}{federation.pk}/").json()
    assert (city["grade"], city["grade_valid"], city["funds"]) == ("", False, [])

    # An expired grade is shown, but not valid.
    type(organisation).objects.filter(pk=organisation.pk).update(
        grade_valid_until=timezone.localdate() - timedelta(days=1)
    )
    assert reader.get(f"{ORGANISATIONS}{organisation.pk}/").json()["grade_valid"] is False


def test_organisation_filters(reader, organisation, staff_factory):
    city_manager = staff_factory(Role.CITY_MANAGER, "440400", username="city-charity")
    federation = services.organisation_register(
        actor=city_manager, region_code=CITY, name="珠海市慈善总会", kind="foundation", credit_code=credit_code(3)
    )
    assert ids(reader.get(ORGANISATIONS, {"kind": "foundation"})) == [federation.pk]
    assert ids(reader.get(ORGANISATIONS, {"grade": "4A"})) == [organisation.pk]
    assert ids(reader.get(ORGANISATIONS, {"grade": "5A"})) == []
    assert ids(reader.get(ORGANISATIONS, {"region": XIANGZHOU})) == [organisation.pk]
    assert ids(reader.get(ORGANISATIONS, {"region": DOUMEN})) == []
    assert ids(reader.get(ORGANISATIONS, {"region": "999999999999"})) == []
    assert ids(reader.get(ORGANISATIONS, {"q": "慈善总会"})) == [federation.pk]
    assert ids(reader.get(ORGANISATIONS, {"q": organisation.credit_code[-8:].lower()})) == [organisation.pk]
    response = reader.get(ORGANISATIONS, {"kind": "club", "grade": "6A"})
    assert response.status_code == 400 and response.json()["code"] == "invalid"
    assert set(response.json()["fields"]) == {"kind", "grade"}


# --------------------------------------------------------------------------------------------------- funds


def test_funds_and_their_ledger(reader, charity_officer, fund, project, family, officer_client):
    services.grant_make(actor=charity_officer, fund=fund, amount="1000", project=project, purpose="助学金")
    services.grant_make(actor=charity_officer, fund=fund, amount="500.50", household=family, purpose="临时困难补助")

    assert ids(reader.get(FUNDS)) == [fund.pk]
    detail = reader.get(f"{FUNDS}{fund.pk}/").json()
    assert detail == {
        "id": fund.pk,
        "name": "困难家庭救助基金",
        "balance": "3499.50",
        "organisation": fund.organisation_id,
        "organisation_name": "香洲区慈善会",
        "region": XIANGZHOU,
    }
    assert ids(reader.get(FUNDS, {"organisation": fund.organisation_id})) == [fund.pk]
    assert ids(reader.get(FUNDS, {"organisation": 999999})) == []

    response = reader.get(f"{FUNDS}{fund.pk}/entries/")
    assert response.status_code == 200, response.content
    entries = response.json()["results"]
    today = timezone.localdate().isoformat()
    assert [(e["kind"], e["amount"], e["balance_after"]) for e in entries] == [
        ("donation", "5000.00", "5000.00"),
        ("grant", "1000.00", "4000.00"),
        ("grant", "500.50", "3499.50"),
    ]
    donation, to_project, to_family = entries
    assert (donation["party"], donation["on"], donation["project"], donation["household_number"]) == (
        "珠海爱心企业",
        today,
        None,
        None,
    )
    assert (to_project["party"], to_project["purpose"], to_project["project"]) == ("拱北助学计划", "助学金", project.pk)
    # The grant went to the family's head by name; the API shows the household's file number only.
    assert to_family["household_number"] == family.number == to_family["party"]
    assert to_family["purpose"] == "临时困难补助"
    for member in family.members.all():
        assert member.name not in text(response) and member.id_number not in text(response)
    assert officer_client.get(f"{FUNDS}{fund.pk}/entries/").json()["results"] == entries


# ------------------------------------------------------------------------------------------------ projects


def test_projects_show_funds_raised_spent_and_activities_without_names(
    reader, charity_officer, fund, project, family, organisation, django_assert_max_num_queries
):
    services.grant_make(actor=charity_officer, fund=fund, amount="1000", project=project)
    members = list(family.members.all())
    services.activity_record(
        actor=charity_officer,
        project=project,
        place="拱北小学",
        beneficiaries=5,
        residents=members[:2],
        description="发放助学金",
        spent="300",
        on=timezone.localdate() - timedelta(days=2),
    )
    services.activity_record(
        actor=charity_officer, project=project, place="侨光社区", beneficiaries=12, description="学习辅导"
    )
    planned = services.project_create(
        actor=charity_officer,
        organisation=organisation,
        name="香洲应急培训",
        category="emergency_training",
        region_code=XIANGZHOU,
        budget="5000",
    )

    with django_assert_max_num_queries(5):
        listed = reader.get(PROJECTS)
    assert ids(listed) == sorted([project.pk, planned.pk])
    row = next(row for row in listed.json()["results"] if row["id"] == project.pk)
    assert row == {
        "id": project.pk,
        "name": "拱北助学计划",
        "organisation": organisation.pk,
        "organisation_name": "香洲区慈善会",
        "category": "student_aid",
        "status": "running",
        "region": GONGBEI_STREET,
        "region_name": "拱北街道",
        "budget": "20000.00",
        "raised": "1000.00",
        "spent": "300.00",
        "starts_on": project.starts_on.isoformat(),
        "ends_on": None,
    }

    with django_assert_max_num_queries(5):
        response = reader.get(f"{PROJECTS}{project.pk}/")
    assert response.status_code == 200, response.content
    body = response.json()
    assert {key: body[key] for key in row} == row
    activities = [{k: v for k, v in a.items() if k != "id"} for a in body["activities"]]
    assert activities == [
        {
            "on": timezone.localdate().isoformat(),
            "place": "侨光社区",
            "description": "学习辅导",
            "beneficiaries": 12,
            "named_beneficiaries": 0,
            "spent": "0.00",
        },
        {
            "on": (timezone.localdate() - timedelta(days=2)).isoformat(),
            "place": "拱北小学",
            "description": "发放助学金",
            "beneficiaries": 5,
            "named_beneficiaries": 2,
            "spent": "300.00",
        },
    ]
    for member in members:
        assert member.name not in text(response) and member.id_number not in text(response)
        assert member.id_number_masked not in text(response)
    empty = reader.get(f"{PROJECTS}{planned.pk}/").json()
    assert (empty["raised"], empty["spent"], empty["activities"]) == ("0.00", "0.00", [])

    assert ids(reader.get(PROJECTS, {"category": "student_aid"})) == [project.pk]
    assert ids(reader.get(PROJECTS, {"status": "planned"})) == [planned.pk]
    assert ids(reader.get(PROJECTS, {"region": GONGBEI_STREET})) == [project.pk]
    assert ids(reader.get(PROJECTS, {"region": "440402001000"})) == []
    response = reader.get(PROJECTS, {"status": "paused"})
    assert response.status_code == 400 and set(response.json()["fields"]) == {"status"}


# ------------------------------------------------------------------------------------------------ pairings


def test_pairings_show_the_helper_and_a_household_by_its_number_only(
    reader, street_pairing, household_pairing, family, django_assert_max_num_queries
):
    with django_assert_max_num_queries(4):
        response = reader.get(PAIRINGS)
    assert ids(response) == sorted([street_pairing.pk, household_pairing.pk])
    rows = {row["id"]: row for row in response.json()["results"]}
    assert rows[household_pairing.pk] == {
        "id": household_pairing.pk,
        "helper_name": "香洲区慈善会",
        "organisation": household_pairing.organisation_id,
        "target": "household",
        "region": QIAOGUANG,
        "region_name": "侨光社区",
        "household_number": family.number,
        "started_on": household_pairing.started_on.isoformat(),
        "ends_on": None,
        "status": "active",
        "commitment": "每月探访",
        "activity_count": 2,
        "beneficiaries": 4,  # 3, and 1 (the household) when no number is given
    }
    street = rows[street_pairing.pk]
    assert (street["target"], street["region"], street["region_name"]) == ("street", GONGBEI_STREET, "拱北街道")
    assert (street["household_number"], street["activity_count"], street["beneficiaries"]) == (None, 0, 0)
    for member in family.members.all():
        assert member.name not in text(response) and member.id_number not in text(response)

    detail = reader.get(f"{PAIRINGS}{household_pairing.pk}/")
    assert detail.status_code == 200 and detail.json() == rows[household_pairing.pk]

    assert ids(reader.get(PAIRINGS, {"target": "street"})) == [street_pairing.pk]
    assert ids(reader.get(PAIRINGS, {"region": QIAOGUANG})) == [household_pairing.pk]
    assert ids(reader.get(PAIRINGS, {"region": GONGBEI_STREET})) == sorted([street_pairing.pk, household_pairing.pk])
    assert ids(reader.get(PAIRINGS, {"status": "ended"})) == []
    response = reader.get(PAIRINGS, {"target": "village"})
    assert response.status_code == 400 and set(response.json()["fields"]) == {"target"}


# --------------------------------------------------------------------------------- scope and permissions


def test_another_districts_records_do_not_exist_for_the_caller(
    doumen, organisation, fund, project, street_pairing, officer_client, caseworker, family, refused_application
):
    xiangzhou_referral = services.referral_create(
        actor=caseworker,
        household=family,
        reason="refused",
        application=refused_application,
        need="学费",
        channel="fund",
        fund=fund,
    )
    doumen_token, _token = partner(["charity:read"], region=DOUMEN, name="斗门区慈善平台")
    doumen_officer = logged_in(doumen.officer)
    for client in (doumen_token, doumen_officer):
        assert ids(client.get(ORGANISATIONS)) == [doumen.organisation.pk]
        assert ids(client.get(FUNDS)) == [doumen.fund.pk]
        assert ids(client.get(PROJECTS)) == [doumen.project.pk]
        assert ids(client.get(PAIRINGS)) == [doumen.pairing.pk]
        for url in (
            f"{ORGANISATIONS}{organisation.pk}/",
            f"{FUNDS}{fund.pk}/",
            f"{FUNDS}{fund.pk}/entries/",
            f"{PROJECTS}{project.pk}/",
            f"{PAIRINGS}{street_pairing.pk}/",
            f"{PROJECTS}999999/",
        ):
            response = client.get(url)
            assert response.status_code == 404 and response.json()["code"] == "not_found", url

    assert ids(doumen_officer.get(REFERRALS)) == [doumen.referral.pk]
    assert doumen_officer.get(f"{REFERRALS}{xiangzhou_referral.pk}/").status_code == 404
    response = doumen_officer.post(f"{REFERRALS}{xiangzhou_referral.pk}/accept/", {}, format="json")
    assert response.status_code == 404 and response.json()["code"] == "not_found"
    assert doumen_officer.post(f"{REFERRALS}{xiangzhou_referral.pk}/help/", {"description": "x"}).status_code == 404

    # And the other way round.
    assert ids(officer_client.get(REFERRALS)) == [xiangzhou_referral.pk]
    assert officer_client.get(f"{REFERRALS}{doumen.referral.pk}/").status_code == 404
    assert officer_client.get(f"{FUNDS}{doumen.fund.pk}/entries/").status_code == 404
    assert officer_client.get(f"{PAIRINGS}{doumen.pairing.pk}/").status_code == 404
    xiangzhou_referral.refresh_from_db()
    assert xiangzhou_referral.status == ReferralStatus.REFERRED


def test_reads_need_the_scope_or_the_capability_and_referrals_are_for_staff(
    organisation, fund, project, street_pairing, staff_factory, family, caseworker, refused_application
):
    referral = services.referral_create(
        actor=caseworker, household=family, reason="judgement", need="学费", channel="fund", fund=fund
    )
    other_scope, _token = partner(["eldercare:read"], name="区养老平台")
    reader, _token = partner(["charity:read"])
    child_director = logged_in(staff_factory(Role.CHILD_DIRECTOR, QIAOGUANG, username="child-director"))
    reads = [
        ORGANISATIONS,
        f"{ORGANISATIONS}{organisation.pk}/",
        FUNDS,
        f"{FUNDS}{fund.pk}/",
        f"{FUNDS}{fund.pk}/entries/",
        PROJECTS,
        f"{PROJECTS}{project.pk}/",
        PAIRINGS,
        f"{PAIRINGS}{street_pairing.pk}/",
    ]
    referral_reads = [REFERRALS, f"{REFERRALS}{referral.pk}/"]
    for url in reads + referral_reads:
        for client in (other_scope, child_director):
            response = client.get(url)
            assert response.status_code == 403 and response.json()["code"] == "permission_denied", url
        assert APIClient().get(url).status_code == 401, url
    for url in reads:
        assert reader.get(url).status_code == 200, url

    # No scope opens referrals to partners, also with charity:read.
    for url in referral_reads:
        assert reader.get(url).status_code == 403
    response = refer(reader, family, refused_application, fund)
    assert response.status_code == 403 and response.json()["code"] == "permission_denied"
    for step in ("accept", "decline", "help", "close"):
        assert reader.post(f"{REFERRALS}{referral.pk}/{step}/", {"reason": "x"}).status_code == 403
        assert APIClient().post(f"{REFERRALS}{referral.pk}/{step}/", {"reason": "x"}).status_code == 401
    assert APIClient().post(REFERRALS, {}).status_code == 401
    referral.refresh_from_db()
    assert referral.status == ReferralStatus.REFERRED


# ----------------------------------------------------------------------------------------------- referrals


def test_a_refused_family_is_referred_accepted_and_helped_through_the_fund_by_api(
    caseworker,
    charity_officer,
    caseworker_client,
    officer_client,
    family,
    refused_application,
    fund,
    reader,
    django_assert_max_num_queries,
):
    response = refer(caseworker_client, family, refused_application, fund)
    assert response.status_code == 201, response.content
    created = response.json()
    referral_id = created["id"]
    assert re.fullmatch(rf"CR{timezone.localdate():%Y}-\d{{6}}", created["number"])
    assert (created["household"], created["household_number"], created["region"]) == (
        family.pk,
        family.number,
        QIAOGUANG,
    )
    assert (created["reason"], created["application"], created["need"]) == (
        "refused",
        refused_application.pk,
        "孩子上学费用困难",
    )
    assert (created["channel"], created["fund"], created["pairing"], created["project"]) == (
        "fund",
        fund.pk,
        None,
        None,
    )
    assert (created["target_name"], created["status"], created["amount_sought"]) == (
        "困难家庭救助基金",
        "referred",
        "1500.00",
    )
    assert created["answer_due"] > timezone.localdate().isoformat() and created["answer_late"] is False
    assert (created["outcome"], created["help_value"], created["helped_on"], created["closed_at"]) == (
        "",
        "0.00",
        None,
        None,
    )
    assert [(e["status"], e["note"]) for e in created["events"]] == [("referred", "孩子上学费用困难")]
    assert caseworker_client.get(f"{REFERRALS}{referral_id}/").json() == created
    assert ids(caseworker_client.get(REFERRALS, {"status": "referred"})) == [referral_id]
    assert ids(caseworker_client.get(REFERRALS, {"household": family.pk, "channel": "fund"})) == [referral_id]
    assert ids(caseworker_client.get(REFERRALS, {"channel": "project"})) == []

    # The same family to the same fund while the first is open: refused.
    again = refer(caseworker_client, family, refused_application, fund)
    assert again.status_code == 409 and again.json()["code"] == "referral_open"

    # The caseworker refers; the district's charity officer answers.
    assert caseworker_client.post(f"{REFERRALS}{referral_id}/accept/", {}, format="json").status_code == 403
    response = officer_client.post(f"{REFERRALS}{referral_id}/accept/", {"note": "已联系家庭"}, format="json")
    assert response.status_code == 200, response.content
    assert response.json()["status"] == "accepted"

    help_body = {"description": "资助学费", "value": "1200.00"}
    with django_assert_max_num_queries(30):
        response = officer_client.post(f"{REFERRALS}{referral_id}/help/", help_body, format="json")
    assert response.status_code == 200, response.content
    helped = response.json()
    today = timezone.localdate().isoformat()
    assert (helped["status"], helped["help_value"], helped["helped_on"], helped["outcome"]) == (
        "helped",
        "1200.00",
        today,
        "资助学费",
    )
    assert helped["closed_at"] is not None
    assert [(e["status"], e["by"], e["note"]) for e in helped["events"]] == [
        ("referred", str(caseworker), "孩子上学费用困难"),
        ("accepted", str(charity_officer), "已联系家庭"),
        ("helped", str(charity_officer), "资助学费"),
    ]
    assert Fund.objects.get(pk=fund.pk).balance == D("3800.00")
    assert reader.get(f"{FUNDS}{fund.pk}/").json()["balance"] == "3800.00"
    ledger = reader.get(f"{FUNDS}{fund.pk}/entries/").json()["results"]
    assert (ledger[-1]["kind"], ledger[-1]["amount"], ledger[-1]["household_number"]) == (
        "grant",
        "1200.00",
        family.number,
    )

    # Helped is final: a second help, or any other step, is refused and grants nothing.
    for step, body in (("help", help_body), ("accept", {}), ("decline", {"reason": "x"}), ("close", {"reason": "x"})):
        response = officer_client.post(f"{REFERRALS}{referral_id}/{step}/", body, format="json")
        assert response.status_code == 409 and response.json()["code"] == "invalid_status", step
    assert Fund.objects.get(pk=fund.pk).balance == D("3800.00")


def test_help_beyond_the_funds_balance_is_refused_and_grants_nothing(caseworker, officer_client, family, fund):
    referral = services.referral_create(
        actor=caseworker, household=family, reason="judgement", need="医疗费", channel="fund", fund=fund
    )
    response = officer_client.post(
        f"{REFERRALS}{referral.pk}/help/", {"description": "医疗救助", "value": "5000.01"}, format="json"
    )
    assert response.status_code == 409 and response.json()["code"] == "insufficient_funds", response.content
    referral.refresh_from_db()
    assert referral.status == ReferralStatus.REFERRED and not referral.events.filter(status="helped").exists()
    assert Fund.objects.get(pk=fund.pk).balance == D("5000.00")
    # Through a fund, help is a grant: it needs a value above zero.
    response = officer_client.post(f"{REFERRALS}{referral.pk}/help/", {"description": "医疗救助"}, format="json")
    assert response.status_code == 400 and set(response.json()["fields"]) == {"value"}, response.content


def test_help_through_a_project_and_declining_and_closing(
    caseworker, caseworker_client, officer_client, family, project, street_pairing, fund, reader
):
    to_project = caseworker_client.post(
        REFERRALS,
        {"household": family.pk, "reason": "judgement", "need": "助学", "channel": "project", "project": project.pk},
        format="json",
    )
    assert to_project.status_code == 201, to_project.content
    project_referral = to_project.json()["id"]
    response = officer_client.post(
        f"{REFERRALS}{project_referral}/help/",
        {"description": "发放助学金", "value": "800", "place": "侨光社区服务站"},
        format="json",
    )
    assert response.status_code == 200, response.content
    assert (response.json()["status"], response.json()["help_value"]) == ("helped", "800.00")
    activity = reader.get(f"{PROJECTS}{project.pk}/").json()["activities"][0]
    assert (activity["place"], activity["beneficiaries"], activity["named_beneficiaries"]) == ("侨光社区服务站", 3, 3)

    to_pairing = services.referral_create(
        actor=caseworker, household=family, reason="judgement", need="陪伴", channel="pairing", pairing=street_pairing
    )
    response = officer_client.post(f"{REFERRALS}{to_pairing.pk}/decline/", {"reason": " "}, format="json")
    assert response.status_code == 400 and set(response.json()["fields"]) == {"reason"}
    response = officer_client.post(f"{REFERRALS}{to_pairing.pk}/decline/", {"reason": "本季度名额已满"}, format="json")
    assert response.status_code == 200, response.content
    assert (response.json()["status"], response.json()["outcome"]) == ("declined", "本季度名额已满")
    response = officer_client.post(f"{REFERRALS}{to_pairing.pk}/close/", {"reason": "x"}, format="json")
    assert response.status_code == 409 and response.json()["code"] == "invalid_status"

    to_fund = services.referral_create(
        actor=caseworker, household=family, reason="judgement", need="临时困难", channel="fund", fund=fund
    )
    assert officer_client.post(f"{REFERRALS}{to_fund.pk}/close/", {}, format="json").status_code == 400
    response = officer_client.post(f"{REFERRALS}{to_fund.pk}/close/", {"reason": "家庭已迁出"}, format="json")
    assert response.status_code == 200 and response.json()["status"] == "closed", response.content
    assert [e["status"] for e in response.json()["events"]] == ["referred", "closed"]
    assert ids(officer_client.get(REFERRALS, {"status": "closed"})) == [to_fund.pk]


def test_invalid_referrals_name_the_fields(caseworker_client, family, refused_application, fund, doumen):
    for body, named in (
        ({}, {"household", "reason", "need", "channel"}),
        ({"household": family.pk, "reason": "because", "need": "x", "channel": "fund", "fund": fund.pk}, {"reason"}),
        ({"household": family.pk, "reason": "judgement", "need": "   ", "channel": "fund", "fund": fund.pk}, {"need"}),
        ({"household": family.pk, "reason": "judgement", "need": "x", "channel": "bank", "fund": fund.pk}, {"channel"}),
        # The service's rules, named the same way.
        (
            {"household": family.pk, "reason": "refused", "need": "x", "channel": "fund", "fund": fund.pk},
            {"application"},
        ),
        ({"household": family.pk, "reason": "judgement", "need": "x", "channel": "fund"}, {"fund"}),
        (
            {
                "household": family.pk,
                "reason": "judgement",
                "need": "x",
                "channel": "fund",
                "fund": fund.pk,
                "amount_sought": "-5",
            },
            {"amount_sought"},
        ),
        (
            {
                "household": family.pk,
                "reason": "judgement",
                "need": "x",
                "channel": "fund",
                "fund": fund.pk,
                "amount_sought": "abc",
            },
            {"amount_sought"},
        ),
        # Records outside the caller's area do not exist for them.
        (
            {"household": doumen.household.pk, "reason": "judgement", "need": "x", "channel": "fund", "fund": fund.pk},
            {"household"},
        ),
        (
            {"household": family.pk, "reason": "judgement", "need": "x", "channel": "fund", "fund": doumen.fund.pk},
            {"fund"},
        ),
        (
            {
                "household": family.pk,
                "reason": "judgement",
                "need": "x",
                "channel": "project",
                "project": doumen.project.pk,
            },
            {"project"},
        ),
    ):
        response = caseworker_client.post(REFERRALS, body, format="json")
        assert response.status_code == 400, (body, response.content)
        assert response.json()["code"] == "invalid" and set(response.json()["fields"]) == named, response.content
    assert ids(caseworker_client.get(REFERRALS)) == []

    # The charity officer answers referrals but does not make them.
    response = refer(logged_in(doumen.officer), family, refused_application, fund)
    assert response.status_code == 403 and response.json()["code"] == "permission_denied"


# -------------------------------------------------------------------------------------------------- schema


def test_the_schema_documents_every_endpoint_and_refusal(client, db, tmp_path):
    call_command("spectacular", "--fail-on-warn", "--file", str(tmp_path / "schema.yaml"))
    response = client.get("/api/schema/", {"format": "json"})
    assert response.status_code == 200
    schema = json.loads(response.content) if response.content.startswith(b"{") else yaml.safe_load(response.content)
    paths = schema["paths"]
    reads = {"200", "401", "403"}
    expected = {
        (ORGANISATIONS, "get"): ("charity_organisations_list", reads | {"400"}),
        (ORGANISATIONS + "{id}/", "get"): ("charity_organisations_retrieve", reads | {"404"}),
        (FUNDS, "get"): ("charity_funds_list", reads | {"400"}),
        (FUNDS + "{id}/", "get"): ("charity_funds_retrieve", reads | {"404"}),
        (FUNDS + "{id}/entries/", "get"): ("charity_funds_entries_list", reads | {"404"}),
        (PROJECTS, "get"): ("charity_projects_list", reads | {"400"}),
        (PROJECTS + "{id}/", "get"): ("charity_projects_retrieve", reads | {"404"}),
        (PAIRINGS, "get"): ("charity_pairings_list", reads | {"400"}),
        (PAIRINGS + "{id}/", "get"): ("charity_pairings_retrieve", reads | {"404"}),
        (REFERRALS, "get"): ("charity_referrals_list", reads | {"400"}),
        (REFERRALS, "post"): ("charity_referrals_create", {"201", "400", "401", "403", "409", "422"}),
        (REFERRALS + "{id}/", "get"): ("charity_referrals_retrieve", reads | {"404"}),
    }
    for step in ("accept", "decline", "help", "close"):
        expected[(REFERRALS + "{id}/" + step + "/", "post")] = (
            f"charity_referrals_{step}_create",
            {"200", "400", "401", "403", "404", "409", "422"},
        )
    for (path, method), (operation_id, codes) in expected.items():
        operation = paths[path][method]
        assert operation["operationId"] == operation_id
        assert codes <= set(operation["responses"]), (path, method)
        for parameter in operation.get("parameters", []):
            if parameter["name"] == "id":
                assert parameter["schema"]["type"] == "integer"
    assert "referral_open" in paths[REFERRALS]["post"]["responses"]["409"]["description"]
    help_refusals = paths[REFERRALS + "{id}/help/"]["post"]["responses"]["409"]["description"]
    assert "invalid_status" in help_refusals and "insufficient_funds" in help_refusals
    assert "forbidden" in paths[REFERRALS + "{id}/help/"]["post"]["responses"]["403"]["description"]
    assert {"kind", "grade", "region", "q"} <= {p["name"] for p in paths[ORGANISATIONS]["get"]["parameters"]}
    assert {"category", "status", "region", "cursor"} <= {p["name"] for p in paths[PROJECTS]["get"]["parameters"]}
    assert {"target", "status", "region"} <= {p["name"] for p in paths[PAIRINGS]["get"]["parameters"]}

    components = schema["components"]["schemas"]
    entry = components["CharityFundEntryOutput"]["properties"]
    assert entry["balance_after"]["type"] == "string" and entry["balance_after"]["format"] == "decimal"
    assert components["CharityReferralStatusEnum"]["enum"] == [s.value for s in ReferralStatus]
    assert {"CharityProjectStatusEnum", "CharityPairingStatusEnum", "CharityProjectCategoryEnum"} <= set(components)


def test_the_scope_is_registered():
    from civic.api.scopes import SCOPES

    assert "charity:read" in SCOPES
