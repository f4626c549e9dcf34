"""Keeping dashboard figures current (civic.models.Figure).

Each app registers its sources in a `figures.py` module (found by autodiscovery, so the core names no app), e.g.

    register(Source(
        name="eldercare.meals",
        metrics=("eldercare.meals",),
        select=lambda sql: (
            f"SELECT h.region_id, {sql.month_of_time('m.served_at')}, m.meal_type, 'eldercare.meals', COUNT(*) "
            "FROM eldercare_meal m JOIN eldercare_mealhall h ON h.id = m.hall_id "
            "WHERE h.region_id LIKE %(prefix)s AND m.served_at >= %(start_at)s AND m.served_at < %(end_at)s "
            "GROUP BY 1, 2, 3"
        ),
        watch=[(Meal, "hall__region_id", "served_at")],
    ))

`select` (a function of the SQL dialect, so the same source runs on PostgreSQL and on the demo's SQLite) is one
set-based SELECT returning (region_code, month, dimension, metric, value) rows for the regions whose code starts
with %(prefix)s and the months from %(start)s (a first of month) up to but not including %(end)s; %(start_at)s and
%(end_at)s are the same bounds as local midnights for timestamps, and %(today)s is today. A refresh replaces the
source's base rows of those regions and months in one transaction and rolls them up to every region above: a page
reads only the rolled-up rows of the region it shows and of its children.

Refreshes run: nightly for every source over the last months (Celery beat), after the set-based jobs that change
many rows (they call `refresh_soon` for the regions they touched), and after ordinary writes: `watch` lists models
whose saves and deletes refresh the source for the saved row's region and month, once per transaction, after
commit (in a Celery task when a broker is configured)."""

import logging
import re
import threading
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time

from django.conf import settings
from django.db import connection, transaction
from django.db.models.signals import post_delete, post_save
from django.utils import timezone
from django.utils.module_loading import autodiscover_modules

from .models import LEVEL_DIGITS, Figure
from .months import add_months

logger = logging.getLogger(__name__)

HISTORY_MONTHS = 13  # the trend shows twelve months and the current one


class Dialect:
    """The few SQL expressions that differ between PostgreSQL and SQLite."""

    def __init__(self, vendor):
        self.vendor = vendor

    def month_of_date(self, expression):
        if self.vendor == "postgresql":
            return f"CAST(date_trunc('month', {expression}) AS date)"
        return f"date({expression}, 'start of month')"

    def month_of_time(self, expression):
        """The local month of a timestamp (the bureau's time zone, not UTC)."""
        if self.vendor == "postgresql":
            return f"CAST(date_trunc('month', {expression} AT TIME ZONE '{settings.TIME_ZONE}') AS date)"
        offset = timezone.localtime().utcoffset().total_seconds() / 3600
        return f"date({expression}, '{offset:+.0f} hours', 'start of month')"

    def months(self, start_param="start", end_param="end"):
        """A one-column table (month) of the firsts of months start ≤ month < end."""
        if self.vendor == "postgresql":
            return (
                f"(SELECT CAST(g AS date) AS month FROM generate_series(CAST(%({start_param})s AS date), "
                f"CAST(%({end_param})s AS date) - 1, interval '1 month') AS g)"
            )
        return (
            f"(WITH RECURSIVE g(month) AS (SELECT date(%({start_param})s) UNION ALL "
            f"SELECT date(month, '+1 month') FROM g WHERE date(month, '+1 month') < date(%({end_param})s)) "
            "SELECT month FROM g)"
        )


@dataclass(frozen=True)
class Source:
    name: str
    metrics: tuple
    select: object  # str, or a function of the Dialect returning one
    # (model, path to the row's region code, path to the row's date or None for "this month")
    watch: tuple = field(default_factory=tuple)
    # Snapshots (pipeline now, cases by state now) only have the current month: a refresh of older months skips
    # them, so the trend keeps the month-end values taken while that month was current.
    snapshot: bool = False


_sources = {}
_discovered = False


def register(source):
    _sources[source.name] = source
    for model, region_path, date_path in source.watch:
        _watch(model, source.name, region_path, date_path)
    return source


