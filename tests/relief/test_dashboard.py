"""Relief's dashboard figures and panels: each figure equals a direct count or sum of the same rows, for every
month of the trend and every level of region; the after-commit refreshes of saves, workflow steps and the
payment jobs; the panels on the page, scoped to the user's area; a table's CSV."""

import csv
import io
from datetime import datetime, time, timedelta
from decimal import Decimal

import pytest
from django.db import connection
from django.db.models import Q, Sum
from django.urls import reverse
from django.utils import timezone

from civic import dashboard, figures
from civic.models import Figure
from civic.months import add_months, month_end
from civic.roles import Role
from relief import dashboard as relief_dashboard
from relief import selectors
from relief.models import Application, BatchLine, Entitlement, LineStatus
from relief.models.applications import OPEN_STATUSES
from relief.programmes import TEMPORARY
from relief.services import disbursement, entitlements
from relief.services.applications import investigation
from tests.relief.money_support import CITY, QIAOGUANG, XIANGZHOU, dibao_entitlement, published_policy

XIAWAN = "440402005003"  # 香洲区 › 拱北街道 › 夏湾社区
GONGBEI = "440402005000"  # 拱北街道
DOUMEN = "440403000000"  # 斗门区
XINTANG = "440403100001"  # 斗门区 › 井岸镇 › 新堂社区
CODES = (QIAOGUANG, XIAWAN, GONGBEI, XIANGZHOU, XINTANG, DOUMEN, CITY)
SOURCES = (
    "relief.recipients",
    "relief.pipeline",
    "relief.applications",
    "relief.disbursements",
    "relief.temporary_aid",
)
MONTHLY = ("dibao", "tekun", "edge", "rigid", "child_allowance")
RELIEF_PANELS = ("relief-recipients", "relief-applications", "relief-payments", "relief-temporary-aid")


def today():
    return timezone.localdate()


def this_month():
    return today().replace(day=1)


def months():
    return [add_months(this_month(), -i) for i in range(12, -1, -1)]


def refresh():
    for name in SOURCES:
        figures.refresh(name, "", months()[0], add_months(this_month(), 1))


def rolled(metric, code, month=None, dimension=None):
    """The rolled-up figure of a region and month: one dimension, or the sum over all of them (None)."""
    rows = Figure.objects.filter(rolled=True, metric=metric, region_code=code, month=month or this_month())
    if dimension is not None:
        rows = rows.filter(dimension=dimension)
    return rows.aggregate(v=Sum("value"))["v"] or Decimal(0)


def moment(day, hour=10):
    return timezone.make_aware(datetime.combine(day, time(hour)))


def commit(capture, action):
    """Run `action` as its own transaction would: its after-commit callbacks run when it ends. Callbacks left
    by the set-up are dropped first (each would have run at its own commit; in a test none is committed, and a
    figures refresh already queued would swallow the action's own)."""
    connection.run_on_commit.clear()
    with capture(execute=True):
        result = action()
    connection.run_on_commit.clear()
    return result


# --- set-up -------------------------------------------------------------------------------------------------------


@pytest.fixture
def policy(regions):
    return published_policy(standard="1100")


@pytest.fixture
def household(household_factory):
    return lambda code, size=1: household_factory(code, size=size)


def benefit(household, programme="dibao", *, covered=None, starts=None, status="active", ends=None):
    """A benefit made straight in the database (the workflow that grants them is tested elsewhere)."""
    covered = household.members.count() if covered is None else covered
    return Entitlement.objects.create(
        household=household,
        region_id=household.region_id,
        programme=programme,
        amount=Decimal("500.00") * max(covered, 1),
        starts_on=starts or add_months(this_month(), -12),
        ends_on=ends,
        status=status,
        review_due=add_months(this_month(), 6),
        covered_count=covered,
        payee_id=household.head_id,
    )


def application(household, status, *, accepted, by, programme="dibao", step_due=None, decided=None, amount=None):
    return Application.objects.create(
        household=household,
        region_id=household.region_id,
        programme=programme,
        area="urban",
        status=status,
        accepted_at=accepted,
        accepted_by=by,
        overall_due=today() + timedelta(days=30),
        step_due=step_due,
        decided_at=decided,
        amount=amount,
    )


