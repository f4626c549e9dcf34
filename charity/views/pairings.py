"""结对帮扶: the pairings of the user's area with their filters, pairing an organisation or a donor with a street or
a household, the pairing with its activities, ending it and recording what it did. Thin: charity.services.pairings
checks the rules (one active pairing of a helper with the same street or household, dates)."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.db.models import Count
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from charity import selectors, services
from charity.forms import records as forms
from charity.models import PairingStatus
from civic import access
from civic import selectors as registry
from civic.errors import ApplicationError, add_service_errors
from civic.models import Region, RegionLevel

from .organisations import may_manage

PAGE_SIZE = 25
ACTIVITIES_PAGE_SIZE = 50


def _status(exc):
    if exc.status == 404:
        raise Http404
    return exc.status if exc.status in (403, 409) else 400


@login_required
@never_cache
@require_GET
def pairing_list(request):
    access.require(request.user, "charity.view")
    filters = forms.PairingFilterForm(request.GET or None)
    pairings = selectors.pairings_for(request.user).annotate(activity_count=Count("activities"))
    if filters.is_valid():
        if filters.cleaned_data["target"]:
            pairings = pairings.filter(target=filters.cleaned_data["target"])
        if filters.cleaned_data["status"]:
            pairings = pairings.filter(status=filters.cleaned_data["status"])
    pairings = pairings.order_by("-started_on", "pk")
    return render(
        request,
        "charity/pairing_list.html",
        {
            "page": Paginator(pairings, PAGE_SIZE).get_page(request.GET.get("page")),
            "filters": filters,
            "can_manage": access.can(request.user, "charity.manage"),
        },
    )


@login_required
@never_cache
@require_http_methods(["GET", "POST"])
def pairing_create(request):
    access.require(request.user, "charity.manage")
    status = 200
    if request.method == "POST":
        form = forms.PairingCreateForm(request.POST, user=request.user)
        status = 400
        if form.is_valid():
            data = form.cleaned_data
            street = household = None
            if data["street"]:
                street = access.scope_queryset(
                    request.user, Region.objects.filter(level=RegionLevel.STREET), field="code"
                ).get(code=data["street"])  # one of the form's choices, so it exists
            if data["household_number"].strip():
                household = registry.household_by_number(request.user, data["household_number"])
                if household is None:
                    form.add_error("household_number", _("No household with this number in your area."))
            if form.is_valid():
                try:
                    pairing = services.pairing_create(
                        actor=request.user,
                        organisation=data["organisation"],
                        donor_name=data["donor_name"],
                        street=street,
                        household=household,
                        started_on=data["started_on"],
                        ends_on=data["ends_on"],
                        commitment=data["commitment"],
                    )
                except ApplicationError as exc:
                    status = _status(exc)
                    add_service_errors(form, exc, {"target": "street"})
                else:
                    messages.success(request, _("The pairing is recorded."))
                    return redirect("charity:pairing-detail", pk=pairing.pk)
    else:
        form = forms.PairingCreateForm(user=request.user)
    return render(request, "charity/pairing_create.html", {"form": form}, status=status)


def _pairing_get(request, pk):
    access.require(request.user, "charity.view")
    return get_object_or_404(selectors.pairings_for(request.user), pk=pk)


def _detail(request, pairing, *, end_form=None, activity_form=None, status=200):
    manage = may_manage(request.user, pairing.region_id)
    active = pairing.status == PairingStatus.ACTIVE
    if manage and active:
        end_form = end_form or forms.PairingEndForm()
        activity_form = activity_form or forms.PairingActivityForm(pairing=pairing)
    activities = pairing.activities.select_related("household__head").order_by("-on", "-pk")
    return render(
        request,
        "charity/pairing_detail.html",
        {
            "pairing": pairing,
            "page": Paginator(activities, ACTIVITIES_PAGE_SIZE).get_page(request.GET.get("page")),
            "end_form": end_form if manage else None,
            "activity_form": activity_form if manage else None,
        },
        status=status,
    )


@login_required
@never_cache
@require_GET
def pairing_detail(request, pk):
    return _detail(request, _pairing_get(request, pk))


@login_required
@never_cache
@require_POST
def pairing_end(request, pk):
    pairing = _pairing_get(request, pk)
    access.require(request.user, "charity.manage")
    form = forms.PairingEndForm(request.POST)
    if not form.is_valid():
        return _detail(request, pairing, end_form=form, status=400)
    try:
        services.pairing_end(actor=request.user, pairing=pairing, on=form.cleaned_data["ends_on"])
    except ApplicationError as exc:
        status = _status(exc)
        add_service_errors(form, exc)
        return _detail(request, pairing, end_form=form, status=status)
    messages.success(request, _("The pairing has ended."))
    return redirect("charity:pairing-detail", pk=pairing.pk)


@login_required
@never_cache
@require_POST
def pairing_activity_record(request, pk):
    pairing = _pairing_get(request, pk)
    access.require(request.user, "charity.manage")
    form = forms.PairingActivityForm(request.POST, pairing=pairing)
    if not form.is_valid():
        return _detail(request, pairing, activity_form=form, status=400)
    data = form.cleaned_data
    household = None
    if data.get("household_number", "").strip():
        household = registry.household_by_number(request.user, data["household_number"])
        if household is None or not household.region_id.startswith(pairing.region.prefix):
            form.add_error("household_number", _("No household with this number in the paired street."))
            return _detail(request, pairing, activity_form=form, status=400)
    try:
        services.pairing_activity_record(
            actor=request.user,
            pairing=pairing,
            on=data["on"],
            description=data["description"],
            beneficiaries=data["beneficiaries"],
            value=data["value"] if data["value"] is not None else 0,
            household=household,
        )
    except ApplicationError as exc:
        status = _status(exc)
        add_service_errors(form, exc)
        return _detail(request, pairing, activity_form=form, status=status)
    messages.success(request, _("The activity is recorded."))
    return redirect("charity:pairing-detail", pk=pairing.pk)
