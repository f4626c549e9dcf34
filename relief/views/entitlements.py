"""Entitlement pages (动态管理): the benefit with its history and the steps this user may take, the list of reviews
due and the warning list of gradual exits ending. Thin: forms check shapes, relief.services.entitlements the
rules."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.db import transaction
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from civic import access
from civic.errors import ApplicationError
from civic.months import add_months, months_between
from relief import selectors
from relief.entitlement_forms import AccountForm, GradualExitForm, ReasonForm, ReviewForm
from relief.models import BatchLine, EntitlementStatus, ReviewOutcome
from relief.programmes import Programme
from relief.services import entitlements as flow

PAGE_SIZE = 25
WINDOW_DAYS = 30


def _outcomes(user, entitlement):
    outcomes = flow.outcomes_for(user)
    if entitlement.status != EntitlementStatus.ACTIVE:
        outcomes = [o for o in outcomes if o != ReviewOutcome.SUSPEND]
    return outcomes


def _form(action, user, entitlement, data=None):
    """The form of one action, bound to `data` when given; prefixed so that the page's forms keep apart."""
    if action == "review":
        return ReviewForm(
            data,
            prefix=action,
            outcomes=_outcomes(user, entitlement),
            initial={"review_class": entitlement.review_class},
        )
    if action == "gradual-exit":
        return GradualExitForm(data, prefix=action)
    if action == "account":
        return AccountForm(data, prefix=action, initial={"account": entitlement.account})
    return ReasonForm(data, prefix=action)


def _available_actions(user, entitlement):
    """The steps this user may take now, each with an empty form, in the order they are shown."""
    status = entitlement.status
    live = status in (EntitlementStatus.ACTIVE, EntitlementStatus.SUSPENDED)
    reviewer = access.can(user, "relief.review")
    names = []
    if live and reviewer:  # the district ends through its own form; the street records reviews
        names.append("review")
    if status == EntitlementStatus.ACTIVE and reviewer:
        names.append("suspend")
    if status == EntitlementStatus.SUSPENDED and reviewer:
        names.append("resume")
    if (
        status == EntitlementStatus.ACTIVE
        and reviewer
        and entitlement.programme == Programme.DIBAO
        and entitlement.gradual_exit_until is None
    ):
        names.append("gradual-exit")
    if live and access.can(user, "relief.decide"):
        names.append("end")
    if live and reviewer:
        names.append("account")
    return {name: _form(name, user, entitlement) for name in names}


def _get(request, pk):
    access.require(request.user, "relief.view")
    return access.get_in_scope_or_404(
        request.user, selectors.entitlements_for(request.user).select_related("application"), pk=pk
    )


def last_months(count, today=None):
    """The first days of this month and the count − 1 before it."""
    this_month = (today or timezone.localdate()).replace(day=1)
    return months_between(add_months(this_month, 1 - count), this_month)


def _detail(request, entitlement, *, bound=None, status=200):
    actions = _available_actions(request.user, entitlement)
    if bound is not None:
        actions[bound[0]] = bound[1]
    return render(
        request,
        "relief/entitlement_detail.html",
        {
            "entitlement": entitlement,
            "events": entitlement.events.order_by("-at", "-pk"),
            # The last year of payments and every adjustment: what the family was paid, and why it changed.
            "lines": BatchLine.objects.of_entitlement(entitlement.pk, last_months(13)).order_by("-month"),
            "adjustments": entitlement.adjustments.order_by("-created_at", "-pk")[:50],
            "actions": actions,
            "today": timezone.localdate(),
        },
        status=status,
    )


@login_required
@never_cache
def entitlement_detail(request, pk):
    return _detail(request, _get(request, pk))


def _perform(action, user, entitlement, data):
    if action == "review":
        return flow.review_record(
            actor=user,
            entitlement=entitlement,
            outcome=data["outcome"],
            reason=data["reason"],
            new_amount=data["new_amount"] if data["outcome"] == ReviewOutcome.CHANGE_AMOUNT else None,
            review_class=data["review_class"],
        )
    if action == "suspend":
        return flow.entitlement_suspend(actor=user, entitlement=entitlement, reason=data["reason"])
    if action == "resume":
        return flow.entitlement_resume(actor=user, entitlement=entitlement, reason=data["reason"])
    if action == "end":
        return flow.entitlement_end(actor=user, entitlement=entitlement, reason=data["reason"])
    if action == "account":
        return flow.account_change(actor=user, entitlement=entitlement, account=data["account"], reason=data["reason"])
    if action == "gradual-exit":
        return flow.gradual_exit_start(
            actor=user, entitlement=entitlement, months=data["months"], reason=data["reason"]
        )
    raise Http404


DONE = {
    "review": _("Review recorded."),
    "suspend": _("The benefit is suspended."),
    "resume": _("The benefit is paid again."),
    "end": _("The benefit is ended."),
    "gradual-exit": _("The gradual exit has started."),
    "account": _("The payment account is changed."),
}


@login_required
@never_cache
@require_POST
def entitlement_act(request, pk, action):
    entitlement = _get(request, pk)
    if action not in DONE:
        raise Http404
    form = _form(action, request.user, entitlement, request.POST)
    if not form.is_valid():
        return _detail(request, entitlement, bound=(action, form), status=400)
    try:
        with transaction.atomic():
            _perform(action, request.user, entitlement, form.cleaned_data)
    except ApplicationError as exc:
        for field, errors in exc.fields.items():
            for error in errors or [exc.message]:
                form.add_error(field if field in form.fields else None, error)
        if not exc.fields:
            form.add_error(None, exc.message)
        entitlement.refresh_from_db()
        return _detail(
            request, entitlement, bound=(action, form), status=exc.status if exc.status in (403, 409) else 400
        )
    messages.success(request, DONE[action])
    return redirect("relief:entitlement-detail", pk=entitlement.pk)


@login_required
@never_cache
def reviews_due(request):
    access.require(request.user, "relief.view")
    today = timezone.localdate()
    entitlements = selectors.reviews_due(request.user, within_days=WINDOW_DAYS, today=today)
    page = Paginator(entitlements, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request, "relief/entitlement_reviews_due.html", {"page": page, "today": today, "within_days": WINDOW_DAYS}
    )


@login_required
@never_cache
def gradual_exits(request):
    access.require(request.user, "relief.view")
    today = timezone.localdate()
    entitlements = selectors.gradual_exits_ending(request.user, within_days=WINDOW_DAYS, today=today)
    page = Paginator(entitlements, PAGE_SIZE).get_page(request.GET.get("page"))
    page.object_list = list(page.object_list)
    for entitlement in page.object_list:
        entitlement.days_left = (entitlement.gradual_exit_until - today).days
    return render(
        request, "relief/entitlement_gradual_exits.html", {"page": page, "today": today, "within_days": WINDOW_DAYS}
    )
