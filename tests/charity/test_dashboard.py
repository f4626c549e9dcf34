"""The charity panel of the dashboard: every figure equals a direct count or sum of the records over the same
regions and months (donations where the fund's organisation is, grants where the project runs or the household
lives, as the charity report attributes them), the page of a 斗门区 user shows nothing of 香洲区, and a donation
refreshes the figures after commit."""

from datetime import datetime, time, timedelta
from decimal import Decimal

import pytest
from django.db.models import Count, Min, Q, Sum
from django.urls import reverse
from django.utils import timezone

from charity import dashboard as charity_dashboard
from charity import figures as charity_figures  # registers the sources (and their watches) before any write
from charity import selectors, services
from charity.models import (
    EntryKind,
    Fund,
    FundEntry,
    PairingActivity,
    ProjectActivity,
    ProjectStatus,
    Referral,
    ReferralEvent,
    ReferralStatus,
)
from civic import figures
from civic.models import Figure
from civic.months import add_months
from civic.roles import Role

from .conftest import credit_code

D = Decimal
SOURCES = [name for name in figures.sources() if name.startswith("charity.")]
CITY, XIANGZHOU, GONGBEI, QIAOGUANG = "440400000000", "440402000000", "440402005000", "440402005001"
DOUMEN, JINGAN, XINTANG = "440403000000", "440403100000", "440403100001"
CODES = [CITY, XIANGZHOU, GONGBEI, QIAOGUANG, "440402005002", DOUMEN, JINGAN, XINTANG]


def months():
    this_month = timezone.localdate().replace(day=1)
    return add_months(this_month, -1), this_month


def refresh_charity():
    last, this = months()
    for name in SOURCES:
        figures.refresh(name, "", last, add_months(this, 1))


def rolled(metric, code, month, dimension=None):
    rows = Figure.objects.filter(rolled=True, metric=metric, region_code=code, month=month)
    if dimension is not None:
        rows = rows.filter(dimension=dimension)
    return rows.aggregate(v=Sum("value"))["v"] or D(0)