def in_force(month):
    """The rule of relief.figures.IN_FORCE, written with the ORM: benefits in force on the month's last day, or
    today for the current month."""
    as_of = min(month_end(month), today())
    rows = Entitlement.objects.filter(starts_on__lte=as_of).filter(Q(ends_on__isnull=True) | Q(ends_on__gte=as_of))
    if as_of == today():
        return rows.exclude(status="ended")
    return rows.exclude(status="ended", ends_on__isnull=True)


def region_rows(model, code):
    prefix = code.rstrip("0")
    return model.filter(region__code__startswith=prefix)


# --- recipients ---------------------------------------------------------------------------------------------------


@pytest.fixture
def recipients(household):
    month = this_month()
    made = {
        "long": benefit(household(QIAOGUANG, 3)),  # 3 people on dibao for a year
        "new": benefit(household(QIAOGUANG, 2), starts=month),  # paid from this month
        "tekun": benefit(household(QIAOGUANG), "tekun", starts=add_months(month, -6)),
        "suspended": benefit(household(QIAOGUANG), status="suspended"),  # still covered
        "next": benefit(household(QIAOGUANG, 2), starts=add_months(month, 1)),  # not yet
        # Ended three months ago: covered up to that month.
        "ended": benefit(household(XIAWAN, 4), status="ended", ends=month_end(add_months(month, -3))),
        # Ended this month: paid to the month's end, but not covered now.
        "ending": benefit(household(QIAOGUANG, 2), "edge", status="ended", ends=month_end(month)),
        "undated": benefit(household(XIAWAN, 2), status="ended"),  # when it ended is unknown: never counted
        "child": benefit(household(XINTANG, 2), "child_allowance", covered=1),
        "rigid": benefit(household(XINTANG, 3), "rigid", starts=add_months(month, -2)),
    }
    return made


def test_people_covered_equal_the_benefits_in_force_for_every_month_and_region(recipients):
    refresh()
    month = this_month()
    # This month in 侨光: 3 + 2 (from this month) + 1 suspended on dibao; the one starting next month is not there.
    assert rolled("relief.people", QIAOGUANG, month, "dibao") == 6
    assert rolled("relief.benefits", QIAOGUANG, month, "dibao") == 3
    # Every programme, month and level against the same rule written with the ORM.
    for code in CODES:
        for m in months():
            rows = region_rows(in_force(m), code)
            for programme in MONTHLY:
                mine = rows.filter(programme=programme)
                people = mine.aggregate(n=Sum("covered_count"))["n"] or 0
                assert rolled("relief.people", code, m, programme) == people, (code, m, programme)
                assert rolled("relief.benefits", code, m, programme) == mine.count(), (code, m, programme)


def test_the_trend_is_lower_before_a_benefit_started_and_after_it_ended(recipients, staff_factory):
    refresh()
    month = this_month()
    last = add_months(month, -1)
    # The new dibao family (2 people) counts from this month only.
    assert rolled("relief.people", QIAOGUANG, month, "dibao") - rolled("relief.people", QIAOGUANG, last, "dibao") == 2
    # 特困 from six months ago: none in the month before.
    assert rolled("relief.people", QIAOGUANG, add_months(month, -6), "tekun") == 1
    assert rolled("relief.people", QIAOGUANG, add_months(month, -7), "tekun") == 0
    # Ended three months ago: covered in that month, not in the next; ended this month: last month, not now.
    assert rolled("relief.people", XIAWAN, add_months(month, -3), "dibao") == 4
    assert rolled("relief.people", XIAWAN, add_months(month, -2), "dibao") == 0
    assert rolled("relief.people", QIAOGUANG, last, "edge") == 2
    assert rolled("relief.people", QIAOGUANG, month, "edge") == 0
    # The trend table reads the same figures.
    view = dashboard.view_for(staff_factory(Role.CITY_MANAGER, CITY), XIANGZHOU)
    trend = _table(view, "relief-recipients", "trend")
    dibao_column = _column(trend, relief_dashboard.PROGRAMME_LABELS["dibao"])
    assert [row[dibao_column] for row in trend.rows][-2:] == [
        rolled("relief.people", XIANGZHOU, last, "dibao"),
        rolled("relief.people", XIANGZHOU, month, "dibao"),
    ]


