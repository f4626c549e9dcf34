"""The referral pages, the household file's charity panel and the charity report: a caseworker refers the family
from its refused application, the district's charity officer answers and records the help through the fund, the
family's file shows it; bad input saves nothing; staff of another district see nothing (404); the report's figures
are the direct sums, drill down by region and export as CSV and XLSX without leaving the user's area."""

import csv
import io
import re
from datetime import date, timedelta
from decimal import Decimal

import pytest
from django.conf import settings
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from charity import services
from charity.models import EntryKind, FundEntry, PairingActivity, ProjectActivity, Referral, ReferralStatus
from civic.roles import Role
from tests.charity.conftest import credit_code

D = Decimal
QIAOGUANG = "440402005001"  # 香洲区 › 拱北街道 › 侨光社区
GONGBEI = "440402005000"
CUIXIANG = "440402001000"  # 香洲区 › 翠香街道
KANGNING = "440402001001"  # 翠香街道 › 康宁社区
XIANGZHOU = "440402000000"
DOUMEN = "440403000000"
XINTANG = "440403100001"  # 斗门区 › 井岸镇 › 新堂社区


@pytest.fixture
def login(client):
    def login(user):
        client.force_login(user)
        client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"  # assertions read the English wording
        return client

    return login


@pytest.fixture
def outsiders(staff_factory):
    return {
        "caseworker": staff_factory(Role.CASEWORKER, XINTANG, username="cw-doumen"),
        "officer": staff_factory(Role.CHARITY_OFFICER, "440403", username="charity-doumen"),
    }


def new_url(household, application=None):
    url = f"{reverse('charity:referral-new')}?household={household.pk}"
    return f"{url}&application={application.pk}" if application else url


def refer(caseworker, family, fund, **extra):
    return services.referral_create(
        actor=caseworker,
        household=family,
        reason=extra.pop("reason", "judgement"),
        need=extra.pop("need", "孩子上学费用困难"),
        channel="fund",
        fund=fund,
        **extra,
    )


# ------------------------------------------------------------------------------------------------- referring


def test_the_caseworker_refers_the_family_from_its_refused_application(
    login, caseworker, family, refused_application, fund, project, street_pairing
):
    client = login(caseworker)
    detail = client.get(reverse("relief:application-detail", args=[refused_application.pk]))
    assert detail.status_code == 200
    assert new_url(family, refused_application).replace("&", "&amp;") in detail.content.decode()

    page = client.get(new_url(family, refused_application))
    assert page.status_code == 200
    form = page.context["form"]
    assert form.initial["reason"] == "refused" and form.initial["application"] == refused_application
    html = page.content.decode()
    assert re.search(r'name="reason" value="refused"[^>]*checked', html)
    # The targets open to this family: the fund, the running project of its street and the street's pairing.
    assert list(form.fields["fund"].queryset) == [fund]
    assert list(form.fields["project"].queryset) == [project]
    assert list(form.fields["pairing"].queryset) == [street_pairing]

    response = client.post(
        new_url(family, refused_application),
        {
            "reason": "refused",
            "application": refused_application.pk,
            "need": "孩子上学费用困难",
            "amount_sought": "1500",
            "channel": "fund",
            "fund": fund.pk,
            "project": project.pk,  # another channel's select: not read
        },
    )
    referral = Referral.objects.get()
    assert response.status_code == 302 and response.url == reverse("charity:referral-detail", args=[referral.pk])
    assert referral.channel == "fund" and referral.fund == fund and referral.project is None
    assert referral.application == refused_application and referral.amount_sought == D("1500.00")
    assert referral.referred_by == caseworker

    listing = client.get(reverse("charity:referral-list"))
    assert listing.status_code == 200
    assert f'data-testid="referral-{referral.pk}"' in listing.content.decode()
    assert referral.number in listing.content.decode()

    household = client.get(reverse("registry:household-detail", args=[family.pk]))
    panel = household.content.decode()
    assert 'data-testid="charity-panel"' in panel and f'data-testid="panel-referral-{referral.pk}"' in panel
    assert reverse("charity:referral-detail", args=[referral.pk]) in panel

    shown = client.get(reverse("charity:referral-detail", args=[referral.pk]))
    assert shown.status_code == 200 and shown.context["steps"] == {}  # the caseworker does not answer
    assert reverse("relief:application-detail", args=[refused_application.pk]) in shown.content.decode()


