"""Children's basic living allowances on the child's case file: the claims with their state and due date, the
director's claim with the quoted amount and how it was worked out, the street supervisor's verification, the
district officer's confirmation (which grants the monthly relief entitlement), and the caseload's overdue claims.
Thin: forms check shapes, childcare.allowances the rules, childcare.rules who may open a case file."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods

from childcare import allowances, forms
from childcare.models import AllowanceClaim, AllowanceKind, ClaimState
from civic import access
from civic.errors import ApplicationError, add_service_errors
from relief import selectors as relief_selectors
from relief.models import Entitlement
from relief.programmes import Programme
from relief.rules import yuan
from relief.selectors import LIVE_ENTITLEMENTS

from . import CASE_CAPABILITIES, profiles, require_any

PAGE_SIZE = 25
OPEN_CLAIM_STATES = (ClaimState.FILED, ClaimState.VERIFIED)
# The step each open state waits for, and the capability of whoever takes it.
STEP_OF_STATE = {ClaimState.FILED: "verify", ClaimState.VERIFIED: "confirm"}
STEP_CAPABILITY = {"verify": "child.supervise", "confirm": "child.protect"}


def claimable_kinds(profile):
    """The kinds of allowance the child's categories give (orphans, de-facto-unsupported children)."""
    return [kind for kind in AllowanceKind.values if kind in profile.categories]


def has_claim_or_allowance(profile):
    return (
        profile.claims.filter(state__in=OPEN_CLAIM_STATES).exists()
        or Entitlement.objects.filter(
            members=profile.resident, programme=Programme.CHILD_ALLOWANCE, status__in=LIVE_ENTITLEMENTS
        ).exists()
    )


def may_see_entitlement(user, entitlement_id):
    """The relief entitlement page is for relief staff of its area; others see the amount only."""
    return (
        entitlement_id is not None
        and access.can(user, "relief.view")
        and relief_selectors.entitlements_for(user).filter(pk=entitlement_id).exists()
    )


def quotes_for(profile, kinds):
    """(quotes, problem): the monthly amount and its explanation lines for each kind, or why there is none."""
    quotes = []
    for kind in kinds:
        try:
            amount, lines = allowances.quote(profile, kind)
        except ApplicationError as exc:
            return [], exc.message
        quotes.append({"kind": kind, "label": AllowanceKind(kind).label, "amount": yuan(amount), "lines": lines})
    return quotes, None


def decision_title(step):
    return _("Verify the claim (street)") if step == "verify" else _("Confirm the claim (district)")


def section(user, profile, bound):
    """The allowance section of the case file: the claims, and the one form the user may act with now."""
    today = timezone.localdate()
    claims = list(profile.claims.select_related("filed_by", "verified_by", "decided_by").order_by("-filed_at", "-pk"))
    for claim in claims:
        claim.open = claim.state in OPEN_CLAIM_STATES
        claim.late = claim.open and claim.due_on < today
        claim.amount_text = yuan(claim.amount) if claim.amount is not None else ""
        claim.entitlement_visible = may_see_entitlement(user, claim.entitlement_id)
    context = {"claims": claims, "claim_form": None, "quotes": [], "quote_problem": None, "decision": None}
    kinds = claimable_kinds(profile)
    context["claim_kinds"] = kinds
    context["may_claim"] = access.can(user, "child.direct")
    if context["may_claim"] and kinds and profile.closed_on is None and not has_claim_or_allowance(profile):
        context["claim_form"] = bound.get("claim") or forms.ClaimForm(kinds=kinds, payee=profile.guardian)
        context["quotes"], context["quote_problem"] = quotes_for(profile, kinds)
    current = next((claim for claim in claims if claim.open), None)
    if current is not None:
        step = STEP_OF_STATE[current.state]
        if access.can(user, STEP_CAPABILITY[step]):
            context["decision"] = {
                "claim": current,
                "step": step,
                "title": decision_title(step),
                "url": reverse(f"childcare:allowance-{step}", args=[profile.pk, current.pk]),
                "form": bound.get("decision") or forms.ClaimDecisionForm(),
            }
            quotes, problem = quotes_for(profile, [current.kind])
            context["decision"].update(quote=quotes[0] if quotes else None, quote_problem=problem)
    return context


