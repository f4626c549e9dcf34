"""Referrals to charity (政府救助 + 慈善帮扶): the list with its filters, referring a family (from its household file or
its relief application), the referral with its history and the next steps for the charity officers, and the
printable referral slip (转介单). Thin: forms check shapes, charity.services.referrals the rules."""

import re

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db.models import Q
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from civic import access
from civic import selectors as registry
from civic.errors import ApplicationError, add_service_errors
from relief import selectors as relief_selectors

from .. import selectors, services
from ..forms import referrals as forms
from ..models import PairingStatus, PairingTarget, ProjectStatus, ReferralReason, ReferralStatus

PAGE_SIZE = 25
HOUSEHOLD_NUMBER = re.compile(r"^(\d{12})-(\d+)$")
REFERRAL_NUMBER = re.compile(r"^CR\d{4}-(\d+)$", re.IGNORECASE)
WORK_CAPABILITIES = ("charity.refer", "charity.manage")


def _require_any(user, capabilities=WORK_CAPABILITIES):
    if not any(access.can(user, capability) for capability in capabilities):
        raise PermissionDenied


def _referrals(user):
    return selectors.referrals_for(user).select_related("pairing__region", "pairing__household")


def _status_for(exc):
    return exc.status if exc.status in (403, 409) else 400


def _mark_late(referrals, today):
    for referral in referrals:
        referral.late = referral.status == ReferralStatus.REFERRED and referral.answer_due < today
    return referrals


def _search(referrals, query):
    query = (query or "").strip()
    if not query:
        return referrals
    number = HOUSEHOLD_NUMBER.match(query)
    if number:
        return referrals.filter(household_id=int(number.group(2)), household__region_id=number.group(1))
    number = REFERRAL_NUMBER.match(query)
    if number:
        return referrals.filter(pk=int(number.group(1)))
    return referrals.filter(household__head__name__contains=query)


@login_required
@never_cache
@require_GET
def referral_list(request):
    _require_any(request.user)
    today = timezone.localdate()
    filters = forms.ReferralFilterForm(request.GET or None)
    referrals = _referrals(request.user)
    if filters.is_valid():
        data = filters.cleaned_data
        if data["status"]:
            referrals = referrals.filter(status=data["status"])
        if data["overdue"]:
            referrals = referrals.filter(status=ReferralStatus.REFERRED, answer_due__lt=today)
        referrals = _search(referrals, data["q"])
    page = Paginator(referrals.order_by("-referred_at", "-pk"), PAGE_SIZE).get_page(request.GET.get("page"))
    page.object_list = _mark_late(list(page.object_list), today)
    return render(
        request,
        "charity/referral_list.html",
        {
            "page": page,
            "filters": filters,
            "today": today,
            "overdue_count": selectors.referrals_awaiting_answer_late(request.user, today).count(),
            "can_manage": access.can(request.user, "charity.manage"),
        },
    )


# --------------------------------------------------------------------------------------------- referring a family


def _pk(value):
    try:
        return int(value)
    except (TypeError, ValueError):
        raise Http404 from None


def _targets(user, household):
    """What this family may be referred to: active pairings with its street (or town) or with the family itself,
    planned or running projects of a region that contains its community, and the funds the user sees."""
    around = [household.region_id, *access.ancestor_codes(household.region.prefix)]
    pairings = (
        selectors.pairings_for(user)
        .filter(status=PairingStatus.ACTIVE)
        .filter(Q(target=PairingTarget.STREET, region_id__in=around) | Q(household=household))
        .order_by("organisation__name", "donor_name", "pk")
    )
    projects = (
        selectors.projects_for(user)
        .filter(status__in=(ProjectStatus.PLANNED, ProjectStatus.RUNNING), region_id__in=around)
        .order_by("name", "pk")
    )
    funds = selectors.funds_for(user).order_by("organisation__name", "name", "pk")
    return {"pairings": pairings, "projects": projects, "funds": funds}


def _preset_reason(application):
    if application is None:
        return None
    return {"refused": ReferralReason.REFUSED, "approved": ReferralReason.PARTLY_COVERED}.get(application.status)


@login_required
@never_cache
@require_http_methods(["GET", "POST"])
def referral_new(request):
    access.require(request.user, "charity.refer")
    household = get_object_or_404(
        registry.households_for(request.user).select_related("region", "head"), pk=_pk(request.GET.get("household"))
    )
    household_applications = relief_selectors.applications_for(request.user).filter(household=household)
    application = None
    if request.GET.get("application"):
        application = get_object_or_404(household_applications, pk=_pk(request.GET.get("application")))
    choices = {
        "applications": household_applications.filter(status__in=("refused", "approved")).order_by("-accepted_at"),
        **_targets(request.user, household),
    }
    status = 200
    if request.method == "POST":
        form = forms.ReferralForm(request.POST, **choices)
        if form.is_valid():
            data = form.cleaned_data
            try:
                referral = services.referral_create(
                    actor=request.user,
                    household=household,
                    reason=data["reason"],
                    need=data["need"],
                    channel=data["channel"],
                    pairing=data["pairing"],
                    project=data["project"],
                    fund=data["fund"],
                    application=data["application"],
                    amount_sought=data["amount_sought"],
                )
            except ApplicationError as exc:
                if exc.status == 404:
                    raise Http404 from None
                add_service_errors(form, exc)
                status = _status_for(exc)
            else:
                messages.success(
                    request,
                    _("Referral %(number)s sent; the answer is due by %(date)s.")
                    % {"number": referral.number, "date": referral.answer_due.isoformat()},
                )
                return redirect("charity:referral-detail", pk=referral.pk)
        else:
            status = 400
    else:
        initial = {"application": application, "reason": _preset_reason(application)}
        form = forms.ReferralForm(initial={k: v for k, v in initial.items() if v is not None}, **choices)
    return render(
        request,
        "charity/referral_new.html",
        {"form": form, "household": household, "application": application},
        status=status,
    )


