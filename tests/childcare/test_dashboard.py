"""Child protection on the managers' dashboard: every figure equals a direct count or sum of the same rows (reports
by state, open, in danger, overdue as childcare.selectors counts it; children by category; allowance claims waiting
and confirmed with their amounts), the figures follow report steps, the alert job and claim decisions after commit,
only those who may read child-protection figures get the panels, and a district sees none of another's numbers."""

from datetime import date, timedelta
from decimal import Decimal

import pytest
from django.db.models import Count, Sum
from django.urls import reverse
from django.utils import timezone

from childcare import allowances, selectors, services
from childcare.models import (
    OPEN_STATES,
    AllowanceClaim,
    AllowanceStandard,
    ChildCategory,
    ChildProfile,
    ClaimState,
    MandatoryReport,
    ReportState,
)
from civic import dashboard, figures
from civic.models import Figure, Resident
from civic.months import add_months
from civic.roles import Role
from tests.childcare import test_allowances as allowance_tests
from tests.childcare.test_services import receive

D = Decimal
QIAOGUANG, KANGNING, XINTANG = "440402005001", "440402001001", "440403100001"
XIANGZHOU, DOUMEN, CITY = "440402000000", "440403000000", "440400000000"

# The allowance tests' fixtures: the director of 侨光, the supervisor of 拱北街道, the officer of 香洲区, two managers;
# the city's allowance standard (scattered orphans 2,200 a month).
staff, standard = allowance_tests.staff, allowance_tests.standard


def this_month():
    return timezone.localdate().replace(day=1)


def figure(metric, code, month=None, dimension=None):
    rows = Figure.objects.filter(rolled=True, metric=metric, region_code=code, month=month or this_month())
    if dimension is not None:
        rows = rows.filter(dimension=dimension)
    return rows.aggregate(v=Sum("value"))["v"] or D(0)


def refresh_all_child_sources(months=3):
    end = add_months(this_month(), 1)
    for name in ("childcare.reports", "childcare.reports_now", "childcare.children_now", "childcare.allowances"):
        figures.refresh(name, "", add_months(end, -months), end)


def page(client, user, region=None):
    client.force_login(user)
    answer = client.get(reverse("dashboard"), {"region": region} if region else {})
    assert answer.status_code == 200
    return answer.content.decode()


@pytest.fixture
def doumen(staff_factory, regions):
    """新堂's director, 井岸镇's supervisor and 斗门区's officer; 斗门's own allowance standard (1,888.88), so its
    amounts are numbers 香洲 does not have."""
    AllowanceStandard.objects.create(
        region_id=DOUMEN, effective_from=date(2024, 1, 1), institutional=D("2345.67"), scattered=D("1888.88")
    )
    return {
        "director": staff_factory(Role.CHILD_DIRECTOR, XINTANG, username="director-xintang"),
        "supervisor": staff_factory(Role.CHILD_SUPERVISOR, "440403100000", username="supervisor-jingan"),
        "protection": staff_factory(Role.CHILD_PROTECTION, "440403", username="protection-doumen"),
    }


def child(household_factory, people, categories, region=QIAOGUANG, **parents):
    household = household_factory(region, size=2)
    kid = household.members.exclude(pk=household.head_id).get()
    today = timezone.localdate()
    Resident.objects.filter(pk=kid.pk).update(birth_date=today.replace(year=today.year - 9))
    kid.refresh_from_db()
    return services.profile_register(
        actor=people["director"],
        resident=kid,
        categories=categories,
        director=people["director"],
        supervisor=people["supervisor"],
        guardian="祖母",
        **parents,
    )


def claim(people, profile, kind="orphan_scattered", steps=2):
    """Filed by the director; verified by the street (steps ≥ 1); confirmed by the district (steps 2)."""
    filed = allowances.claim_file(
        actor=people["director"], profile=profile, kind=kind, payee_name="祖母", account="6217000011112222"
    )
    if steps >= 1:
        filed = allowances.claim_verify(actor=people["supervisor"], claim=filed, approve=True)
    if steps >= 2:
        filed = allowances.claim_confirm(actor=people["protection"], claim=filed, approve=True)
    return filed


def walk(actor, report, *steps):
    extra = {"assess": {"risk_level": "high"}, "plan": {"plan": "安排临时照料"}, "close": {"outcome": "已妥善安置"}}
    for step in steps:
        report = services.report_step(actor=actor, report=report, step=step, **extra.get(step, {}))
    return report


