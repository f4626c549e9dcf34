"""The charity record pages: organisations, funds with their ledger, projects with activities and pairings. Each
list with data and empty; forms that keep the input and name the wrong field, saving nothing on an error; the
fund that is never overdrawn; named beneficiaries by ID number shown by name only; the ledger as CSV for Excel;
403 without charity.manage on every write and 404 for another district's records, which no list shows."""

import csv
import io
from datetime import timedelta
from decimal import Decimal

import pytest
from django.conf import settings
from django.urls import reverse
from django.utils import timezone, translation

from charity import services
from charity.models import (
    Fund,
    FundEntry,
    Organisation,
    Pairing,
    PairingActivity,
    PairingStatus,
    Project,
    ProjectActivity,
    ProjectStatus,
)
from civic.roles import Role

from .conftest import credit_code

D = Decimal
GONGBEI = "440402005000"


def text(response):
    return response.content.decode()


@pytest.fixture
def signed_in(client):
    """A signed-in browser in English (the source language), so messages can be matched. The locale middleware
    leaves English active in this thread after a request; the tests that follow expect the default back."""

    def sign_in(user):
        client.logout()
        client.force_login(user)
        client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
        return client

    yield sign_in
    translation.activate(settings.LANGUAGE_CODE)


@pytest.fixture
def doumen(staff_factory):
    """An officer and a caseworker of the neighbouring district (斗门区): nothing of 香洲区 is theirs."""
    return {
        "officer": staff_factory(Role.CHARITY_OFFICER, "440403", username="charity-doumen"),
        "caseworker": staff_factory(Role.CASEWORKER, "440403100001", username="cw-doumen"),
    }


def test_the_organisation_list_shows_grade_validity_and_counts(
    signed_in, charity_officer, organisation, fund, project, street_pairing, django_assert_max_num_queries
):
    client = signed_in(charity_officer)
    with django_assert_max_num_queries(12):
        response = client.get(reverse("charity:organisation-list"))
    assert response.status_code == 200
    page = text(response)
    row = page.split(f'data-testid="organisation-{organisation.pk}"')[1].split("</tr>")[0]
    assert "香洲区慈善会" in row and 'data-grade-state="valid"' in row and "4A" in row
    assert [cell.split("<")[0] for cell in row.split('<td class="num">')[1:4]] == ["1", "1", "1"]
    assert 'data-testid="register-link"' in page and 'data-testid="import-link"' in page


def test_the_organisation_list_filters_and_searches_by_credit_code(signed_in, charity_officer, organisation):
    client = signed_in(charity_officer)
    found = text(client.get(reverse("charity:organisation-list"), {"q": organisation.credit_code[:10].lower()}))
    assert f'data-testid="organisation-{organisation.pk}"' in found
    assert f'data-testid="organisation-{organisation.pk}"' not in text(
        client.get(reverse("charity:organisation-list"), {"grade": "none"})
    )
    nothing = text(client.get(reverse("charity:organisation-list"), {"q": "不存在的组织"}))
    assert 'data-testid="empty"' in nothing


def test_an_expired_grade_is_shown_as_expired(signed_in, charity_officer, regions):
    old = services.organisation_register(
        actor=charity_officer,
        region_code=GONGBEI,
        name="拱北义工协会",
        kind="social_group",
        credit_code=credit_code(7),
        grade="3A",
        grade_valid_from=timezone.localdate() - timedelta(days=6 * 366),
    )
    page = text(signed_in(charity_officer).get(reverse("charity:organisation-list")))
    assert 'data-grade-state="expired"' in page.split(f'data-testid="organisation-{old.pk}"')[1].split("</tr>")[0]


def test_empty_lists_say_so(signed_in, charity_officer):
    client = signed_in(charity_officer)
    for name in ("organisation-list", "fund-list", "project-list", "pairing-list"):
        response = client.get(reverse(f"charity:{name}"))
        assert response.status_code == 200, name
        assert 'data-testid="empty"' in text(response), name