# ------------------------------------------------------------------------------------- the referral and its steps


def _referral_get(request, pk):
    _require_any(request.user)
    return get_object_or_404(
        _referrals(request.user).select_related("application", "household__region", "project__organisation"), pk=pk
    )


def _step_forms(referral, channel):
    """The steps open for the referral now, each with its empty form."""
    steps = {}
    if referral.status == ReferralStatus.REFERRED:
        steps["accept"] = forms.AcceptForm()
        steps["decline"] = forms.DeclineForm()
    if referral.is_open:
        steps["help"] = forms.HelpForm(channel=channel, initial={"on": timezone.localdate()})
        steps["close"] = forms.CloseForm()
    return steps


def _detail(request, referral, *, step=None, form=None, status=200):
    today = timezone.localdate()
    _mark_late([referral], today)
    steps = {}
    if access.can(request.user, "charity.manage"):
        steps = _step_forms(referral, referral.channel)
        if step is not None:
            steps[step] = form
    return render(
        request,
        "charity/referral_detail.html",
        {
            "referral": referral,
            "events": referral.events.select_related("by").order_by("at", "pk"),
            "steps": steps,
            "today": today,
            "can_open_household": access.can(request.user, "registry.view"),
            "can_open_application": access.can(request.user, "relief.view"),
        },
        status=status,
    )


@login_required
@never_cache
@require_GET
def referral_detail(request, pk):
    return _detail(request, _referral_get(request, pk))


def _step(request, pk, step, form_class, call, success_message):
    """A step of the charity officer: the form, the service, and the detail again with the errors when refused."""
    referral = _referral_get(request, pk)
    access.require(request.user, "charity.manage")
    kwargs = {"channel": referral.channel} if form_class is forms.HelpForm else {}
    form = form_class(request.POST, **kwargs)
    if not form.is_valid():
        return _detail(request, referral, step=step, form=form, status=400)
    try:
        call(referral, form.cleaned_data)
    except ApplicationError as exc:
        if exc.status == 404:
            raise Http404 from None
        add_service_errors(form, exc, {"amount": "value", "spent": "value"})
        referral.refresh_from_db()
        return _detail(request, referral, step=step, form=form, status=_status_for(exc))
    messages.success(request, success_message % {"number": referral.number})
    return redirect("charity:referral-detail", pk=referral.pk)


@login_required
@never_cache
@require_POST
def referral_accept(request, pk):
    return _step(
        request,
        pk,
        "accept",
        forms.AcceptForm,
        lambda referral, data: services.referral_accept(actor=request.user, referral=referral, note=data["note"]),
        _("Referral %(number)s accepted."),
    )


@login_required
@never_cache
@require_POST
def referral_decline(request, pk):
    return _step(
        request,
        pk,
        "decline",
        forms.DeclineForm,
        lambda referral, data: services.referral_decline(actor=request.user, referral=referral, reason=data["reason"]),
        _("Referral %(number)s declined; the caseworker tells the family why."),
    )


def _help(user, referral, data):
    return services.referral_help(
        actor=user,
        referral=referral,
        description=data["description"],
        value="" if data["value"] is None else data["value"],
        on=data["on"],
        place=data.get("place") or "",
    )


@login_required
@never_cache
@require_POST
def referral_help(request, pk):
    return _step(
        request,
        pk,
        "help",
        forms.HelpForm,
        lambda referral, data: _help(request.user, referral, data),
        _("Help recorded: referral %(number)s is closed as helped."),
    )


@login_required
@never_cache
@require_POST
def referral_close(request, pk):
    return _step(
        request,
        pk,
        "close",
        forms.CloseForm,
        lambda referral, data: services.referral_close(actor=request.user, referral=referral, reason=data["reason"]),
        _("Referral %(number)s closed without help."),
    )


@login_required
@never_cache
@require_GET
def referral_print(request, pk):
    """The referral slip (转介单) on A4: the family without ID numbers, the need, where it is referred and by whom."""
    referral = _referral_get(request, pk)
    return render(
        request,
        "charity/referral_print.html",
        {
            "referral": referral,
            "closed": not referral.is_open,
            "today": timezone.localdate(),
        },
    )