# --- applications -------------------------------------------------------------------------------------------------


@pytest.fixture
def caseworker(staff_factory):
    return staff_factory(Role.CASEWORKER, QIAOGUANG)


@pytest.fixture
def pipeline(household, caseworker):
    now, day = timezone.now(), today()
    earlier = moment(add_months(this_month(), -3) + timedelta(days=14))
    decided_before = moment(add_months(this_month(), -2) + timedelta(days=9))
    made = [
        application(household(QIAOGUANG), "accepted", accepted=now, by=caseworker, step_due=day - timedelta(days=1)),
        application(household(QIAOGUANG), "investigating", accepted=now, by=caseworker, step_due=day + timedelta(2)),
        application(household(QIAOGUANG), "notice", accepted=earlier, by=caseworker, step_due=day - timedelta(5)),
        application(household(XIAWAN), "deciding", accepted=earlier, by=caseworker),
        application(household(XIAWAN), "approved", accepted=earlier, by=caseworker, decided=now, amount=Decimal(800)),
        application(household(QIAOGUANG), "refused", accepted=now, by=caseworker, decided=now),
        application(household(QIAOGUANG), "approved", accepted=earlier, by=caseworker, decided=decided_before),
        application(household(XINTANG), "accepted", accepted=now, by=caseworker, step_due=day - timedelta(days=3)),
    ]
    return made


def test_the_pipeline_and_the_decisions_equal_direct_counts(pipeline, staff_factory):
    refresh()
    month = this_month()
    for code in CODES:
        rows = region_rows(Application.objects.all(), code)
        for status in OPEN_STATUSES:
            assert rolled("relief.apps_open", code, month, status) == rows.filter(status=status).count()
        late = rows.filter(status__in=OPEN_STATUSES, step_due__lt=today()).count()
        assert rolled("relief.apps_overdue", code, month) == late
        for m in months():
            start, end = moment(m, 0), moment(add_months(m, 1), 0)
            accepted = rows.filter(accepted_at__gte=start, accepted_at__lt=end).count()
            assert rolled("relief.apps_accepted", code, m) == accepted, (code, m)
            for status in ("approved", "refused"):
                decided = rows.filter(status=status, decided_at__gte=start, decided_at__lt=end).count()
                assert rolled("relief.apps_decided", code, m, status) == decided, (code, m, status)
    # Overdue is what the district's own overdue list holds.
    approver = staff_factory(Role.DISTRICT_APPROVER, XIANGZHOU)
    assert rolled("relief.apps_overdue", XIANGZHOU) == len(selectors.overdue_applications(approver)) == 2
    assert rolled("relief.apps_decided", XIANGZHOU, month, "approved") == 1
    assert rolled("relief.apps_decided", XIANGZHOU, add_months(month, -2), "approved") == 1
    assert rolled("relief.apps_accepted", CITY, add_months(month, -3)) == 4


def test_a_workflow_step_refreshes_the_pipeline_after_commit(household, caseworker, django_capture_on_commit_callbacks):
    noticed = application(household(QIAOGUANG), "notice", accepted=timezone.now(), by=caseworker)
    Application.objects.filter(pk=noticed.pk).update(notice_until=today() - timedelta(days=1))
    refresh()
    assert rolled("relief.apps_open", QIAOGUANG, dimension="notice") == 1
    noticed.refresh_from_db()
    commit(django_capture_on_commit_callbacks, lambda: investigation.notice_close(noticed))
    assert rolled("relief.apps_open", QIAOGUANG, dimension="notice") == 0
    assert rolled("relief.apps_open", QIAOGUANG, dimension="deciding") == 1
    assert rolled("relief.apps_open", CITY, dimension="deciding") == 1


# --- temporary aid ------------------------------------------------------------------------------------------------


