"""Recording a meal at a hall (an operator at the counter, or staff) and enrolling elderly for subsidised meals.
Thin: forms check shapes, eldercare.services the rules (who may eat, what they pay, once a meal)."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods, require_POST

from civic import access, idnumbers
from civic import selectors as registry
from civic.errors import ApplicationError, add_service_errors, refuse_on_form
from eldercare import forms, services
from eldercare.models import Enrolment, MealType, Tier

from .halls import hall_get, may_record_meals, render_hall

RECENT_ENROLMENTS = 20

# Fields of the service's refusals and where the meal form shows them.
MEAL_FIELDS = {"meal_type": "meal_type", "served_at": "served_at"}


@login_required
@never_cache
@require_POST
def meal_record(request, pk):
    hall = hall_get(request, pk)
    if not may_record_meals(request.user):
        raise PermissionDenied
    menu = list(hall.menu.all())
    form = forms.MealForm(request.POST, menu=menu)
    if not form.is_valid():
        return render_hall(request, hall, meal_form=form, status=400)
    data = form.cleaned_data
    card_number = data["card_number"].strip()
    try:
        meal, created = services.meal_record(
            actor=request.user,
            hall=hall,
            meal_type=data["meal_type"],
            served_at=data["served_at"],
            card_number=card_number or None,
            id_number=None if card_number else idnumbers.normalise(data["id_number"]),
        )
    except ApplicationError as exc:
        if exc.code == "not_found":
            raise Http404 from None
        if exc.status == 403:
            raise PermissionDenied from None
        if set(exc.fields) & set(MEAL_FIELDS):
            add_service_errors(form, exc, MEAL_FIELDS)
            refusal = None
        else:
            refusal = {"code": exc.code, "message": exc.message}
        return render_hall(
            request, hall, meal_form=form, refusal=refusal, status=exc.status if exc.status == 409 else 400
        )
    details = {
        "name": meal.resident.name,
        "meal": MealType(meal.meal_type).label,
        "day": meal.served_on.isoformat(),
        "time": f"{timezone.localtime(meal.served_at):%H:%M}",
        "pays": meal.elder_paid,
    }
    if created:
        messages.success(request, _("%(meal)s recorded for %(name)s: the elder pays %(pays)s yuan.") % details)
    else:
        messages.warning(
            request,
            _(
                "%(name)s's %(meal)s of %(day)s was already recorded at %(time)s; it is not recorded twice "
                "(the elder pays %(pays)s yuan once)."
            )
            % details,
        )
    target = reverse("eldercare:hall-detail", args=[hall.pk])
    if meal.served_on != timezone.localdate():
        target += "?" + urlencode({"day": meal.served_on.isoformat()})
    return redirect(target)


# ---------------------------------------------------------------------------------------------- enrolment


def _resident_in_area(user, number):
    number = idnumbers.normalise(number)
    return registry.residents_for(user).filter(id_number=number).select_related("region", "household").first()


def _enrolments(user):
    return access.scope_queryset(
        user, Enrolment.objects.select_related("resident", "resident__region"), field="resident__region__code"
    )


def _candidate(resident, today):
    """What the page shows of the resident found: age, the tier they would get today and their enrolment."""
    tier = services.tier_for(resident, today) if resident.died_on is None else None
    return {
        "resident": resident,
        "age": resident.age_on(today),
        "tier": Tier(tier).label if tier else None,
        "enrolment": Enrolment.objects.filter(resident=resident).first(),
    }


@login_required
@never_cache
@require_http_methods(["GET", "POST"])
def enrol(request):
    access.require(request.user, "eldercare.record")
    today = timezone.localdate()
    candidate, status = None, 200
    if request.method == "POST":
        lookup = forms.EnrolLookupForm(request.POST)
        form = forms.EnrolForm(request.POST)
        if form.is_valid():
            resident = _resident_in_area(request.user, form.cleaned_data["id_number"])
            if resident is None:
                raise Http404
            try:
                enrolment = services.enrol(
                    actor=request.user, resident=resident, card_number=form.cleaned_data["card_number"]
                )
            except ApplicationError as exc:
                status = refuse_on_form(form, exc, {"resident": None})
            else:
                tier = services.tier_for(resident, today)
                messages.success(
                    request,
                    _("%(name)s is enrolled for meals with card %(card)s; today they pay as: %(tier)s.")
                    % {"name": resident.name, "card": enrolment.card_number, "tier": Tier(tier).label if tier else "—"},
                )
                return redirect("eldercare:enrol")
            candidate = _candidate(resident, today)
        else:
            status = 400
            resident = _resident_in_area(request.user, request.POST.get("id_number", ""))
            if resident is None:
                raise Http404
            candidate = _candidate(resident, today)
    else:
        lookup = forms.EnrolLookupForm(request.GET or None)
        form = None
        if lookup.is_valid():
            resident = _resident_in_area(request.user, lookup.cleaned_data["id_number"])
            if resident is None:
                lookup.add_error("id_number", _("Nobody with this ID number lives in your area."))
            else:
                candidate = _candidate(resident, today)
                if candidate["tier"]:
                    form = forms.EnrolForm(initial={"id_number": resident.id_number})
    recent = _enrolments(request.user).order_by("-enrolled_at", "-pk")[:RECENT_ENROLMENTS]
    return render(
        request,
        "eldercare/enrol.html",
        {"lookup": lookup, "form": form, "candidate": candidate, "recent": recent, "today": today},
        status=status,
    )