def test_an_approved_application_presets_partly_covered(login, caseworker, family, refused_application):
    refused_application.status = "approved"
    refused_application.save(update_fields=["status"])
    page = login(caseworker).get(new_url(family, refused_application))
    assert page.context["form"].initial["reason"] == "partly_covered"


def test_the_panel_offers_to_refer_and_says_when_nothing_is_recorded(login, caseworker, charity_officer, family):
    html = login(caseworker).get(reverse("registry:household-detail", args=[family.pk])).content.decode()
    assert "No charity help recorded for this household." in html
    assert new_url(family) in html
    html = login(charity_officer).get(reverse("registry:household-detail", args=[family.pk])).content.decode()
    assert 'data-testid="charity-empty"' in html and 'data-testid="refer-to-charity"' not in html


def test_bad_input_saves_nothing_and_names_the_fields(login, caseworker, family, fund, project):
    client = login(caseworker)
    response = client.post(
        new_url(family),
        {"reason": "judgement", "need": "  ", "channel": "fund", "project": project.pk, "fund": ""},
    )
    assert response.status_code == 400
    errors = response.context["form"].errors
    assert "need" in errors and errors["fund"] == ["Choose the fund."]
    assert "project" not in errors
    assert not Referral.objects.exists()

    # The service's rules come back next to the field: a refusal names the refused application.
    response = client.post(new_url(family), {"reason": "refused", "need": "助学", "channel": "fund", "fund": fund.pk})
    assert response.status_code == 400 and "application" in response.context["form"].errors
    assert not Referral.objects.exists()


def test_a_second_open_referral_to_the_same_fund_is_a_conflict(login, caseworker, family, fund):
    refer(caseworker, family, fund)
    response = login(caseworker).post(
        new_url(family), {"reason": "judgement", "need": "再次", "channel": "fund", "fund": fund.pk}
    )
    assert response.status_code == 409 and response.context["form"].non_field_errors()
    assert Referral.objects.count() == 1


def test_referring_needs_a_household_of_ones_own_area(login, caseworker, charity_officer, household_factory, fund):
    client = login(caseworker)
    elsewhere = household_factory(XINTANG, size=1)
    assert client.get(new_url(elsewhere)).status_code == 404
    assert client.get(reverse("charity:referral-new")).status_code == 404
    assert client.get(f"{reverse('charity:referral-new')}?household=x").status_code == 404
    family = household_factory(QIAOGUANG, size=1)
    assert client.get(f"{new_url(family)}&application=999999").status_code == 404
    assert login(charity_officer).get(new_url(family)).status_code == 403  # officers answer, they do not refer


# --------------------------------------------------------------------------------------------- the answer


def test_the_officer_accepts_and_records_help_through_the_fund(login, caseworker, charity_officer, family, fund):
    referral = refer(caseworker, family, fund, amount_sought="1500")
    client = login(charity_officer)
    page = client.get(reverse("charity:referral-detail", args=[referral.pk]))
    assert set(page.context["steps"]) == {"accept", "decline", "help", "close"}

    response = client.post(reverse("charity:referral-accept", args=[referral.pk]), {"note": "已联系家庭"})
    assert response.status_code == 302
    referral.refresh_from_db()
    assert referral.status == ReferralStatus.ACCEPTED
    page = client.get(reverse("charity:referral-detail", args=[referral.pk]))
    assert set(page.context["steps"]) == {"help", "close"}

    # A grant above the balance is refused with the fund's reason; nothing changes.
    response = client.post(
        reverse("charity:referral-help", args=[referral.pk]), {"description": "资助学费", "value": "9000"}
    )
    assert response.status_code == 409 and response.context["steps"]["help"].non_field_errors()
    fund.refresh_from_db()
    assert fund.balance == D("5000.00")

    response = client.post(
        reverse("charity:referral-help", args=[referral.pk]),
        {"description": "资助学费", "value": "1200.00", "on": timezone.localdate().isoformat()},
    )
    assert response.status_code == 302
    referral.refresh_from_db()
    fund.refresh_from_db()
    assert referral.status == ReferralStatus.HELPED and referral.help_value == D("1200.00")
    assert fund.balance == D("3800.00")
    grant = FundEntry.objects.get(kind=EntryKind.GRANT, referral=referral)
    assert grant.household == family

    page = client.get(reverse("charity:referral-detail", args=[referral.pk]))
    assert page.context["steps"] == {}
    html = page.content.decode()
    assert "1200.00" in html and html.count("<tr><td>") >= 3  # referred, accepted, helped

    panel = client.get(reverse("registry:household-detail", args=[family.pk])).content.decode()
    assert 'data-testid="panel-grants"' in panel and "1200.00" in panel and fund.name in panel

    slip = client.get(reverse("charity:referral-print", args=[referral.pk]))
    assert slip.status_code == 200
    body = slip.content.decode()
    assert 'data-testid="slip-outcome"' in body and "陈家明" in body and family.number in body
    assert all(member.id_number not in body for member in family.members.all())
    assert not re.search(r"<script(?![^>]*\bsrc=)", body)  # no inline script


