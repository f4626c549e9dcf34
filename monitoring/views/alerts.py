"""Warnings and the tasks they give: the caseworker's list, every warning of the area with its filters and export,
the warning with what was found, its history and the steps open to the caseworker, and its printable task sheet.
Thin: monitoring.services.alerts decides which step is open; relief and eldercare close the warnings that asked
for an application or a visit when it is recorded there."""

import re

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db.models import Q
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import pgettext
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_POST

from civic import access, table_export
from civic.errors import ApplicationError, refuse_on_form
from civic.roles import Role
from eldercare.models import CaredElder
from relief.programmes import Programme

from .. import forms, selectors
from ..models import Action, AlertStatus
from ..rules import SPECS
from ..services import alerts as services
from . import explain
from .shared import may_work, page_of

HOUSEHOLD_NUMBER = re.compile(r"^(\d{12})-(\d{1,9})$")


def _mark(alerts, today):
    for alert in alerts:
        alert.overdue = alert.status == AlertStatus.OPEN and alert.due_on < today
    return alerts


# ------------------------------------------------------------------------------------------------------- my tasks


@login_required
@never_cache
@require_GET
def work_list(request):
    access.require(request.user, "monitoring.view")
    today = timezone.localdate()
    filters = forms.WorkFilterForm(request.GET or None)
    # A caseworker sees their own tasks and those nobody has taken; streets and districts every open one.
    mine = getattr(request.user, "role", "") == Role.CASEWORKER
    alerts = selectors.work_list(request.user, mine=mine).select_related("household__head")
    if filters.is_valid() and filters.cleaned_data["rule"]:
        alerts = alerts.filter(rule=filters.cleaned_data["rule"])
    page = page_of(request, alerts)
    _mark(page.object_list, today)
    return render(request, "monitoring/work_list.html", {"page": page, "filters": filters, "today": today})


# --------------------------------------------------------------------------------------------------- all warnings


def _filtered(request):
    """The warnings of the user's area narrowed by the filters (an invalid filter is ignored)."""
    today = timezone.localdate()
    filters = forms.AlertFilterForm(request.GET or None, user=request.user)
    alerts = selectors.alerts_for(request.user).select_related("household__head")
    if filters.is_valid():
        data = filters.cleaned_data
        q = data["q"].strip()
        if q:
            number = HOUSEHOLD_NUMBER.match(q)
            if number:
                alerts = alerts.filter(household__region_id=number.group(1), household_id=int(number.group(2)))
            else:
                alerts = alerts.filter(Q(resident__name__icontains=q) | Q(household__head__name__icontains=q))
        for field in ("status", "rule"):
            if data[field]:
                alerts = alerts.filter(**{field: data[field]})
        if data["community"]:
            alerts = alerts.filter(region=data["community"])
        if data["overdue"]:
            alerts = alerts.filter(status=AlertStatus.OPEN, due_on__lt=today)
        if data["found_from"]:
            alerts = alerts.filter(found_on__gte=data["found_from"])
        if data["found_to"]:
            alerts = alerts.filter(found_on__lte=data["found_to"])
    return filters, alerts.order_by("-found_on", "-pk"), today


@login_required
@never_cache
@require_GET
def alert_list(request):
    access.require(request.user, "monitoring.view")
    filters, alerts, today = _filtered(request)
    page = page_of(request, alerts)
    _mark(page.object_list, today)
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "monitoring/alert_list.html",
        {"page": page, "filters": filters, "today": today, "export_query": query.urlencode()},
    )


EXPORT_LIMIT = 20000


@login_required
@never_cache
@require_GET
def alert_export(request, fmt):
    access.require(request.user, "monitoring.view")
    _filters, alerts, today = _filtered(request)
    header = [
        _("No."),
        _("Warning"),
        _("Urgent"),
        _("Status"),
        _("Community"),
        _("Household number"),
        _("Address"),
        _("Person"),
        _("ID number"),
        _("Found"),
        pgettext("task", "Deadline"),
        _("Past due"),
        _("Caseworker"),
        _("Closed on"),
        _("Outcome"),
    ]
    rows = []
    for a in alerts[:EXPORT_LIMIT]:
        person = a.resident or (a.household.head if a.household_id else None)
        rows.append(
            [
                a.pk,
                a.get_rule_display(),
                _("Yes") if a.urgent else "",
                a.get_status_display(),
                a.region.name,
                a.household.number if a.household_id else "",
                a.household.address if a.household_id else "",
                person.name if person else "",
                person.id_number_masked if person else "",
                a.found_on.isoformat(),
                a.due_on.isoformat(),
                _("Yes") if a.status == AlertStatus.OPEN and a.due_on < today else "",
                str(a.assignee) if a.assignee_id else "",
                a.handled_on.isoformat() if a.handled_on else "",
                a.outcome,
            ]
        )
    return table_export.response(
        fmt,
        f"warnings-{today:%Y-%m-%d}",
        _("Warnings"),
        header,
        rows,
        widths=(8, 40, 6, 10, 16, 22, 30, 12, 20, 12, 12, 8, 16, 12, 40),
    )


# ---------------------------------------------------------------------------------------------------- one warning


