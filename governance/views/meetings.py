"""Recording a council meeting (议事会议) in one form without JavaScript: date, place, minutes, the members present and
the other participants, then every accepted topic of the council with an "on the agenda" box, the vote, the outcome
and, when resolved, the resolution. governance.services.meeting_record checks it all and saves all or nothing; its
errors of the agenda (`items.<index>.<field>`) are shown next to the topic they concern. And the meeting's page."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods

from civic import access
from civic.errors import ApplicationError
from governance import forms, selectors, services
from governance.models import TopicStatus

from .councils import council_get
from .shared import refusal_status


def _agenda(council, data=None):
    """One form per topic the council has accepted, oldest first, each prefixed by its topic."""
    topics = council.topics.filter(status=TopicStatus.ACCEPTED).order_by("received_on", "pk")
    return [forms.AgendaItemForm(data, topic=topic) for topic in topics]


def _item(form):
    data = form.cleaned_data
    return services.Item(
        topic=form.topic,
        outcome=data["outcome"],
        votes_for=data["votes_for"] or 0,
        votes_against=data["votes_against"] or 0,
        votes_abstain=data["votes_abstain"] or 0,
        notes=data["notes"],
        resolution_text=data["resolution_text"],
        owner=data["owner"],
        due_on=data["due_on"],
    )


def _place_errors(exc, form, items):
    """The service's field errors next to their fields: `items.<i>.<field>` on the i-th topic sent, the rest on
    the meeting's form; a refusal without fields above the form."""
    placed = False
    for key, errors in exc.fields.items():
        target, name = form, key
        parts = key.split(".")
        if parts[0] == "items" and len(parts) == 3 and parts[1].isdigit() and int(parts[1]) < len(items):
            target, name = items[int(parts[1])], parts[2]
        elif parts[0] == "items":
            name = None
        for error in errors or [exc.message]:
            target.add_error(name if name in target.fields else None, error)
            placed = True
    if not placed:
        form.add_error(None, exc.message)


@login_required
@never_cache
@require_http_methods(["GET", "POST"])
def meeting_record(request, pk):
    council = council_get(request, pk)
    access.require(request.user, "governance.record")
    status, items = 200, []
    if request.method == "POST":
        form = forms.MeetingForm(request.POST, council=council)
        agenda = _agenda(council, request.POST)
        items = [item for item in agenda if item.ticked]
        # Every part is checked, so that all the errors show at once.
        invalid_items = [item for item in items if not item.is_valid()]
        if form.is_valid() and not invalid_items:
            data = form.cleaned_data
            try:
                meeting = services.meeting_record(
                    actor=request.user,
                    council=council,
                    held_on=data["held_on"],
                    place=data["place"],
                    minutes=data["minutes"],
                    attendees=list(data["attendees"]),
                    other_participants=data["other_participants"],
                    items=[_item(item) for item in items],
                )
            except ApplicationError as exc:
                status = refusal_status(exc)
                _place_errors(exc, form, items)
            else:
                resolved = meeting.deliberations.filter(resolution__isnull=False).count()
                messages.success(
                    request,
                    _("The meeting of %(date)s is recorded: %(items)s topics deliberated, %(resolved)s resolutions.")
                    % {"date": meeting.held_on.isoformat(), "items": len(items), "resolved": resolved},
                )
                return redirect("governance:meeting-detail", pk=meeting.pk)
        else:
            status = 400
    else:
        form = forms.MeetingForm(council=council)
        agenda = _agenda(council)
    return render(
        request,
        "governance/meeting_record.html",
        {"council": council, "form": form, "agenda": agenda, "agenda_errors": any(item.errors for item in items)},
        status=status,
    )


@login_required
@never_cache
@require_GET
def meeting_detail(request, pk):
    access.require(request.user, "governance.view")
    meeting = get_object_or_404(selectors.meetings_for(request.user).select_related("council__region"), pk=pk)
    attendees = list(meeting.attendees.order_by("role", "name"))
    return render(
        request,
        "governance/meeting_detail.html",
        {
            "meeting": meeting,
            "attendees": attendees,
            "participants": len(attendees) + meeting.other_participants,
            "deliberations": meeting.deliberations.select_related("topic", "resolution").order_by("pk"),
        },
    )
