"""The managers' dashboard (civic.dashboard): the region shown, a drill-down into its child regions, every panel
the user may see, and each panel's tables as CSV or XLSX. Scoped: a region outside the user's area shows the user's
own region instead."""

from decimal import Decimal

from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import render
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from civic import access, dashboard, table_export


def _trail(user, region):
    """The regions from the user's own down to the one shown, for the breadcrumb."""
    trail, node = [], region
    while node is not None:
        trail.append(node)
        if getattr(user, "region_id", None) == node.code:
            break
        node = node.parent
    return list(reversed(trail))


@login_required
@never_cache
@require_GET
def dashboard_page(request):
    access.require(request.user, "dashboard.view")
    view = dashboard.view_for(request.user, request.GET.get("region"))
    return render(
        request,
        "civic/dashboard.html",
        {
            "view": view,
            "trail": _trail(request.user, view.region),
            "panels": dashboard.build(view),
        },
    )


def _plain(value, kind):
    """A figure as a spreadsheet cell: counts as whole numbers, yuan to the fen, shares to four places."""
    if value is None:
        return None
    if kind == "money":
        return Decimal(value).quantize(Decimal("0.01"))
    if kind == "percent":
        return Decimal(value).quantize(Decimal("0.0001"))
    return int(value)


@login_required
@never_cache
@require_GET
def dashboard_export(request, panel, table, fmt):
    access.require(request.user, "dashboard.view")
    view = dashboard.view_for(request.user, request.GET.get("region"))
    found_panel, found = dashboard.find_table(view, panel, table)
    if found is None:
        raise Http404
    keys = [key for key, _label, _kind in found.columns]
    header = [_("Region or month"), *(label for _key, label, _kind in found.columns)]
    kinds = [kind for _key, _label, kind in found.columns]
    rows = [
        [row["label"], *(_plain(row.get(k), kind) for k, kind in zip(keys, kinds, strict=True))] for row in found.rows
    ]
    total = None
    if found.total:
        total = [
            f"{_('Total')} · {found.total['label']}",
            *(_plain(found.total.get(k), kind) for k, kind in zip(keys, kinds, strict=True)),
        ]
    money = [i + 1 for i, (_k, _l, kind) in enumerate(found.columns) if kind == "money"]
    return table_export.response(
        fmt,
        f"dashboard-{view.region.code}-{panel}-{table}-{view.today:%Y%m%d}",
        found.title,
        header,
        rows,
        total,
        money_columns=money,
        widths=(22, *([16] * len(keys))),
    )
