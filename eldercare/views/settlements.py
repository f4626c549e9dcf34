"""Meal-hall settlements: settling a hall's finished period (a job), the settlements of the user's area, the
printable statement with the street's approval (four eyes: whoever started the computation does not approve),
and the statement's meals as CSV. Thin: eldercare.services.settlement_start/approve hold the rules."""

import csv
from datetime import date
from decimal import Decimal

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db.models import Count, Sum
from django.http import Http404, StreamingHttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone, translation
from django.utils.http import content_disposition_header
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_POST

from civic import access, idnumbers
from civic.errors import ApplicationError, add_service_errors
from civic.models import JobState
from civic.table_export import Echo, csv_safe
from eldercare import forms, selectors, services
from eldercare.models import MealType, SettlementState, Tier

from .halls import hall_get, may_start_settlement, render_hall, require_halls, settlement_rows

PAGE_SIZE = 25
CSV_ROWS_PER_CHUNK = 500
CENT = Decimal("0.01")


def yuan(value):
    """A sum of money as yuan and fen (SQLite hands sums back without their decimal places)."""
    return Decimal(value or 0).quantize(CENT)


def _period(settlement):
    return _("%(start)s to %(end)s") % {
        "start": settlement.period_start.isoformat(),
        "end": settlement.period_end.isoformat(),
    }


@login_required
@never_cache
@require_POST
def settlement_start(request, pk):
    hall = hall_get(request, pk)
    if not may_start_settlement(request.user):
        raise PermissionDenied
    form = forms.SettleForm(request.POST)
    if not form.is_valid():
        return render_hall(request, hall, settle_form=form, status=400)
    year, month = (int(part) for part in form.cleaned_data["month"].split("-"))
    try:
        settlement, job = services.settlement_start(actor=request.user, hall=hall, day=date(year, month, 1))
    except ApplicationError as exc:
        if exc.status == 404:
            raise Http404 from None
        if exc.status == 403:
            raise PermissionDenied from None
        add_service_errors(form, exc, {"period": "month"})
        return render_hall(request, hall, settle_form=form, status=exc.status if exc.status == 409 else 400)
    job.refresh_from_db()
    settlement.refresh_from_db()
    if job.state == JobState.DONE:
        messages.success(
            request,
            _("The settlement of %(period)s is computed: %(meals)s meals, %(subsidy)s yuan of subsidy owed.")
            % {"period": _period(settlement), "meals": settlement.meal_count, "subsidy": settlement.subsidy},
        )
    else:
        messages.success(
            request,
            _("The settlement of %(period)s is being computed; its figures appear below when it is done.")
            % {"period": _period(settlement)},
        )
    return redirect("eldercare:hall-detail", pk=hall.pk)


@login_required
@never_cache
@require_GET
def settlement_list(request):
    require_halls(request.user)
    settlements = selectors.settlements_for(request.user).order_by("-period_start", "hall__region_id", "hall__name")
    state = request.GET.get("state", "")
    if state in SettlementState.values:
        settlements = settlements.filter(state=state)
    page = Paginator(settlements, PAGE_SIZE).get_page(request.GET.get("page"))
    page.object_list = settlement_rows(request.user, page.object_list)
    return render(
        request,
        "eldercare/settlement_list.html",
        {"page": page, "state": state, "states": SettlementState.choices},
    )


def settlement_get(request, pk):
    require_halls(request.user)
    settlement = (
        selectors.settlements_for(request.user).select_related("approved_by", "hall__region__parent").filter(pk=pk)
    ).first()
    if settlement is None:
        raise Http404
    return settlement


def _breakdown(settlement):
    """The statement by meal and tier: meals, their full price and who paid what."""
    meal_labels, tier_labels = dict(MealType.choices), dict(Tier.choices)
    order = {value: i for i, value in enumerate(MealType.values)}
    rows = list(
        settlement.meals.values("meal_type", "tier")
        .annotate(
            n=Count("pk"),
            price=Sum("price"),
            elder=Sum("elder_paid"),
            city=Sum("city_share"),
            district=Sum("district_share"),
            street=Sum("street_share"),
        )
        .order_by()
    )
    tiers = {value: i for i, value in enumerate(Tier.values)}
    rows.sort(key=lambda r: (order.get(r["meal_type"], 9), tiers.get(r["tier"], 9)))
    for row in rows:
        row["meal"] = meal_labels.get(row["meal_type"], row["meal_type"])
        row["tier_label"] = tier_labels.get(row["tier"], row["tier"])
        for key in ("price", "elder", "city", "district", "street"):
            row[key] = yuan(row[key])
        row["subsidy"] = row["city"] + row["district"] + row["street"]
    return rows


