"""Councils (议事会): the list with members, open topics and execution rate; setting one up; the council with its
members (joining and leaving), topics, meetings, resolutions and micro-projects. Thin: governance.services decides."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db.models import Count, Q
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from civic import access
from civic.errors import ApplicationError, add_service_errors
from governance import forms, selectors, services
from governance.models import MicroProject, TopicStatus

from .shared import may_record, page_of, percent, refusal_status

OPEN_TOPICS = [TopicStatus.PROPOSED, TopicStatus.ACCEPTED]
SHOWN = 50  # topics, meetings, resolutions and projects on the council's page: the latest, with links to the lists


@login_required
@never_cache
@require_GET
def council_list(request):
    access.require(request.user, "governance.view")
    filters = forms.CouncilFilterForm(request.GET or None)
    councils = selectors.councils_for(request.user).annotate(
        member_count=Count("members", filter=Q(members__left_on__isnull=True), distinct=True),
        open_topics=Count("topics", filter=Q(topics__status__in=OPEN_TOPICS), distinct=True),
    )
    if filters.is_valid():
        if filters.cleaned_data["q"].strip():
            councils = councils.filter(name__icontains=filters.cleaned_data["q"].strip())
        if filters.cleaned_data["level"]:
            councils = councils.filter(level=filters.cleaned_data["level"])
    page = page_of(request, councils.order_by("region_id", "level", "name"))
    rates = selectors.execution_rates_by_council(list(page.object_list), timezone.localdate())
    for council in page.object_list:
        implemented, due, rate = rates.get(council.pk, (0, 0, None))
        council.implemented, council.due, council.rate = implemented, due, percent(rate)
    return render(
        request,
        "governance/council_list.html",
        {"page": page, "filters": filters, "can_record": may_record(request.user)},
    )


@login_required
@never_cache
@require_http_methods(["GET", "POST"])
def council_create(request):
    access.require(request.user, "governance.record")
    status = 200
    if request.method == "POST":
        form = forms.CouncilCreateForm(request.POST, user=request.user)
        if form.is_valid():
            data = form.cleaned_data
            try:
                council = services.council_create(
                    actor=request.user,
                    region_code=data["region"],
                    level=data["level"],
                    name=data["name"],
                    place=data["place"],
                    established_on=data["established_on"],
                )
            except ApplicationError as exc:
                status = refusal_status(exc)
                add_service_errors(form, exc)
            else:
                messages.success(request, _("The council “%(name)s” is set up.") % {"name": council.name})
                return redirect("governance:council-detail", pk=council.pk)
        else:
            status = 400
    else:
        form = forms.CouncilCreateForm(user=request.user)
    return render(request, "governance/council_create.html", {"form": form}, status=status)


def council_get(request, pk):
    access.require(request.user, "governance.view")
    return get_object_or_404(selectors.councils_for(request.user).select_related("region__parent"), pk=pk)


def _detail(request, council, *, member_form=None, leave_errors=None, status=200):
    recorder = may_record(request.user)
    members = list(council.members.all())
    for member in members:
        member.leave_errors = (leave_errors or {}).get(member.pk)
    implemented, due, rate = selectors.execution_rate(council.resolutions.all())
    projects = MicroProject.objects.filter(topic__council=council).select_related("topic")
    return render(
        request,
        "governance/council_detail.html",
        {
            "council": council,
            "members": [m for m in members if m.left_on is None],
            "former_members": [m for m in members if m.left_on is not None],
            "topics": council.topics.all()[:SHOWN],
            "meetings": council.meetings.annotate(items=Count("deliberations"))[:SHOWN],
            "resolutions": council.resolutions.select_related("topic")[:SHOWN],
            "projects": projects[:SHOWN],
            "rate": {"implemented": implemented, "due": due, "percent": percent(rate)},
            "member_form": (member_form or forms.MemberForm()) if recorder else None,
            "leave_form": forms.MemberLeaveForm() if recorder else None,
            "can_record": recorder,
            "accepted": council.topics.filter(status=TopicStatus.ACCEPTED).count(),
            "today": timezone.localdate(),
        },
        status=status,
    )


@login_required
@never_cache
@require_GET
def council_detail(request, pk):
    return _detail(request, council_get(request, pk))


@login_required
@never_cache
@require_POST
def member_add(request, pk):
    council = council_get(request, pk)
    access.require(request.user, "governance.record")
    form = forms.MemberForm(request.POST)
    if not form.is_valid():
        return _detail(request, council, member_form=form, status=400)
    data = form.cleaned_data
    try:
        member = services.member_add(
            actor=request.user,
            council=council,
            name=data["name"],
            kind=data["kind"],
            role=data["role"],
            phone=data["phone"],
            joined_on=data["joined_on"],
        )
    except ApplicationError as exc:
        status = refusal_status(exc)
        add_service_errors(form, exc)
        return _detail(request, council, member_form=form, status=status)
    messages.success(request, _("%(name)s is a member of the council.") % {"name": member.name})
    return redirect("governance:council-detail", pk=council.pk)


@login_required
@never_cache
@require_POST
def member_leave(request, pk, member_pk):
    council = council_get(request, pk)
    access.require(request.user, "governance.record")
    member = get_object_or_404(council.members.select_related("council"), pk=member_pk)
    form = forms.MemberLeaveForm(request.POST)
    if not form.is_valid():
        return _detail(request, council, leave_errors={member.pk: form.errors["left_on"]}, status=400)
    try:
        services.member_leave(actor=request.user, member=member, on=form.cleaned_data["left_on"])
    except ApplicationError as exc:
        status = refusal_status(exc)
        errors = [e for field_errors in exc.fields.values() for e in field_errors] or [exc.message]
        return _detail(request, council, leave_errors={member.pk: errors}, status=status)
    messages.success(request, _("%(name)s has left the council.") % {"name": member.name})
    return redirect("governance:council-detail", pk=council.pk)
