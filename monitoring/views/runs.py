"""The nightly monitoring runs: the last ones with their state, progress and the warnings each rule raised, and the
city's "Run now" button (monitoring.nightly.nightly_start; a run already going is refused and said so)."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_POST

from civic import access
from civic.errors import ApplicationError
from civic.models import Job

from ..models import RuleCode
from ..nightly import KIND, nightly_start

RECENT_RUNS = 30


def _runs(user):
    """The nightly runs cover the whole city (their region is the root): everyone whose area lies in it sees them,
    as rules set higher up are read lower down."""
    jobs = Job.objects.filter(kind=KIND).select_related("region", "created_by").order_by("-created_at", "-pk")
    return access.scope_queryset_with_ancestors(user, jobs)


def _raised(job):
    raised = (job.result or {}).get("raised", {}) if isinstance(job.result, dict) else {}
    labels = dict(RuleCode.choices)
    # The rules that raised something, in the order of the rules page; the total counts them all.
    counts = [(labels[code], raised[code]) for code in labels if raised.get(code)]
    return counts, sum(raised.values())


@login_required
@never_cache
@require_GET
def run_list(request):
    access.require(request.user, "monitoring.view")
    runs = []
    for job in _runs(request.user)[:RECENT_RUNS]:
        counts, total = _raised(job)
        runs.append({"job": job, "counts": counts, "total": total, "day": (job.params or {}).get("today", "")})
    return render(
        request,
        "monitoring/run_list.html",
        {"runs": runs, "can_run": access.can(request.user, "monitoring.rules")},
    )


@login_required
@never_cache
@require_POST
def run_start(request):
    access.require(request.user, "monitoring.rules")
    try:
        nightly_start(actor=request.user)
    except ApplicationError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, _("The run has started; its progress is shown below."))
    return redirect("monitoring:run-list")
