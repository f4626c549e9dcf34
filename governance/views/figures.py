"""Council figures for managers: per council, community or street, the execution rate (implemented resolutions ÷
resolutions due, DOMAIN.md) as of a day and participation (meetings, people taking part, topics received and
resolved) in a period, with a total row; the same table as CSV. governance.selectors.figures counts them."""

import csv

from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import render
from django.utils.http import content_disposition_header
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from civic import access
from governance import forms, selectors

from .shared import percent

FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def _figures(request):
    """The form and the figures it asks for; a field that is not valid falls back to its default."""
    form = forms.FiguresForm(request.GET or None)
    data = form.cleaned_data if form.is_valid() else {}
    figures = selectors.figures(
        request.user,
        grouping=data.get("by") or "council",
        as_of=data.get("as_of"),
        start=data.get("start"),
        end=data.get("end"),
    )
    for row in figures["rows"] + [figures["total"]]:
        row["percent"] = percent(row["rate"])
    return form, figures


@login_required
@never_cache
@require_GET
def figures(request):
    access.require(request.user, "governance.view")
    form, figures_ = _figures(request)
    return render(
        request,
        "governance/figures.html",
        {
            "form": form,
            "figures": figures_,
            "grouping_label": forms.GROUPING_LABELS[figures_["grouping"]],
            "csv_query": request.GET.urlencode(),
        },
    )


def _csv_safe(value):
    """Names typed by people cannot become spreadsheet formulas."""
    if isinstance(value, str) and value.startswith(FORMULA_START):
        return "'" + value
    return value


def csv_headers(grouping):
    return [
        str(forms.GROUPING_LABELS[grouping]),
        _("Resolutions due"),
        _("Implemented"),
        _("Execution rate (%)"),
        _("Meetings"),
        _("Participants"),
        _("Topics received"),
        _("Topics resolved"),
    ]


@login_required
@never_cache
@require_GET
def figures_csv(request):
    access.require(request.user, "governance.view")
    _form, figures_ = _figures(request)
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    name = f"council-figures-{figures_['grouping']}-{figures_['as_of']:%Y-%m-%d}.csv"
    response["Content-Disposition"] = content_disposition_header(True, name)
    response.write("\ufeff")  # Excel reads UTF-8 with the mark
    writer = csv.writer(response)
    writer.writerow(csv_headers(figures_["grouping"]))
    columns = ("due", "implemented", "percent", "meetings", "participants", "topics", "resolved")
    for row in figures_["rows"]:
        writer.writerow([_csv_safe(row["label"]), *(row[c] if row[c] is not None else "" for c in columns)])
    total = figures_["total"]
    writer.writerow([_("Total"), *(total[c] if total[c] is not None else "" for c in columns)])
    return response
