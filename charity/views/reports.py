"""Charity figures by region and category: donations in, grants out, activities, beneficiaries and activity
spending in a period, with a drill-down from the user's area to its streets and communities and the same figures
as CSV or XLSX. The figures are charity.selectors.report's; this module only lays them out."""

from decimal import Decimal
from urllib.parse import urlencode

from django.contrib.auth.decorators import login_required
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import pgettext
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from civic import access, table_export
from civic.models import Region
from civic.models.regions import normalise_region_code

from .. import selectors
from ..forms.reports import ReportForm

CENT = Decimal("0.01")
MONEY_KEYS = ("raised", "granted", "spent")
FIGURE_KEYS = ("raised", "granted", "activities", "beneficiaries", "spent")


def _money(value):
    return Decimal(value).quantize(CENT)


def _parameters(request):
    """The form, and the region and period it asks for. A bad date leaves the whole period at its default; a
    region outside the user's area is replaced with the user's own by the selector."""
    form = ReportForm(request.GET or None)
    region = start = end = None
    if form.is_bound:
        valid = form.is_valid()
        code = form.cleaned_data.get("region")
        if code:
            region = Region.objects.filter(code=normalise_region_code(code)).first()
        if valid:
            start, end = form.cleaned_data["start"], form.cleaned_data["end"]
    return form, region, start, end


def _figures(request):
    form, region, start, end = _parameters(request)
    report = selectors.report(request.user, region=region, start=start, end=end)
    region = report["region"]
    for row in [*report["rows"], report["total"]]:
        for key in MONEY_KEYS:
            row[key] = _money(row[key])
    for row in report["rows"]:
        # A row of the region itself (a district's own organisations and projects), not of one of its parts.
        row_region = row["region"] or region
        row["own_level"] = row.get("own_level", row["region"] is None) or row_region.code == region.code
        row["region_code"] = row_region.code
        row["region_label"] = (
            _("%(region)s, own level") % {"region": region.name}
            if row["own_level"] and report["children"]
            else row_region.name
        )
    return form, report


def _query(region, start, end):
    return urlencode({"region": region.code, "start": start.isoformat(), "end": end.isoformat()})


def _trail(user, region):
    """The regions from the user's own area down to the one shown, for the breadcrumb."""
    trail, node = [], region
    while node is not None:
        trail.append(node)
        if node.parent_id is None or not access.in_scope(user, node.parent_id):
            break
        node = node.parent
    return list(reversed(trail))


@login_required
@never_cache
@require_GET
def report(request):
    access.require(request.user, "charity.view")
    form, figures = _figures(request)
    start, end = figures["start"], figures["end"]
    base = reverse("charity:report")
    for row in figures["rows"]:
        row["drill_url"] = "" if row["own_level"] else f"{base}?{_query(row['region'], start, end)}"
    query = _query(figures["region"], start, end)
    return render(
        request,
        "charity/report.html",
        {
            "form": form,
            "report": figures,
            "trail": [
                {"region": region, "url": f"{base}?{_query(region, start, end)}"}
                for region in _trail(request.user, figures["region"])
            ],
            "csv_url": f"{reverse('charity:report-export', args=['csv'])}?{query}",
            "xlsx_url": f"{reverse('charity:report-export', args=['xlsx'])}?{query}",
        },
    )


def _headers():
    return [
        _("Region code"),
        _("Region"),
        _("Category"),
        _("Donations in (yuan)"),
        _("Grants out (yuan)"),
        _("Activities"),
        _("Beneficiaries"),
        _("Activity spending (yuan)"),
    ]


def _lines(figures):
    """The table as rows of values: one per region and category, then the totals."""
    for row in figures["rows"]:
        yield [row["region_code"], row["region_label"], str(row["category_label"]), *(row[k] for k in FIGURE_KEYS)]
    total = figures["total"]
    yield [figures["region"].code, figures["region"].name, _("Total"), *(total[k] for k in FIGURE_KEYS)]


@login_required
@never_cache
@require_GET
def report_export(request, fmt):
    access.require(request.user, "charity.view")
    _form, figures = _figures(request)
    lines = list(_lines(figures))
    name = f"charity-report-{figures['region'].code}-{figures['start']:%Y-%m-%d}-{figures['end']:%Y-%m-%d}"
    return table_export.response(
        fmt,
        name,
        pgettext("spreadsheet sheet", "Charity report"),
        _headers(),
        lines[:-1],
        lines[-1],
        money_columns=(3, 4, 7),
        widths=(14, 22, 26, 16, 16, 10, 12, 18),
    )
