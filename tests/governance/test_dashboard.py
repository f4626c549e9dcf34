"""The community councils' panel of the dashboard: every figure equals a direct count of the records over the same
regions and months, the execution rate equals `governance.selectors.figures` for the same area, the page of a
斗门区 user shows nothing of 香洲区, and closing a resolution refreshes the figures after commit."""

from datetime import timedelta
from decimal import Decimal

import pytest
from django.db.models import Count, Q, Sum
from django.urls import reverse
from django.utils import timezone

from civic import dashboard, figures
from civic.models import Figure
from civic.months import add_months
from civic.roles import Role
from governance import dashboard as governance_dashboard
from governance import figures as governance_figures  # registers the sources (and their watches) before any write
from governance import selectors, services
from governance.models import Meeting, Resolution, ResolutionStatus, Topic

D = Decimal
SOURCES = [name for name in figures.sources() if name.startswith("governance.")]
CITY, XIANGZHOU, GONGBEI, QIAOGUANG = "440400000000", "440402000000", "440402005000", "440402005001"
DOUMEN, JINGAN, XINTANG = "440403000000", "440403100000", "440403100001"
CODES = [CITY, XIANGZHOU, GONGBEI, QIAOGUANG, "440402005003", DOUMEN, JINGAN, XINTANG]


def months():
    this_month = timezone.localdate().replace(day=1)
    return [add_months(this_month, -2), add_months(this_month, -1), this_month]


def refresh_governance():
    trend = months()
    for name in SOURCES:
        figures.refresh(name, "", trend[0], add_months(trend[-1], 1))


def rolled(metric, code, month, dimension=None):
    rows = Figure.objects.filter(rolled=True, metric=metric, region_code=code, month=month)
    if dimension is not None:
        rows = rows.filter(dimension=dimension)
    return rows.aggregate(v=Sum("value"))["v"] or D(0)


def _topic(actor, council, title, received_on, source="resident", ref=""):
    topic, _created = services.topic_create(
        actor=actor,
        council=council,
        title=title,
        source=source,
        category="facilities",
        proposer="居民",
        received_on=received_on,
        external_ref=ref,
    )
    return services.topic_accept(actor=actor, topic=topic)


def _meeting(actor, council, held_on, present, others, resolved):
    """A meeting resolving each (topic, due date) of `resolved`."""
    items = [
        services.Item(
            topic=topic,
            outcome="resolved",
            votes_for=len(present),
            resolution_text=f"落实{topic.title}",
            owner="居委会",
            due_on=due,
        )
        for topic, due in resolved
    ]
    return services.meeting_record(
        actor=actor,
        council=council,
        held_on=held_on,
        place="会议室",
        minutes="议事纪要",
        attendees=present,
        other_participants=others,
        items=items,
    )