def test_help_without_a_value_from_a_fund_names_the_value(login, caseworker, charity_officer, family, fund):
    referral = refer(caseworker, family, fund)
    response = login(charity_officer).post(
        reverse("charity:referral-help", args=[referral.pk]), {"description": "资助"}
    )
    assert response.status_code == 400 and "value" in response.context["steps"]["help"].errors
    referral.refresh_from_db()
    assert referral.status == ReferralStatus.REFERRED


def test_project_help_asks_for_the_place_and_names_the_family(login, caseworker, charity_officer, family, project):
    referral = services.referral_create(
        actor=caseworker, household=family, reason="judgement", need="助学", channel="project", project=project
    )
    client = login(charity_officer)
    page = client.get(reverse("charity:referral-detail", args=[referral.pk]))
    assert "place" in page.context["steps"]["help"].fields
    response = client.post(
        reverse("charity:referral-help", args=[referral.pk]),
        {"description": "发放助学金", "value": "800", "place": "侨光社区服务中心"},
    )
    assert response.status_code == 302
    activity = ProjectActivity.objects.get(referral=referral)
    assert activity.place == "侨光社区服务中心" and activity.spent == D("800.00")
    panel = client.get(reverse("registry:household-detail", args=[family.pk])).content.decode()
    assert 'data-testid="panel-activities"' in panel and "陈小雨" in panel


def test_declining_needs_a_reason(login, caseworker, charity_officer, family, fund):
    referral = refer(caseworker, family, fund)
    client = login(charity_officer)
    response = client.post(reverse("charity:referral-decline", args=[referral.pk]), {"reason": " "})
    assert response.status_code == 400 and "reason" in response.context["steps"]["decline"].errors
    referral.refresh_from_db()
    assert referral.status == ReferralStatus.REFERRED
    response = client.post(reverse("charity:referral-decline", args=[referral.pk]), {"reason": "不符合资助条件"})
    assert response.status_code == 302
    referral.refresh_from_db()
    assert referral.status == ReferralStatus.DECLINED and referral.outcome == "不符合资助条件"
    # Declined is final: accepting now is a conflict.
    response = client.post(reverse("charity:referral-accept", args=[referral.pk]), {"note": ""})
    assert response.status_code == 409


def test_closing_without_help(login, caseworker, charity_officer, family, fund):
    referral = refer(caseworker, family, fund)
    client = login(charity_officer)
    assert client.post(reverse("charity:referral-close", args=[referral.pk]), {}).status_code == 400
    response = client.post(reverse("charity:referral-close", args=[referral.pk]), {"reason": "家庭已迁出"})
    assert response.status_code == 302
    referral.refresh_from_db()
    assert referral.status == ReferralStatus.CLOSED


def test_a_caseworker_may_not_answer(login, caseworker, family, fund):
    referral = refer(caseworker, family, fund)
    client = login(caseworker)
    assert client.post(reverse("charity:referral-accept", args=[referral.pk]), {"note": ""}).status_code == 403
    assert (
        client.post(reverse("charity:referral-help", args=[referral.pk]), {"description": "x", "value": "1"})
    ).status_code == 403
    assert client.get(reverse("charity:referral-accept", args=[referral.pk])).status_code == 405
    referral.refresh_from_db()
    assert referral.status == ReferralStatus.REFERRED


