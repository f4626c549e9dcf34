"""Meal-hall pages: the halls of the user's area (an operator: their own) with today's meals, and the hall with
its menu, what the elderly pay there, a day's meals, the form that records a meal and its settlements. Thin:
eldercare.selectors reads, eldercare.services decides."""

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from civic import access
from civic.errors import ApplicationError
from civic.models import Job
from civic.months import add_months
from eldercare import forms, selectors, services
from eldercare.models import Meal, MealType, Tier

PAGE_SIZE = 25
MEALS_PAGE_SIZE = 50
SETTLEMENTS_SHOWN = 12
MEAL_ORDER = {value: i for i, value in enumerate(MealType.values)}


def require_halls(user):
    """Staff following meal halls and the operators of a hall; anyone else is refused (403)."""
    if not (access.can(user, "eldercare.view") or access.can(user, "meals.operate")):
        raise PermissionDenied


def may_record_meals(user):
    return access.can(user, "meals.operate") or access.can(user, "eldercare.record")


def may_start_settlement(user):
    return access.can(user, "eldercare.view") and (
        access.can(user, "eldercare.settle") or access.can(user, "eldercare.manage")
    )


def hall_get(request, pk):
    """A hall the user may see: an operator's own, a member of staff's in their area; otherwise 404."""
    require_halls(request.user)
    hall = selectors.halls_for(request.user).filter(pk=pk).first()
    if hall is None:
        raise Http404
    return hall


def count_row(counts):
    """{meal type: n} as the three meals in order and their total."""
    row = [counts.get(value, 0) for value in MealType.values]
    return {"meals": row, "total": sum(row)}


@login_required
@never_cache
@require_GET
def hall_list(request):
    require_halls(request.user)
    today = timezone.localdate()
    halls = selectors.halls_for(request.user).order_by("region_id", "name")
    page = Paginator(halls, PAGE_SIZE).get_page(request.GET.get("page"))
    page.object_list = list(page.object_list)
    counts = selectors.daily_counts([hall.pk for hall in page.object_list], today)
    for hall in page.object_list:
        hall.today = count_row(counts.get(hall.pk, {}))
    return render(
        request,
        "eldercare/hall_list.html",
        {
            "page": page,
            "today": today,
            "meal_types": MealType.choices,
            "can_enrol": access.can(request.user, "eldercare.record"),
            "is_operator": access.can(request.user, "meals.operate"),
        },
    )


def _menu(hall):
    return sorted(hall.menu.all(), key=lambda item: MEAL_ORDER.get(item.meal_type, 9))


def price_table(hall, menu, today):
    """What an elder of the hall's own street pays for each meal under the policy in force, by tier, and what
    the subsidy adds."""
    policy = selectors.meal_policy_in_force(hall.region_id, today)
    if policy is None:
        return None, []
    rows = []
    for tier, label in Tier.choices:
        cells = []
        for item in menu:
            try:
                elder, city, district, street = services.shares(
                    policy, tier, item.price, hall_region=hall.region_id, home_region=hall.region_id
                )
            except ApplicationError:
                cells.append(None)
            else:
                cells.append({"elder": elder, "subsidy": city + district + street})
        rows.append({"tier": label, "cells": cells})
    return policy, rows


def settlement_rows(user, settlements):
    """The settlements with their latest computation job and whether this user may approve each now (whoever
    started a computation of it may not: four eyes)."""
    settlements = list(settlements)
    keys = {f"eldercare.settle:{s.pk}": s for s in settlements}
    latest, starters = {}, {}
    for job in Job.objects.filter(key__in=list(keys)).order_by("-created_at", "-pk"):
        latest.setdefault(job.key, job)
        starters.setdefault(job.key, set()).add(job.created_by_id)
    settle = access.can(user, "eldercare.settle")
    for key, s in keys.items():
        s.job = latest.get(key)
        s.computing = s.job is not None and s.job.active
        s.started_by_me = user.pk in starters.get(key, set())
        s.may_approve = (
            settle and s.state == "draft" and s.computed_at is not None and not s.computing and not s.started_by_me
        )
    return settlements


def hall_settlements(user, hall):
    if not (access.can(user, "eldercare.view") or access.can(user, "meals.operate")):
        return []
    rows = selectors.settlements_for(user).filter(hall=hall).order_by("-period_start")[:SETTLEMENTS_SHOWN]
    return settlement_rows(user, rows)


def last_month(today):
    return add_months(today.replace(day=1), -1)


def hall_context(request, hall, *, meal_form=None, refusal=None, settle_form=None):
    today = timezone.localdate()
    menu = _menu(hall)
    days = forms.DayForm(request.GET or None)
    day = today
    if days.is_valid() and days.cleaned_data["day"]:
        day = days.cleaned_data["day"]
    today_counts = count_row(selectors.daily_counts([hall.pk], today).get(hall.pk, {}))
    day_counts = today_counts
    if day != today:
        day_counts = count_row(selectors.daily_counts([hall.pk], day).get(hall.pk, {}))
    meals = Meal.objects.filter(hall=hall, served_on=day).select_related("resident").order_by("-served_at", "-pk")
    page = Paginator(meals, MEALS_PAGE_SIZE).get_page(request.GET.get("page"))
    page.object_list = list(page.object_list)
    for meal in page.object_list:
        meal.subsidy = meal.city_share + meal.district_share + meal.street_share
    policy, prices = price_table(hall, menu, today)
    may_record = may_record_meals(request.user)
    if may_record and meal_form is None:
        now = timezone.localtime()
        served = [item.meal_type for item in menu]
        meal_type = forms.meal_type_by_clock(now)
        if served and meal_type not in served:
            meal_type = served[0]
        meal_form = forms.MealForm(
            menu=menu, initial={"served_at": now.replace(second=0, microsecond=0), "meal_type": meal_type}
        )
    may_settle = may_start_settlement(request.user)
    if may_settle and settle_form is None:
        settle_form = forms.SettleForm(initial={"month": f"{last_month(today):%Y-%m}"})
    settlements = hall_settlements(request.user, hall)
    return {
        "hall": hall,
        "menu": menu,
        "policy": policy,
        "prices": prices,
        "today": today,
        "day": day,
        "days": days,
        "meal_types": MealType.choices,
        "today_counts": today_counts,
        "day_counts": day_counts,
        "page": page,
        "meal_form": meal_form if may_record else None,
        "refusal": refusal,
        "settle_form": settle_form if may_settle else None,
        "settlements": settlements,
        "polling": any(s.computing for s in settlements),
        "has_more_settlements": len(settlements) >= SETTLEMENTS_SHOWN,
    }


def render_hall(request, hall, *, status=200, **bound):
    return render(request, "eldercare/hall_detail.html", hall_context(request, hall, **bound), status=status)


@login_required
@never_cache
@require_GET
def hall_detail(request, pk):
    return render_hall(request, hall_get(request, pk))


@login_required
@never_cache
@require_GET
def hall_settlements_fragment(request, pk):
    """The hall's settlements (htmx polls it while one is being computed)."""
    hall = hall_get(request, pk)
    settlements = hall_settlements(request.user, hall)
    settle_form = None
    if may_start_settlement(request.user):
        settle_form = forms.SettleForm(initial={"month": f"{last_month(timezone.localdate()):%Y-%m}"})
    return render(
        request,
        "eldercare/_hall_settlements.html",
        {
            "hall": hall,
            "settlements": settlements,
            "polling": any(s.computing for s in settlements),
            "settle_form": settle_form,
        },
    )
