"""Working days: the arithmetic on its own (no database), then the loading, the calendar model and its import."""

import io
from datetime import UTC, date, datetime, timedelta

import pytest
import tablib
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.urls import reverse
from openpyxl import Workbook

from civic.admin import CalendarDayResource
from civic.demo_calendar import calendar_days, calendar_load
from civic.models import CalendarDay
from civic.workdays import add_working_days, as_date, is_working_day, working_days_between

# The 2026 notice as the pure functions take it. December 2025 has no exceptions, so the turn of the year
# 2025→2026 is fully described by it.
CAL = {day: kind for day, kind, _name in calendar_days()}
D = date


@pytest.mark.parametrize(
    ("start", "n", "due", "why"),
    [
        (D(2026, 3, 6), 1, D(2026, 3, 9), "Friday + 1 skips the weekend"),
        (D(2026, 3, 5), 3, D(2026, 3, 10), "Thursday + 3"),
        (D(2026, 3, 7), 1, D(2026, 3, 9), "from a Saturday"),
        (D(2026, 3, 9), 5, D(2026, 3, 16), "a week"),
        (D(2026, 3, 9), 10, D(2026, 3, 23), "two weeks"),
        (D(2026, 6, 18), 1, D(2026, 6, 22), "端午 Friday off"),
        (D(2026, 6, 17), 3, D(2026, 6, 23), "端午 inside the count"),
        (D(2026, 4, 3), 1, D(2026, 4, 7), "清明 Monday off"),
        (D(2026, 2, 27), 1, D(2026, 2, 28), "make-up Saturday after 春节"),
        (D(2026, 5, 8), 1, D(2026, 5, 9), "make-up Saturday after 劳动节"),
        (D(2026, 9, 18), 1, D(2026, 9, 20), "make-up Sunday before 国庆"),
        (D(2026, 2, 13), 1, D(2026, 2, 14), "make-up Saturday before 春节"),
        (D(2026, 2, 14), 1, D(2026, 2, 24), "春节 nine days off"),
        (D(2026, 9, 30), 1, D(2026, 10, 8), "国庆 seven days off"),
        (D(2026, 9, 30), 3, D(2026, 10, 10), "国庆, then the make-up Saturday"),
        (D(2026, 9, 24), 10, D(2026, 10, 15), "中秋 and 国庆 in one count"),
        (D(2025, 12, 31), 1, D(2026, 1, 4), "across New Year to the make-up Sunday"),
        (D(2025, 12, 30), 3, D(2026, 1, 5), "across New Year"),
        (D(2026, 12, 30), 3, D(2027, 1, 4), "into a year with no rows: the normal week"),
        (D(2026, 3, 10), 0, D(2026, 3, 10), "n=0 on a working day"),
        (D(2026, 3, 7), 0, D(2026, 3, 9), "n=0 on a Saturday"),
        (D(2026, 10, 1), 0, D(2026, 10, 8), "n=0 in 国庆"),
        (D(2026, 10, 10), 0, D(2026, 10, 10), "n=0 on a make-up Saturday"),
        (D(2026, 1, 2), 0, D(2026, 1, 4), "n=0 on 元旦, the next day worked is a Sunday"),
    ],
)
def test_add_working_days(start, n, due, why):
    assert add_working_days(start, n, CAL) == due, why


@pytest.mark.parametrize(
    ("start", "end", "count"),
    [
        (D(2026, 3, 6), D(2026, 3, 9), 1),
        (D(2026, 3, 9), D(2026, 3, 16), 5),
        (D(2026, 3, 7), D(2026, 3, 8), 0),  # a weekend
        (D(2026, 3, 9), D(2026, 3, 9), 0),
        (D(2026, 3, 9), D(2026, 3, 2), 0),  # end before start
        (D(2026, 9, 30), D(2026, 10, 7), 0),  # all of 国庆
        (D(2026, 9, 30), D(2026, 10, 8), 1),
        (D(2026, 9, 30), D(2026, 10, 10), 3),  # with the make-up Saturday
        (D(2026, 2, 13), D(2026, 2, 28), 6),  # both 春节 make-up Saturdays, five weekdays after the break
        (D(2025, 12, 31), D(2026, 1, 5), 2),  # across New Year: the make-up Sunday and Monday
        (D(2025, 12, 31), D(2026, 12, 31), 248),  # 261 weekdays, 19 off, 6 make-up days
    ],
)
def test_working_days_between(start, end, count):
    assert working_days_between(start, end, CAL) == count


