"""China's 2026 holiday arrangement (国务院办公厅关于2026年部分节假日安排的通知, 4 November 2025), loaded by seed_demo.

The notice is written as it reads: each festival's span of days off and its make-up working days. Only the days
that break the normal week become CalendarDay rows: the weekdays inside a span (the Saturdays and Sundays in it
are off anyway) and the make-up days.
"""

from datetime import date, timedelta

from django.db import transaction

from .models import CalendarDay

# (name, first day off, last day off, make-up working days)
NOTICE_2026 = [
    ("元旦", date(2026, 1, 1), date(2026, 1, 3), [date(2026, 1, 4)]),
    ("春节", date(2026, 2, 15), date(2026, 2, 23), [date(2026, 2, 14), date(2026, 2, 28)]),
    ("清明节", date(2026, 4, 4), date(2026, 4, 6), []),
    ("劳动节", date(2026, 5, 1), date(2026, 5, 5), [date(2026, 5, 9)]),
    ("端午节", date(2026, 6, 19), date(2026, 6, 21), []),
    ("中秋节", date(2026, 9, 25), date(2026, 9, 27), []),
    ("国庆节", date(2026, 10, 1), date(2026, 10, 7), [date(2026, 9, 20), date(2026, 10, 10)]),
]


def calendar_days(notice=NOTICE_2026):
    """The notice as (date, kind, name) rows, in date order."""
    rows = []
    for name, first, last, workdays in notice:
        day = first
        while day <= last:
            if day.weekday() < 5:
                rows.append((day, CalendarDay.Kind.HOLIDAY, name))
            day += timedelta(days=1)
        for day in workdays:
            assert day.weekday() >= 5, f"make-up day {day} of {name} is not a weekend day"
            rows.append((day, CalendarDay.Kind.WORKDAY, f"{name}调休上班"))
    return sorted(rows)


@transaction.atomic
def calendar_load():
    """Load the 2026 arrangement; running it again changes nothing. Returns the number of days in it."""
    rows = calendar_days()
    for day, kind, name in rows:
        CalendarDay.objects.update_or_create(date=day, defaults={"kind": kind, "name": name})
    return len(rows)