@pytest.fixture
def charity_city(
    regions, charity_officer, caseworker, organisation, fund, street_pairing, family, household_factory, staff_factory
):
    """香洲区: the district association's fund (5000 donated today, fixture) and a street centre's fund; donations and
    grants this month and last; a project with activities in both months; a street pairing's activity; four
    referrals of 侨光 families (helped, answered late, declined last month in time, still awaiting past its date).
    斗门区: an association with its own fund, project, activity and an open referral — other amounts throughout."""
    today = timezone.localdate()
    last, this = months()
    day_last = this - timedelta(days=10)
    project = services.project_create(
        actor=charity_officer,
        organisation=organisation,
        name="拱北助学计划",
        category="student_aid",
        region_code=GONGBEI,
        budget="20000.00",
        starts_on=add_months(this, -3),
    )
    project = services.project_move(actor=charity_officer, project=project, status=ProjectStatus.RUNNING)
    services.donation_record(
        actor=charity_officer, fund=fund, donor="珠海某公司", amount="800.00", on=day_last, project=project
    )
    centre = services.organisation_register(
        actor=charity_officer,
        region_code=GONGBEI,
        name="拱北社会工作服务中心",
        kind="private_non_enterprise",
        credit_code=credit_code(2),
    )
    centre_fund = services.fund_open(actor=charity_officer, organisation=centre, name="拱北邻里基金")
    services.donation_record(actor=charity_officer, fund=centre_fund, donor="街坊", amount="1200.00")
    services.grant_make(actor=charity_officer, fund=fund, amount="1500.00", project=project)
    services.grant_make(actor=charity_officer, fund=fund, amount="600.00", household=family)
    services.grant_make(actor=charity_officer, fund=fund, amount="300.00", recipient="市外某单位", on=day_last)
    services.activity_record(actor=charity_officer, project=project, place="侨光社区", beneficiaries=12)
    services.activity_record(actor=charity_officer, project=project, place="夏湾社区", beneficiaries=7, on=day_last)
    services.pairing_activity_record(
        actor=charity_officer, pairing=street_pairing, description="走访慰问", beneficiaries=3
    )
    # Referrals: one helped by a grant, one answered (accepted) after its answer date, one declined in time last
    # month, one still awaiting an answer past its date.
    other_family = household_factory(QIAOGUANG, size=2)
    helped = services.referral_create(
        actor=caseworker, household=family, reason="judgement", need="学费", channel="fund", fund=fund
    )
    services.referral_help(actor=charity_officer, referral=helped, description="资助学费", value="400")
    late = services.referral_create(
        actor=caseworker, household=family, reason="judgement", need="助学", channel="project", project=project
    )
    services.referral_accept(actor=charity_officer, referral=late)
    # Answered at half past midnight on the first of this month (the evening before in UTC), a day late.
    Referral.objects.filter(pk=late.pk).update(answer_due=this - timedelta(days=1))
    ReferralEvent.objects.filter(referral=late).update(at=timezone.make_aware(datetime.combine(this, time(0, 30))))
    declined = services.referral_create(
        actor=caseworker, household=other_family, reason="judgement", need="医药费", channel="fund", fund=fund
    )
    services.referral_decline(actor=charity_officer, referral=declined, reason="不符合基金用途")
    answered_at = timezone.make_aware(datetime.combine(day_last, time(10)))
    Referral.objects.filter(pk=declined.pk).update(answer_due=day_last + timedelta(days=2))
    ReferralEvent.objects.filter(referral=declined).update(at=answered_at)
    waiting = services.referral_create(
        actor=caseworker,
        household=other_family,
        reason="judgement",
        need="探访",
        channel="pairing",
        pairing=street_pairing,
    )
    Referral.objects.filter(pk=waiting.pk).update(answer_due=today - timedelta(days=1))

    doumen_officer = staff_factory(Role.CHARITY_OFFICER, "440403", username="doumen-charity")
    volunteers = services.organisation_register(
        actor=doumen_officer,
        region_code=DOUMEN,
        name="斗门区义工联合会",
        kind="social_group",
        credit_code=credit_code(3, region="440403"),
    )
    doumen_fund = services.fund_open(actor=doumen_officer, organisation=volunteers, name="斗门应急基金")
    services.donation_record(actor=doumen_officer, fund=doumen_fund, donor="斗门乡贤", amount="1234.00")
    relief = services.project_create(
        actor=doumen_officer,
        organisation=volunteers,
        name="井岸应急救灾",
        category="emergency_relief",
        region_code=JINGAN,
        budget="9000.00",
        starts_on=add_months(this, -3),
    )
    relief = services.project_move(actor=doumen_officer, project=relief, status=ProjectStatus.RUNNING)
    services.grant_make(actor=doumen_officer, fund=doumen_fund, amount="234.00", project=relief)
    services.activity_record(actor=doumen_officer, project=relief, place="新堂社区", beneficiaries=9)
    doumen_family = household_factory(XINTANG, size=1)
    services.referral_create(
        actor=staff_factory(Role.CASEWORKER, XINTANG),
        household=doumen_family,
        reason="judgement",
        need="房屋维修",
        channel="fund",
        fund=doumen_fund,
    )
    return {"project": project, "fund": fund, "doumen_fund": doumen_fund}


# --- the figures against the records ----------------------------------------------------------------------------


def _in_month(month, field="on"):
    return {f"{field}__gte": month, f"{field}__lt": add_months(month, 1)}


def raised(pfx, month):
    donations = FundEntry.objects.filter(
        kind=EntryKind.DONATION, fund__organisation__region__code__startswith=pfx, **_in_month(month)
    )
    return donations.aggregate(v=Sum("amount"))["v"] or D(0)


def granted(pfx, month):
    grants = FundEntry.objects.filter(kind=EntryKind.GRANT, **_in_month(month)).filter(
        Q(project__region__code__startswith=pfx) | Q(project__isnull=True, household__region__code__startswith=pfx)
    )
    return grants.aggregate(v=Sum("amount"))["v"] or D(0)


def activities(pfx, month):
    projects = ProjectActivity.objects.filter(project__region__code__startswith=pfx, **_in_month(month))
    pairings = PairingActivity.objects.filter(pairing__region__code__startswith=pfx, **_in_month(month))
    project_figures = projects.aggregate(n=Count("pk"), people=Sum("beneficiaries"))
    pairing_figures = pairings.aggregate(n=Count("pk"), people=Sum("beneficiaries"))
    return {
        "project": (project_figures["n"], project_figures["people"] or 0),
        "pairing": (pairing_figures["n"], pairing_figures["people"] or 0),
    }


def answers(pfx, month):
    """(answered, answered late) in the month: the first step after the referral, late after the answer date."""
    answered = late = 0
    first = ReferralEvent.objects.exclude(status=ReferralStatus.REFERRED).values("referral").annotate(at=Min("at"))
    due = dict(Referral.objects.filter(region__code__startswith=pfx).values_list("pk", "answer_due"))
    for row in first:
        if row["referral"] not in due:
            continue
        day = timezone.localtime(row["at"]).date()
        if day.replace(day=1) == month:
            answered += 1
            late += day > due[row["referral"]]
    return answered, late