@pytest.mark.parametrize(
    ("day", "working"),
    [
        (D(2026, 3, 10), True),
        (D(2026, 3, 14), False),  # Saturday
        (D(2026, 10, 1), False),  # 国庆 Thursday
        (D(2026, 10, 3), False),  # 国庆 Saturday, not listed: off anyway
        (D(2026, 10, 10), True),  # make-up Saturday
        (D(2026, 1, 4), True),  # make-up Sunday
    ],
)
def test_is_working_day(day, working):
    assert is_working_day(day, CAL) is working


def test_add_and_between_agree_on_every_start_of_2026():
    for offset in range(-10, 375):
        start = D(2026, 1, 1) + timedelta(days=offset)
        for n in (1, 3, 10, 30):
            due = add_working_days(start, n, CAL)
            assert is_working_day(due, CAL)
            assert working_days_between(start, due, CAL) == n
            assert working_days_between(start, due - timedelta(days=1), CAL) == n - 1


def test_between_counts_like_walking_day_by_day():
    start = D(2025, 12, 20)
    for span in range(0, 400, 7):
        end = start + timedelta(days=span)
        walked = sum(is_working_day(start + timedelta(days=i), CAL) for i in range(1, span + 1))
        assert working_days_between(start, end, CAL) == walked


def test_rows_that_match_the_normal_week_change_nothing():
    quirky = {D(2026, 3, 14): "holiday", D(2026, 3, 11): "workday"}  # Saturday off, Wednesday worked
    assert working_days_between(D(2026, 3, 9), D(2026, 3, 16), quirky) == 5
    assert add_working_days(D(2026, 3, 9), 5, quirky) == D(2026, 3, 16)


def test_negative_n_and_datetimes():
    with pytest.raises(ValueError):
        add_working_days(D(2026, 3, 9), -1, CAL)
    # 17:00 UTC on 30 September is 1 October in Zhuhai.
    assert as_date(datetime(2026, 9, 30, 17, tzinfo=UTC)) == D(2026, 10, 1)
    assert as_date(datetime(2026, 9, 30, 17)) == D(2026, 9, 30)
    assert add_working_days(datetime(2026, 9, 30, 17, tzinfo=UTC), 0, CAL) == D(2026, 10, 8)


# --- the database ---------------------------------------------------------------------------------------------------


@pytest.fixture
def calendar_2026(db):
    calendar_load()


def test_each_function_loads_the_calendar_in_one_query(calendar_2026, django_assert_num_queries):
    with django_assert_num_queries(1):
        assert add_working_days(D(2026, 9, 30), 3) == D(2026, 10, 10)
    with django_assert_num_queries(1):
        assert add_working_days(D(2025, 12, 31), 60) == add_working_days(D(2025, 12, 31), 60, CAL)
    with django_assert_num_queries(1):
        assert working_days_between(D(2025, 12, 31), D(2026, 12, 31)) == 248
    with django_assert_num_queries(1):
        assert is_working_day(D(2026, 10, 10)) is True
    with django_assert_num_queries(0):
        assert working_days_between(D(2026, 3, 9), D(2026, 3, 9)) == 0


def test_loaded_calendar_gives_the_same_answers_as_the_pure_functions(calendar_2026):
    for offset in range(-10, 375, 3):
        start = D(2026, 1, 1) + timedelta(days=offset)
        assert add_working_days(start, 10) == add_working_days(start, 10, CAL)
        assert working_days_between(start, start + timedelta(days=45)) == working_days_between(
            start, start + timedelta(days=45), CAL
        )


def test_a_break_longer_than_any_notice_is_still_counted(db):
    # Every weekday of spring 2031 off: past the first window loaded, so add_working_days looks further.
    days = [D(2031, 3, 1) + timedelta(days=i) for i in range(200)]
    CalendarDay.objects.bulk_create(
        CalendarDay(date=day, kind="holiday", name="测试") for day in days if day.weekday() < 5
    )
    assert add_working_days(D(2031, 2, 28), 1) == D(2031, 9, 17)
    assert working_days_between(D(2031, 2, 28), D(2031, 9, 17)) == 1


