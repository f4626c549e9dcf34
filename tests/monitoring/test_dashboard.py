"""The monitoring panel of the dashboard: warnings found, handled and handled in time equal direct counts at every
level, open and overdue are as of today, a 斗门区 manager sees none of 香洲区's figures, and closing a task
refreshes the figures after commit."""

import pytest
from django.urls import reverse
from django.utils import timezone

from civic import dashboard, figures
from civic.roles import Role
from monitoring import dashboard as monitoring_dashboard
from monitoring.models import Alert, AlertStatus
from monitoring.services import alerts as alert_services

from .conftest import QIAOGUANG, grant, record

SOURCES = [name for name in figures.sources() if name.startswith("monitoring.")]
CITY, XIANGZHOU, GONGBEI = "440400000000", "440402000000", "440402005000"


def refresh():
    for name in SOURCES:
        figures.refresh(name, "")


@pytest.fixture
def found(household_factory, policy, caseworker, send, nightly):
    """Three deaths in three dibao families of 侨光社区, one in 斗门区; one task dismissed in time, one late."""
    families = [household_factory(QIAOGUANG, size=2) for _ in range(3)]
    far = household_factory("440403100001", size=2)
    for family in [*families, far]:
        grant(family)
    send("population", [record(f.head, f"D-{f.pk}", event="death") for f in [*families, far]])
    nightly()
    first, second = Alert.objects.filter(household__in=families[:2]).order_by("pk")
    alert_services.alert_dismiss(actor=caseworker, alert=first, reason="已核实")
    Alert.objects.filter(pk=second.pk).update(due_on=timezone.localdate() - timezone.timedelta(days=1))
    second.refresh_from_db()
    alert_services.alert_dismiss(actor=caseworker, alert=second, reason="已核实，逾期处理")
    refresh()
    return families


def value(view, measure, code=None):
    return view.value(measure, code or view.region.code, view.month)


@pytest.mark.parametrize(
    ("role", "region", "found_", "closed", "in_time"),
    [
        (Role.CITY_MANAGER, CITY, 4, 2, 1),
        (Role.DISTRICT_APPROVER, XIANGZHOU, 3, 2, 1),
        (Role.DISTRICT_APPROVER, "440403000000", 1, 0, 0),
    ],
)
def test_figures_equal_direct_counts_at_each_level(found, staff_factory, role, region, found_, closed, in_time):
    view = dashboard.view_for(staff_factory(role, region, username=f"{role}-{region}"))
    prefix = region.rstrip("0")
    alerts = Alert.objects.filter(region__code__startswith=prefix)
    assert value(view, monitoring_dashboard.FOUND) == found_ == alerts.count()
    assert value(view, monitoring_dashboard.CLOSED) == closed == alerts.exclude(status=AlertStatus.OPEN).count()
    assert value(view, monitoring_dashboard.IN_TIME) == in_time
    assert value(view, monitoring_dashboard.OPEN) == alerts.filter(status=AlertStatus.OPEN).count()
    watched = value(view, monitoring_dashboard.WATCHED)
    assert watched == 2 * found_ - (0 if region != CITY else 0)


def test_the_panel_shows_on_the_page_and_a_doumen_manager_sees_no_xiangzhou_number(client, found, staff_factory):
    client.force_login(staff_factory(Role.DISTRICT_APPROVER, XIANGZHOU, username="xz"))
    page = client.get(reverse("dashboard"))
    assert page.status_code == 200
    assert "低收入" in page.content.decode() or "monitoring" in page.content.decode()
    panel = next(
        p for p in dashboard.build(dashboard.view_for(page.wsgi_request.user)) if p["panel"].key == "monitoring"
    )
    assert panel["tables"]

    doumen = staff_factory(Role.DISTRICT_APPROVER, "440403000000", username="dm")
    view = dashboard.view_for(doumen)
    assert value(view, monitoring_dashboard.FOUND) == 1
    assert value(view, monitoring_dashboard.FOUND, XIANGZHOU) in (0, None)


def test_closing_a_task_refreshes_the_figures_after_commit(
    household_factory, policy, caseworker, send, nightly, staff_factory, django_capture_on_commit_callbacks
):
    # Every write commits in production; here the set-up's own refreshes run at once too, so none is left waiting.
    with django_capture_on_commit_callbacks(execute=True):
        family = household_factory(QIAOGUANG, size=2)
        grant(family)
    send("population", [record(family.head, "D-1", event="death")])
    nightly()
    refresh()
    view = dashboard.view_for(staff_factory(Role.DISTRICT_APPROVER, XIANGZHOU, username="xz"))
    assert value(view, monitoring_dashboard.OPEN) == 1 and value(view, monitoring_dashboard.CLOSED) == 0

    with django_capture_on_commit_callbacks(execute=True):
        alert_services.alert_dismiss(actor=caseworker, alert=Alert.objects.get(), reason="已核实")

    view = dashboard.view_for(staff_factory(Role.DISTRICT_APPROVER, XIANGZHOU, username="xz2"))
    assert value(view, monitoring_dashboard.OPEN) in (0, None) and value(view, monitoring_dashboard.CLOSED) == 1