@pytest.fixture
def cases(staff, standard, doumen, household_factory):
    """Reports: 侨光 one in danger, one received last month, one closed, one acted on after the deadline; 康宁 one;
    新堂 one in danger; the alert job run as if five days had passed. Children: 侨光 three open profiles (one in two
    categories) and one closed, 新堂 one. Claims: 侨光 one confirmed, one verified, one filed; 新堂 one confirmed."""
    officer = staff["protection"]
    danger = receive(officer, immediate_danger=True)
    older = receive(officer)
    closed = walk(officer, receive(officer), "assess", "plan", "intervene", "follow_up", "close")
    late = receive(officer)
    receive(officer, region_code=KANGNING)
    receive(doumen["protection"], region_code=XINTANG, immediate_danger=True)
    MandatoryReport.objects.filter(pk=older.pk).update(received_at=older.received_at - timedelta(days=40))
    later = timezone.now() + timedelta(days=5)
    services.overdue_alert(now=later)
    walk(officer, late, "assess")

    orphan = child(household_factory, staff, ["orphan_scattered"])
    institutional = child(household_factory, staff, ["orphan_institutional", "difficulty_disability"])
    scattered = child(household_factory, staff, ["orphan_scattered"])
    gone = child(household_factory, staff, ["left_behind"])
    ChildProfile.objects.filter(pk=gone.pk).update(closed_on=timezone.localdate())
    xintang = child(household_factory, doumen, ["orphan_scattered", "left_behind"], region=XINTANG)
    claim(staff, orphan)
    claim(staff, scattered, steps=1)
    claim(staff, institutional, kind="orphan_institutional", steps=0)
    claim(doumen, xintang)
    return {"later": later, "danger": danger, "closed": closed}


def test_report_figures_equal_the_reports_and_the_selectors_aggregates(cases, staff, doumen):
    refresh_all_child_sources()
    later = cases["later"]
    for principal, code in ((staff["protection"], XIANGZHOU), (doumen["protection"], DOUMEN), (staff["manager"], CITY)):
        aggregates = selectors.report_aggregates(principal, later)
        for state in ReportState.values:
            assert figure("childcare.reports", code, dimension=state) == aggregates["by_state"].get(state, 0), state
        assert figure("childcare.reports", code) == aggregates["total"]
        assert figure("childcare.reports_overdue", code, dimension="not_acted") == aggregates["overdue"], code
        assert figure("childcare.reports_danger", code) == aggregates["open_in_danger"], code
        open_reports = MandatoryReport.objects.filter(region__code__startswith=code.rstrip("0"), state__in=OPEN_STATES)
        assert figure("childcare.reports_open", code) == open_reports.count()
        assert figure("childcare.reports_overdue", code) == open_reports.filter(overdue_since__isnull=False).count()
    assert figure("childcare.reports_overdue", XIANGZHOU, dimension="not_acted") == 3
    assert figure("childcare.reports_overdue", QIAOGUANG, dimension="acted_late") == 1
    assert figure("childcare.reports", QIAOGUANG, dimension="closed") == 1

    for month in (this_month(), add_months(this_month(), -1), add_months(this_month(), -2)):
        for code in (QIAOGUANG, KANGNING, XIANGZHOU, DOUMEN, CITY):
            received = [
                r
                for r in MandatoryReport.objects.filter(region__code__startswith=code.rstrip("0"))
                if timezone.localtime(r.received_at).date().replace(day=1) == month
            ]
            assert figure("childcare.reports_received", code, month) == len(received), (code, month)
            assert figure("childcare.reports_received", code, month, "danger") == sum(
                r.immediate_danger for r in received
            )


def test_children_and_allowance_figures_equal_the_profiles_and_claims(cases):
    refresh_all_child_sources()
    for code in (QIAOGUANG, XIANGZHOU, DOUMEN, CITY):
        prefix = code.rstrip("0")
        profiles = ChildProfile.objects.filter(region__code__startswith=prefix, closed_on__isnull=True)
        assert figure("childcare.children", code) == profiles.count(), code
        for category in ChildCategory.values:
            expected = sum(category in p.categories for p in profiles)
            assert figure("childcare.children_by_category", code, dimension=category) == expected, (code, category)
        claims = AllowanceClaim.objects.filter(profile__region__code__startswith=prefix)
        for state in (ClaimState.FILED, ClaimState.VERIFIED):
            assert figure("childcare.claims_waiting", code, dimension=state) == claims.filter(state=state).count()
        confirmed = claims.filter(state=ClaimState.CONFIRMED)
        assert figure("childcare.allowances_confirmed", code) == confirmed.count()
        assert figure("childcare.allowance_amount", code) == (confirmed.aggregate(s=Sum("amount"))["s"] or 0)
        by_kind = dict(confirmed.values_list("kind").annotate(n=Count("pk")).values_list("kind", "n"))
        for kind, n in by_kind.items():
            assert figure("childcare.allowances_confirmed", code, dimension=kind) == n
    assert figure("childcare.children", QIAOGUANG) == 3  # the closed profile is not counted
    assert figure("childcare.children_by_category", CITY, dimension="orphan_scattered") == 3
    assert figure("childcare.allowance_amount", XIANGZHOU) == D("2200.00")
    assert figure("childcare.allowance_amount", DOUMEN) == D("1888.88")
    # A decision of last month counts there.
    AllowanceClaim.objects.filter(profile__region_id=XINTANG).update(decided_at=timezone.now() - timedelta(days=40))
    refresh_all_child_sources()
    decided = timezone.localtime(timezone.now() - timedelta(days=40)).date().replace(day=1)
    assert figure("childcare.allowances_confirmed", DOUMEN, decided) == 1
    assert figure("childcare.allowance_amount", CITY, decided) == D("1888.88")