def test_each_figure_equals_a_direct_count_or_sum_of_the_records(charity_city, regions):
    refresh_charity()
    last, this = months()
    today = timezone.localdate()
    for code in CODES:
        pfx = regions[code].prefix
        for month in (last, this):
            where = (code, month)
            assert rolled(charity_figures.RAISED, code, month) == raised(pfx, month), where
            assert rolled(charity_figures.GRANTED, code, month) == granted(pfx, month), where
            counted = activities(pfx, month)
            for dimension, (count, people) in counted.items():
                assert rolled(charity_figures.ACTIVITIES, code, month, dimension) == count, (where, dimension)
                assert rolled(charity_figures.BENEFICIARIES, code, month, dimension) == people, (where, dimension)
            assert rolled(charity_figures.REFERRALS_ANSWERED, code, month) == answers(pfx, month)[0], where
            assert rolled(charity_figures.REFERRALS_ANSWERED_LATE, code, month) == answers(pfx, month)[1], where
        balance = Fund.objects.filter(organisation__region__code__startswith=pfx).aggregate(v=Sum("balance"))["v"]
        assert rolled(charity_figures.BALANCE, code, this) == (balance or 0), code
        referrals = Referral.objects.filter(region__code__startswith=pfx)
        now = {
            charity_figures.REFERRALS_OPEN: referrals.filter(
                status__in=[ReferralStatus.REFERRED, ReferralStatus.ACCEPTED]
            ).count(),
            charity_figures.REFERRALS_HELPED: referrals.filter(status=ReferralStatus.HELPED).count(),
            charity_figures.REFERRALS_DECLINED: referrals.filter(status=ReferralStatus.DECLINED).count(),
            charity_figures.REFERRALS_OVERDUE: referrals.filter(
                status=ReferralStatus.REFERRED, answer_due__lt=today
            ).count(),
        }
        for metric, count in now.items():
            assert rolled(metric, code, this) == count, (code, metric)

    # The data are not trivial: each figure is exercised, at more than one level.
    assert rolled(charity_figures.RAISED, XIANGZHOU, this) == D("6200.00")  # 5000 at the district, 1200 street
    assert rolled(charity_figures.RAISED, GONGBEI, this) == D("1200.00")
    assert rolled(charity_figures.RAISED, XIANGZHOU, last, "student_aid") == D("800.00")
    assert rolled(charity_figures.GRANTED, QIAOGUANG, this, "household") == D("1000.00")  # 600 + 400 by referral
    assert rolled(charity_figures.GRANTED, XIANGZHOU, last) == 0  # the grant to a named recipient has no region
    assert rolled(charity_figures.BALANCE, CITY, this) == D("5200.00")  # 3000 + 1200 + 1000 (斗门)
    assert (
        rolled(charity_figures.BENEFICIARIES, GONGBEI, this) == 15
        and rolled(charity_figures.BENEFICIARIES, GONGBEI, last) == 7
    )
    assert rolled(charity_figures.REFERRALS_ANSWERED, QIAOGUANG, this) == 2
    assert rolled(charity_figures.REFERRALS_ANSWERED_LATE, QIAOGUANG, this) == 1
    assert rolled(charity_figures.REFERRALS_ANSWERED, QIAOGUANG, last) == 1
    assert rolled(charity_figures.REFERRALS_OVERDUE, QIAOGUANG, this) == 1
    assert rolled(charity_figures.REFERRALS_OPEN, CITY, this) == 3


def test_the_figures_agree_with_the_charity_report(charity_city, charity_officer, regions):
    refresh_charity()
    last, this = months()
    for code in (XIANGZHOU, GONGBEI):
        report = selectors.report(charity_officer, regions[code], start=last, end=add_months(this, 1) - timedelta(1))
        total = report["total"]
        both = (last, this)
        assert total["raised"] == sum(rolled(charity_figures.RAISED, code, m) for m in both), code
        assert total["granted"] == sum(rolled(charity_figures.GRANTED, code, m) for m in both), code
        assert total["activities"] == sum(rolled(charity_figures.ACTIVITIES, code, m) for m in both), code
        assert total["beneficiaries"] == sum(rolled(charity_figures.BENEFICIARIES, code, m) for m in both), code


def test_a_rerun_changes_nothing(charity_city):
    refresh_charity()
    before = sorted(Figure.objects.values_list("rolled", "metric", "region_code", "month", "dimension", "value"))
    refresh_charity()
    after = sorted(Figure.objects.values_list("rolled", "metric", "region_code", "month", "dimension", "value"))
    assert before == after


# --- the page --------------------------------------------------------------------------------------------------


def _panel(page, key):
    return next(item for item in page.context["panels"] if item["panel"].key == key)