def test_staff_of_another_district_see_nothing(login, caseworker, family, fund, outsiders):
    referral = refer(caseworker, family, fund)
    for user in outsiders.values():
        client = login(user)
        assert client.get(reverse("charity:referral-detail", args=[referral.pk])).status_code == 404
        assert client.get(reverse("charity:referral-print", args=[referral.pk])).status_code == 404
        for step, data in (
            ("accept", {"note": ""}),
            ("decline", {"reason": "x"}),
            ("help", {"description": "x", "value": "1"}),
            ("close", {"reason": "x"}),
        ):
            assert client.post(reverse(f"charity:referral-{step}", args=[referral.pk]), data).status_code == 404
        listing = client.get(reverse("charity:referral-list"))
        assert listing.status_code == 200 and list(listing.context["page"].object_list) == []
    referral.refresh_from_db()
    assert referral.status == ReferralStatus.REFERRED


def test_the_list_needs_a_referral_capability(login, staff_factory):
    auditor = staff_factory(Role.AUDITOR, XIANGZHOU)
    assert login(auditor).get(reverse("charity:referral-list")).status_code == 403


# --------------------------------------------------------------------------------------------------- the list


def test_the_list_filters_overdue_answers_status_and_search(
    login, caseworker, charity_officer, family, fund, project, household_factory
):
    late = refer(caseworker, family, fund)
    Referral.objects.filter(pk=late.pk).update(answer_due=timezone.localdate() - timedelta(days=2))
    other = household_factory(QIAOGUANG, size=2, names=["王建华", "王丽"])
    on_time = services.referral_create(
        actor=caseworker, household=other, reason="judgement", need="助学", channel="project", project=project
    )
    client = login(charity_officer)

    def shown(**params):
        response = client.get(reverse("charity:referral-list"), params)
        assert response.status_code == 200
        return [r.pk for r in response.context["page"].object_list]

    assert sorted(shown()) == sorted([late.pk, on_time.pk])
    assert shown(overdue="on") == [late.pk]
    html = client.get(reverse("charity:referral-list")).content.decode()
    assert html.count('data-testid="overdue"') == 1
    assert shown(q="王建") == [on_time.pk]
    assert shown(q=family.number) == [late.pk]
    assert shown(q=late.number) == [late.pk]
    services.referral_accept(actor=charity_officer, referral=on_time)
    assert shown(status="accepted") == [on_time.pk]
    assert shown(status="helped") == []
    empty = client.get(reverse("charity:referral-list"), {"status": "helped"}).content.decode()
    assert "No referral matches these filters." in empty


def test_the_list_reads_a_page_in_a_few_queries(
    login, caseworker, charity_officer, household_factory, fund, django_assert_max_num_queries
):
    for _ in range(6):
        refer(caseworker, household_factory(QIAOGUANG, size=1), fund)
    client = login(charity_officer)
    with django_assert_max_num_queries(12):
        response = client.get(reverse("charity:referral-list"))
    assert len(response.context["page"].object_list) == 6


# ------------------------------------------------------------------------------------------------- the report


@pytest.fixture
def figures(charity_officer, organisation, fund, project, street_pairing, household_factory, outsiders):
    """Small known data in 香洲区: the fund's 5000 donation (the district's own organisation) and one of 800
    restricted to the project; grants of 1500 to the project (拱北) and of 300 to a family of 康宁 (翠香); two project
    activities and one pairing activity (拱北); a donation of last year. And 斗门区's own figures, which no report of
    香洲 shows."""
    today = timezone.localdate()
    services.donation_record(actor=charity_officer, fund=fund, donor="某企业", amount="800", project=project)
    services.grant_make(actor=charity_officer, fund=fund, amount="1500", project=project, purpose="助学")
    kangning = household_factory(KANGNING, size=2)
    services.grant_make(actor=charity_officer, fund=fund, amount="300", household=kangning, purpose="慰问")
    services.activity_record(
        actor=charity_officer, project=project, place="侨光", beneficiaries=12, description="助学金", spent="600"
    )
    services.activity_record(
        actor=charity_officer, project=project, place="夏湾", beneficiaries=8, description="文具", spent="250.50"
    )
    services.pairing_activity_record(
        actor=charity_officer, pairing=street_pairing, description="走访", beneficiaries=5, value="100"
    )
    services.donation_record(
        actor=charity_officer, fund=fund, donor="旧捐赠", amount="999", on=date(today.year - 1, 6, 1)
    )

    officer = outsiders["officer"]
    doumen = services.organisation_register(
        actor=officer,
        region_code=DOUMEN,
        name="斗门区慈善会",
        kind="social_group",
        credit_code=credit_code(7, region="440403"),
    )
    doumen_fund = services.fund_open(actor=officer, organisation=doumen, name="斗门救灾基金")
    services.donation_record(actor=officer, fund=doumen_fund, donor="斗门企业", amount="7777")
    doumen_project = services.project_create(
        actor=officer,
        organisation=doumen,
        name="井岸镇应急救灾",
        category="emergency_relief",
        region_code="440403100000",
        budget="10000",
        starts_on=today - timedelta(days=10),
    )
    services.project_move(actor=officer, project=doumen_project, status="running")
    services.activity_record(actor=officer, project=doumen_project, place="井岸", beneficiaries=33, spent="444")
    return {"kangning": kangning}


