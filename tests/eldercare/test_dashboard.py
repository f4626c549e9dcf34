"""Elder care on the managers' dashboard: each figure equals a direct count or sum of the same rows, coverage agrees
with eldercare.selectors, refreshes follow check-ins, settlement jobs and the overdue flag after commit, a refresh
of one community's month reads only its rows, and a district sees none of another district's numbers."""

from datetime import datetime, time, timedelta
from decimal import Decimal

import pytest
from django.db import connection
from django.db.models import Count, Sum
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from civic import dashboard, figures
from civic.models import Figure
from civic.months import add_months, month_bounds
from civic.roles import Role
from eldercare import selectors, services
from eldercare.models import CaredElder, HallMenu, Meal, MealHall, Settlement, Tier, Visit
from tests.eldercare import test_services as service_tests
from tests.eldercare.test_services import elder, lunch

# The elder-care service tests' fixtures: staff of 侨光, 拱北街道 and 斗门, the city's meal policy, 侨光's hall.
staff, policy, hall = service_tests.staff, service_tests.policy, service_tests.hall

D = Decimal
QIAOGUANG, XIAWAN, DOUMEN = "440402005001", "440402005003", "440403100001"
XIANGZHOU, DOUMEN_DISTRICT, CITY = "440402000000", "440403000000", "440400000000"


def this_month():
    return timezone.localdate().replace(day=1)


def at_noon(day):
    return timezone.make_aware(datetime.combine(day, time(12)))


def figure(metric, code, month, dimension=None):
    """The rolled-up figure of a region (the sum over dimensions when none is named)."""
    rows = Figure.objects.filter(rolled=True, metric=metric, region_code=code, month=month)
    if dimension is not None:
        rows = rows.filter(dimension=dimension)
    return rows.aggregate(v=Sum("value"))["v"] or D(0)


def refresh(source, months=2):
    end = add_months(this_month(), 1)
    figures.refresh(source, "", add_months(end, -months), end)


def page(client, user, region=None):
    client.force_login(user)
    answer = client.get(reverse("dashboard"), {"region": region} if region else {})
    assert answer.status_code == 200
    return answer.content.decode()


# ---------------------------------------------------------------------------------------------------- meals


@pytest.fixture
def halls(hall):
    """侨光 (lunch 12, dinner 10), 夏湾 (lunch 17.35) and 斗门's 新堂 (lunch 13.15): odd prices, so each region's
    sums are numbers no other region has."""
    xiawan = MealHall.objects.create(name="夏湾饭堂", operator="x", address="夏湾路1号", region_id=XIAWAN, capacity=30)
    HallMenu.objects.create(hall=xiawan, meal_type="lunch", price=D("17.35"))
    doumen = MealHall.objects.create(name="新堂饭堂", operator="y", address="新堂路1号", region_id=DOUMEN, capacity=30)
    HallMenu.objects.create(hall=doumen, meal_type="lunch", price=D("13.15"))
    return {"qiaoguang": hall, "xiawan": xiawan, "doumen": doumen}


@pytest.fixture
def meals(staff, halls, household_factory):
    """This month: 侨光 a lunch and a dinner of a 70-year-old and a lunch of an 85-year-old, 夏湾 a lunch, 新堂 a lunch;
    last month: a lunch at 侨光 and one at 夏湾."""
    cw, street, doumen_cw = staff["caseworker"], staff["street"], staff["elsewhere"]
    young, old = elder(household_factory, staff, 70), elder(household_factory, staff, 85)
    xiawan = elder(household_factory, staff, 75, region=XIAWAN)
    doumen = elder(household_factory, staff, 70, region=DOUMEN)
    last_month = add_months(this_month(), -1).replace(day=10)
    lunch(cw, halls["qiaoguang"], young)
    services.meal_record(actor=cw, hall=halls["qiaoguang"], meal_type="dinner", resident=young)
    lunch(cw, halls["qiaoguang"], old)
    lunch(street, halls["xiawan"], xiawan)
    lunch(doumen_cw, halls["doumen"], doumen)
    lunch(cw, halls["qiaoguang"], young, served_at=at_noon(last_month))
    lunch(street, halls["xiawan"], xiawan, served_at=at_noon(last_month))
    return halls


def orm_meals(prefix, month):
    first, last = month_bounds(month)
    return Meal.objects.filter(hall__region__code__startswith=prefix, served_on__gte=first, served_on__lte=last)


