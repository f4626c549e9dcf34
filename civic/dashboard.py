"""The managers' dashboard: a shell that knows no app by name. Each app registers panels in a `dashboard.py` module
(found by autodiscovery); a panel builds tables (and their charts) from the figures kept ready in civic.models.Figure,
for the region shown and its child regions, so a page costs a handful of small indexed reads whatever the size of
the city. Tables are exported as CSV and XLSX by the shell.

A panel's builder gets a `View` and returns a list of `Table`s (or None to stay out). Most tables are one of two
shapes, built by `by_region` (a row per child region, the region's own-level remainder, a total) and `trend`
(a row per month for the region shown), from `Measure`s: a metric and dimension of the figures, or a ratio of two."""

from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal

from django.utils import timezone
from django.utils.module_loading import autodiscover_modules
from django.utils.translation import gettext as _

from . import access
from .models import Figure, Region
from .months import add_months

TREND_MONTHS = 13  # twelve months back and the current one


@dataclass(frozen=True)
class Measure:
    label: str
    metric: str
    dimension: str | None = ""  # None: the sum over every dimension of the metric
    kind: str = "int"  # int, money, percent
    per: "Measure | None" = None  # a ratio: this measure ÷ `per` (shown as a percentage)


@dataclass
class Chart:
    kind: str  # "line" (months along the bottom) or "bar" (one bar per row)
    labels: list
    series: list  # [(label, [values])]


@dataclass
class Table:
    key: str
    title: str
    columns: list  # [(key, label, kind)]
    rows: list  # [{"label": …, "region": code or None, key: value, …}]
    total: dict | None = None
    chart: Chart | None = None
    note: str = ""


@dataclass(frozen=True)
class Panel:
    key: str
    title: str
    build: Callable
    capability: str = "dashboard.view"
    order: int = 100


_panels = []
_discovered = False


def register(panel):
    _panels.append(panel)
    return panel


def panels_for(user):
    global _discovered
    if not _discovered:
        _discovered = True
        autodiscover_modules("dashboard", register_to=None)
    return [p for p in sorted(_panels, key=lambda p: p.order) if access.can(user, p.capability)]


@dataclass
class View:
    """The region shown, its children, the months of the trend, and the figures read for them."""

    user: object
    region: Region
    children: list
    today: date
    months: list = field(default_factory=list)
    _cache: dict = field(default_factory=dict)

    @property
    def month(self):
        return self.today.replace(day=1)

    def load(self, metrics):
        """Read the rolled-up figures of these metrics for the region and its children over the trend's months,
        in one query; later reads of the same metrics come from memory."""
        missing = [m for m in metrics if m not in self._cache]
        if not missing:
            return
        codes = [self.region.code, *(c.code for c in self.children)]
        for metric in missing:
            self._cache[metric] = defaultdict(Decimal)
        rows = Figure.objects.filter(
            rolled=True,
            metric__in=missing,
            region_code__in=codes,
            month__gte=self.months[0],
            month__lte=self.months[-1],
        ).values_list("metric", "region_code", "month", "dimension", "value")
        for metric, code, month, dimension, value in rows:
            self._cache[metric][(code, month, dimension)] += value
            self._cache[metric][(code, month, None)] += value

    def value(self, measure, code, month):
        self.load([measure.metric] + ([measure.per.metric] if measure.per else []))
        figure = self._cache[measure.metric].get((code, month, measure.dimension), Decimal(0))
        if measure.per is None:
            return figure
        whole = self._cache[measure.per.metric].get((code, month, measure.per.dimension), Decimal(0))
        return (figure / whole) if whole else None

    def dimensions(self, metric):
        self.load([metric])
        return sorted({d for (_c, _m, d) in self._cache[metric] if d is not None})


def view_for(user, region_code=None, today=None):
    """The dashboard view of `region_code` when it lies in the user's area, else of the user's own region."""
    today = today or timezone.localdate()
    region = None
    if region_code and access.in_scope(user, region_code):
        region = Region.objects.filter(code=region_code).first()
    if region is None:
        region = getattr(user, "region", None) or Region.objects.filter(parent__isnull=True).order_by("code").first()
    children = list(Region.objects.filter(parent=region).order_by("code"))
    this_month = today.replace(day=1)
    months = [add_months(this_month, -i) for i in range(TREND_MONTHS - 1, -1, -1)]
    return View(user=user, region=region, children=children, today=today, months=months)


def _preload(view, measures):
    view.load(sorted({m.metric for m in measures} | {m.per.metric for m in measures if m.per}))


def _columns(measures):
    return [(f"m{i}", m.label, "percent" if m.per else m.kind) for i, m in enumerate(measures)]


def by_region(view, key, title, measures, month=None, chart=True, note=""):
    """A row per child region (linked for drill-down), a row for what is kept at the region's own level when any,
    and the total of the region shown, for one month (the current one by default)."""
    month = month or view.month
    _preload(view, measures)
    columns = _columns(measures)
    rows = []
    for child in view.children:
        row = {"label": child.name, "region": child.code}
        for (column, _label, _kind), measure in zip(columns, measures, strict=True):
            row[column] = view.value(measure, child.code, month)
        rows.append(row)
    total = {"label": view.region.name, "region": None}
    for (column, _label, _kind), measure in zip(columns, measures, strict=True):
        total[column] = view.value(measure, view.region.code, month)
    additive = [(c, m) for (c, _l, _k), m in zip(columns, measures, strict=True) if m.per is None]
    own = {c: total[c] - sum((r[c] for r in rows), Decimal(0)) for c, _m in additive}
    if rows and any(own.values()):
        own_row = {"label": _("%(region)s, own level") % {"region": view.region.name}, "region": None, **own}
        for (column, _label, _kind), measure in zip(columns, measures, strict=True):
            if measure.per is not None:
                own_row[column] = None
        rows.append(own_row)
    if not rows:  # a community: its own figures are the only row
        rows = [dict(total)]
    graph = None
    if chart and additive:
        first = additive[0][0]
        label = next(label for c, label, _k in columns if c == first)
        graph = Chart("bar", [r["label"] for r in rows], [(label, [r[first] or 0 for r in rows])])
    return Table(key, title, columns, rows, total, graph, note)


def trend(view, key, title, measures, note=""):
    """A row per month of the trend for the region shown, with a line chart of the additive measures."""
    _preload(view, measures)
    columns = _columns(measures)
    rows = []
    for month in view.months:
        row = {"label": f"{month:%Y-%m}", "region": None}
        for (column, _label, _kind), measure in zip(columns, measures, strict=True):
            row[column] = view.value(measure, view.region.code, month)
        rows.append(row)
    series = [
        (label, [r[column] or 0 for r in rows])
        for (column, label, kind), measure in zip(columns, measures, strict=True)
        if measure.per is None
    ]
    return Table(
        key, title, columns, rows, None, Chart("line", [r["label"] for r in rows], series) if series else None, note
    )


def build(view):
    """Every panel the user may see, with its tables."""
    built = []
    for panel in panels_for(view.user):
        tables = panel.build(view)
        if tables:
            built.append({"panel": panel, "tables": tables})
    return built


def find_table(view, panel_key, table_key):
    for panel in panels_for(view.user):
        if panel.key == panel_key:
            for table in panel.build(view) or []:
                if table.key == table_key:
                    return panel, table
    return None, None
