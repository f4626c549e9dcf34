"""Partner records no resident matched by ID number, waiting in the sender's area: a reviewer matches one to the
resident it meant (an old or mistyped number) or sets it aside with a reason (it concerns nobody here)."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_POST

from civic import access, idnumbers
from civic.errors import ApplicationError, refuse_on_form

from .. import forms, selectors
from ..feeds import FEEDS
from ..models import MatchStatus
from ..services import ingest
from .shared import may_work, page_of


def _unmatched(user):
    """selectors.unmatched_for, scoped through the region's code (its `region_id__startswith` is refused by
    Django on a foreign key)."""
    return (
        selectors.records_for(user)
        .filter(match=MatchStatus.UNMATCHED)
        .select_related("sender")
        .order_by("-received_at", "-pk")
    )


def _render(request, *, bound=None, status=200):
    """The list; `bound` is (record pk, match form or None, set-aside form or None) sent back with errors."""
    worker = may_work(request.user)
    page = page_of(request, _unmatched(request.user))
    for record in page.object_list:
        feed = FEEDS.get(record.feed)
        record.event_label = feed.events.get(record.event, record.event) if feed else record.event
        record.id_number_masked = idnumbers.mask(record.id_number)
        if worker:
            match_form = set_aside_form = None
            if bound and bound[0] == record.pk:
                match_form, set_aside_form = bound[1], bound[2]
            record.match_form = match_form or forms.RecordMatchForm(prefix=f"m{record.pk}")
            record.set_aside_form = set_aside_form or forms.RecordSetAsideForm(prefix=f"s{record.pk}")
    return render(request, "monitoring/unmatched_list.html", {"page": page, "can_work": worker}, status=status)


@login_required
@never_cache
@require_GET
def unmatched_list(request):
    access.require(request.user, "monitoring.view")
    return _render(request)


def record_get(request, pk):
    access.require(request.user, "monitoring.work")
    return access.get_in_scope_or_404(request.user, _unmatched(request.user), pk=pk)


@login_required
@never_cache
@require_POST
def record_match(request, pk):
    record = record_get(request, pk)
    form = forms.RecordMatchForm(request.POST, prefix=f"m{record.pk}")
    if not form.is_valid():
        return _render(request, bound=(record.pk, form, None), status=400)
    try:
        record = ingest.record_match(actor=request.user, record=record, id_number=form.cleaned_data["id_number"])
    except ApplicationError as exc:
        status = refuse_on_form(form, exc)
        return _render(request, bound=(record.pk, form, None), status=status)
    messages.success(
        request,
        _("The record %(reference)s is matched; the nightly run will apply the rules to it.")
        % {"reference": record.reference},
    )
    return redirect("monitoring:unmatched-list")


@login_required
@never_cache
@require_POST
def record_set_aside(request, pk):
    record = record_get(request, pk)
    form = forms.RecordSetAsideForm(request.POST, prefix=f"s{record.pk}")
    if not form.is_valid():
        return _render(request, bound=(record.pk, None, form), status=400)
    try:
        record = ingest.record_set_aside(actor=request.user, record=record, reason=form.cleaned_data["reason"])
    except ApplicationError as exc:
        status = refuse_on_form(form, exc)
        return _render(request, bound=(record.pk, None, form), status=status)
    messages.success(request, _("The record %(reference)s is set aside.") % {"reference": record.reference})
    return redirect("monitoring:unmatched-list")