def sources():
    global _discovered
    if not _discovered:
        _discovered = True
        autodiscover_modules("figures", register_to=None)
    return dict(_sources)


# --- replacing base rows and rolling them up ------------------------------------------------------------------


def _pad(expression, digits):
    """SQL for the 12-digit code of the region `digits` long above the code in `expression` (PostgreSQL and
    SQLite alike: no rpad in SQLite)."""
    return f"SUBSTR(SUBSTR({expression}, 1, {digits}) || '000000000000', 1, 12)"


def _ancestor_prefixes(prefix):
    return [prefix[:d] for d in sorted(set(LEVEL_DIGITS.values())) if d < len(prefix)]


def refresh(source_name, prefix="", start=None, end=None, today=None):
    """Recompute one source for the regions under `prefix` and the months start ≤ month < end (firsts of
    months; by default the current month only), then roll up. Idempotent: rerunning gives the same rows."""
    source = sources()[source_name]
    today = today or timezone.localdate()
    this_month = today.replace(day=1)
    start = start or this_month
    end = end or add_months(this_month, 1)
    if source.snapshot:
        start, end = max(start, this_month), max(end, add_months(this_month, 1))
        if start >= end:
            return 0
    params = {
        "prefix": prefix + "%",
        "start": start,
        "end": end,
        "start_at": _midnight(start, connection.vendor),
        "end_at": _midnight(end, connection.vendor),
        "today": today,
    }
    metrics = list(source.metrics)
    now = timezone.now()
    table = Figure._meta.db_table
    with transaction.atomic(), connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            # Refreshes of one source replace the same rolled-up rows of the regions above (a city's): one at a
            # time, or two lunchtime check-ins in two communities would collide on them.
            cursor.execute("SELECT pg_advisory_xact_lock(hashtext(%s))", [f"civic.figures:{source_name}"])
            # Compiling these one-off statements costs more than it saves (2 s of the nightly 8 at a million).
            cursor.execute("SET LOCAL jit = off")
        metric_list = ", ".join(["%s"] * len(metrics))
        cursor.execute(
            f"DELETE FROM {table} WHERE rolled = %s AND metric IN ({metric_list}) "
            "AND region_code BETWEEN %s AND %s AND month >= %s AND month < %s",
            [False, *metrics, *_subtree(prefix), start, end],
        )
        sql = source.select(Dialect(connection.vendor)) if callable(source.select) else source.select
        select, select_params = named_to_positional(sql, params)
        # A CTE rather than a derived table with column names: the one form PostgreSQL and SQLite both take.
        cursor.execute(
            f"INSERT INTO {table} (region_code, month, dimension, metric, value, rolled, refreshed_at) "
            f"WITH s (region_code, month, dimension, metric, value) AS ({select}) "
            "SELECT s.region_code, s.month, COALESCE(s.dimension, ''), s.metric, s.value, %s, %s "
            "FROM s WHERE s.value IS NOT NULL",
            [*select_params, False, now],
        )
        written = cursor.rowcount
        _roll_up(cursor, metrics, prefix, start, end, now)
    return written


def _subtree(prefix):
    """The codes of a prefix's subtree as a range: the index narrows a range under any collation, a LIKE only
    under the C collation."""
    return prefix.ljust(12, "0"), prefix.ljust(12, "9")