def test_lists_show_funds_projects_and_pairings(
    signed_in, caseworker, fund, project, street_pairing, django_assert_max_num_queries
):
    """A community caseworker sees the district's fund and the street's project and pairing (regions above)."""
    client = signed_in(caseworker)
    with django_assert_max_num_queries(10):
        funds = text(client.get(reverse("charity:fund-list")))
    assert f'data-testid="fund-{fund.pk}"' in funds and "5000.00" in funds
    with django_assert_max_num_queries(10):
        projects = text(client.get(reverse("charity:project-list")))
    assert f'data-testid="project-{project.pk}"' in projects and "20000.00" in projects
    assert 'data-testid="create-link"' not in projects
    with django_assert_max_num_queries(10):
        pairings = text(client.get(reverse("charity:pairing-list")))
    assert f'data-testid="pairing-{street_pairing.pk}"' in pairings and "拱北街道" in pairings
    assert 'data-testid="empty"' not in pairings


def test_the_project_list_filters_by_category_status_and_name(signed_in, charity_officer, project):
    client = signed_in(charity_officer)
    url = reverse("charity:project-list")
    assert f'data-testid="project-{project.pk}"' in text(client.get(url, {"category": "student_aid", "q": "助学"}))
    assert f'data-testid="project-{project.pk}"' not in text(client.get(url, {"category": "medical_aid"}))
    assert f'data-testid="project-{project.pk}"' not in text(client.get(url, {"status": "planned"}))
    assert 'data-testid="empty"' in text(client.get(url, {"q": "养老"}))


def test_the_pairing_list_filters_by_target_and_status(signed_in, charity_officer, street_pairing):
    client = signed_in(charity_officer)
    url = reverse("charity:pairing-list")
    assert f'data-testid="pairing-{street_pairing.pk}"' in text(client.get(url, {"target": "street"}))
    assert f'data-testid="pairing-{street_pairing.pk}"' not in text(client.get(url, {"target": "household"}))
    assert f'data-testid="pairing-{street_pairing.pk}"' not in text(client.get(url, {"status": "ended"}))


# ------------------------------------------------------------------------------------------------ organisations


def register_data(**overrides):
    return {
        "name": "拱北社工服务中心",
        "kind": "private_non_enterprise",
        "credit_code": credit_code(42),
        "region": GONGBEI,
        "grade": "",
        "grade_valid_from": "",
        "grade_valid_until": "",
        "contact_name": "梁小姐",
        "contact_phone": "0756-8888888",
        **overrides,
    }


def test_registering_with_a_bad_credit_code_shows_the_field_error_and_saves_nothing(signed_in, charity_officer):
    client = signed_in(charity_officer)
    bad = credit_code(42)[:-1] + ("0" if credit_code(42)[-1] != "0" else "1")
    response = client.post(reverse("charity:organisation-register"), register_data(credit_code=bad))
    assert response.status_code == 400
    page = text(response)
    field = page.split('for="id_credit_code"')[1].split("</div>")[0]
    assert 'class="field-error"' in field and "check" in field.lower()
    assert 'value="拱北社工服务中心"' in page  # the input is kept
    assert not Organisation.objects.exists()


def test_registering_derives_five_years_of_grade_from_the_start(signed_in, charity_officer, regions):
    client = signed_in(charity_officer)
    response = client.post(
        reverse("charity:organisation-register"), register_data(grade="3A", grade_valid_from="2024-03-01")
    )
    organisation = Organisation.objects.get()
    assert response.status_code == 302
    assert response.url == reverse("charity:organisation-detail", args=[organisation.pk])
    assert organisation.region_id == GONGBEI
    assert organisation.grade_valid_until.isoformat() == "2029-02-28"
    detail = text(client.get(response.url))
    assert "2029-02-28" in detail and 'data-testid="fund-open-form"' in detail


def test_the_region_choices_are_the_user_s_area_down_to_streets(signed_in, charity_officer):
    page = text(signed_in(charity_officer).get(reverse("charity:organisation-register")))
    assert 'value="440402000000"' in page and f'value="{GONGBEI}"' in page
    assert 'value="440402005001"' not in page  # communities are not offered
    assert 'value="440403000000"' not in page and 'value="440400000000"' not in page


