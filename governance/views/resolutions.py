"""Resolutions (决议) and their implementation: the list with the overdue ones marked, the resolution with its history
(progress, reminders, closing, publication) and the forms of the open steps, and the printable outcome notice
(结果公示). Thin: governance.services decides which step is open."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_POST

from civic import access
from civic.errors import ApplicationError, add_service_errors
from governance import forms, selectors, services
from governance.models import ResolutionStatus

from .shared import may_record, page_of, refusal_status

DATE_ALIASES = {"on": "closed_on"}


@login_required
@never_cache
@require_GET
def resolution_list(request):
    access.require(request.user, "governance.view")
    today = timezone.localdate()
    filters = forms.ResolutionFilterForm(request.GET or None)
    resolutions = selectors.resolutions_for(request.user)
    if filters.is_valid():
        if filters.cleaned_data["overdue"]:
            resolutions = selectors.overdue_resolutions(request.user, today)
        if filters.cleaned_data["status"]:
            resolutions = resolutions.filter(status=filters.cleaned_data["status"])
    page = page_of(request, resolutions.order_by("due_on", "pk"))
    for resolution in page.object_list:
        resolution.overdue = resolution.status == ResolutionStatus.IN_PROGRESS and resolution.due_on < today
    return render(
        request,
        "governance/resolution_list.html",
        {"page": page, "filters": filters, "overdue_count": selectors.overdue_resolutions(request.user, today).count()},
    )


def resolution_get(request, pk):
    access.require(request.user, "governance.view")
    return get_object_or_404(selectors.resolutions_for(request.user).select_related("council__region"), pk=pk)


def _detail(request, resolution, *, refusal=None, status=200, **posted):
    """The resolution's page; `posted` holds the form sent back with its errors (progress_form, implemented_form,
    not_implemented_form), the others are fresh."""
    today = timezone.localdate()
    open_ = resolution.status == ResolutionStatus.IN_PROGRESS
    recorder = may_record(request.user)
    forms_ = {}
    if recorder and open_:
        forms_ = {
            "progress_form": posted.get("progress_form") or forms.ProgressForm(),
            "implemented_form": posted.get("implemented_form") or forms.ImplementedForm(),
            "not_implemented_form": posted.get("not_implemented_form") or forms.NotImplementedForm(),
        }
    history = list(resolution.progress.select_related("by").order_by("on", "at", "pk"))
    latest = [p.percent for p in history if p.percent is not None]
    return render(
        request,
        "governance/resolution_detail.html",
        {
            "resolution": resolution,
            "topic": resolution.topic,
            "meeting": resolution.deliberation.meeting,
            "history": history,
            "percent": latest[-1] if latest else None,
            "overdue": open_ and resolution.due_on < today,
            "can_publish": recorder and not open_ and resolution.published_on is None,
            "refusal": refusal,
            **forms_,
        },
        status=status,
    )


@login_required
@never_cache
@require_GET
def resolution_detail(request, pk):
    return _detail(request, resolution_get(request, pk))


def _refused(request, resolution, exc, form, name, aliases=None):
    """A refused step: a 409 (the step is no longer open) above the page, field errors on the form sent."""
    status = refusal_status(exc)
    resolution.refresh_from_db()
    if exc.status == 409:
        return _detail(request, resolution, refusal=exc.message, status=status)
    add_service_errors(form, exc, aliases)
    return _detail(request, resolution, status=status, **{name: form})


@login_required
@never_cache
@require_POST
def progress_add(request, pk):
    resolution = resolution_get(request, pk)
    access.require(request.user, "governance.record")
    form = forms.ProgressForm(request.POST)
    if not form.is_valid():
        return _detail(request, resolution, progress_form=form, status=400)
    try:
        services.progress_add(
            actor=request.user,
            resolution=resolution,
            note=form.cleaned_data["note"],
            percent=form.cleaned_data["percent"],
        )
    except ApplicationError as exc:
        return _refused(request, resolution, exc, form, "progress_form")
    messages.success(request, _("The progress is recorded."))
    return redirect("governance:resolution-detail", pk=resolution.pk)


@login_required
@never_cache
@require_POST
def resolution_implemented(request, pk):
    resolution = resolution_get(request, pk)
    access.require(request.user, "governance.record")
    form = forms.ImplementedForm(request.POST)
    if not form.is_valid():
        return _detail(request, resolution, implemented_form=form, status=400)
    try:
        services.resolution_implemented(
            actor=request.user,
            resolution=resolution,
            outcome=form.cleaned_data["outcome"],
            on=form.cleaned_data["closed_on"],
        )
    except ApplicationError as exc:
        return _refused(request, resolution, exc, form, "implemented_form", DATE_ALIASES)
    messages.success(request, _("The resolution is implemented. Publish the outcome when the notice is up."))
    return redirect("governance:resolution-detail", pk=resolution.pk)


@login_required
@never_cache
@require_POST
def resolution_not_implemented(request, pk):
    resolution = resolution_get(request, pk)
    access.require(request.user, "governance.record")
    form = forms.NotImplementedForm(request.POST)
    if not form.is_valid():
        return _detail(request, resolution, not_implemented_form=form, status=400)
    try:
        services.resolution_not_implemented(
            actor=request.user,
            resolution=resolution,
            reason=form.cleaned_data["reason"],
            on=form.cleaned_data["closed_on"],
        )
    except ApplicationError as exc:
        return _refused(request, resolution, exc, form, "not_implemented_form", DATE_ALIASES)
    messages.success(request, _("The resolution is closed as not implemented, with the reason."))
    return redirect("governance:resolution-detail", pk=resolution.pk)


@login_required
@never_cache
@require_POST
def resolution_publish(request, pk):
    resolution = resolution_get(request, pk)
    access.require(request.user, "governance.record")
    try:
        services.resolution_publish(actor=request.user, resolution=resolution)
    except ApplicationError as exc:
        status = refusal_status(exc)
        resolution.refresh_from_db()
        return _detail(request, resolution, refusal=exc.message, status=status)
    messages.success(request, _("The outcome is published."))
    return redirect("governance:resolution-detail", pk=resolution.pk)


@login_required
@never_cache
@require_GET
def resolution_print(request, pk):
    """The outcome notice (结果公示) to post up: only once implementation has closed, implemented or not."""
    resolution = resolution_get(request, pk)
    if resolution.status == ResolutionStatus.IN_PROGRESS:
        raise Http404
    return render(
        request,
        "governance/resolution_print.html",
        {
            "resolution": resolution,
            "council": resolution.council,
            "topic": resolution.topic,
            "meeting": resolution.deliberation.meeting,
            "deliberation": resolution.deliberation,
        },
    )
