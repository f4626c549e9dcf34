"""Calendar-month arithmetic shared by every app (benefit starts, batches, settlements, coverage by month)."""

import calendar
from datetime import date, timedelta


def add_months(day, months):
    """The same day `months` later (or earlier), clamped to the end of a shorter month (30 Nov + 3 → 28/29 Feb)."""
    year, month = divmod(day.month - 1 + months, 12)
    year, month = day.year + year, month + 1
    return date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def first_of_month(day):
    return day.replace(day=1)


def month_end(day):
    return day.replace(day=calendar.monthrange(day.year, day.month)[1])


def first_of_next_month(day):
    return month_end(day) + timedelta(days=1)


def month_bounds(day):
    """(first day, last day) of the month containing `day`."""
    return first_of_month(day), month_end(day)


def months_between(first, last):
    """The first days of the months from `first`'s to `last`'s, in order (empty when `last` is earlier)."""
    month, months = first_of_month(first), []
    while month <= last:
        months.append(month)
        month = first_of_next_month(month)
    return months