def test_the_organisation_page_opens_a_fund(signed_in, charity_officer, organisation, project, street_pairing):
    client = signed_in(charity_officer)
    detail = text(client.get(reverse("charity:organisation-detail", args=[organisation.pk])))
    assert "4A" in detail and f'data-testid="project-{project.pk}"' in detail
    assert f'data-testid="pairing-{street_pairing.pk}"' in detail
    response = client.post(reverse("charity:fund-open", args=[organisation.pk]), {"name": "助学基金"})
    fund = Fund.objects.get(name="助学基金")
    assert response.status_code == 302 and response.url == reverse("charity:fund-detail", args=[fund.pk])
    again = client.post(reverse("charity:fund-open", args=[organisation.pk]), {"name": "助学基金"})
    assert again.status_code == 400 and 'class="field-error"' in text(again)
    assert Fund.objects.filter(name="助学基金").count() == 1


# ------------------------------------------------------------------------------------------------------- funds


def test_a_donation_then_a_grant_that_would_overdraw_is_refused_with_the_balance_unchanged(
    signed_in, charity_officer, fund
):
    client = signed_in(charity_officer)
    today = timezone.localdate().isoformat()
    response = client.post(
        reverse("charity:donation-record", args=[fund.pk]),
        {
            "donation-donor": "格力爱心基金",
            "donation-amount": "1000.50",
            "donation-on": today,
            "donation-purpose": "助学",
        },
    )
    assert response.status_code == 302
    fund.refresh_from_db()
    assert fund.balance == D("6000.50")
    refused = client.post(
        reverse("charity:grant-make", args=[fund.pk]),
        {"grant-recipient": "困难家庭", "grant-amount": "7000", "grant-on": today, "grant-purpose": "救助"},
    )
    assert refused.status_code == 409
    page = text(refused)
    errors = page.split('data-testid="grant-errors"')[1].split("</div>")[0]
    assert "6000.50" in errors and "7000" in errors and "overdraw" in errors
    assert 'value="困难家庭"' in page
    fund.refresh_from_db()
    assert fund.balance == D("6000.50")
    assert fund.entries.count() == 2


def test_a_grant_to_a_household_by_its_file_number_and_to_a_project(signed_in, charity_officer, fund, project, family):
    client = signed_in(charity_officer)
    today = timezone.localdate().isoformat()
    response = client.post(
        reverse("charity:grant-make", args=[fund.pk]),
        {"grant-household_number": family.number, "grant-amount": "800", "grant-on": today},
    )
    assert response.status_code == 302
    entry = FundEntry.objects.get(kind="grant", household=family)
    assert entry.party == "陈家明" and entry.balance_after == D("4200.00")
    response = client.post(
        reverse("charity:grant-make", args=[fund.pk]),
        {"grant-project": project.pk, "grant-amount": "1200", "grant-on": today},
    )
    assert response.status_code == 302
    assert FundEntry.objects.get(kind="grant", project=project).party == "拱北助学计划"
    page = text(client.get(reverse("charity:fund-detail", args=[fund.pk])))
    ledger = page.split('data-testid="ledger"')[1]
    assert ledger.index("拱北助学计划") < ledger.index(family.number)  # newest first
    assert "3000.00" in page.split('data-testid="balance"')[1][:20]
    raised = text(client.get(reverse("charity:project-list"))).split(f'data-testid="raised-{project.pk}"')[1]
    assert raised.startswith(">1200.00<")


def test_a_grant_to_an_unknown_household_or_to_nobody_is_refused(signed_in, charity_officer, fund):
    client = signed_in(charity_officer)
    unknown = client.post(
        reverse("charity:grant-make", args=[fund.pk]),
        {"grant-household_number": "440402005001-9999999", "grant-amount": "100", "grant-on": "2025-01-02"},
    )
    assert unknown.status_code == 400
    nobody = client.post(
        reverse("charity:grant-make", args=[fund.pk]), {"grant-amount": "100", "grant-on": "2025-01-02"}
    )
    assert nobody.status_code == 400
    assert 'class="field-error"' in text(nobody).split('for="id_grant-recipient"')[1].split("</div>")[0]
    assert fund.entries.count() == 1


