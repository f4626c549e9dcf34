"""Subsidies: monthly CPI readings (that may trigger the price-linked subsidy, 价格临时补贴) and one-off living
subsidies by decision, each written by a job whose state and result the page shows. Thin: forms check shapes,
relief.services.subsidies the rules."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_POST

from civic import access
from civic.errors import ApplicationError
from civic.models import Job
from relief import money_forms
from relief.models import CpiReading, OneOffSubsidy
from relief.programmes import Programme
from relief.services import subsidies as flow

from .batches import job_progress_context

PAGE_SIZE = 20


def _with_jobs(user, rows, prefix):
    """Attach to each row the latest job that writes its adjustments (key `prefix`:<id>)."""
    keys = {f"{prefix}:{row.pk}": row for row in rows}
    for row in rows:
        row.progress = None
    for job in Job.objects.filter(key__in=keys).select_related("region").order_by("created_at", "pk"):
        keys[job.key].progress = job_progress_context(user, job)  # the latest one wins
    return rows


def _page(request, *, cpi_form=None, one_off_form=None, status=200):
    user = request.user
    readings = access.scope_queryset(user, CpiReading.objects.select_related("region", "recorded_by"))
    grants = access.scope_queryset(user, OneOffSubsidy.objects.select_related("region", "decided_by"))
    cpi_page = Paginator(readings.order_by("-month", "region_id"), PAGE_SIZE).get_page(request.GET.get("cpi_page"))
    grant_page = Paginator(grants.order_by("-decided_at", "-pk"), PAGE_SIZE).get_page(request.GET.get("grant_page"))
    cpi_page.object_list = _with_jobs(user, list(cpi_page.object_list), "relief.price_subsidy")
    grant_page.object_list = _with_jobs(user, list(grant_page.object_list), "relief.one_off")
    labels = dict(Programme.choices)
    for grant in grant_page.object_list:
        grant.programme_labels = ", ".join(str(labels.get(p, p)) for p in grant.programmes or [])
    return render(
        request,
        "relief/subsidy_list.html",
        {
            "cpi_form": cpi_form or money_forms.CpiForm(user=user, prefix="cpi"),
            "one_off_form": one_off_form or money_forms.OneOffForm(user=user, prefix="oneoff"),
            "cpi_page": cpi_page,
            "grant_page": grant_page,
        },
        status=status,
    )


def _map_errors(form, exc):
    for field, errors in exc.fields.items():
        for error in errors or [exc.message]:
            form.add_error(field if field in form.fields else None, error)
    if not exc.fields:
        form.add_error(None, exc.message)


def _status(exc):
    return exc.status if exc.status in (403, 409) else 400


@login_required
@never_cache
@require_GET
def subsidy_list(request):
    access.require(request.user, "money.subsidy")
    return _page(request)


@login_required
@never_cache
@require_POST
def cpi_record(request):
    access.require(request.user, "money.subsidy")
    form = money_forms.CpiForm(request.POST, user=request.user, prefix="cpi")
    if not form.is_valid():
        return _page(request, cpi_form=form, status=400)
    data = form.cleaned_data
    try:
        reading, _job = flow.cpi_record(
            actor=request.user,
            region_code=data["region"],
            month=data["month"],
            cpi=data["cpi"],
            food_cpi=data["food_cpi"],
            source=data["source"],
        )
    except ApplicationError as exc:
        _map_errors(form, exc)
        return _page(request, cpi_form=form, status=_status(exc))
    messages.success(
        request,
        _("The CPI reading for %(month)s is recorded; the price-linked subsidy is worked out where it applies.")
        % {"month": f"{reading.month:%Y-%m}"},
    )
    return redirect("relief:subsidy-list")


@login_required
@never_cache
@require_POST
def one_off_grant(request):
    access.require(request.user, "money.subsidy")
    form = money_forms.OneOffForm(request.POST, user=request.user, prefix="oneoff")
    if not form.is_valid():
        return _page(request, one_off_form=form, status=400)
    data = form.cleaned_data
    try:
        flow.one_off_grant(
            actor=request.user,
            region_code=data["region"],
            decision=data["decision"],
            programmes=data["programmes"],
            amount=data["amount"],
            per_person=data["per"] == "person",
        )
    except ApplicationError as exc:
        _map_errors(form, exc)
        return _page(request, one_off_form=form, status=_status(exc))
    messages.success(request, _("The one-off subsidy is granted; the next batch pays it."))
    return redirect("relief:subsidy-list")