@login_required
@never_cache
@require_GET
def settlement_detail(request, pk):
    """The statement: on screen with the actions, on A4 for the file and signatures."""
    settlement = settlement_get(request, pk)
    [settlement] = settlement_rows(request.user, [settlement])
    totals = selectors.settlement_totals(settlement)
    checks = [
        (_("Meals"), settlement.meal_count, totals["n"] or 0),
        (_("Paid by the elderly"), settlement.elder_paid, yuan(totals["elder"])),
        (_("City"), settlement.city_share, yuan(totals["city"])),
        (_("District"), settlement.district_share, yuan(totals["district"])),
        (_("Street"), settlement.street_share, yuan(totals["street"])),
    ]
    checks = [{"label": label, "statement": own, "meals": sum_, "ok": own == sum_} for label, own, sum_ in checks]
    return render(
        request,
        "eldercare/settlement_detail.html",
        {
            "settlement": settlement,
            "hall": settlement.hall,
            "rows": _breakdown(settlement),
            "checks": checks,
            "totals_ok": all(c["ok"] for c in checks),
            "today": timezone.localdate(),
        },
    )


@login_required
@never_cache
@require_POST
def settlement_approve(request, pk):
    settlement = settlement_get(request, pk)
    access.require(request.user, "eldercare.settle")
    try:
        services.settlement_approve(actor=request.user, settlement=settlement)
    except ApplicationError as exc:
        if exc.status == 404:
            raise Http404 from None
        messages.error(request, exc.message)
    else:
        messages.success(
            request,
            _("The settlement of %(hall)s for %(period)s is approved: %(subsidy)s yuan of subsidy owed.")
            % {"hall": settlement.hall.name, "period": _period(settlement), "subsidy": settlement.subsidy},
        )
    return redirect("eldercare:settlement-detail", pk=settlement.pk)


# ------------------------------------------------------------------------------------------------------ CSV


def csv_headers():
    return [
        _("Day"),
        _("Checked in"),
        _("Meal"),
        _("Name"),
        _("ID number"),
        _("Tier"),
        _("Price"),
        _("Paid by the elder"),
        _("City"),
        _("District"),
        _("Street"),
        _("Subsidy"),
        _("Recorded by"),
    ]


def _csv_rows(settlement, language):
    """The statement's meals, one row each; ID numbers are partly hidden (nothing on it needs them whole)."""
    writer = csv.writer(Echo())
    meal_labels, tier_labels = dict(MealType.choices), dict(Tier.choices)
    meals = settlement.meals.select_related("resident").order_by("served_on", "served_at", "pk")
    with translation.override(language):
        yield "\ufeff" + writer.writerow(csv_headers())
        buffer = []
        for meal in meals.iterator(chunk_size=2000):
            row = [
                meal.served_on.isoformat(),
                f"{timezone.localtime(meal.served_at):%H:%M}",
                str(meal_labels.get(meal.meal_type, meal.meal_type)),
                meal.resident.name,
                idnumbers.mask(meal.resident.id_number),
                str(tier_labels.get(meal.tier, meal.tier)),
                meal.price,
                meal.elder_paid,
                meal.city_share,
                meal.district_share,
                meal.street_share,
                meal.city_share + meal.district_share + meal.street_share,
                meal.recorded_by_label,
            ]
            buffer.append(writer.writerow([csv_safe(value) for value in row]))
            if len(buffer) >= CSV_ROWS_PER_CHUNK:
                yield "".join(buffer)
                buffer = []
        if buffer:
            yield "".join(buffer)


@login_required
@never_cache
@require_GET
def settlement_csv(request, pk):
    settlement = settlement_get(request, pk)
    name = f"meals-{settlement.hall_id}-{settlement.period_start:%Y-%m-%d}-{settlement.period_end:%Y-%m-%d}.csv"
    response = StreamingHttpResponse(
        _csv_rows(settlement, translation.get_language()), content_type="text/csv; charset=utf-8"
    )
    response["Content-Disposition"] = content_disposition_header(True, name)
    return response