def test_the_ledger_csv_has_every_row_with_a_bom_and_no_formulas(signed_in, charity_officer, caseworker, fund):
    services.donation_record(actor=charity_officer, fund=fund, donor='=HYPERLINK("http://x")', amount="20")
    services.grant_make(actor=charity_officer, fund=fund, recipient="陈家明", amount="300", purpose="医疗救助")
    response = signed_in(caseworker).get(reverse("charity:fund-ledger-csv", args=[fund.pk]))
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/csv")
    body = b"".join(response.streaming_content)
    assert body.startswith("\ufeff".encode())
    rows = list(csv.reader(io.StringIO(body.decode("utf-8-sig"))))
    assert len(rows) == 4
    assert [row[2] for row in rows[1:]] == ["珠海爱心企业", '\'=HYPERLINK("http://x")', "陈家明"]
    assert [row[-1] for row in rows[1:]] == ["5000.00", "5020.00", "4720.00"]
    assert rows[3][-2] == "300.00" and rows[3][-3] == ""


def test_the_fund_forms_are_shown_only_to_managers_of_its_region(signed_in, charity_officer, caseworker, fund):
    assert 'data-testid="grant-form"' in text(
        signed_in(charity_officer).get(reverse("charity:fund-detail", args=[fund.pk]))
    )
    page = text(signed_in(caseworker).get(reverse("charity:fund-detail", args=[fund.pk])))
    assert 'data-testid="ledger"' in page
    assert 'data-testid="grant-form"' not in page and 'data-testid="donation-form"' not in page


# ---------------------------------------------------------------------------------------------------- projects


def test_creating_a_project_and_moving_it_along(signed_in, charity_officer, organisation):
    client = signed_in(charity_officer)
    response = client.post(
        reverse("charity:project-create"),
        {
            "organisation": organisation.pk,
            "name": "长者助餐志愿",
            "category": "volunteering",
            "region": GONGBEI,
            "budget": "3000",
            "starts_on": timezone.localdate().isoformat(),
            "ends_on": "",
            "description": "",
        },
    )
    project = Project.objects.get(name="长者助餐志愿")
    assert response.status_code == 302 and response.url == reverse("charity:project-detail", args=[project.pk])
    page = text(client.get(response.url))
    assert 'data-testid="move-running"' in page and 'data-testid="move-cancelled"' in page
    assert 'data-testid="activity-form"' not in page  # activities only while running
    assert client.post(reverse("charity:project-move", args=[project.pk]), {"status": "running"}).status_code == 302
    project.refresh_from_db()
    assert project.status == ProjectStatus.RUNNING
    refused = client.post(reverse("charity:project-move", args=[project.pk]), {"status": "planned"})
    assert refused.status_code == 409 and 'data-testid="move-refusal"' in text(refused)


def test_an_activity_names_residents_by_id_number_and_shows_only_names(signed_in, charity_officer, project, family):
    client = signed_in(charity_officer)
    members = list(family.members.order_by("pk"))
    response = client.post(
        reverse("charity:activity-record", args=[project.pk]),
        {
            "on": timezone.localdate().isoformat(),
            "place": "侨光社区活动室",
            "description": "发放助学金",
            "beneficiaries": "",
            "spent": "450.00",
            "residents": f"{members[0].id_number}\n\n{members[2].id_number.lower()}\n",
        },
    )
    assert response.status_code == 302
    activity = ProjectActivity.objects.get()
    assert activity.beneficiaries == 2 and set(activity.residents.all()) == {members[0], members[2]}
    page = text(client.get(reverse("charity:project-detail", args=[project.pk])))
    row = page.split(f'data-testid="activity-{activity.pk}"')[1].split("</tr>")[0]
    assert "陈家明" in row and "陈小雨" in row
    assert members[0].id_number not in page and members[0].id_number[-4:] not in row
    assert "450.00" in page.split('data-testid="spent"')[1][:20]