def test_the_panel_renders_its_tables_with_charts(client, charity_city, staff_factory):
    refresh_charity()
    client.force_login(staff_factory(Role.DISTRICT_APPROVER, "440402"))
    page = client.get(reverse("dashboard"))
    body = page.content.decode()
    assert page.status_code == 200 and 'data-testid="panel-charity"' in body
    for table in ("funds", "funds-trend", "help", "help-trend", "referrals", "referrals-trend"):
        assert f'data-testid="table-charity-{table}"' in body, table
    tables = {t.key: t for t in _panel(page, "charity")["tables"]}
    assert tables["funds"].total["m1"] == D("6200.00") and tables["funds"].chart.kind == "bar"
    own = [row for row in tables["funds"].rows if row["region"] is None]  # the district association's own level
    assert own and own[0]["m0"] == D("3000.00") and own[0]["m1"] == D("5000.00")
    assert len(tables["funds-trend"].rows) == 13 and tables["funds-trend"].rows[-2]["m0"] == D("800.00")
    assert "6,200.00" in body and "<svg" in body
    csv = client.get(reverse("dashboard-export", args=["charity", "referrals", "csv"])).content.decode("utf-8-sig")
    assert "拱北街道" in csv


def _doumen_totals(regions):
    pfx = regions[DOUMEN].prefix
    _last, this = months()
    return {
        "funds": [D("1000.00"), raised(pfx, this), granted(pfx, this)],
        "help": [9, 9, 0, 1],
        "referrals": [1, 0, 0, 0, 0, 0],
    }


@pytest.mark.parametrize(
    "role, region, asked",
    [
        (Role.DISTRICT_APPROVER, "440403", None),
        (Role.CHARITY_OFFICER, "440403", None),
        (Role.AUDITOR, "440403", None),
        (Role.CITY_MANAGER, "440400", DOUMEN),  # the city drilled down into 斗门区
    ],
)
def test_a_doumen_page_shows_none_of_xiangzhous_figures(
    client, charity_city, regions, staff_factory, role, region, asked
):
    refresh_charity()
    client.force_login(staff_factory(role, region, username=f"dm-{role}"))
    page = client.get(reverse("dashboard"), {"region": asked} if asked else {})
    body = page.content.decode()
    assert page.status_code == 200 and 'data-testid="panel-charity"' in body
    assert page.context["view"].region.code == DOUMEN
    doumen_names = {r.name for r in regions.values() if r.code.startswith("440403")}
    expected = _doumen_totals(regions)
    for table in _panel(page, "charity")["tables"]:
        for row in table.rows:
            assert row["label"][:4].isdigit() or any(name in row["label"] for name in doumen_names), row["label"]
        if table.key in expected:
            columns = [key for key, _label, _kind in table.columns]
            assert [table.total[c] for c in columns] == expected[table.key], table.key
    for text in ("香洲区", "拱北", "侨光", "6,200.00", "5,000.00", "1,200.00", "1,500.00", "3,000.00"):
        assert text not in body, text
    assert "1,234.00" in body


# --- after commit ----------------------------------------------------------------------------------------------


def test_a_donation_and_a_grant_refresh_the_figures_after_commit(
    charity_officer, organisation, household_factory, django_capture_on_commit_callbacks
):
    # Nothing watched is written before the block (the fixtures' own donation would queue the refresh already).
    this = timezone.localdate().replace(day=1)
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        fund = services.fund_open(actor=charity_officer, organisation=organisation, name="助学基金")
        services.donation_record(actor=charity_officer, fund=fund, donor="爱心人士", amount="700.00")
        household = household_factory(QIAOGUANG, size=1)
        services.grant_make(actor=charity_officer, fund=fund, amount="250.00", household=household)
        assert not Figure.objects.filter(metric__startswith="charity.").exists()  # not before commit
    assert len(callbacks) == 1  # one refresh per source and region, after commit
    for code in (XIANGZHOU, CITY):
        assert rolled(charity_figures.RAISED, code, this) == D("700.00")
        assert rolled(charity_figures.BALANCE, code, this) == D("450.00")
    for code in (QIAOGUANG, GONGBEI, XIANGZHOU, CITY):
        assert rolled(charity_figures.GRANTED, code, this, "household") == D("250.00")
    assert rolled(charity_figures.RAISED, GONGBEI, this) == 0


def test_measures_are_the_panels_own(charity_city):
    # The panel reads the metrics the sources write.
    written = {m for name in SOURCES for m in figures.sources()[name].metrics}
    measures = [v for v in vars(charity_dashboard).values() if hasattr(v, "metric") and hasattr(v, "per")]
    assert measures and {m.metric for m in measures} <= written