def direct_sums(prefix, start, end):
    """The report's figures summed straight from the ledger and the activities."""
    entries = FundEntry.objects.filter(on__gte=start, on__lte=end)
    donations = entries.filter(kind=EntryKind.DONATION, fund__organisation__region__code__startswith=prefix)
    grants = entries.filter(kind=EntryKind.GRANT).filter(
        Q(project__region__code__startswith=prefix) | Q(household__region__code__startswith=prefix)
    )
    project_activities = ProjectActivity.objects.filter(
        on__gte=start, on__lte=end, project__region__code__startswith=prefix
    )
    pairing_activities = PairingActivity.objects.filter(
        on__gte=start, on__lte=end, pairing__region__code__startswith=prefix
    )

    def total(queryset, field):
        return sum((getattr(row, field) for row in queryset), D(0))

    return {
        "raised": total(donations, "amount"),
        "granted": total(grants, "amount"),
        "activities": project_activities.count() + pairing_activities.count(),
        "beneficiaries": total(project_activities, "beneficiaries") + total(pairing_activities, "beneficiaries"),
        "spent": total(project_activities, "spent") + total(pairing_activities, "value"),
    }


def test_the_report_equals_the_direct_sums_and_drills_down(login, charity_officer, figures):
    client = login(charity_officer)
    today = timezone.localdate()
    response = client.get(reverse("charity:report"))
    assert response.status_code == 200
    report = response.context["report"]
    assert report["region"].code == XIANGZHOU and report["start"] == date(today.year, 1, 1) and report["end"] == today
    expected = {"raised": D("5800"), "granted": D("1800"), "activities": 3, "beneficiaries": 25, "spent": D("950.50")}
    assert report["total"] == expected == direct_sums("440402", report["start"], report["end"])
    rows = {(row["region_code"], row["category"]): row for row in report["rows"]}
    assert rows[(XIANGZHOU, "")]["raised"] == D("5000.00") and rows[(XIANGZHOU, "")]["own_level"]
    assert rows[(XIANGZHOU, "")]["region_label"] == "香洲区, own level" and not rows[(XIANGZHOU, "")]["drill_url"]
    assert rows[(XIANGZHOU, "student_aid")]["raised"] == D("800.00")
    assert rows[(GONGBEI, "student_aid")]["granted"] == D("1500.00")
    assert rows[(GONGBEI, "student_aid")]["activities"] == 2 and rows[(GONGBEI, "student_aid")]["beneficiaries"] == 20
    assert rows[(GONGBEI, "pairing")]["spent"] == D("100.00")
    assert rows[(CUIXIANG, "household")]["granted"] == D("300.00")
    html = response.content.decode()
    assert 'data-testid="total-spent">950.50<' in html and "7777" not in html and "斗门" not in html
    drill = rows[(GONGBEI, "student_aid")]["drill_url"]
    assert drill.startswith(reverse("charity:report")) and f"region={GONGBEI}" in drill
    assert f'data-testid="drill-{GONGBEI}"' in html

    # Down to 拱北街道: only its own figures; the breadcrumb leads back to the district.
    down = client.get(drill)
    report = down.context["report"]
    assert report["region"].code == GONGBEI
    assert report["total"] == direct_sums("440402005", report["start"], report["end"])
    assert report["total"]["granted"] == D("1500.00") and report["total"]["raised"] == D("0.00")
    assert [crumb["region"].code for crumb in down.context["trail"]] == [XIANGZHOU, GONGBEI]
    down = client.get(reverse("charity:report"), {"region": "440402001"})
    assert down.context["report"]["region"].code == CUIXIANG
    assert [(row["region_code"], row["granted"]) for row in down.context["report"]["rows"]] == [(KANGNING, D("300.00"))]

    # A period: last year's donation alone.
    last_year = client.get(
        reverse("charity:report"), {"start": f"{today.year - 1}-01-01", "end": f"{today.year - 1}-12-31"}
    )
    assert last_year.context["report"]["total"]["raised"] == D("999.00")