def test_an_activity_with_an_unknown_id_number_names_the_line_and_saves_nothing(
    signed_in, charity_officer, project, family, household_factory
):
    from tests.conftest import id_number

    elsewhere = household_factory("440403100001", size=1)  # a resident of another district
    known = family.members.order_by("pk").first().id_number
    outside = elsewhere.members.get().id_number
    client = signed_in(charity_officer)
    response = client.post(
        reverse("charity:activity-record", args=[project.pk]),
        {
            "on": timezone.localdate().isoformat(),
            "place": "侨光社区活动室",
            "beneficiaries": "5",
            "residents": f"{known}\n{id_number(area='440402', birth='19900101', seq=999)}\n{outside}",
        },
    )
    assert response.status_code == 400
    errors = text(response).split('for="id_residents"')[1].split("</div>")[0]
    assert "Line 2" in errors and "Line 3" in errors and "Line 1" not in errors
    assert not ProjectActivity.objects.exists()


def test_an_activity_the_service_refuses_saves_nothing(signed_in, charity_officer, project, family):
    known = family.members.order_by("pk").first().id_number
    response = signed_in(charity_officer).post(
        reverse("charity:activity-record", args=[project.pk]),
        {"on": timezone.localdate().isoformat(), "place": "侨光", "beneficiaries": "0", "residents": known},
    )
    assert response.status_code == 400
    assert "only 0 were helped" in text(response)
    assert not ProjectActivity.objects.exists()


# ---------------------------------------------------------------------------------------------------- pairings


def test_pairing_a_donor_with_a_household_ending_it_and_recording_an_activity(
    signed_in, charity_officer, organisation, family
):
    client = signed_in(charity_officer)
    start = (timezone.localdate() - timedelta(days=10)).isoformat()
    response = client.post(
        reverse("charity:pairing-create"),
        {"donor_name": "林先生", "household_number": family.number, "started_on": start, "commitment": "每月慰问"},
    )
    pairing = Pairing.objects.get()
    assert response.status_code == 302 and response.url == reverse("charity:pairing-detail", args=[pairing.pk])
    assert pairing.household == family and pairing.region_id == family.region_id
    listed = text(client.get(reverse("charity:pairing-list")))
    row = listed.split(f'data-testid="pairing-{pairing.pk}"')[1].split("</tr>")[0]
    assert "林先生" in row and family.number in row and "陈家明" in row
    activity = client.post(
        reverse("charity:pairing-activity-record", args=[pairing.pk]),
        {"on": timezone.localdate().isoformat(), "description": "送米送油", "value": "200"},
    )
    assert activity.status_code == 302
    assert PairingActivity.objects.get().household == family
    ended = client.post(
        reverse("charity:pairing-end", args=[pairing.pk]), {"ends_on": timezone.localdate().isoformat()}
    )
    assert ended.status_code == 302
    pairing.refresh_from_db()
    assert pairing.status == PairingStatus.ENDED
    page = text(client.get(reverse("charity:pairing-detail", args=[pairing.pk])))
    assert 'data-testid="end-form"' not in page and 'data-testid="activity-form"' not in page
    assert "送米送油" in page


def test_a_pairing_needs_a_helper_and_one_target(signed_in, charity_officer, organisation, family, street_pairing):
    client = signed_in(charity_officer)
    url = reverse("charity:pairing-create")
    page = text(client.get(url))
    assert f'value="{GONGBEI}"' in page and 'value="440402005001"' not in page  # streets only
    both = client.post(url, {"organisation": organisation.pk, "street": GONGBEI, "household_number": family.number})
    assert both.status_code == 400
    neither = client.post(url, {"organisation": organisation.pk, "started_on": "2025-01-01"})
    assert neither.status_code == 400
    assert 'class="field-error"' in text(neither).split('for="id_street"')[1].split("</div>")[0]
    twice = client.post(url, {"organisation": organisation.pk, "street": GONGBEI, "started_on": "2025-01-01"})
    assert twice.status_code == 409
    unknown = client.post(url, {"donor_name": "林先生", "household_number": "440402005001-7777777"})
    assert unknown.status_code == 400
    assert Pairing.objects.count() == 1


