"""Mandatory reports (强制报告): the intake form for staff obliged to accept reports, the reference to give the
reporter, the reports the user may open with their deadlines, the overdue list, and the case file with its history
and the form of the next step. Thin: forms check shapes, childcare.services the rules, childcare.rules who may
open a case file."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from childcare import forms, rules, selectors, services
from childcare.models import OPEN_STATES, ChildProfile, MandatoryReport, ReportState
from civic import access, idnumbers
from civic import selectors as registry
from civic.errors import ApplicationError, add_service_errors

from . import CASE_CAPABILITIES, FIGURE_CAPABILITIES, can_any, require_any

PAGE_SIZE = 25
# The reports a user received in this browser session, whose reference page they may show again.
RECEIVED_KEY = "childcare_received"
RECEIVED_KEPT = 20


def is_late(report, now):
    """Open and not acted on by the deadline: what the overdue list shows."""
    return report.state in OPEN_STATES and report.acted_at is None and report.act_by < now


def _page(request, reports, now):
    page = Paginator(reports, PAGE_SIZE).get_page(request.GET.get("page"))
    page.object_list = list(page.object_list)
    for report in page.object_list:
        report.late = is_late(report, now)
    return page


@login_required
@never_cache
@require_GET
def report_list(request):
    require_any(request.user, CASE_CAPABILITIES)
    now = timezone.now()
    filters = forms.ReportFilterForm(request.GET or None)
    reports = rules.reports_for(request.user)
    if filters.is_valid():
        if filters.cleaned_data["state"]:
            reports = reports.filter(state=filters.cleaned_data["state"])
        if filters.cleaned_data["overdue"]:
            reports = reports.filter(state__in=OPEN_STATES, acted_at__isnull=True, act_by__lt=now)
    reports = reports.order_by("-received_at", "-pk")
    return render(
        request,
        "childcare/report_list.html",
        {
            "page": _page(request, reports, now),
            "filters": filters,
            "overdue_count": selectors.overdue_reports(request.user, now).count(),
            "can_intake": access.can(request.user, "child.report"),
            "can_figures": can_any(request.user, FIGURE_CAPABILITIES),
        },
    )


@login_required
@never_cache
@require_GET
def report_overdue(request):
    require_any(request.user, CASE_CAPABILITIES)
    now = timezone.now()
    reports = selectors.overdue_reports(request.user, now)
    return render(request, "childcare/report_overdue.html", {"page": _page(request, reports, now), "now": now})


# ------------------------------------------------------------------------------------------------------ intake


@login_required
@never_cache
@require_http_methods(["GET", "POST"])
def report_new(request):
    access.require(request.user, "child.report")
    communities = list(registry.communities_for(request.user).select_related("parent"))
    status = 200
    if request.method == "POST":
        form = forms.ReportIntakeForm(request.POST, communities=communities)
        if form.is_valid():
            data = form.cleaned_data
            try:
                report = services.report_receive(
                    actor=request.user,
                    region_code=data["region"],
                    reporter_kind=data["reporter_kind"],
                    reporter_name=data["reporter_name"],
                    reporter_contact=data["reporter_contact"],
                    child_id_number=idnumbers.normalise(data["child_id_number"]),
                    child_description=data["child_description"],
                    situation=data["situation"],
                    immediate_danger=data["immediate_danger"],
                    account=data["account"],
                )
            except ApplicationError as exc:
                if exc.status == 403:
                    raise PermissionDenied from None
                add_service_errors(form, exc)
                status = 400
            else:
                received = [report.pk, *request.session.get(RECEIVED_KEY, [])][:RECEIVED_KEPT]
                request.session[RECEIVED_KEY] = received
                return redirect("childcare:report-received", pk=report.pk)
        else:
            status = 400
    else:
        form = forms.ReportIntakeForm(communities=communities)
    return render(request, "childcare/report_new.html", {"form": form}, status=status)


@login_required
@never_cache
@require_GET
def report_received(request, pk):
    """The reference to give the reporter, for whoever received the report in this session only: it shows no
    case content, and the case file itself is need-to-know."""
    access.require(request.user, "child.report")
    if pk not in request.session.get(RECEIVED_KEY, []):
        raise Http404
    report = MandatoryReport.objects.select_related("region__parent", "assigned_to").filter(pk=pk).first()
    if report is None:
        raise Http404
    return render(
        request,
        "childcare/report_received.html",
        {"report": report, "may_open": rules.may_open_report(request.user, report)},
    )


# --------------------------------------------------------------------------------------------------- case file


def report_open(request, pk):
    """The report if the user may open its case file; otherwise the attempt is logged and the answer is 404, the
    same as for a report that does not exist."""
    report = (
        MandatoryReport.objects.select_related("region__parent", "child", "assigned_to", "reporter_token")
        .filter(pk=pk)
        .first()
    )
    if report is None:
        raise Http404
    if not rules.may_open_report(request.user, report):
        rules.log_view(request.user, report=report, allowed=False)
        raise Http404
    return report


def step_form_for(report, data=None):
    step = forms.NEXT_STEP.get(report.state)
    if step is None:
        return None
    return forms.STEP_FORMS[step](data)


def render_case(request, report, *, step_form=None, refusal=None, status=200):
    """The case file. Each showing is an opening, logged."""
    rules.log_view(request.user, report=report, allowed=True)
    now = timezone.now()
    profile = None
    if report.child_id is not None:
        profile = ChildProfile.objects.filter(resident_id=report.child_id).first()
        if profile is not None and not rules.may_open_profile(request.user, profile):
            profile = None
    if step_form is None:
        step_form = step_form_for(report)
    step = step_form["step"].value() if step_form is not None else None
    return render(
        request,
        "childcare/report_detail.html",
        {
            "report": report,
            "events": report.events.order_by("at", "pk"),
            "profile": profile,
            "late": is_late(report, now),
            "step_form": step_form,
            "step_title": forms.STEP_TITLES.get(step),
            "refusal": refusal,
            "closed": report.state == ReportState.CLOSED,
        },
        status=status,
    )


@login_required
@never_cache
@require_GET
def report_detail(request, pk):
    return render_case(request, report_open(request, pk))


def _wrong_state(report):
    return _("This report is “%(state)s”; that step is not possible now.") % {"state": report.get_state_display()}


@login_required
@never_cache
@require_POST
def report_step(request, pk):
    report = report_open(request, pk)
    key = request.POST.get("step", "")
    if key not in forms.STEP_FORMS or key != forms.NEXT_STEP.get(report.state):
        return render_case(request, report, refusal=_wrong_state(report), status=409)
    form = forms.STEP_FORMS[key](request.POST)
    if not form.is_valid():
        return render_case(request, report, step_form=form, status=400)
    data = form.cleaned_data
    step = data["action"] if key == "act" else key
    try:
        report = services.report_step(
            actor=request.user,
            report=report,
            step=step,
            note=data.get("note", ""),
            risk_level=data.get("risk_level", ""),
            plan=data.get("plan", ""),
            referred_to=data.get("referred_to", "") if step == "refer" else "",
            outcome=data.get("outcome", ""),
        )
    except ApplicationError as exc:
        if exc.status == 404:
            raise Http404 from None
        report.refresh_from_db()
        if exc.code == "wrong_state":
            return render_case(request, report, refusal=exc.message, status=409)
        add_service_errors(form, exc)
        return render_case(request, report, step_form=form, status=400)
    messages.success(request, _("Recorded: the report is now “%(state)s”.") % {"state": report.get_state_display()})
    return redirect("childcare:report-detail", pk=report.pk)