def test_temporary_aid_counts_and_amounts_equal_the_approved_applications(household, caseworker):
    now = timezone.now()
    before = moment(add_months(this_month(), -2) + timedelta(days=3))
    application(household(QIAOGUANG), "approved", programme="temp_emergency", accepted=now, by=caseworker,
                decided=now, amount=Decimal("2200.00"))  # fmt: skip
    application(household(QIAOGUANG), "approved", programme="temp_expenditure", accepted=before, by=caseworker,
                decided=before, amount=Decimal("3300.00"))  # fmt: skip
    application(household(XINTANG), "approved", programme="temp_expenditure", accepted=now, by=caseworker,
                decided=now, amount=Decimal("1650.50"))  # fmt: skip
    application(household(QIAOGUANG), "refused", programme="temp_emergency", accepted=now, by=caseworker, decided=now)
    application(household(QIAOGUANG), "approved", accepted=now, by=caseworker, decided=now, amount=Decimal(900))
    refresh()
    for code in CODES:
        for m in months():
            start, end = moment(m, 0), moment(add_months(m, 1), 0)
            granted = region_rows(Application.objects.all(), code).filter(
                status="approved", programme__in=list(TEMPORARY), decided_at__gte=start, decided_at__lt=end
            )
            assert rolled("relief.temp_aid", code, m) == granted.count(), (code, m)
            amount = granted.aggregate(s=Sum("amount"))["s"] or Decimal(0)
            assert rolled("relief.temp_aid_amount", code, m) == amount, (code, m)
    assert rolled("relief.temp_aid_amount", CITY) == Decimal("3850.50")
    assert rolled("relief.temp_aid", XIANGZHOU, dimension="temp_emergency") == 1


# --- payments -----------------------------------------------------------------------------------------------------


@pytest.fixture
def families(household_factory, policy):
    return [
        dibao_entitlement(household_factory(QIAOGUANG, size=3), policy=policy, income="700", starts=months()[0]),
        dibao_entitlement(household_factory(QIAOGUANG, size=2), policy=policy, starts=months()[0]),
        dibao_entitlement(household_factory(XIAWAN, size=1), policy=policy, income="300", starts=months()[0]),
        dibao_entitlement(household_factory(XINTANG, size=2), policy=policy, starts=months()[0]),
    ]


@pytest.fixture
def managers(staff_factory):
    return staff_factory(Role.CITY_MANAGER, CITY, username="m1"), staff_factory(Role.DISTRICT_APPROVER, XIANGZHOU)


def assert_payments_match(month):
    for code in CODES:
        lines = region_rows(BatchLine.objects.of_month(month), code)
        sums = lines.aggregate(amount=Sum("amount"), people=Sum("covered_members"))
        assert rolled("relief.pay_lines", code, month) == lines.count(), (code, month)
        assert rolled("relief.pay_people", code, month) == (sums["people"] or 0), (code, month)
        assert rolled("relief.pay_amount", code, month) == (sums["amount"] or 0), (code, month)
        for status in LineStatus.values:
            mine = lines.filter(status=status)
            assert rolled("relief.pay_status", code, month, status) == mine.count(), (code, month, status)
            total = mine.aggregate(t=Sum("total"))["t"] or 0
            assert rolled("relief.pay_total", code, month, status) == total, (code, month, status)


