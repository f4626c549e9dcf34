"""Topics (议题): the list with its filters, receiving one, and the topic with its accept and decline buttons, the
meetings that deliberated it, its resolution and the micro-projects (民生微实事) it funds. Thin:
governance.services decides which step is open."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from civic import access
from civic.errors import ApplicationError, add_service_errors
from governance import forms, selectors, services
from governance.models import Resolution, TopicStatus

from .shared import may_record, page_of, refusal_status

NO_PROJECTS = {TopicStatus.DECLINED, TopicStatus.NOT_RESOLVED}


@login_required
@never_cache
@require_GET
def topic_list(request):
    access.require(request.user, "governance.view")
    filters = forms.TopicFilterForm(request.GET or None, user=request.user)
    topics = selectors.topics_for(request.user)
    if filters.is_valid():
        data = filters.cleaned_data
        if data["q"].strip():
            topics = topics.filter(title__icontains=data["q"].strip())
        for field in ("status", "source", "category", "council"):
            if data[field]:
                topics = topics.filter(**{field: data[field]})
    return render(
        request,
        "governance/topic_list.html",
        {"page": page_of(request, topics), "filters": filters, "can_record": may_record(request.user)},
    )


@login_required
@never_cache
@require_http_methods(["GET", "POST"])
def topic_create(request):
    access.require(request.user, "governance.record")
    status = 200
    if request.method == "POST":
        form = forms.TopicCreateForm(request.POST, user=request.user)
        if form.is_valid():
            data = form.cleaned_data
            try:
                topic, created = services.topic_create(
                    actor=request.user,
                    council=data["council"],
                    title=data["title"],
                    description=data["description"],
                    source=data["source"],
                    category=data["category"],
                    proposer=data["proposer"],
                    received_on=data["received_on"],
                    external_ref=data["external_ref"],
                )
            except ApplicationError as exc:
                status = refusal_status(exc)
                add_service_errors(form, exc)
            else:
                if created:
                    messages.success(request, _("The topic “%(title)s” is received.") % {"title": topic.title})
                else:
                    messages.warning(
                        request,
                        _("This hotline reference was received already: here is its topic, “%(title)s”.")
                        % {"title": topic.title},
                    )
                return redirect("governance:topic-detail", pk=topic.pk)
        else:
            status = 400
    else:
        initial = {}
        council = request.GET.get("council", "")
        if council.isdigit():
            initial["council"] = council
        form = forms.TopicCreateForm(user=request.user, initial=initial)
    return render(request, "governance/topic_create.html", {"form": form}, status=status)


def topic_get(request, pk):
    access.require(request.user, "governance.view")
    return get_object_or_404(selectors.topics_for(request.user), pk=pk)


def _detail(request, topic, *, decline_form=None, project_form=None, refusal=None, status=200):
    recorder = may_record(request.user)
    proposed = topic.status == TopicStatus.PROPOSED
    resolution = Resolution.objects.filter(topic=topic).first()
    return render(
        request,
        "governance/topic_detail.html",
        {
            "topic": topic,
            "deliberations": topic.deliberations.select_related("meeting").order_by("meeting__held_on", "pk"),
            "resolution": resolution,
            "projects": topic.micro_projects.all(),
            "can_decide": recorder and proposed,
            "decline_form": (decline_form or forms.DeclineForm()) if recorder and proposed else None,
            "project_form": (
                (project_form or forms.MicroProjectCreateForm())
                if recorder and (project_form is not None or topic.status not in NO_PROJECTS)
                else None
            ),
            "refusal": refusal,
        },
        status=status,
    )


@login_required
@never_cache
@require_GET
def topic_detail(request, pk):
    return _detail(request, topic_get(request, pk))


@login_required
@never_cache
@require_POST
def topic_accept(request, pk):
    topic = topic_get(request, pk)
    access.require(request.user, "governance.record")
    try:
        topic = services.topic_accept(actor=request.user, topic=topic)
    except ApplicationError as exc:
        status = refusal_status(exc)
        topic.refresh_from_db()
        return _detail(request, topic, refusal=exc.message, status=status)
    messages.success(request, _("The topic is accepted: it goes on a meeting's agenda."))
    return redirect("governance:topic-detail", pk=topic.pk)


@login_required
@never_cache
@require_POST
def topic_decline(request, pk):
    topic = topic_get(request, pk)
    access.require(request.user, "governance.record")
    form = forms.DeclineForm(request.POST)
    if not form.is_valid():
        return _detail(request, topic, decline_form=form, status=400)
    try:
        services.topic_decline(actor=request.user, topic=topic, reason=form.cleaned_data["reason"])
    except ApplicationError as exc:
        status = refusal_status(exc)
        if exc.status == 409:
            topic.refresh_from_db()
            return _detail(request, topic, refusal=exc.message, status=status)
        add_service_errors(form, exc)
        return _detail(request, topic, decline_form=form, status=status)
    messages.success(request, _("The topic is declined; the reason is on record."))
    return redirect("governance:topic-detail", pk=topic.pk)


@login_required
@never_cache
@require_POST
def micro_project_create(request, pk):
    topic = topic_get(request, pk)
    access.require(request.user, "governance.record")
    form = forms.MicroProjectCreateForm(request.POST)
    if not form.is_valid():
        return _detail(request, topic, project_form=form, status=400)
    try:
        project = services.micro_project_create(
            actor=request.user, topic=topic, name=form.cleaned_data["name"], budget=form.cleaned_data["budget"]
        )
    except ApplicationError as exc:
        status = refusal_status(exc)
        add_service_errors(form, exc)
        return _detail(request, topic, project_form=form, status=status)
    messages.success(request, _("The micro-project “%(name)s” is set up.") % {"name": project.name})
    return redirect("governance:micro-project-detail", pk=project.pk)
