"""Caseworker pages of the registry: search, register and edit households, the household file,
resident pages with history, ID reveal and moves. Thin: forms check shapes, services the rules."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from civic import access, audit, panels, selectors, services
from civic.errors import ApplicationError
from civic.forms.registry import DeathForm, HouseholdForm, MemberFormSet, MoveForm, SearchForm
from civic.models import Relationship
from civic.services.registry import MEMBER_FIELDS

PAGE_SIZE = 25


@login_required
@never_cache
def household_list(request):
    access.require(request.user, "registry.view")
    form = SearchForm(request.GET or None)
    query = form.cleaned_data["q"] if form.is_valid() else ""
    page = Paginator(selectors.household_search(request.user, query), PAGE_SIZE).get_page(request.GET.get("page"))
    page.object_list = selectors.attach_sizes(page.object_list)
    return render(
        request,
        "civic/household_list.html",
        {"form": form, "query": query, "page": page, "can_edit": access.can(request.user, "registry.edit")},
    )


def _member_data(form):
    data = {k: v for k, v in form.cleaned_data.items() if k in MEMBER_FIELDS}
    if form.cleaned_data.get("pk"):
        data["pk"] = form.cleaned_data["pk"]
    return data


def _apply_errors(exc, form, formset, forms_sent):
    """Put a service's field errors next to the fields they name; the rest above the form."""
    for key, errors in exc.fields.items():
        parts = key.split(".")
        if parts[0] == "members" and len(parts) == 3:
            target, field = forms_sent[int(parts[1])], parts[2]
        elif key == "members":
            formset._non_form_errors = formset.error_class(errors or [exc.message])
            continue
        else:
            target, field = form, key
        for error in errors or [exc.message]:
            target.add_error(field if field in target.fields else None, error)
    if not exc.fields:
        form.add_error(None, exc.message)


def _with_extra_row(post):
    data = post.copy()
    data["members-TOTAL_FORMS"] = str(int(data.get("members-TOTAL_FORMS", 0)) + 1)
    return data


def _household_form_page(request, *, household=None):
    communities = selectors.communities_for(request.user).select_related("parent")
    show_errors = True
    if request.method == "POST":
        adding_row = "add_row" in request.POST
        data = _with_extra_row(request.POST) if adding_row else request.POST
        form = HouseholdForm(data, communities=communities)
        formset = MemberFormSet(data, prefix="members")
        if adding_row:
            show_errors = False
        elif form.is_valid() and formset.is_valid():
            forms_sent = [f for f in formset.forms if f.has_changed()]
            members = [_member_data(f) for f in forms_sent]
            try:
                if household is None:
                    household = services.household_create(
                        actor=request.user,
                        region_code=form.cleaned_data["region"],
                        address=form.cleaned_data["address"],
                        is_rural=form.cleaned_data["is_rural"],
                        members=members,
                    )
                    messages.success(request, _("Household %(number)s registered.") % {"number": household.number})
                else:
                    is_rural = form.cleaned_data["is_rural"]
                    services.household_update(
                        actor=request.user,
                        household=household,
                        region_code=form.cleaned_data["region"],
                        address=form.cleaned_data["address"],
                        is_rural=household.is_rural if is_rural is None else is_rural,
                        members=members,
                    )
                    messages.success(request, _("Household %(number)s saved.") % {"number": household.number})
                return redirect("registry:household-detail", pk=household.pk)
            except ApplicationError as exc:
                _apply_errors(exc, form, formset, forms_sent)
    elif household is None:
        single = communities[0].code if len(communities) == 1 else ""
        form = HouseholdForm(initial={"region": single}, communities=communities)
        formset = MemberFormSet(prefix="members", initial=[{"relationship": Relationship.HEAD}])
    else:
        form = HouseholdForm(
            initial={
                "region": household.region_id,
                "address": household.address,
                "is_rural": str(int(household.is_rural)),
            },
            communities=communities,
        )
        initial = [{"pk": m.pk, **{f: getattr(m, f) for f in MEMBER_FIELDS}} for m in household.members.all()]
        formset = MemberFormSet(prefix="members", initial=initial)
        formset.extra = 1
    return render(
        request,
        "civic/household_form.html",
        {"form": form, "formset": formset, "household": household, "show_errors": show_errors},
    )


