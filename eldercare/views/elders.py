"""Special-hardship elderly (探访关爱): the visiting list with its filters, the overdue list, registering an elder,
the elder with their visits and the form that records one, and the month's visit coverage per community.
Thin: forms check shapes, eldercare.services the rules (who is listed, when the next visit falls due)."""

from datetime import date

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.db.models import Max
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from civic import access, idnumbers
from civic import selectors as registry
from civic.errors import ApplicationError, add_service_errors, refuse_on_form
from civic.months import add_months
from eldercare import forms, selectors, services
from eldercare.models import ElderCategory

PAGE_SIZE = 25
VISITS_SHOWN = 50


def _label_categories(elders):
    labels = dict(ElderCategory.choices)
    for elder in elders:
        elder.category_labels = [labels.get(value, value) for value in elder.categories]
    return elders


def _page(request, elders, today):
    page = Paginator(elders, PAGE_SIZE).get_page(request.GET.get("page"))
    page.object_list = _label_categories(list(page.object_list))
    for elder in page.object_list:
        elder.days_late = (today - elder.next_visit_due).days if elder.next_visit_due < today else 0
    return page


@login_required
@never_cache
@require_GET
def elder_list(request):
    access.require(request.user, "eldercare.view")
    today = timezone.localdate()
    filters = forms.ElderFilterForm(request.GET or None)
    elders = selectors.elders_for(request.user).annotate(last_visit=Max("visits__visited_on"))
    if filters.is_valid():
        if filters.cleaned_data["risk"]:
            elders = elders.filter(risk=filters.cleaned_data["risk"])
        if filters.cleaned_data["overdue"]:
            elders = elders.filter(next_visit_due__lt=today)
    elders = elders.order_by("next_visit_due", "pk")
    return render(
        request,
        "eldercare/elder_list.html",
        {
            "page": _page(request, elders, today),
            "filters": filters,
            "today": today,
            "overdue_count": selectors.overdue_visits(request.user, today).count(),
            "can_register": access.can(request.user, "eldercare.record"),
        },
    )


@login_required
@never_cache
@require_GET
def elder_overdue(request):
    access.require(request.user, "eldercare.view")
    today = timezone.localdate()
    elders = selectors.overdue_visits(request.user, today).annotate(last_visit=Max("visits__visited_on"))
    return render(request, "eldercare/elder_overdue.html", {"page": _page(request, elders, today), "today": today})


@login_required
@never_cache
@require_http_methods(["GET", "POST"])
def elder_register(request):
    access.require(request.user, "eldercare.record")
    status = 200
    if request.method == "POST":
        form = forms.ElderRegisterForm(request.POST, user=request.user)
        if form.is_valid():
            number = idnumbers.normalise(form.cleaned_data["id_number"])
            resident = registry.residents_for(request.user).filter(id_number=number).first()
            if resident is None:
                form.add_error("id_number", _("Nobody with this ID number lives in your area."))
                status = 400
            else:
                try:
                    elder = services.elder_register(
                        actor=request.user,
                        resident=resident,
                        categories=form.cleaned_data["categories"],
                        risk=form.cleaned_data["risk"],
                        visitor=form.cleaned_data["visitor"],
                    )
                except ApplicationError as exc:
                    status = refuse_on_form(form, exc, {"resident": "id_number"})
                else:
                    messages.success(
                        request,
                        _("%(name)s is on the visiting list; the first visit is due by %(date)s.")
                        % {"name": resident.name, "date": elder.next_visit_due.isoformat()},
                    )
                    return redirect("eldercare:elder-detail", pk=elder.pk)
        else:
            status = 400
    else:
        form = forms.ElderRegisterForm(user=request.user)
    return render(request, "eldercare/elder_register.html", {"form": form}, status=status)


def _elder_get(request, pk):
    access.require(request.user, "eldercare.view")
    return access.get_in_scope_or_404(
        request.user, selectors.elders_for(request.user).select_related("region__parent"), pk=pk
    )


def _detail(request, elder, *, visit_form=None, status=200):
    today = timezone.localdate()
    may_record = access.can(request.user, "eldercare.record")
    if may_record and visit_form is None:
        visit_form = forms.VisitForm(initial={"visited_on": today})
    _label_categories([elder])
    return render(
        request,
        "eldercare/elder_detail.html",
        {
            "elder": elder,
            "visits": elder.visits.select_related("visitor").order_by("-visited_on", "-pk")[:VISITS_SHOWN],
            "visit_form": visit_form if may_record else None,
            "today": today,
            "late": elder.next_visit_due < today,
            "visit_days": services.visit_days(elder.risk),
        },
        status=status,
    )


@login_required
@never_cache
@require_GET
def elder_detail(request, pk):
    return _detail(request, _elder_get(request, pk))


@login_required
@never_cache
@require_POST
def visit_record(request, pk):
    elder = _elder_get(request, pk)
    access.require(request.user, "eldercare.record")
    form = forms.VisitForm(request.POST)
    if not form.is_valid():
        return _detail(request, elder, visit_form=form, status=400)
    data = form.cleaned_data
    try:
        services.visit_record(
            actor=request.user,
            elder=elder,
            visited_on=data["visited_on"],
            findings=data["findings"],
            risks=data["risks"],
            follow_up=data["follow_up"],
            risk=data["risk"] or None,
        )
    except ApplicationError as exc:
        if exc.status == 404:
            raise Http404 from None
        add_service_errors(form, exc)
        return _detail(request, elder, visit_form=form, status=exc.status if exc.status in (403, 409) else 400)
    elder.refresh_from_db()
    messages.success(
        request,
        _("Visit recorded; the next one is due by %(date)s.") % {"date": elder.next_visit_due.isoformat()},
    )
    return redirect("eldercare:elder-detail", pk=elder.pk)


def percent(rate):
    return None if rate is None else f"{rate * 100:.1f}"


@login_required
@never_cache
@require_GET
def visit_coverage(request):
    """Per community: elders on the list in the month, how many were visited in it, and the share."""
    access.require(request.user, "eldercare.view")
    this_month = timezone.localdate().replace(day=1)
    form = forms.CoverageForm(request.GET or None)
    month = this_month
    if form.is_valid() and form.cleaned_data["month"]:
        year, number = (int(part) for part in form.cleaned_data["month"].split("-"))
        month = date(year, number, 1)
    elif not form.is_bound:
        form = forms.CoverageForm(initial={"month": f"{this_month:%Y-%m}"})
    rows = selectors.visit_coverage(request.user, month)
    elders = sum(row["elders"] for row in rows)
    visited = sum(row["visited"] for row in rows)
    for row in rows:
        row["not_visited"] = row["elders"] - row["visited"]
        row["percent"] = percent(row["rate"])
    previous_month = add_months(month, -1)
    next_month = add_months(month, 1)
    return render(
        request,
        "eldercare/visit_coverage.html",
        {
            "form": form,
            "month": month,
            "rows": rows,
            "total": {
                "elders": elders,
                "visited": visited,
                "not_visited": elders - visited,
                "percent": percent(visited / elders if elders else None),
            },
            "previous_month": f"{previous_month:%Y-%m}",
            "next_month": f"{next_month:%Y-%m}" if next_month <= this_month else "",
        },
    )