@pytest.fixture
def councils(secretary, council, accepted_topics, staff_factory):
    """侨光社区议事会: a meeting two months ago (one resolution due then and implemented last month, one due in two
    months' time) and one today (one due in a month, one closed today as not implemented); a hotline topic left
    waiting. 拱北街道's street council: a meeting last month, its resolution past due and still in progress.
    新堂社区 (斗门区): a meeting last month with one resolution implemented today."""
    today = timezone.localdate()
    older, last, this = months()
    members = list(council.members.all())
    early = [
        _topic(secretary, council, "健身器材维修", older + timedelta(days=2), "hotline", "12345-0001"),
        _topic(secretary, council, "楼道照明", older + timedelta(days=2)),
    ]
    _meeting(
        secretary, council, older + timedelta(days=4), members[:4], 6,
        [(early[0], older + timedelta(days=8)), (early[1], today + timedelta(days=60))],
    )  # fmt: skip
    services.resolution_implemented(
        actor=secretary, resolution=early[0].resolution, outcome="已维修", on=last + timedelta(days=3)
    )
    _meeting(
        secretary, council, today, members[:3], 2,
        [(accepted_topics[0], today + timedelta(days=30)), (accepted_topics[1], today)],
    )  # fmt: skip
    services.resolution_not_implemented(
        actor=secretary, resolution=Resolution.objects.get(topic=accepted_topics[1]), reason="业主意见不一"
    )
    _topic(secretary, council, "垃圾分类点", today, "hotline", "12345-0002")

    reviewer = staff_factory(Role.STREET_REVIEWER, GONGBEI, username="gongbei-reviewer")
    street = services.council_create(
        actor=reviewer, region_code=GONGBEI, level="street", name="拱北街道议事会", established_on=older
    )
    chair = services.member_add(actor=reviewer, council=street, name="街道主任", kind="party", joined_on=older)
    street_topic = _topic(reviewer, street, "口岸周边停车", last + timedelta(days=1))
    _meeting(reviewer, street, last + timedelta(days=2), [chair], 15, [(street_topic, last + timedelta(days=5))])

    doumen_secretary = staff_factory(Role.COMMUNITY_SECRETARY, XINTANG, username="xintang-secretary")
    xintang = services.council_create(
        actor=doumen_secretary, region_code=XINTANG, level="community", name="新堂社区议事会", established_on=older
    )
    xintang_members = [
        services.member_add(actor=doumen_secretary, council=xintang, name=name, kind="resident", joined_on=older)
        for name in ("梁伯", "陈姐")
    ]
    xintang_topic = _topic(doumen_secretary, xintang, "村道硬底化", last + timedelta(days=1))
    _meeting(doumen_secretary, xintang, last + timedelta(days=2), xintang_members, 1, [(xintang_topic, today)])
    services.resolution_implemented(
        actor=doumen_secretary, resolution=xintang_topic.resolution, outcome="已完工", on=today
    )
    return {"street": street, "xintang": xintang}


# --- the figures against the records ----------------------------------------------------------------------------


def test_each_figure_equals_a_direct_count_of_the_records(councils, regions):
    refresh_governance()
    today = timezone.localdate()
    for code in CODES:
        pfx = regions[code].prefix
        resolutions = Resolution.objects.filter(region__code__startswith=pfx)
        # Now (as of today): the selectors' own definition.
        assert (
            rolled(governance_figures.DUE, code, months()[-1]) == resolutions.filter(selectors.due_q(today)).count()
        ), code
        assert (
            rolled(governance_figures.IMPLEMENTED, code, months()[-1])
            == resolutions.filter(selectors.implemented_q(today)).count()
        ), code
        for month in months():
            where = (code, month)
            month_end = add_months(month, 1)  # "before the first of the next month"
            due = resolutions.filter(Q(due_on__lt=month_end) | Q(closed_on__lt=month_end)).count()
            implemented = resolutions.filter(status=ResolutionStatus.IMPLEMENTED, closed_on__lt=month_end).count()
            assert rolled(governance_figures.DUE_BY_MONTH_END, code, month) == due, where
            assert rolled(governance_figures.IMPLEMENTED_BY_MONTH_END, code, month) == implemented, where
            in_area = {"region__code__startswith": pfx}
            meetings = Meeting.objects.filter(**in_area, held_on__gte=month, held_on__lt=month_end)
            present = meetings.aggregate(n=Count("attendees"))["n"]
            others = meetings.aggregate(n=Sum("other_participants"))["n"] or 0
            assert rolled(governance_figures.MEETINGS, code, month) == meetings.count(), where
            assert rolled(governance_figures.PARTICIPANTS, code, month) == present + others, where
            topics = Topic.objects.filter(**in_area, received_on__gte=month, received_on__lt=month_end)
            assert rolled(governance_figures.TOPICS, code, month) == topics.count(), where
            hotline = topics.filter(source="hotline").count()
            assert rolled(governance_figures.TOPICS, code, month, "hotline") == hotline, where

    older, last, this = months()
    # The data are not trivial: each figure is exercised, at more than one level and month.
    assert rolled(governance_figures.DUE, QIAOGUANG, this) == 2  # due two months ago; closed today
    assert rolled(governance_figures.IMPLEMENTED, QIAOGUANG, this) == 1
    assert rolled(governance_figures.DUE, XIANGZHOU, this) == 3  # and the street council's, past due
    assert rolled(governance_figures.DUE, CITY, this) == 4 and rolled(governance_figures.IMPLEMENTED, CITY, this) == 2
    assert [rolled(governance_figures.DUE_BY_MONTH_END, XIANGZHOU, m) for m in (older, last)] == [1, 2]
    assert [rolled(governance_figures.IMPLEMENTED_BY_MONTH_END, QIAOGUANG, m) for m in (older, last)] == [0, 1]
    assert rolled(governance_figures.PARTICIPANTS, QIAOGUANG, older) == 10  # four members present and six others
    assert rolled(governance_figures.PARTICIPANTS, GONGBEI, last) == 16
    assert rolled(governance_figures.TOPICS, QIAOGUANG, this, "hotline") == 1


