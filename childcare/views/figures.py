"""Child-protection figures for managers, supervisors and child-protection officers: reports by state, overdue
and open with the child in immediate danger, in the user's area. Counts only: no names, no case content."""

from django.contrib.auth.decorators import login_required
from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from childcare import selectors
from childcare.models import OPEN_STATES, ReportState

from . import FIGURE_CAPABILITIES, require_any


@login_required
@never_cache
@require_GET
def aggregates(request):
    require_any(request.user, FIGURE_CAPABILITIES)
    now = timezone.now()
    figures = selectors.report_aggregates(request.user, now)
    by_state = figures["by_state"]
    rows = [
        {"state": value, "label": label, "count": by_state.get(value, 0), "open": value in OPEN_STATES}
        for value, label in ReportState.choices
    ]
    return render(
        request,
        "childcare/aggregates.html",
        {
            "rows": rows,
            "total": figures["total"],
            "open": sum(row["count"] for row in rows if row["open"]),
            "overdue": figures["overdue"],
            "open_in_danger": figures["open_in_danger"],
            "area": request.user.region,
            "now": now,
        },
    )