def test_meal_figures_equal_the_meals_counted_and_summed_directly(meals):
    refresh("eldercare.meals")
    for month in (this_month(), add_months(this_month(), -1)):
        for code, prefix in ((QIAOGUANG, QIAOGUANG), (XIAWAN, XIAWAN), ("440402005000", "440402005"),
                             (XIANGZHOU, "440402"), (DOUMEN_DISTRICT, "440403"), (CITY, "4404")):  # fmt: skip
            rows = orm_meals(prefix, month)
            sums = rows.aggregate(
                city=Sum("city_share"),
                district=Sum("district_share"),
                street=Sum("street_share"),
                elder=Sum("elder_paid"),
            )
            assert figure("eldercare.meals", code, month) == rows.count(), (code, month)
            for level in ("city", "district", "street"):
                assert figure("eldercare.meal_subsidy", code, month, level) == (sums[level] or 0), (code, level)
            assert figure("eldercare.meal_elder_paid", code, month) == (sums["elder"] or 0), code
            by_tier = dict(rows.values_list("tier").annotate(n=Count("pk")).values_list("tier", "n"))
            for tier in Tier.values:
                assert figure("eldercare.meals", code, month, tier) == by_tier.get(tier, 0), (code, tier)
    # The sums the page shows, worked out by hand from DOMAIN.md's shares.
    assert figure("eldercare.meal_subsidy", XIANGZHOU, this_month()) == D("34.35")  # 7 + 6 + 9 + 12.35
    assert figure("eldercare.meal_subsidy", DOUMEN_DISTRICT, this_month()) == D("8.15")


def test_a_refresh_of_one_communitys_month_reads_only_its_rows(meals):
    refresh("eldercare.meals")
    # Changed behind the figures' back (no save): only a refresh that reads these rows would see it.
    Meal.objects.filter(hall=meals["doumen"]).update(tier=Tier.AGE_80)
    Meal.objects.filter(hall=meals["qiaoguang"], served_on__lt=this_month()).update(tier=Tier.AGE_80)
    Meal.objects.filter(hall=meals["qiaoguang"], served_on__gte=this_month()).update(tier=Tier.AGE_80)
    with CaptureQueriesContext(connection) as queries:
        figures.refresh("eldercare.meals", QIAOGUANG)
    select = next(q["sql"] for q in queries.captured_queries if "eldercare_meal " in q["sql"] and "INSERT" in q["sql"])
    assert f"'{QIAOGUANG}%'" in select and f"'{this_month().isoformat()}'" in select  # the prefix and month bound
    assert figure("eldercare.meals", QIAOGUANG, this_month(), Tier.AGE_80) == 3  # re-read
    assert figure("eldercare.meals", QIAOGUANG, add_months(this_month(), -1), Tier.AGE_80) == 0  # other month
    assert figure("eldercare.meals", DOUMEN, this_month(), Tier.AGE_80) == 0  # other community: not read
    assert figure("eldercare.meals", CITY, this_month()) == 5  # the regions above rolled up again


def test_a_check_in_refreshes_its_community_and_the_regions_above_after_commit(
    staff, halls, household_factory, django_capture_on_commit_callbacks
):
    # Everything written in one transaction: the figures follow once, after commit (see the report on
    # civic.figures.refresh_soon for why the elder is enrolled inside the block).
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        resident = elder(household_factory, staff, 70)
        lunch(staff["caseworker"], halls["qiaoguang"], resident)
        assert figure("eldercare.meals", QIAOGUANG, this_month()) == 0  # nothing before the commit
    assert len(callbacks) == 1
    for code in (QIAOGUANG, "440402005000", XIANGZHOU, CITY):
        assert figure("eldercare.meals", code, this_month()) == 1, code
    assert figure("eldercare.meal_subsidy", CITY, this_month()) == D(7)


# ---------------------------------------------------------------------------------------------- settlements


def _settled(street, meal_hall):
    """Last month's statement of the hall, computed by the job (run in-process)."""
    day = add_months(this_month(), -1)
    settlement, _job = services.settlement_start(actor=street, hall=meal_hall, day=day)
    return Settlement.objects.get(pk=settlement.pk)


@pytest.mark.django_db(transaction=True)
def test_settlement_figures_follow_the_job_and_the_approval_after_commit(staff, meals):
    """Committed for real: the job's totals are written with a queryset update, which calls refresh_soon."""
    last_month = add_months(this_month(), -1)
    settlement = _settled(staff["street"], meals["qiaoguang"])
    assert settlement.computed_at is not None and settlement.meal_count == 1
    assert figure("eldercare.settlements", QIAOGUANG, last_month, "awaiting") == 1
    assert figure("eldercare.settled_subsidy", CITY, last_month, "awaiting") == settlement.subsidy == D(7)
    assert figure("eldercare.settled_meals", XIANGZHOU, last_month) == 1
    assert figure("eldercare.open_settlements", CITY, this_month(), "awaiting") == 1
    assert figure("eldercare.open_subsidy", XIANGZHOU, this_month(), "awaiting") == D(7)

    services.settlement_approve(actor=staff["street2"], settlement=settlement)
    assert figure("eldercare.settlements", CITY, last_month, "approved") == 1
    assert figure("eldercare.settlements", CITY, last_month, "awaiting") == 0
    assert figure("eldercare.settled_subsidy", QIAOGUANG, last_month, "approved") == D(7)
    assert figure("eldercare.open_settlements", CITY, this_month()) == 0