def test_a_rerun_changes_nothing(councils):
    refresh_governance()
    before = sorted(Figure.objects.values_list("rolled", "metric", "region_code", "month", "dimension", "value"))
    refresh_governance()
    after = sorted(Figure.objects.values_list("rolled", "metric", "region_code", "month", "dimension", "value"))
    assert before == after


@pytest.mark.parametrize(
    "role, region",
    [
        (Role.DISTRICT_APPROVER, "440402"),
        (Role.DISTRICT_APPROVER, "440403"),
        (Role.CITY_MANAGER, "440400"),
        (Role.STREET_REVIEWER, GONGBEI),
        (Role.CASEWORKER, QIAOGUANG),
    ],
)
def test_the_dashboards_rate_is_the_one_the_council_figures_give_for_the_same_area(
    councils, staff_factory, role, region
):
    refresh_governance()
    user = staff_factory(role, region, username=f"rate-{role}")
    total = selectors.figures(user)["total"]
    view = dashboard.view_for(user)
    assert view.value(governance_dashboard.DUE, view.region.code, view.month) == total["due"]
    assert view.value(governance_dashboard.IMPLEMENTED, view.region.code, view.month) == total["implemented"]
    rate = view.value(governance_dashboard.RATE, view.region.code, view.month)
    assert total["due"] and float(rate) == pytest.approx(total["rate"])
    # Per council area too: each community's rate is the rate of its councils' resolutions.
    for child in view.children:
        resolutions = Resolution.objects.filter(region__code__startswith=child.prefix)
        implemented, due, expected = selectors.execution_rate(resolutions)
        got = view.value(governance_dashboard.RATE, child.code, view.month)
        assert (got is None and expected is None) or float(got) == pytest.approx(expected), child.code


def test_the_trend_gives_the_rate_at_each_months_end(councils, staff_factory):
    refresh_governance()
    view = dashboard.view_for(staff_factory(Role.DISTRICT_APPROVER, "440402"))
    resolutions = Resolution.objects.filter(region__code__startswith="440402")
    for month in months():
        last_day = add_months(month, 1) - timedelta(days=1)
        due = resolutions.filter(Q(due_on__lte=last_day) | Q(closed_on__lte=last_day)).count()
        implemented = resolutions.filter(status=ResolutionStatus.IMPLEMENTED, closed_on__lte=last_day).count()
        assert view.value(governance_dashboard.DUE_BY_MONTH_END, view.region.code, month) == due, month
        assert view.value(governance_dashboard.IMPLEMENTED_BY_MONTH_END, view.region.code, month) == implemented
        rate = view.value(governance_dashboard.RATE_BY_MONTH_END, view.region.code, month)
        assert (rate is None and not due) or float(rate) == pytest.approx(implemented / due), month
    # The panel's trend table shows those rates in its last rows.
    panel = next(item for item in dashboard.build(view) if item["panel"].key == "governance")
    trend = next(table for table in panel["tables"] if table.key == "execution-trend")
    shown = [row["m2"] for row in trend.rows[-3:]]
    assert shown == [view.value(governance_dashboard.RATE_BY_MONTH_END, view.region.code, m) for m in months()]


# --- the page --------------------------------------------------------------------------------------------------


def _panel(page, key):
    return next(item for item in page.context["panels"] if item["panel"].key == key)


