"""Micro-projects (民生微实事): the list with budget, spending and completion, and the project with the form that
moves it on (underway, completed, cancelled). Projects are set up from their topic's page. Thin:
governance.services decides which move is open."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_POST

from civic import access
from civic.errors import ApplicationError, add_service_errors
from governance import forms, selectors, services
from governance.services.micro_projects import MOVES

from .shared import may_record, page_of, refusal_status


@login_required
@never_cache
@require_GET
def micro_project_list(request):
    access.require(request.user, "governance.view")
    filters = forms.MicroProjectFilterForm(request.GET or None)
    projects = selectors.micro_projects_for(request.user)
    if filters.is_valid():
        if filters.cleaned_data["q"].strip():
            projects = projects.filter(name__icontains=filters.cleaned_data["q"].strip())
        if filters.cleaned_data["status"]:
            projects = projects.filter(status=filters.cleaned_data["status"])
    return render(
        request,
        "governance/micro_project_list.html",
        {"page": page_of(request, projects.order_by("-created_at", "-pk")), "filters": filters},
    )


def micro_project_get(request, pk):
    access.require(request.user, "governance.view")
    return get_object_or_404(selectors.micro_projects_for(request.user), pk=pk)


def _detail(request, project, *, form=None, refusal=None, status=200):
    movable = may_record(request.user) and bool(MOVES.get(project.status))
    return render(
        request,
        "governance/micro_project_detail.html",
        {
            "project": project,
            "form": (form or forms.MicroProjectUpdateForm(project=project)) if movable else None,
            "refusal": refusal,
        },
        status=status,
    )


@login_required
@never_cache
@require_GET
def micro_project_detail(request, pk):
    return _detail(request, micro_project_get(request, pk))


@login_required
@never_cache
@require_POST
def micro_project_update(request, pk):
    project = micro_project_get(request, pk)
    access.require(request.user, "governance.record")
    form = forms.MicroProjectUpdateForm(request.POST, project=project)
    if not form.is_valid():
        return _detail(request, project, form=form, status=400)
    data = form.cleaned_data
    try:
        project = services.micro_project_update(
            actor=request.user,
            project=project,
            status=data["status"],
            completion=data["completion"],
            spent=data["spent"],
            completed_on=data["completed_on"],
        )
    except ApplicationError as exc:
        status = refusal_status(exc)
        project.refresh_from_db()
        if exc.status == 409:
            return _detail(request, project, refusal=exc.message, status=status)
        add_service_errors(form, exc)
        return _detail(request, project, form=form, status=status)
    messages.success(request, _("The project is now “%(status)s”.") % {"status": project.get_status_display()})
    return redirect("governance:micro-project-detail", pk=project.pk)