def test_payment_figures_follow_the_batch_jobs_and_the_banks_results(
    families, managers, django_capture_on_commit_callbacks
):
    manager, approver = managers
    last = add_months(this_month(), -1)
    # Generating the batches refreshes the figures of each district's month after commit: no refresh called here.
    commit(
        django_capture_on_commit_callbacks,
        lambda: disbursement.batch_generate(actor=manager, region_code=CITY, month=last),
    )
    assert rolled("relief.pay_lines", CITY, last) == 4
    assert rolled("relief.pay_status", XIANGZHOU, last, "pending") == 3
    assert_payments_match(last)

    batch = disbursement.batch_send(
        actor=approver, batch=disbursement.batch_approve(actor=approver, batch=_batch(XIANGZHOU, last))
    )
    lines = list(BatchLine.objects.of_batch(batch).order_by("pk"))
    results = [{"line": line.pk, "status": "paid"} for line in lines[:2]]
    results.append({"line": lines[2].pk, "status": "failed", "reason": "账户已销户"})
    commit(
        django_capture_on_commit_callbacks,
        lambda: disbursement.results_apply(actor=approver, batch=batch, results=results),
    )
    assert rolled("relief.pay_status", XIANGZHOU, last, "failed") == 1
    assert rolled("relief.pay_total", XIANGZHOU, last, "paid") == lines[0].total + lines[1].total
    assert_payments_match(last)

    commit(django_capture_on_commit_callbacks, lambda: disbursement.failed_carry(actor=approver, batch=batch))
    assert rolled("relief.pay_status", XIANGZHOU, last, "failed") == 0
    assert rolled("relief.pay_status", XIANGZHOU, last, "carried") == 1
    assert_payments_match(last)

    # This month's batch: its own month, the carried payment in its total.
    commit(
        django_capture_on_commit_callbacks,
        lambda: disbursement.batch_generate(actor=manager, region_code=CITY, month=this_month()),
    )
    assert rolled("relief.pay_total", XIANGZHOU) == rolled("relief.pay_amount", XIANGZHOU) + lines[2].total
    assert_payments_match(this_month())
    assert_payments_match(last)
    # The table by region shows the current month once it has lines, else the last one.
    view = dashboard.view_for(manager, CITY)
    table = _table(view, "relief-payments", "by-region")
    assert f"{this_month():%Y-%m}" in str(table.title)
    assert table.total[_column(table, relief_dashboard.LINES.label)] == 4


def _batch(region, month):
    from relief.models import Batch

    return Batch.objects.get(region_id=region, month=month)


# --- after-commit refresh of a save and of a service's update -----------------------------------------------------


def test_saving_and_ending_a_benefit_refresh_its_community_and_the_regions_above_after_commit(
    household_factory, policy, staff_factory, django_capture_on_commit_callbacks
):
    family = household_factory(QIAOGUANG, size=3)
    granted = commit(
        django_capture_on_commit_callbacks,
        lambda: dibao_entitlement(family, policy=policy, starts=this_month()),
    )
    for code in (QIAOGUANG, GONGBEI, XIANGZHOU, CITY):
        assert rolled("relief.people", code, dimension="dibao") == 3, code
        assert rolled("relief.benefits", code, dimension="dibao") == 1, code

    approver = staff_factory(Role.DISTRICT_APPROVER, XIANGZHOU)
    commit(
        django_capture_on_commit_callbacks,
        lambda: entitlements.entitlement_end(actor=approver, entitlement=granted, reason="收入已超过标准"),
    )
    assert rolled("relief.people", CITY, dimension="dibao") == 0  # ended: no longer covered now


# --- the page: panels, scope, export --------------------------------------------------------------------------------


def _manager():
    from civic.models import User

    return User.objects.filter(role=Role.CITY_MANAGER).first()


def _table(view, panel_key, table_key):
    _panel, table = dashboard.find_table(view, panel_key, table_key)
    assert table is not None, (panel_key, table_key)
    return table


def _column(table, label):
    return next(key for key, column_label, _kind in table.columns if str(column_label) == str(label))


@pytest.fixture
def two_districts(recipients, pipeline, household, caseworker, staff_factory):
    """Figures in both districts; 香洲区's carry numbers found nowhere else."""
    now = timezone.now()
    Entitlement.objects.filter(pk=recipients["long"].pk).update(covered_count=4321)
    application(household(QIAOGUANG), "approved", programme="temp_emergency", accepted=now, by=caseworker,
                decided=now, amount=Decimal("98765.43"))  # fmt: skip
    application(household(XINTANG), "approved", programme="temp_emergency", accepted=now, by=caseworker,
                decided=now, amount=Decimal("1111.00"))  # fmt: skip
    staff_factory(Role.CITY_MANAGER, CITY)
    refresh()