def test_the_panel_renders_its_tables_with_charts(client, councils, staff_factory):
    refresh_governance()
    client.force_login(staff_factory(Role.DISTRICT_APPROVER, "440402"))
    page = client.get(reverse("dashboard"))
    body = page.content.decode()
    assert page.status_code == 200 and 'data-testid="panel-governance"' in body
    for table in ("execution", "execution-trend", "participation", "participation-trend"):
        assert f'data-testid="table-governance-{table}"' in body, table
    tables = {t.key: t for t in _panel(page, "governance")["tables"]}
    execution = tables["execution"]
    assert [execution.total[c] for c in ("m0", "m1")] == [3, 1] and "33.3%" in body
    gongbei = next(row for row in execution.rows if row["region"] == GONGBEI)
    assert gongbei["m0"] == 3 and gongbei["m1"] == 1
    trend = tables["execution-trend"]
    assert len(trend.rows) == 13 and trend.chart.kind == "line" and "<svg" in body
    assert len(trend.chart.series) == 2  # the rate is a column of its own, not a line among the counts


@pytest.mark.parametrize(
    "role, region, asked",
    [
        (Role.DISTRICT_APPROVER, "440403", None),
        (Role.CHARITY_OFFICER, "440403", None),
        (Role.AUDITOR, "440403", None),
        (Role.CITY_MANAGER, "440400", DOUMEN),  # the city drilled down into 斗门区
    ],
)
def test_a_doumen_page_shows_none_of_xiangzhous_figures(client, councils, regions, staff_factory, role, region, asked):
    refresh_governance()
    client.force_login(staff_factory(role, region, username=f"dm-{role}"))
    page = client.get(reverse("dashboard"), {"region": asked} if asked else {})
    body = page.content.decode()
    assert page.status_code == 200 and 'data-testid="panel-governance"' in body
    assert page.context["view"].region.code == DOUMEN
    doumen_names = {r.name for r in regions.values() if r.code.startswith("440403")}
    tables = {t.key: t for t in _panel(page, "governance")["tables"]}
    for table in tables.values():
        for row in table.rows:
            assert row["label"][:4].isdigit() or any(name in row["label"] for name in doumen_names), row["label"]
    execution = tables["execution"]
    assert [execution.total[c] for c in ("m0", "m1", "m2")] == [1, 1, 1]  # 新堂's one resolution, implemented
    participation = tables["participation-trend"]
    assert [participation.rows[-2][c] for c in ("m0", "m1", "m2")] == [1, 3, 1]  # last month
    for text in ("香洲区", "拱北", "侨光", "33.3%"):
        assert text not in body, text
    assert "100.0%" in body


# --- after commit ----------------------------------------------------------------------------------------------


def test_council_business_refreshes_the_figures_after_commit(secretary, django_capture_on_commit_callbacks):
    # Everything is written inside the block: a write before it would have queued the refresh already.
    today = timezone.localdate()
    this = today.replace(day=1)
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        council = services.council_create(
            actor=secretary, region_code=QIAOGUANG, level="community", name="侨光议事会", established_on=this
        )
        member = services.member_add(actor=secretary, council=council, name="陈伯", kind="resident", joined_on=this)
        topic = _topic(secretary, council, "加装电梯", today, "hotline", "12345-0009")
        _meeting(secretary, council, today, [member], 4, [(topic, today + timedelta(days=30))])
        services.resolution_implemented(actor=secretary, resolution=Resolution.objects.get(), outcome="已加装")
        assert not Figure.objects.filter(metric__startswith="governance.").exists()  # not before commit
    assert len(callbacks) == 1  # one refresh per source and region, after commit
    for code in (QIAOGUANG, GONGBEI, XIANGZHOU, CITY):
        assert rolled(governance_figures.MEETINGS, code, this) == 1
        assert rolled(governance_figures.PARTICIPANTS, code, this) == 5  # the member present and four others
        assert rolled(governance_figures.TOPICS, code, this, "hotline") == 1
        assert rolled(governance_figures.DUE, code, this) == 1  # closed before its due date: due from then
        assert rolled(governance_figures.IMPLEMENTED, code, this) == 1
        assert rolled(governance_figures.IMPLEMENTED_BY_MONTH_END, code, this) == 1