def test_bad_dates_fall_back_to_this_year(login, charity_officer, figures):
    response = login(charity_officer).get(reverse("charity:report"), {"start": "2025-13-40", "end": "x"})
    assert response.status_code == 200 and response.context["form"].errors
    assert response.context["report"]["start"] == date(timezone.localdate().year, 1, 1)
    assert 'data-testid="form-errors"' in response.content.decode()
    response = login(charity_officer).get(reverse("charity:report"), {"start": "2025-05-01", "end": "2025-04-01"})
    assert response.status_code == 200 and "end" in response.context["form"].errors


def test_a_region_outside_the_area_shows_ones_own(login, charity_officer, figures, outsiders):
    client = login(charity_officer)
    response = client.get(reverse("charity:report"), {"region": DOUMEN})
    assert response.context["report"]["region"].code == XIANGZHOU
    assert "7777" not in response.content.decode()
    # And the other district's officer sees only 斗门.
    response = login(outsiders["officer"]).get(reverse("charity:report"), {"region": XIANGZHOU})
    report = response.context["report"]
    assert report["region"].code == DOUMEN
    assert report["total"]["raised"] == D("7777.00") and report["total"]["beneficiaries"] == 33


def test_the_report_needs_charity_view(login, staff_factory):
    director = staff_factory(Role.CHILD_DIRECTOR, QIAOGUANG)
    client = login(director)
    assert client.get(reverse("charity:report")).status_code == 403
    assert client.get(reverse("charity:report-export", args=["csv"])).status_code == 403


def test_csv_export_has_the_same_figures(login, charity_officer, figures):
    client = login(charity_officer)
    today = timezone.localdate()
    response = client.get(reverse("charity:report-export", args=["csv"]), {"region": GONGBEI})
    assert response.status_code == 200 and response["Content-Type"].startswith("text/csv")
    start = date(today.year, 1, 1)
    assert (
        f'filename="charity-report-{GONGBEI}-{start:%Y-%m-%d}-{today:%Y-%m-%d}.csv"' in response["Content-Disposition"]
    )
    assert response.content.startswith(b"\xef\xbb\xbf")
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert rows[0][:3] == ["Region code", "Region", "Category"]
    assert rows[-1][:3] == [GONGBEI, "拱北街道", "Total"]
    assert rows[-1][3:] == ["0.00", "1500.00", "3", "25", "950.50"]
    assert len(rows) == 1 + 2 + 1  # header, student aid and pairing of the street itself, totals


def test_xlsx_export_has_the_same_figures(login, charity_officer, figures):
    client = login(charity_officer)
    response = client.get(reverse("charity:report-export", args=["xlsx"]))
    assert response.status_code == 200
    assert response["Content-Disposition"].endswith('.xlsx"') and XIANGZHOU in response["Content-Disposition"]
    sheet = load_workbook(io.BytesIO(response.content)).active
    rows = list(sheet.values)
    assert rows[0][1:5] == ("Region", "Category", "Donations in (yuan)", "Grants out (yuan)")
    assert rows[-1][2] == "Total"
    assert [D(str(v)) for v in rows[-1][3:]] == [D("5800"), D("1800"), D(3), D(25), D("950.5")]
    body = {row[1] for row in rows[1:-1]}
    assert "翠香街道" in body and "拱北街道" in body and not any("斗门" in str(name) for name in body)
    assert sum(D(str(row[3])) for row in rows[1:-1]) == D("5800")


def test_export_outside_the_area_falls_back_to_ones_own(login, charity_officer, figures):
    client = login(charity_officer)
    response = client.get(reverse("charity:report-export", args=["csv"]), {"region": DOUMEN})
    assert response.status_code == 200 and XIANGZHOU in response["Content-Disposition"]
    content = response.content.decode("utf-8-sig")
    assert "7777" not in content and "斗门" not in content and "5800.00" in content
    response = client.get(reverse("charity:report-export", args=["xlsx"]), {"region": "440403100000"})
    rows = list(load_workbook(io.BytesIO(response.content)).active.values)
    assert rows[-1][0] == XIANGZHOU and D(str(rows[-1][3])) == D("5800")


def test_unknown_export_format_is_404(login, charity_officer):
    assert login(charity_officer).get(reverse("charity:report-export", args=["pdf"])).status_code == 404