def alert_get(request, pk):
    access.require(request.user, "monitoring.view")
    alerts = selectors.alerts_for(request.user).select_related(
        "household__head",
        "record__sender",
        "entitlement__household",
        "other_entitlement__household",
        "handled_by",
        "application",
        "review__entitlement",
        "visit__elder",
    )
    return access.get_in_scope_or_404(request.user, alerts, pk=pk)


def _context(request, alert):
    """What the warning's page and its task sheet show."""
    today = timezone.localdate()
    alert.overdue = alert.status == AlertStatus.OPEN and alert.due_on < today
    entitlements = [e for e in (alert.entitlement, alert.other_entitlement) if e is not None]
    return {
        "alert": alert,
        "spec": SPECS.get(alert.rule),
        "summary": explain.summary(alert),
        "share": explain.share(alert) if alert.rule == "medical" else None,
        "compares": alert.rule in ("medical", "edge_income") and alert.amount is not None,
        "record_facts": explain.record_facts(alert.record),
        "entitlements": entitlements,
        "programme_label": Programme(alert.programme).label if alert.programme in Programme.values else "",
        "person": alert.resident or (alert.household.head if alert.household_id else None),
        "today": today,
    }


def _detail(request, alert, *, dismiss_form=None, review_form=None, refusal=None, status=200):
    context = _context(request, alert)
    open_ = alert.status == AlertStatus.OPEN
    worker = may_work(request.user) and open_
    reviewable = alert.action in services.REVIEW_ACTIONS and alert.entitlement_id is not None
    elder = None
    if alert.action == Action.VISIT and alert.resident_id:
        elder = CaredElder.objects.filter(resident_id=alert.resident_id).first()
    context.update(
        {
            "events": list(alert.events.select_related("actor").order_by("at", "pk")),
            "can_work": worker,
            "can_take": worker and alert.assignee_id != request.user.pk,
            "dismiss_form": (dismiss_form or forms.DismissForm(prefix="dismiss")) if worker else None,
            "review_form": (
                review_form
                or forms.ReviewForm(prefix="review", initial={"reason": explain.suggested_review_reason(alert)})
            )
            if worker and reviewable
            else None,
            "can_apply": worker and alert.action == Action.APPLY and access.can(request.user, "relief.apply"),
            "elder": elder,
            "can_visit": worker and elder is not None and access.can(request.user, "eldercare.record"),
            "refusal": refusal,
        }
    )
    return render(request, "monitoring/alert_detail.html", context, status=status)


@login_required
@never_cache
@require_GET
def alert_detail(request, pk):
    return _detail(request, alert_get(request, pk))


def _refused(request, alert, exc, form=None, name=None):
    """A 409 (no longer open) above the page; field errors on the form sent; a 404 as if it did not exist."""
    if exc.status == 404:
        raise Http404
    alert.refresh_from_db()
    if exc.status == 409 or form is None:
        return _detail(request, alert, refusal=exc.message, status=exc.status if exc.status in (403, 409) else 400)
    status = refuse_on_form(form, exc)
    return _detail(request, alert, status=status, **{name: form})


@login_required
@never_cache
@require_POST
def alert_take(request, pk):
    alert = alert_get(request, pk)
    access.require(request.user, "monitoring.work")
    try:
        services.alert_take(actor=request.user, alert=alert)
    except ApplicationError as exc:
        return _refused(request, alert, exc)
    messages.success(request, _("The task is yours now."))
    return redirect("monitoring:alert-detail", pk=alert.pk)


@login_required
@never_cache
@require_POST
def alert_dismiss(request, pk):
    alert = alert_get(request, pk)
    access.require(request.user, "monitoring.work")
    form = forms.DismissForm(request.POST, prefix="dismiss")
    if not form.is_valid():
        return _detail(request, alert, dismiss_form=form, status=400)
    try:
        services.alert_dismiss(actor=request.user, alert=alert, reason=form.cleaned_data["reason"])
    except ApplicationError as exc:
        return _refused(request, alert, exc, form, "dismiss_form")
    messages.success(request, _("The warning is dismissed; the reason is kept with it."))
    return redirect("monitoring:alert-detail", pk=alert.pk)


@login_required
@never_cache
@require_POST
def alert_review(request, pk):
    alert = alert_get(request, pk)
    access.require(request.user, "monitoring.work")
    form = forms.ReviewForm(request.POST, prefix="review")
    if not form.is_valid():
        return _detail(request, alert, review_form=form, status=400)
    try:
        services.alert_open_review(actor=request.user, alert=alert, reason=form.cleaned_data["reason"])
    except ApplicationError as exc:
        return _refused(request, alert, exc, form, "review_form")
    messages.success(
        request, _("A review of the benefit is open: it falls due today and heads the street's list of reviews.")
    )
    return redirect("monitoring:alert-detail", pk=alert.pk)


@login_required
@never_cache
@require_GET
def alert_print(request, pk):
    """The task sheet to take on a visit: the household, what was found, what to do by when, room for notes."""
    alert = alert_get(request, pk)
    return render(request, "monitoring/alert_print.html", _context(request, alert))
