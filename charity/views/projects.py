"""Charity projects: the list with its filters (budget, funds raised, activities, people helped), creating one, the
project with its activities and status buttons, moving it on, and recording an activity whose named beneficiaries
are entered as ID numbers and shown by name only. Thin: charity.services.projects checks the rules."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.db import transaction
from django.db.models import Count, IntegerField, Sum, Value
from django.db.models.functions import Coalesce
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from charity import selectors, services
from charity.forms import records as forms
from charity.models import ProjectActivity, ProjectStatus
from charity.selectors import ZERO
from charity.services.projects import MOVES
from civic import access, idnumbers
from civic import selectors as registry
from civic.errors import ApplicationError, add_service_errors, refuse_on_form

from .organisations import may_manage

PAGE_SIZE = 25
ACTIVITIES_PAGE_SIZE = 50
STATUS_ORDER = {value: i for i, value in enumerate(ProjectStatus.values)}


def _activity_figures(projects):
    """Set `.activity_count` and `.helped` on a page of projects with one grouped query (an annotation next to
    `raised` would multiply it by the activities)."""
    rows = (
        ProjectActivity.objects.filter(project__in=projects)
        .order_by()
        .values("project_id")
        .annotate(n=Count("pk"), people=Coalesce(Sum("beneficiaries"), Value(0, output_field=IntegerField())))
    )
    figures = {row["project_id"]: row for row in rows}
    for project in projects:
        row = figures.get(project.pk, {})
        project.activity_count = row.get("n", 0)
        project.helped = row.get("people", 0)
    return projects


@login_required
@never_cache
@require_GET
def project_list(request):
    access.require(request.user, "charity.view")
    filters = forms.ProjectFilterForm(request.GET or None)
    projects = selectors.projects_for(request.user)
    if filters.is_valid():
        data = filters.cleaned_data
        if data["q"].strip():
            projects = projects.filter(name__icontains=data["q"].strip())
        if data["category"]:
            projects = projects.filter(category=data["category"])
        if data["status"]:
            projects = projects.filter(status=data["status"])
    projects = projects.order_by("-starts_on", "pk")
    page = Paginator(projects, PAGE_SIZE).get_page(request.GET.get("page"))
    page.object_list = _activity_figures(list(page.object_list))
    return render(
        request,
        "charity/project_list.html",
        {"page": page, "filters": filters, "can_manage": access.can(request.user, "charity.manage")},
    )


@login_required
@never_cache
@require_http_methods(["GET", "POST"])
def project_create(request):
    access.require(request.user, "charity.manage")
    status = 200
    if request.method == "POST":
        form = forms.ProjectCreateForm(request.POST, user=request.user)
        if form.is_valid():
            data = form.cleaned_data
            try:
                project = services.project_create(
                    actor=request.user,
                    organisation=data["organisation"],
                    name=data["name"],
                    category=data["category"],
                    region_code=data["region"],
                    budget=data["budget"],
                    starts_on=data["starts_on"],
                    ends_on=data["ends_on"],
                    description=data["description"],
                )
            except ApplicationError as exc:
                status = refuse_on_form(form, exc)
            else:
                messages.success(request, _("The project “%(name)s” is created.") % {"name": project.name})
                return redirect("charity:project-detail", pk=project.pk)
        else:
            status = 400
    else:
        form = forms.ProjectCreateForm(user=request.user)
    return render(request, "charity/project_create.html", {"form": form}, status=status)


def _project_get(request, pk):
    access.require(request.user, "charity.view")
    return get_object_or_404(selectors.projects_for(request.user), pk=pk)


def _detail(request, project, *, activity_form=None, refusal=None, status=200):
    user = request.user
    manage = may_manage(user, project.region_id)
    # The form is offered while the project runs; a refused one is shown again whatever the status.
    if manage and project.status == ProjectStatus.RUNNING and activity_form is None:
        activity_form = forms.ActivityForm()
    activities = project.activities.prefetch_related("residents").order_by("-on", "-pk")
    moves = sorted(MOVES.get(project.status, ()), key=lambda value: STATUS_ORDER[value]) if manage else []
    return render(
        request,
        "charity/project_detail.html",
        {
            "project": project,
            "spent": project.activities.aggregate(total=Coalesce(Sum("spent"), ZERO))["total"],
            "page": Paginator(activities, ACTIVITIES_PAGE_SIZE).get_page(request.GET.get("page")),
            "moves": [(value, ProjectStatus(value).label) for value in moves],
            "refusal": refusal,
            "activity_form": activity_form if manage else None,
        },
        status=status,
    )


@login_required
@never_cache
@require_GET
def project_detail(request, pk):
    return _detail(request, _project_get(request, pk))


@login_required
@never_cache
@require_POST
def project_move(request, pk):
    project = _project_get(request, pk)
    access.require(request.user, "charity.manage")
    form = forms.ProjectMoveForm(request.POST)
    if not form.is_valid():
        return _detail(request, project, refusal=_("Choose the project's new status."), status=400)
    try:
        services.project_move(actor=request.user, project=project, status=form.cleaned_data["status"])
    except ApplicationError as exc:
        if exc.status == 404:
            raise Http404 from None
        return _detail(request, project, refusal=exc.message, status=exc.status if exc.status in (403, 409) else 400)
    messages.success(
        request,
        _("The project is now “%(status)s”.") % {"status": project.get_status_display()},
    )
    return redirect("charity:project-detail", pk=project.pk)


def residents_from_lines(user, text):
    """The residents named by ID number, one per line, each of the user's area: (residents, errors), where each
    error names its line. Blank lines are skipped; a number given twice is an error."""
    residents, errors, seen = [], [], {}
    visible = registry.residents_for(user)
    for line, raw in enumerate((text or "").splitlines(), start=1):
        if not raw.strip():
            continue
        number = idnumbers.normalise(raw)
        shown = idnumbers.mask(number)
        try:
            idnumbers.parse(number)
        except idnumbers.InvalidIdNumber as problem:
            errors.append(_("Line %(line)s: %(problem)s") % {"line": line, "problem": problem})
            continue
        if number in seen:
            errors.append(
                _("Line %(line)s repeats the ID number of line %(first)s.") % {"line": line, "first": seen[number]}
            )
            continue
        seen[number] = line
        resident = visible.filter(id_number=number).first()
        if resident is None:
            errors.append(
                _("Line %(line)s: nobody with the ID number %(number)s lives in your area.")
                % {"line": line, "number": shown}
            )
            continue
        residents.append(resident)
    return residents, errors


@login_required
@never_cache
@require_POST
def activity_record(request, pk):
    project = _project_get(request, pk)
    access.require(request.user, "charity.manage")
    form = forms.ActivityForm(request.POST)
    if not form.is_valid():
        return _detail(request, project, activity_form=form, status=400)
    data = form.cleaned_data
    residents, problems = residents_from_lines(request.user, data["residents"])
    if problems:
        for problem in problems:
            form.add_error("residents", problem)
        return _detail(request, project, activity_form=form, status=400)
    try:
        # The service is atomic itself; this keeps the activity and its named beneficiaries one unit whatever
        # the service becomes.
        with transaction.atomic():
            activity = services.activity_record(
                actor=request.user,
                project=project,
                on=data["on"],
                place=data["place"],
                description=data["description"],
                beneficiaries=data["beneficiaries"],
                spent=data["spent"] if data["spent"] is not None else 0,
                residents=residents,
            )
    except ApplicationError as exc:
        if exc.status == 404:
            raise Http404 from None
        add_service_errors(form, exc)
        return _detail(request, project, activity_form=form, status=exc.status if exc.status in (403, 409) else 400)
    messages.success(
        request,
        _("Activity of %(date)s at %(place)s recorded.") % {"date": activity.on.isoformat(), "place": activity.place},
    )
    return redirect("charity:project-detail", pk=project.pk)
