"""Working-day arithmetic for statutory deadlines ("within 10 working days of acceptance").

A day is a working day when the calendar (CalendarDay) says so, otherwise when it is Monday to Friday.

Every function takes an optional ``exceptions`` mapping {date: kind} where kind is "holiday" or "workday"
(CalendarDay.Kind). Given, it must cover the dates involved and nothing touches the database: that is the pure
arithmetic, tested without a database. Left out, the function loads the calendar rows it needs with one query.
Dates may be given as datetimes: an aware one is read in the local time zone.
"""

from datetime import date, datetime, timedelta

from django.utils import timezone

from civic.models import CalendarDay

HOLIDAY = CalendarDay.Kind.HOLIDAY
WORKDAY = CalendarDay.Kind.WORKDAY
ONE_DAY = timedelta(days=1)


# --- loading -------------------------------------------------------------------------------------------------------


def exceptions_between(first, last):
    """The calendar's exceptions from first to last, both included, as {date: kind}: one query."""
    rows = CalendarDay.objects.filter(date__range=(as_date(first), as_date(last))).values_list("date", "kind")
    return dict(rows)


def _add_horizon(start, n):
    """A last date that n working days after start will not pass in any real calendar (a long holiday takes
    nine days, a year loses about a dozen weekdays); if the calendar says otherwise, add_working_days looks further."""
    return start + timedelta(days=(n // 5 + 1) * 7 + 60)


# --- public API ----------------------------------------------------------------------------------------------------


def is_working_day(day, exceptions=None):
    """Whether day is worked."""
    day = as_date(day)
    if exceptions is None:
        exceptions = exceptions_between(day, day)
    return _is_working(day, exceptions)


def add_working_days(start, n, exceptions=None):
    """The date n working days after start, start itself not counted: the due date of "within n working days".

    n=0 gives start if it is a working day, else the next working day.
    """
    start = as_date(start)
    if n < 0:
        raise ValueError("n must be 0 or more")
    if exceptions is not None:
        return _add(start, n, exceptions)
    horizon = _add_horizon(start, n)
    while True:
        due = _add(start, n, exceptions_between(start, horizon))
        if due <= horizon:  # every day walked was covered by the rows loaded
            return due
        horizon = max(due, start + 2 * (horizon - start))


def working_days_between(start, end, exceptions=None):
    """How many working days come after start, up to and including end (0 when end <= start): how late
    something is when start is its due date and end is today."""
    start, end = as_date(start), as_date(end)
    if end <= start:
        return 0
    if exceptions is None:
        exceptions = exceptions_between(start + ONE_DAY, end)
    return _between(start, end, exceptions)


# --- pure arithmetic -----------------------------------------------------------------------------------------------


def as_date(value):
    if isinstance(value, datetime):
        return timezone.localdate(value) if timezone.is_aware(value) else value.date()
    if isinstance(value, date):
        return value
    raise TypeError(f"expected a date, got {value!r}")


def _is_working(day, exceptions):
    kind = exceptions.get(day)
    if kind == HOLIDAY:
        return False
    if kind == WORKDAY:
        return True
    return day.weekday() < 5


def _add(start, n, exceptions):
    day = start
    if n == 0:
        while not _is_working(day, exceptions):
            day += ONE_DAY
        return day
    while n:
        day += ONE_DAY
        if _is_working(day, exceptions):
            n -= 1
    return day


def _weekdays_between(start, end):
    """Monday-to-Friday days after start up to and including end (end > start)."""
    weeks, rest = divmod((end - start).days, 7)
    first = start.weekday()
    return weeks * 5 + sum(1 for i in range(1, rest + 1) if (first + i) % 7 < 5)


def _between(start, end, exceptions):
    count = _weekdays_between(start, end)
    for day, kind in exceptions.items():
        if start < day <= end:
            weekend = day.weekday() >= 5
            if kind == HOLIDAY and not weekend:
                count -= 1
            elif kind == WORKDAY and weekend:
                count += 1
    return count