def test_settlement_figures_equal_the_statements(staff, meals, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        services.settlement_start(actor=staff["street"], hall=meals["qiaoguang"], day=add_months(this_month(), -1))
    Settlement.objects.create(hall=meals["xiawan"], period_start=add_months(this_month(), -1), period_end=this_month())
    refresh("eldercare.settlements")
    refresh("eldercare.open_settlements")
    last_month = add_months(this_month(), -1)
    for prefix, code in (("440402005", "440402005000"), ("4404", CITY), (XIAWAN, XIAWAN)):
        rows = Settlement.objects.filter(hall__region__code__startswith=prefix, period_start=last_month)
        computed = rows.filter(state="draft", computed_at__isnull=False)
        computing = rows.filter(state="draft", computed_at__isnull=True)
        assert figure("eldercare.settlements", code, last_month) == rows.count()
        assert figure("eldercare.settlements", code, last_month, "awaiting") == computed.count()
        assert figure("eldercare.settlements", code, last_month, "computing") == computing.count()
        subsidy = sum((s.subsidy for s in rows), D(0))
        assert figure("eldercare.settled_subsidy", code, last_month) == subsidy
        assert figure("eldercare.settled_meals", code, last_month) == sum(s.meal_count for s in rows)
        assert figure("eldercare.open_settlements", code, this_month()) == rows.exclude(state="approved").count()


# --------------------------------------------------------------------------------------------------- visits


@pytest.fixture
def listed(staff, household_factory, regions):
    """Four elderly of 侨光 and one of 新堂 on the visiting list; in 侨光 one visited twice this month, one once, one
    registered two months ago and visited last month only, and one who left the list last month."""

    def register(region, actor):
        resident = elder(household_factory, staff, 78, region=region)
        return services.elder_register(
            actor=actor, resident=resident, categories=["living_alone"], risk="key", visitor=actor
        )

    cw = staff["caseworker"]
    people = [register(QIAOGUANG, cw) for _ in range(4)]
    doumen = register(DOUMEN, staff["elsewhere"])
    today = timezone.localdate()
    last_month = add_months(this_month(), -1)
    services.visit_record(actor=cw, elder=people[0], visited_on=today, findings="好")
    services.visit_record(actor=cw, elder=people[0], visited_on=today, findings="再访")
    services.visit_record(actor=cw, elder=people[1], visited_on=today, findings="好")
    CaredElder.objects.filter(pk__in=[people[2].pk, people[3].pk]).update(
        registered_at=at_noon(add_months(this_month(), -2))
    )
    services.visit_record(actor=cw, elder=people[2], visited_on=last_month.replace(day=3), findings="好")
    CaredElder.objects.filter(pk=people[3].pk).update(ended_on=last_month.replace(day=20))
    services.visit_record(actor=staff["elsewhere"], elder=doumen, visited_on=today, findings="好")
    CaredElder.objects.filter(pk=people[1].pk).update(next_visit_due=today - timedelta(days=1), risk="high")
    return people + [doumen]


def test_visit_coverage_agrees_with_eldercare_selectors(listed, staff_factory):
    refresh("eldercare.visits", months=3)
    refresh("eldercare.visits_now")
    manager = staff_factory(Role.CITY_MANAGER, "440400")
    for month in (this_month(), add_months(this_month(), -1), add_months(this_month(), -2)):
        rows = selectors.visit_coverage(manager, month)
        view = dashboard.view_for(manager, CITY)
        listed_measure = dashboard.Measure("", "eldercare.elders_listed")
        coverage = dashboard.Measure("", "eldercare.elders_visited", per=listed_measure)
        for row in rows:
            assert figure("eldercare.elders_listed", row["region"], month) == row["elders"], (row, month)
            assert figure("eldercare.elders_visited", row["region"], month) == row["visited"], (row, month)
        assert figure("eldercare.elders_listed", CITY, month) == sum(r["elders"] for r in rows)
        assert figure("eldercare.elders_visited", CITY, month) == sum(r["visited"] for r in rows)
        whole = sum(r["elders"] for r in rows)
        expected = D(sum(r["visited"] for r in rows)) / whole if whole else None
        assert view.value(coverage, CITY, month) == expected
    this = {r["region"]: r for r in selectors.visit_coverage(manager, this_month())}
    assert (this[QIAOGUANG]["elders"], this[QIAOGUANG]["visited"], this[DOUMEN]["visited"]) == (3, 2, 1)
    last = {r["region"]: r for r in selectors.visit_coverage(manager, add_months(this_month(), -1))}
    assert (last[QIAOGUANG]["elders"], last[QIAOGUANG]["visited"]) == (2, 1)
    view = dashboard.view_for(manager, QIAOGUANG)
    assert view.value(coverage, QIAOGUANG, this_month()) == D(2) / D(3)

    # Overdue now: the selectors' overdue list, per community and in all.
    overdue = selectors.overdue_visits(manager)
    assert figure("eldercare.visits_overdue", CITY, this_month()) == overdue.count() >= 1
    assert figure("eldercare.visits_overdue", QIAOGUANG, this_month(), "high") == 1
    assert figure("eldercare.elders_now", CITY, this_month()) == CaredElder.objects.filter(ended_on=None).count()


@pytest.mark.django_db(transaction=True)
def test_a_visit_and_the_daily_overdue_flag_refresh_the_figures_after_commit(staff, household_factory):
    """Committed for real, one write after the other."""
    cw = staff["caseworker"]
    today = timezone.localdate()
    resident = elder(household_factory, staff, 80)
    person = services.elder_register(actor=cw, resident=resident, categories=["empty_nest"], risk="high", visitor=cw)
    assert figure("eldercare.elders_listed", QIAOGUANG, this_month()) == 1
    assert figure("eldercare.elders_visited", CITY, this_month()) == 0
    services.visit_record(actor=cw, elder=person, visited_on=today, findings="好")
    assert figure("eldercare.elders_visited", CITY, this_month()) == 1
    assert figure("eldercare.visits_overdue", CITY, this_month()) == 0
    # Falls due behind the figures' back (a day passing does the same); the daily job brings them up to date.
    CaredElder.objects.filter(pk=person.pk).update(next_visit_due=today - timedelta(days=1))
    assert figure("eldercare.visits_overdue", CITY, this_month()) == 0
    assert services.overdue_flag(today) == 1
    assert figure("eldercare.visits_overdue", CITY, this_month(), "high") == 1
    assert figure("eldercare.visits_overdue", QIAOGUANG, this_month()) == 1


# -------------------------------------------------------------------------------------------------- the page


def test_a_district_sees_its_own_elder_care_and_none_of_another_districts(
    client, meals, listed, staff, staff_factory, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        services.settlement_start(actor=staff["street"], hall=meals["qiaoguang"], day=add_months(this_month(), -1))
    figures.refresh_all()
    manager = staff_factory(Role.CITY_MANAGER, "440400")
    city_page = page(client, manager, XIANGZHOU)
    for key in ("eldercare-meals", "eldercare-settlements", "eldercare-visits"):
        assert f'data-testid="panel-{key}"' in city_page
    assert "34.35" in city_page and "拱北街道" in city_page  # Xiangzhou's subsidy, shown to the city

    approver = staff_factory(Role.DISTRICT_APPROVER, "440403")
    body = page(client, approver)
    for key in ("eldercare-meals", "eldercare-settlements", "eldercare-visits"):
        assert f'data-testid="panel-{key}"' in body, key
    assert "8.15" in body and "井岸镇" in body  # Doumen's own subsidy and street
    for leak in ("34.35", "12.35", "香洲区", "拱北街道", "侨光社区", "夏湾社区"):
        assert leak not in body, leak
    # Asked for another district: its own is shown instead.
    assert "34.35" not in page(client, approver, XIANGZHOU)
    # Every row of every table is Doumen's or below.
    view = dashboard.view_for(approver, XIANGZHOU)
    assert view.region.code == DOUMEN_DISTRICT
    for built in dashboard.build(view):
        for table in built["tables"]:
            assert all(row["region"] is None or row["region"].startswith("440403") for row in table.rows)


def test_the_panels_are_for_those_who_follow_elder_care(client, staff_factory, regions):
    officer = staff_factory(Role.CHILD_PROTECTION, "440403")  # reads dashboards, not elder care
    assert "panel-eldercare-meals" not in page(client, officer)
    auditor = staff_factory(Role.AUDITOR, "440400")
    body = page(client, auditor)
    assert all(f"panel-{key}" in body for key in ("eldercare-meals", "eldercare-settlements", "eldercare-visits"))


def test_coverage_counts_an_elder_once_however_often_visited(listed):
    refresh("eldercare.visits")
    visits = Visit.objects.filter(elder__region_id=QIAOGUANG, visited_on__gte=this_month())
    assert visits.count() == 3
    assert figure("eldercare.elders_visited", QIAOGUANG, this_month()) == visits.values("elder").distinct().count()