def _roll_up(cursor, metrics, prefix, start, end, now):
    """Rolled-up rows of every region in the prefix's subtree and above it, for these metrics and months."""
    table = Figure._meta.db_table
    metric_list = ", ".join(["%s"] * len(metrics))
    ancestors = [a.ljust(12, "0") for a in _ancestor_prefixes(prefix)]
    where_region = "region_code BETWEEN %s AND %s"
    region_params = list(_subtree(prefix))
    if ancestors:
        where_region = f"(region_code BETWEEN %s AND %s OR region_code IN ({', '.join(['%s'] * len(ancestors))}))"
        region_params += ancestors
    cursor.execute(
        f"DELETE FROM {table} WHERE rolled = %s AND metric IN ({metric_list}) AND {where_region} "
        "AND month >= %s AND month < %s",
        [True, *metrics, *region_params, start, end],
    )
    levels = sorted(set(LEVEL_DIGITS.values()))
    for above, digits in zip([0, *levels], levels, strict=False):
        # Regions of this level inside the prefix's subtree, or the one above it: the sum of the base rows of its
        # subtree. A base row kept at a higher level (a district fund's) counts for that level and those above
        # only: its significant digits (the code without trailing zeros) reach past the level above this one.
        scope = prefix[:digits] if digits < len(prefix) else prefix
        cursor.execute(
            f"INSERT INTO {table} (region_code, month, dimension, metric, value, rolled, refreshed_at) "
            f"SELECT {_pad('region_code', digits)}, month, dimension, metric, SUM(value), %s, %s FROM {table} "
            f"WHERE rolled = %s AND metric IN ({metric_list}) AND region_code BETWEEN %s AND %s "
            "AND month >= %s AND month < %s AND LENGTH(RTRIM(region_code, '0')) > %s "
            f"GROUP BY {_pad('region_code', digits)}, month, dimension, metric",
            [True, now, False, *metrics, *_subtree(scope), start, end, above],
        )


def _midnight(day, vendor):
    """Local midnight of a day, as the database compares timestamps: aware for PostgreSQL, naive UTC text for
    SQLite (which stores UTC and would otherwise compare "…+08:00" as text)."""
    moment = timezone.make_aware(datetime.combine(day, time.min))
    if vendor == "sqlite":
        return timezone.make_naive(moment, UTC)
    return moment


def named_to_positional(sql, params):
    """%(name)s → %s with the values in order (one syntax for both database drivers)."""
    values = []

    def take(match):
        values.append(params[match.group(1)])
        return "%s"

    return re.sub(r"%\((\w+)\)s", take, sql), values


def refresh_all(months=HISTORY_MONTHS, today=None):
    """Every source over the last `months` months (the nightly job; also `make run` and the benchmark)."""
    today = today or timezone.localdate()
    end = add_months(today.replace(day=1), 1)
    start = add_months(end, -months)
    return {name: refresh(name, "", start, end, today) for name in sources()}


# --- after writes ---------------------------------------------------------------------------------------------


def refresh_soon(source_name, region_code, month=None):
    """Refresh one source for a region after the current transaction commits; requests of the same transaction
    are merged into one refresh each."""
    item = (source_name, region_code, (month or timezone.localdate()).replace(day=1))
    connection_ = transaction.get_connection()
    # Queued: this transaction has a flush waiting that has not run yet (a rolled-back transaction drops its
    # callbacks, and what was pending with them).
    queued = (
        getattr(_local, "queued", False)
        and connection_.in_atomic_block
        and any(entry[1] is _flush for entry in connection_.run_on_commit)
    )
    if queued:
        _local.pending.add(item)
        return
    _local.pending, _local.queued = {item}, True
    transaction.on_commit(_flush)


_local = threading.local()


def _flush():
    pending, _local.pending, _local.queued = getattr(_local, "pending", set()), set(), False
    from .tasks import refresh_figures

    for source_name, region_code, month in sorted(pending):
        try:
            refresh_figures.delay(source_name, region_code, month.isoformat())
        except Exception:  # the write stands; the nightly refresh catches up
            logger.warning("Could not queue the refresh of %s for %s", source_name, region_code, exc_info=True)


def _value_at(instance, path):
    value = instance
    for part in path.split("__"):
        value = getattr(value, part, None)
        if value is None:
            return None
    return value


def _watch(model, source_name, region_path, date_path):
    def changed(sender, instance, **kwargs):
        region_code = _value_at(instance, region_path)
        if not region_code:
            return
        when = _value_at(instance, date_path) if date_path else None
        if when is not None and not isinstance(when, date):
            when = None
        if when is not None and hasattr(when, "date"):
            when = timezone.localtime(when).date() if timezone.is_aware(when) else when.date()
        refresh_soon(source_name, str(region_code), when)

    uid = f"figures:{source_name}:{model._meta.label}:{region_path}:{date_path}"
    post_save.connect(changed, sender=model, weak=False, dispatch_uid=uid + ":save")
    post_delete.connect(changed, sender=model, weak=False, dispatch_uid=uid + ":delete")