def _back(profile):
    return redirect(reverse("childcare:profile-detail", args=[profile.pk]) + "#allowance")


def _refused(request, profile, exc, name, form):
    """A service refusal on the case file: field errors next to the fields, anything else above the section."""
    if exc.status == 404:
        raise Http404
    if exc.code == "forbidden":
        raise PermissionDenied
    if exc.fields:
        add_service_errors(form, exc)
        return profiles.render_profile(request, profile, bound={name: form}, status=400)
    return profiles.render_profile(request, profile, refusal=exc.message, status=exc.status)


@login_required
@never_cache
@require_http_methods(["GET", "POST"])
def claim_file(request, pk):
    profile = profiles.profile_open(request, pk)
    if request.method == "GET":  # e.g. back from signing in again: the form is on the case file
        return _back(profile)
    form = forms.ClaimForm(request.POST, kinds=claimable_kinds(profile))
    if not form.is_valid():
        return profiles.render_profile(request, profile, bound={"claim": form}, status=400)
    data = form.cleaned_data
    try:
        claim = allowances.claim_file(
            actor=request.user,
            profile=profile,
            kind=data["kind"],
            payee_name=data["payee_name"],
            account=data["account"],
        )
    except ApplicationError as exc:
        return _refused(request, profile, exc, "claim", form)
    messages.success(
        request, _("The claim is filed; the street verifies it by %(date)s.") % {"date": claim.due_on.isoformat()}
    )
    return _back(profile)


def _decide(request, pk, claim_pk, step):
    profile = profiles.profile_open(request, pk)
    claim = AllowanceClaim.objects.filter(pk=claim_pk, profile=profile).first()
    if claim is None:
        raise Http404
    if request.method == "GET":
        return _back(profile)
    form = forms.ClaimDecisionForm(request.POST)
    if not form.is_valid():
        return profiles.render_profile(request, profile, bound={"decision": form}, status=400)
    decide = allowances.claim_verify if step == "verify" else allowances.claim_confirm
    try:
        claim = decide(
            actor=request.user,
            claim=claim,
            approve=form.cleaned_data["decision"] == "approve",
            reasons=form.cleaned_data["reasons"],
        )
    except ApplicationError as exc:
        return _refused(request, profile, exc, "decision", form)
    if claim.state == ClaimState.REFUSED:
        messages.success(request, _("The claim is refused; the child director reads the reasons on this page."))
    elif claim.state == ClaimState.VERIFIED:
        messages.success(
            request,
            _("The claim is verified; the district confirms it by %(date)s.") % {"date": claim.due_on.isoformat()},
        )
    else:
        messages.success(
            request,
            _("The allowance is granted: %(amount)s yuan a month, paid from %(date)s.")
            % {"amount": yuan(claim.amount), "date": claim.entitlement.starts_on.isoformat()},
        )
    return _back(profile)


@login_required
@never_cache
@require_http_methods(["GET", "POST"])
def claim_verify(request, pk, claim_pk):
    return _decide(request, pk, claim_pk, "verify")


@login_required
@never_cache
@require_http_methods(["GET", "POST"])
def claim_confirm(request, pk, claim_pk):
    return _decide(request, pk, claim_pk, "confirm")


@login_required
@never_cache
@require_GET
def claims_overdue(request):
    """The caseload's claims whose current step is past its 15 working days, the longest overdue first."""
    require_any(request.user, CASE_CAPABILITIES)
    today = timezone.localdate()
    claims = allowances.claims_overdue(request.user, today)
    page = Paginator(claims, PAGE_SIZE).get_page(request.GET.get("page"))
    page.object_list = list(page.object_list)
    for claim in page.object_list:
        claim.days_late = (today - claim.due_on).days
    return render(request, "childcare/allowance_overdue.html", {"page": page, "today": today})
