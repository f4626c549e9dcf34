"""People watched: the list with its filters and search, watching a further person by hand (after a hotline call,
a visit) and ending such a watch. People covered by a benefit are watched by the nightly run; the services decide."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db.models import Q
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods

from civic import access, idnumbers
from civic.errors import ApplicationError, refuse_on_form
from civic.models import Resident

from .. import forms, selectors
from ..models import WatchStatus
from ..services import people as services
from .shared import may_work, page_of


def _search(people, q):
    """A full ID number finds that person only; anything else is part of a name."""
    number = idnumbers.normalise(q)
    try:
        idnumbers.parse(number)
    except idnumbers.InvalidIdNumber:
        return people.filter(resident__name__icontains=q)
    return people.filter(resident__id_number=number)


@login_required
@never_cache
@require_GET
def person_list(request):
    access.require(request.user, "monitoring.view")
    filters = forms.PersonFilterForm(request.GET or None, user=request.user)
    people = selectors.people_for(request.user).select_related("household__head")
    if filters.is_valid():
        data = filters.cleaned_data
        q = data["q"].strip()
        if q:
            people = _search(people, q)
        for field in ("category", "status"):
            if data[field]:
                people = people.filter(**{field: data[field]})
        if data["community"]:
            people = people.filter(region=data["community"])
    else:
        people = people.filter(~Q(status=WatchStatus.ENDED))
    page = page_of(request, people.order_by("region_id", "resident__name", "pk"))
    return render(
        request,
        "monitoring/person_list.html",
        {"page": page, "filters": filters, "can_work": may_work(request.user)},
    )


@login_required
@never_cache
@require_http_methods(["GET", "POST"])
def person_add(request):
    access.require(request.user, "monitoring.work")
    status = 200
    if request.method == "POST":
        form = forms.PersonAddForm(request.POST)
        if form.is_valid():
            number = idnumbers.normalise(form.cleaned_data["id_number"])
            resident = access.scope_queryset(request.user, Resident.objects.all()).filter(id_number=number).first()
            if resident is None:
                form.add_error("id_number", _("No resident of your area has this ID number."))
                status = 400
            else:
                try:
                    person = services.person_add(
                        actor=request.user, resident=resident, reason=form.cleaned_data["reason"]
                    )
                except ApplicationError as exc:
                    status = refuse_on_form(form, exc, {"resident": "id_number"})
                else:
                    messages.success(request, _("%(name)s is watched from now on.") % {"name": person.resident.name})
                    return redirect("monitoring:person-list")
        else:
            status = 400
    else:
        form = forms.PersonAddForm()
    return render(request, "monitoring/person_add.html", {"form": form}, status=status)


@login_required
@never_cache
@require_http_methods(["GET", "POST"])
def person_end(request, pk):
    access.require(request.user, "monitoring.work")
    person = access.get_in_scope_or_404(request.user, selectors.people_for(request.user), pk=pk)
    status = 200
    if request.method == "POST":
        form = forms.PersonEndForm(request.POST)
        if form.is_valid():
            try:
                services.person_end(actor=request.user, person=person, reason=form.cleaned_data["reason"])
            except ApplicationError as exc:
                status = refuse_on_form(form, exc)
            else:
                messages.success(request, _("%(name)s is no longer watched by hand.") % {"name": person.resident.name})
                return redirect("monitoring:person-list")
        else:
            status = 400
    else:
        form = forms.PersonEndForm()
    return render(request, "monitoring/person_end.html", {"form": form, "person": person}, status=status)
