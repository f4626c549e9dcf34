"""POST /api/v1/relief/quotes/: an amount and its explanation under the policy in force, nothing saved."""

from datetime import date
from decimal import Decimal

import pytest
from django.core.management import call_command
from rest_framework.test import APIClient

from civic.roles import Role
from relief import quoting, rules
from relief.models import PolicyTopUp, ReliefPolicy
from relief.selectors import policy_in_force

QIAOGUANG = "440402005001"  # 香洲区 › 拱北街道 › 侨光社区 (urban)
NANMEN = "440403102201"  # 斗门区 › 斗门镇 › 南门村 (rural)
URL = "/api/v1/relief/quotes/"


def policy(region, standard, *, area="urban", start=date(2024, 1, 1), **options):
    return ReliefPolicy.objects.create(
        state="published",
        region_id=region,
        area=area,
        effective_from=start,
        name=f"{region} {standard}",
        dibao_standard=standard,
        **options,
    )


@pytest.fixture
def zhongshan_like(regions):
    """A city policy like the worked example: standard 1,100 and a 40% top-up for minors."""
    p = policy("440400000000", Decimal("1100"))
    PolicyTopUp.objects.create(policy=p, category="minor", kind="percent", value=Decimal("40"))
    return p


@pytest.fixture
def caseworker(staff_factory):
    client = APIClient()
    client.force_login(staff_factory(Role.CASEWORKER, QIAOGUANG))
    return client


def worked_example(region=QIAOGUANG, **extra):
    return {
        "programme": "dibao",
        "region": region,
        "date": "2024-06-01",
        "members": [
            {"age": 40, "incomes": [{"kind": "wages", "amount": "1400"}]},
            {"age": 38, "incomes": [{"kind": "wages", "amount": "700"}, {"kind": "basic_pension", "amount": "150"}]},
            {"name": "小明", "age": 10},
        ],
        **extra,
    }


def test_the_worked_example_through_the_api(caseworker, zhongshan_like):
    response = caseworker.post(URL, worked_example(), format="json")
    assert response.status_code == 200, response.content
    body = response.json()
    assert body["eligible"] is True and body["amount"] == "1640.00"
    assert body["policy"]["id"] == zhongshan_like.pk and body["policy"]["dibao_standard"] == "1100.00"
    texts = [line["text"] for line in body["lines"]]
    assert any("150.00" in t for t in texts)  # the basic pension, shown as not counted
    assert body["lines"][-1]["amount"] == "1640.00"
    assert not ReliefPolicy.objects.exclude(pk=zhongshan_like.pk).exists()


def test_quote_and_workflow_share_one_computation(caseworker, zhongshan_like):
    """The workflow calls quoting.quote_for; the API must give the same amount and lines."""
    data = worked_example()
    body = caseworker.post(URL, data, format="json").json()
    members = [
        {**m, "incomes": [{"kind": i["kind"], "amount": Decimal(i["amount"])} for i in m.get("incomes", [])]}
        for m in data["members"]
    ]
    _policy, direct = quoting.quote_for(
        programme="dibao",
        region_code=QIAOGUANG,
        area="urban",
        on=date(2024, 6, 1),
        household=quoting.household_from_data({"members": members}),
    )
    assert body["amount"] == str(direct.amount)
    assert [line["text"] for line in body["lines"]] == [line.text for line in direct.lines]


def test_the_most_specific_region_and_the_latest_start_win(caseworker, regions):
    policy("440400000000", Decimal("1000"))
    policy("440402000000", Decimal("1200"))  # the district's own standard
    policy("440402000000", Decimal("1300"), start=date(2024, 7, 1))
    policy("440402000000", Decimal("9999"), start=date(2030, 1, 1))  # not yet in force
    one = {"programme": "dibao", "region": QIAOGUANG, "members": [{"age": 40}]}
    assert caseworker.post(URL, {**one, "date": "2024-06-30"}, format="json").json()["amount"] == "1200.00"
    assert caseworker.post(URL, {**one, "date": "2024-07-01"}, format="json").json()["amount"] == "1300.00"


def test_rural_households_use_the_rural_standard(staff_factory, regions):
    policy("440400000000", Decimal("1221"), area="urban")
    policy("440400000000", Decimal("1000"), area="rural")
    client = APIClient()
    client.force_login(staff_factory(Role.CITY_MANAGER, "440400"))
    body = {"programme": "dibao", "region": NANMEN, "date": "2024-06-01", "members": [{"age": 40}]}
    assert client.post(URL, body, format="json").json()["amount"] == "1000.00"
    assert client.post(URL, {**body, "area": "urban"}, format="json").json()["amount"] == "1221.00"


def test_without_a_policy_the_answer_says_so(caseworker, regions):
    response = caseworker.post(URL, worked_example(), format="json")
    assert response.status_code == 409
    assert response.json()["code"] == "no_policy"


def test_bad_input_names_the_field(caseworker, zhongshan_like):
    data = worked_example()
    data["members"][1]["incomes"][0]["amount"] = "-5"
    del data["members"][2]["age"]
    body = caseworker.post(URL, data, format="json").json()
    assert body["code"] == "invalid"
    assert set(body["fields"]) == {"members.1.incomes.0.amount", "members.2.age"}


def test_tekun_needs_one_covered_person(caseworker, zhongshan_like):
    data = {"programme": "tekun", "region": QIAOGUANG, "members": [{"age": 70}, {"age": 72}]}
    assert "members" in caseworker.post(URL, data, format="json").json()["fields"]
    data["members"][1]["covered"] = False
    body = caseworker.post(URL, {**data, "self_care_failures": 5}, format="json").json()
    assert body["amount"] == "1870.00"  # 1.3 × 1,100 + 40% × 1,100


def test_temporary_aid_reports_who_may_approve(caseworker, zhongshan_like):
    data = {"programme": "temp_emergency", "region": QIAOGUANG, "members": [{"age": 40}], "months": "4"}
    body = caseworker.post(URL, data, format="json").json()
    assert (body["amount"], body["approval"]) == ("4400.00", "district")


def test_a_region_outside_the_callers_area_is_404(caseworker, zhongshan_like):
    response = caseworker.post(URL, worked_example(region="440402005002"), format="json")
    assert response.status_code == 404


def test_partners_need_the_quote_scope(regions, zhongshan_like):
    from civic.services import partner_create

    _token, raw = partner_create(name="核对中心", scopes=["relief:quote"], region_code="440402")
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Bearer {raw}")
    assert client.post(URL, worked_example(), format="json").json()["amount"] == "1640.00"
    _token, raw = partner_create(name="银行", scopes=["registry:read"], region_code="440402")
    client.credentials(HTTP_AUTHORIZATION=f"Bearer {raw}")
    assert client.post(URL, worked_example(), format="json").status_code == 403


def test_a_meal_operator_may_not_ask_for_quotes(staff_factory, zhongshan_like):
    client = APIClient()
    client.force_login(staff_factory(Role.MEAL_OPERATOR, QIAOGUANG))
    assert client.post(URL, worked_example(), format="json").status_code == 403


def test_the_demo_city_has_a_policy(db):
    from io import StringIO

    call_command("seed_demo", stdout=StringIO())
    found = policy_in_force(QIAOGUANG, "urban", date.today())
    assert found.dibao_standard == Decimal("1221.00")
    one_person = rules.Household(members=(rules.Member(age=40),))
    assert rules.dibao(found.as_rules(), one_person).amount == Decimal("1343.10")  # 1,221 + 10% one-person top-up