@login_required
@never_cache
def household_create(request):
    access.require(request.user, "registry.edit")
    return _household_form_page(request)


@login_required
@never_cache
def household_edit(request, pk):
    household = selectors.household_get(request.user, pk)
    access.require(request.user, "registry.edit")
    return _household_form_page(request, household=household)


@login_required
@never_cache
def household_detail(request, pk):
    access.require(request.user, "registry.view")
    household = selectors.household_get(request.user, pk)
    return render(
        request,
        "civic/household_detail.html",
        {
            "household": household,
            "members": household.members.all(),
            "panels": panels.household_panels(request, household),
            "history": selectors.history_for(household),
            "can_edit": access.can(request.user, "registry.edit"),
        },
    )


def _resident_page(request, resident, *, revealed=False, move_form=None, death_form=None, status=200):
    can_edit = access.can(request.user, "registry.edit")
    return render(
        request,
        "civic/resident_detail.html",
        {
            "resident": resident,
            "revealed": revealed,
            "can_reveal": access.may_reveal_id(request.user),
            "can_edit": can_edit,
            "move_form": move_form or (MoveForm() if can_edit else None),
            "death_form": death_form or (DeathForm() if can_edit and resident.died_on is None else None),
            "memberships": selectors.memberships_of(resident),
            "history": selectors.history_for(resident),
        },
        status=status,
    )


@login_required
@never_cache
def resident_detail(request, pk):
    access.require(request.user, "registry.view")
    return _resident_page(request, selectors.resident_get(request.user, pk))


@login_required
@never_cache
@require_POST
def resident_reveal_id(request, pk):
    """Show the full ID number once, and log who saw it."""
    resident = selectors.resident_get(request.user, pk)
    if not access.may_reveal_id(request.user):
        raise Http404
    audit.record_reveals(actor=request.user, residents=[resident], channel="page")
    return _resident_page(request, resident, revealed=True)


@login_required
@never_cache
@require_POST
def resident_move(request, pk):
    access.require(request.user, "registry.edit")
    resident = selectors.resident_get(request.user, pk)
    form = MoveForm(request.POST)
    if form.is_valid():
        target = selectors.household_by_number(request.user, form.cleaned_data["household_number"])
        if target is None:
            form.add_error("household_number", _("No household with this number in your area."))
        else:
            try:
                services.resident_move(
                    actor=request.user,
                    resident=resident,
                    to_household=target,
                    relationship=form.cleaned_data["relationship"],
                    reason=form.cleaned_data["reason"],
                )
            except ApplicationError as exc:
                field = next((f for f in exc.fields if f in ("relationship",)), "household_number")
                form.add_error(field, exc.message)
            else:
                messages.success(
                    request, _("%(name)s moved to household %(number)s.") % {"name": resident, "number": target.number}
                )
                return redirect("registry:resident-detail", pk=resident.pk)
    return _resident_page(request, resident, move_form=form, status=400)


@login_required
@never_cache
@require_POST
def resident_death(request, pk):
    """Record a death; the domain apps are told once it is saved (relief brings the benefit review forward)."""
    access.require(request.user, "registry.edit")
    resident = selectors.resident_get(request.user, pk)
    form = DeathForm(request.POST)
    if form.is_valid():
        try:
            services.resident_record_death(actor=request.user, resident=resident, died_on=form.cleaned_data["died_on"])
        except ApplicationError as exc:
            for error in exc.fields.get("died_on") or [exc.message]:
                form.add_error("died_on", error)
            resident.refresh_from_db()
            return _resident_page(request, resident, death_form=form, status=exc.status)
        messages.success(request, _("The death of %(name)s is recorded.") % {"name": resident})
        return redirect("registry:resident-detail", pk=resident.pk)
    return _resident_page(request, resident, death_form=form, status=400)
