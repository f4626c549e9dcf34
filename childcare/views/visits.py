"""Director visits on the child's case file: the visits made, the next one due and the form that records one,
and the caseload's children whose visit is overdue. Thin: forms check shapes, childcare.services the rules (the
next visit falls due the profile's interval after the latest), childcare.rules who may open a case file."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.db.models import Max
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods

from childcare import forms, selectors, services
from civic.errors import ApplicationError, add_service_errors

from . import CASE_CAPABILITIES, profiles, require_any

PAGE_SIZE = 25
VISITS_SHOWN = 50


def section(user, profile, bound):
    """The visits section of the case file: the latest visits, the next due and the form to record one."""
    today = timezone.localdate()
    due = profile.next_visit_due
    return {
        "visits": list(profile.visits.select_related("visitor").order_by("-visited_on", "-pk")[:VISITS_SHOWN]),
        "visit_late": profile.closed_on is None and due is not None and due < today,
        "visit_form": (bound.get("visit") or forms.ChildVisitForm()) if profile.closed_on is None else None,
    }


@login_required
@never_cache
@require_http_methods(["GET", "POST"])
def visit_record(request, pk):
    profile = profiles.profile_open(request, pk)
    if request.method == "GET":  # e.g. back from signing in again: the form is on the case file
        return redirect(reverse("childcare:profile-detail", args=[profile.pk]) + "#visits")
    form = forms.ChildVisitForm(request.POST)
    if not form.is_valid():
        return profiles.render_profile(request, profile, bound={"visit": form}, status=400)
    try:
        services.visit_record(
            actor=request.user,
            profile=profile,
            visited_on=form.cleaned_data["visited_on"],
            findings=form.cleaned_data["findings"],
        )
    except ApplicationError as exc:
        if exc.status == 404:
            raise Http404 from None
        add_service_errors(form, exc)
        return profiles.render_profile(request, profile, bound={"visit": form}, status=400)
    profile.refresh_from_db(fields=["next_visit_due"])
    messages.success(
        request,
        _("Visit recorded; the next one is due by %(date)s.") % {"date": profile.next_visit_due.isoformat()},
    )
    return redirect(reverse("childcare:profile-detail", args=[profile.pk]) + "#visits")


@login_required
@never_cache
@require_GET
def visits_overdue(request):
    """The caseload's children whose director visit is past due, the longest overdue first."""
    require_any(request.user, CASE_CAPABILITIES)
    today = timezone.localdate()
    children = selectors.visits_overdue(request.user, today).annotate(last_visit=Max("visits__visited_on"))
    page = Paginator(children, PAGE_SIZE).get_page(request.GET.get("page"))
    page.object_list = profiles.label_categories(list(page.object_list))
    for profile in page.object_list:
        profile.days_late = (today - profile.next_visit_due).days
    return render(request, "childcare/visit_overdue.html", {"page": page, "today": today})