@pytest.mark.django_db(transaction=True)
def test_report_steps_the_alert_job_and_claim_decisions_refresh_the_figures_after_commit(
    staff, standard, household_factory
):
    """Committed for real: steps and decisions are queryset updates; the figures follow all the same."""
    officer = staff["protection"]
    report = receive(officer)
    assert figure("childcare.reports", QIAOGUANG, dimension="received") == 1
    assert figure("childcare.reports_received", CITY) == 1
    walk(officer, report, "assess")  # an update, and an event saved with it
    assert figure("childcare.reports", XIANGZHOU, dimension="assessed") == 1
    assert figure("childcare.reports", XIANGZHOU, dimension="received") == 0
    waiting = receive(officer, region_code=KANGNING)
    assert services.overdue_alert(now=waiting.act_by + timedelta(minutes=1)) == 1  # the alert job
    assert figure("childcare.reports_overdue", KANGNING, dimension="not_acted") == 1
    assert figure("childcare.reports_overdue", CITY) == 1

    profile = child(household_factory, staff, ["orphan_scattered"])
    assert figure("childcare.children_by_category", QIAOGUANG, dimension="orphan_scattered") == 1
    filed = claim(staff, profile, steps=0)
    assert figure("childcare.claims_waiting", CITY, dimension="filed") == 1
    verified = allowances.claim_verify(actor=staff["supervisor"], claim=filed, approve=True)
    assert figure("childcare.claims_waiting", CITY, dimension="filed") == 0
    assert figure("childcare.claims_waiting", CITY, dimension="verified") == 1
    allowances.claim_confirm(actor=staff["protection"], claim=verified, approve=True)
    assert figure("childcare.claims_waiting", CITY) == 0
    assert figure("childcare.allowances_confirmed", CITY) == 1
    assert figure("childcare.allowance_amount", QIAOGUANG) == D("2200.00")


def test_a_district_officer_sees_only_the_districts_child_figures(client, cases, staff, doumen, staff_factory):
    refresh_all_child_sources()
    officer = doumen["protection"]
    body = page(client, officer)
    for key in ("childcare-cases", "childcare-allowances"):
        assert f'data-testid="panel-{key}"' in body, key
    assert "1,888.88" in body and "井岸镇" in body
    for leak in ("2,200.00", "香洲区", "拱北街道", "侨光社区", "康宁社区"):
        assert leak not in body, leak
    assert "2,200.00" not in page(client, officer, XIANGZHOU)  # another district asked for: its own instead
    view = dashboard.view_for(officer, XIANGZHOU)
    for built in dashboard.build(view):
        for table in built["tables"]:
            assert all(row["region"] is None or row["region"].startswith("440403") for row in table.rows)
    # The city's manager (child-protection figures) sees both districts.
    city = page(client, staff["manager"])
    assert "2,200.00" in city and "1,888.88" in city and 'data-testid="panel-childcare-cases"' in city


def test_child_figures_are_only_for_those_who_may_read_them(client, cases, staff_factory):
    refresh_all_child_sources()
    others = ((Role.DISTRICT_APPROVER, "440403"), (Role.AUDITOR, "440400"), (Role.CHARITY_OFFICER, "440402"))
    for role, region in others:  # they read dashboards, not child protection
        body = page(client, staff_factory(role, region))
        assert "panel-childcare" not in body, role
    supervisor = staff_factory(Role.CHILD_SUPERVISOR, "440402005000", username="supervisor-2")
    body = page(client, supervisor)
    assert 'data-testid="panel-childcare-cases"' in body and "侨光社区" in body
    client.force_login(staff_factory(Role.DISTRICT_APPROVER, "440402", username="approver-2"))
    export = reverse("dashboard-export", args=["childcare-cases", "reports", "csv"])
    assert client.get(export).status_code == 404  # no table to export either