def test_the_page_shows_relief_panels_of_the_users_district_only(client, two_districts, staff_factory):
    approver = staff_factory(Role.DISTRICT_APPROVER, "440403")
    client.force_login(approver)
    page = client.get(reverse("dashboard"))
    assert page.status_code == 200
    body = page.content.decode()
    for key in RELIEF_PANELS:
        assert f'data-testid="panel-{key}"' in body
    assert "井岸镇" in body and "1,111.00" in body
    # 香洲区's people covered now (4,325) and its temporary aid (98,765.43), as the city's page shows them.
    xiangzhou_people = region_rows(in_force(this_month()), XIANGZHOU).aggregate(n=Sum("covered_count"))["n"]
    theirs = (f"{xiangzhou_people:,}", "98,765.43")
    assert theirs == ("4,325", "98,765.43")
    assert "香洲区" not in body and "拱北街道" not in body
    assert not any(number in body for number in theirs)
    # A region outside the approver's district: the district is shown instead.
    other = client.get(reverse("dashboard"), {"region": XIANGZHOU}).content.decode()
    assert "斗门区" in other and "香洲区" not in other
    assert not any(number in other for number in theirs)
    # Every relief table of the view: 斗门区's own figures, its own regions only.
    view = dashboard.view_for(approver, XIANGZHOU)
    assert view.region.code == DOUMEN
    for panel, tables in ((p["panel"], p["tables"]) for p in dashboard.build(view)):
        if panel.key not in RELIEF_PANELS:
            continue
        for table in tables:
            assert all(row["region"] is None or row["region"].startswith("440403") for row in table.rows)
            if table.total:
                assert table.total["label"] == "斗门区"
    recipients_total = _table(view, "relief-recipients", "by-region").total
    people = _column(_table(view, "relief-recipients", "by-region"), relief_dashboard.ALL_PEOPLE.label)
    expected = region_rows(in_force(this_month()), DOUMEN).aggregate(n=Sum("covered_count"))["n"]
    assert recipients_total[people] == expected == 4  # 新堂's child (1) and rigid family (3)
    # The city manager sees both districts.
    client.force_login(_manager())
    city = client.get(reverse("dashboard")).content.decode()
    assert all(number in city for number in theirs) and "1,111.00" in city


def test_a_relief_table_exports_as_csv_with_the_pages_figures(client, two_districts):
    client.force_login(_manager())
    url = reverse("dashboard-export", args=["relief-recipients", "by-region", "csv"])
    answer = client.get(url, {"region": GONGBEI})
    assert answer.status_code == 200
    rows = list(csv.reader(io.StringIO(answer.content.decode("utf-8-sig"))))
    header, body, total = rows[0], rows[1:-1], rows[-1]
    by_name = {row[0]: row for row in body}
    # Columns: the region, people by programme (dibao first), everyone, benefits.
    dibao, everyone = 1, 1 + len(relief_dashboard.RECIPIENT_PROGRAMMES)
    assert len(header) == everyone + 2
    now = in_force(this_month())
    qiaoguang = region_rows(now, QIAOGUANG)
    assert int(by_name["侨光社区"][dibao]) == qiaoguang.filter(programme="dibao").aggregate(n=Sum("covered_count"))["n"]
    assert int(by_name["侨光社区"][everyone]) == qiaoguang.aggregate(n=Sum("covered_count"))["n"] == 4321 + 2 + 1 + 1
    assert int(by_name["夏湾社区"][everyone]) == 0
    assert total[0].endswith("拱北街道")
    assert int(total[everyone]) == region_rows(now, GONGBEI).aggregate(n=Sum("covered_count"))["n"]
    # The trend's CSV: a row per month, the last one this month's.
    trend = client.get(reverse("dashboard-export", args=["relief-payments", "trend", "csv"]))
    months_rows = list(csv.reader(io.StringIO(trend.content.decode("utf-8-sig"))))[1:]
    assert [row[0] for row in months_rows] == [f"{m:%Y-%m}" for m in months()]
    temp = client.get(reverse("dashboard-export", args=["relief-temporary-aid", "by-region", "csv"]))
    last_line = temp.content.decode("utf-8-sig").strip().splitlines()[-1]
    assert last_line.endswith(",2,99876.43")  # the city: both districts' emergency aid
