"""The dashboard shell and the figure store: base rows rolled up to every region above, rerun without change,
kept current after writes, read for the region shown and its children only, scoped to the user's area, exported
as CSV and XLSX, with charts drawn on the server."""

import io
from decimal import Decimal

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from civic import figures
from civic.models import Figure
from civic.roles import Role

QIAOGUANG, XIAWAN, XINTANG = "440402005001", "440402005003", "440403100001"


def rolled(metric, code):
    row = Figure.objects.filter(rolled=True, metric=metric, region_code=code).first()
    return row.value if row else Decimal(0)


@pytest.fixture
def population(household_factory):
    household_factory(QIAOGUANG, size=3)
    household_factory(QIAOGUANG, size=2)
    household_factory(XIAWAN, size=4)
    household_factory(XINTANG, size=1)


def test_figures_roll_up_to_every_region_above_and_reruns_change_nothing(population):
    figures.refresh("civic.population")
    expected = {QIAOGUANG: 2, XIAWAN: 1, "440402005000": 3, "440402000000": 3, XINTANG: 1, "440400000000": 4}
    for code, count in expected.items():
        assert rolled("civic.households", code) == count, code
    assert rolled("civic.residents", "440400000000") == 10
    before = list(Figure.objects.order_by("rolled", "metric", "region_code").values_list("region_code", "value"))
    figures.refresh("civic.population")
    after = list(Figure.objects.order_by("rolled", "metric", "region_code").values_list("region_code", "value"))
    assert before == after


def test_writes_refresh_their_community_and_the_regions_above_after_commit(
    household_factory, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        household_factory(XIAWAN, size=2)
        household_factory(XIAWAN, size=1)
        household_factory(QIAOGUANG, size=1)
    assert len(callbacks) == 1  # one refresh per source and community, after commit
    assert rolled("civic.households", XIAWAN) == 2
    assert rolled("civic.households", "440402005000") == 3
    assert rolled("civic.households", "440400000000") == 3
    assert rolled("civic.residents", "440402000000") == 4


def test_the_page_shows_the_users_region_and_its_children_and_never_another_area(client, population, staff_factory):
    figures.refresh("civic.population")
    approver = staff_factory(Role.DISTRICT_APPROVER, "440402")
    client.force_login(approver)
    page = client.get(reverse("dashboard"))
    assert page.status_code == 200
    body = page.content.decode()
    assert 'data-testid="panel-population"' in body and "<svg" in body and "<script>" not in body
    assert "拱北街道" in body and "斗门区" not in body
    # Another district asked for: the approver's own district is shown instead.
    other = client.get(reverse("dashboard"), {"region": "440403000000"})
    assert "井岸镇" not in other.content.decode() and "拱北街道" in other.content.decode()
    # Drilled down to the street: its communities.
    street = client.get(reverse("dashboard"), {"region": "440402005000"})
    assert "侨光社区" in street.content.decode()


def test_a_caseworker_has_no_dashboard(client, staff_factory):
    client.force_login(staff_factory(Role.CASEWORKER, QIAOGUANG))
    assert client.get(reverse("dashboard")).status_code == 403


def test_each_table_exports_as_csv_and_xlsx_with_the_pages_figures(client, population, staff_factory):
    figures.refresh("civic.population")
    client.force_login(staff_factory(Role.CITY_MANAGER, "440400"))
    url = reverse("dashboard-export", args=["population", "population", "csv"])
    answer = client.get(url, {"region": "440402000000"})
    text = answer.content.decode("utf-8-sig")
    assert answer.status_code == 200 and "拱北街道,3,9" in text and text.strip().endswith("香洲区,3,9")
    xlsx = client.get(reverse("dashboard-export", args=["population", "population", "xlsx"]))
    sheet = load_workbook(io.BytesIO(xlsx.content)).active
    assert [c.value for c in sheet[sheet.max_row]][1:] == [4, 10]
    assert client.get(reverse("dashboard-export", args=["population", "nosuch", "csv"])).status_code == 404
    assert client.get(reverse("dashboard-export", args=["population", "population", "pdf"])).status_code == 404