# ------------------------------------------------------------------------------------------ scope and permission


def test_another_district_gets_404_and_sees_nothing_of_ours(
    signed_in, doumen, organisation, fund, project, street_pairing
):
    for user in doumen.values():
        client = signed_in(user)
        for name, pk in (
            ("organisation-detail", organisation.pk),
            ("fund-detail", fund.pk),
            ("fund-ledger-csv", fund.pk),
            ("project-detail", project.pk),
            ("pairing-detail", street_pairing.pk),
        ):
            assert client.get(reverse(f"charity:{name}", args=[pk])).status_code == 404, (user, name)
        for name in ("organisation-list", "fund-list", "project-list", "pairing-list"):
            page = text(client.get(reverse(f"charity:{name}")))
            assert 'data-testid="empty"' in page, (user, name)
            assert "香洲区慈善会" not in page and "拱北助学计划" not in page
    officer = signed_in(doumen["officer"])
    today = timezone.localdate().isoformat()
    for name, pk, data in (
        ("donation-record", fund.pk, {"donation-donor": "x", "donation-amount": "1", "donation-on": today}),
        ("grant-make", fund.pk, {"grant-recipient": "x", "grant-amount": "1", "grant-on": today}),
        ("project-move", project.pk, {"status": "completed"}),
        ("pairing-end", street_pairing.pk, {"ends_on": today}),
    ):
        assert officer.post(reverse(f"charity:{name}", args=[pk]), data).status_code == 404, name
    fund.refresh_from_db()
    assert fund.balance == D("5000.00")


def test_a_caseworker_reads_but_every_write_is_403(
    signed_in, caseworker, organisation, fund, project, street_pairing, family
):
    client = signed_in(caseworker)
    for name, pk in (
        ("organisation-detail", organisation.pk),
        ("fund-detail", fund.pk),
        ("project-detail", project.pk),
        ("pairing-detail", street_pairing.pk),
    ):
        page = client.get(reverse(f"charity:{name}", args=[pk]))
        assert page.status_code == 200, name
        assert '<form method="post" action="/charity' not in text(page).replace("'", '"'), name
    today = timezone.localdate().isoformat()
    for name, args, data in (
        ("organisation-register", [], register_data()),
        ("fund-open", [organisation.pk], {"name": "新基金"}),
        ("donation-record", [fund.pk], {"donation-donor": "x", "donation-amount": "1", "donation-on": today}),
        ("grant-make", [fund.pk], {"grant-recipient": "x", "grant-amount": "1", "grant-on": today}),
        ("project-create", [], {"name": "x"}),
        ("project-move", [project.pk], {"status": "completed"}),
        ("activity-record", [project.pk], {"on": today, "place": "x", "beneficiaries": "1"}),
        ("pairing-create", [], {"donor_name": "x", "street": GONGBEI}),
        ("pairing-end", [street_pairing.pk], {"ends_on": today}),
        ("pairing-activity-record", [street_pairing.pk], {"on": today, "description": "x"}),
    ):
        assert client.post(reverse(f"charity:{name}", args=args), data).status_code == 403, name
    for name in ("organisation-register", "project-create", "pairing-create"):
        assert client.get(reverse(f"charity:{name}")).status_code == 403, name
    assert Organisation.objects.count() == 1 and Fund.objects.count() == 1
    assert not ProjectActivity.objects.exists() and not PairingActivity.objects.exists()
    fund.refresh_from_db()
    assert fund.balance == D("5000.00")


def test_pages_need_a_sign_in_and_charity_view(client, staff_factory, fund):
    assert client.get(reverse("charity:fund-list")).status_code == 302
    client.force_login(staff_factory(Role.CHILD_DIRECTOR, "440402005001"))
    for name in ("organisation-list", "fund-list", "project-list", "pairing-list"):
        assert client.get(reverse(f"charity:{name}")).status_code == 403, name
    assert client.get(reverse("charity:fund-detail", args=[fund.pk])).status_code == 403