def test_calendar_load_is_idempotent_and_seed_demo_reports_it(db):
    assert calendar_load() == calendar_load() == 25
    assert CalendarDay.objects.count() == 25
    assert CalendarDay.objects.get(date=D(2026, 10, 10)).name == "国庆节调休上班"
    out = io.StringIO()
    call_command("seed_demo", stdout=out)
    assert "Working-day calendar: 25 days" in out.getvalue()
    assert CalendarDay.objects.count() == 25


@pytest.mark.parametrize(
    ("day", "kind"),
    [(D(2026, 10, 3), "holiday"), (D(2026, 10, 9), "workday")],  # a Saturday off, a Friday worked
)
def test_a_row_that_only_repeats_the_normal_week_is_refused(day, kind):
    with pytest.raises(ValidationError) as caught:
        CalendarDay(date=day, kind=kind, name="国庆节").full_clean(validate_unique=False)
    assert "date" in caught.value.message_dict


# --- the admin import -----------------------------------------------------------------------------------------------


def import_rows(dataset, dry_run=False):
    return CalendarDayResource().import_data(dataset, dry_run=dry_run)


def test_import_a_csv_in_the_words_of_the_notice(db):
    CalendarDay.objects.create(date=D(2026, 10, 1), kind="holiday", name="旧名称")
    csv = "date,kind,name\n2026-10-01,holiday,国庆节\n2026/10/02,放假,国庆节\n2026年10月10日,上班,国庆节调休上班\n"
    result = import_rows(tablib.Dataset().load(csv, format="csv"))
    assert not result.has_errors() and not result.has_validation_errors()
    assert dict(CalendarDay.objects.values_list("date", "kind")) == {
        D(2026, 10, 1): "holiday",
        D(2026, 10, 2): "holiday",
        D(2026, 10, 10): "workday",
    }
    assert CalendarDay.objects.get(date=D(2026, 10, 1)).name == "国庆节"  # replaced by date


def test_import_an_xlsx_with_date_cells(db):
    book = Workbook()
    sheet = book.active
    sheet.append(["date", "kind", "name"])
    sheet.append([datetime(2026, 5, 4), "holiday", "劳动节"])
    sheet.append([datetime(2026, 5, 9), "workday", "劳动节调休上班"])
    buffer = io.BytesIO()
    book.save(buffer)
    result = import_rows(tablib.Dataset().load(buffer.getvalue(), format="xlsx"))
    assert not result.has_errors() and not result.has_validation_errors()
    assert add_working_days(D(2026, 5, 1), 1) == D(2026, 5, 5)  # only the rows imported: 4 May off


def admin_upload(client, text):
    """Upload a CSV to the calendar's admin import, as the bureau does; returns the preview response."""
    from django.contrib import admin

    formats = [f.__name__ for f in admin.site._registry[CalendarDay].get_import_formats()]
    upload = io.BytesIO(text.encode())
    upload.name = "2026.csv"
    return client.post(
        reverse("admin:civic_calendarday_import"),
        {"import_file": upload, "format": str(formats.index("CSV")), "resource": "0"},
    )


def test_the_admin_imports_a_csv_and_lists_the_days(admin_client):
    preview = admin_upload(admin_client, "date,kind,name\n2026-06-19,holiday,端午节\n")
    assert preview.status_code == 200
    confirm = preview.context["confirm_form"]
    response = admin_client.post(reverse("admin:civic_calendarday_process_import"), confirm.initial)
    assert response.status_code == 302
    assert CalendarDay.objects.get(date=D(2026, 6, 19)).name == "端午节"
    listing = admin_client.get(reverse("admin:civic_calendarday_changelist"), {"q": "端午"})
    assert "端午节" in listing.content.decode()


def test_the_admin_shows_bad_rows_and_offers_no_confirmation(admin_client):
    text = "date,kind,name\n2026-10-01,holiday,国庆节\n2026-10-03,holiday,国庆节\n2026-10-05,day off,国庆节\n"
    preview = admin_upload(admin_client, text)
    result = preview.context["result"]
    assert {row.number for row in result.invalid_rows} == {2, 3}  # a Saturday; an unknown kind
    assert "confirm_form" not in preview.context
    assert not CalendarDay.objects.exists()
