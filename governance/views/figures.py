"""Council figures for managers: per council, community or street, the execution rate (implemented resolutions ÷
resolutions due, DOMAIN.md) as of a day and participation (meetings, people taking part, topics received and
resolved) in a period, with a total row; the same table as CSV. governance.selectors.figures counts them."""

from django.contrib.auth.decorators import login_required
from django.shortcuts import render
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from civic import access, table_export
from governance import forms, selectors

from .shared import percent


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
    columns = ("due", "implemented", "percent", "meetings", "participants", "topics", "resolved")
    total = figures_["total"]
    return table_export.response(
        "csv",
        f"council-figures-{figures_['grouping']}-{figures_['as_of']:%Y-%m-%d}",
        _("Council figures"),
        csv_headers(figures_["grouping"]),
        [[row["label"], *(row[c] for c in columns)] for row in figures_["rows"]],
        [_("Total"), *(total[c] for c in columns)],
    )
