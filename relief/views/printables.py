"""Printable notices on A4: the decision (approval or refusal), the certificate (救助证) and a community's
public-notice sheet (公示表). Thin: scope through relief.selectors, 404 for anything outside it or in the
wrong state; names on the public sheet are masked and ID numbers never appear there."""

from django.contrib.auth.decorators import login_required
from django.db.models import Count
from django.http import Http404
from django.shortcuts import get_object_or_404, render
from django.utils import timezone
from django.views.decorators.cache import never_cache

from civic import access
from civic.errors import ApplicationError
from civic.models import Region, Resident
from civic.privacy import mask_name
from relief import selectors
from relief.models import Entitlement, EntitlementStatus, Status
from relief.services.applications import application_quote


def _application(request, pk, *statuses):
    access.require(request.user, "relief.view")
    queryset = selectors.applications_for(request.user).select_related("household__head", "region__parent__parent")
    application = get_object_or_404(queryset, pk=pk)
    if application.status not in statuses:
        raise Http404
    return application


def _district(region):
    """The district (区/县) above a community: the bureau that decides."""
    node = region
    while node is not None and node.level != "district":
        node = node.parent
    return node


@login_required
@never_cache
def decision(request, pk):
    """The approval decision (审批决定书) or the refusal notice (不予批准决定书), by the decision taken."""
    application = _application(request, pk, Status.APPROVED, Status.REFUSED)
    context = {"application": application, "district": _district(application.region)}
    if application.status == Status.REFUSED:
        return render(request, "relief/print_refusal.html", context)
    context["entitlement"] = Entitlement.objects.filter(application=application).first()
    context["members"] = Resident.objects.filter(household=application.household_id).order_by("pk")
    return render(request, "relief/print_decision.html", context)


@login_required
@never_cache
def certificate(request, pk):
    """The certificate (救助证): only while the entitlement it records is active."""
    application = _application(request, pk, Status.APPROVED)
    entitlement = Entitlement.objects.filter(application=application, status=EntitlementStatus.ACTIVE).first()
    if entitlement is None:
        raise Http404
    return render(
        request,
        "relief/print_certificate.html",
        {
            "application": application,
            "entitlement": entitlement,
            "district": _district(application.region),
            "members": Resident.objects.filter(household=application.household_id).count(),
        },
    )


@login_required
@never_cache
def notice_sheet(request, region):
    """The public-notice sheet (公示表) of one community: every application there now under notice."""
    access.require(request.user, "relief.view")
    communities = Region.objects.filter(level="community").select_related("parent__parent")
    community = access.get_in_scope_or_404(request.user, communities, field="code", code=region)
    applications = (
        selectors.applications_for(request.user)
        .filter(region=community, status=Status.NOTICE)
        .select_related("household__head")
        .annotate(size=Count("household__members"))
        .order_by("notice_from", "pk")
    )
    today = timezone.localdate()
    rows = []
    for application in applications:
        try:
            amount = application_quote(application, today).amount
        except ApplicationError:  # no policy in force there
            amount = None
        head = application.household.head
        rows.append(
            {
                "application": application,
                "name": mask_name(head.name) if head else "",
                "size": application.size,
                "amount": amount,
            }
        )
    return render(
        request,
        "relief/print_notice_sheet.html",
        {
            "community": community,
            "street": community.parent,
            "district": _district(community),
            "rows": rows,
            "today": today,
        },
    )


@login_required
@never_cache
def recipients_sheet(request, region):
    """The community's published list of recipients (names masked, household size, monthly amount)."""
    access.require(request.user, "relief.view")
    communities = Region.objects.filter(level="community").select_related("parent__parent")
    community = access.get_in_scope_or_404(request.user, communities, field="code", code=region)
    entitlements = (
        Entitlement.objects.filter(region=community, status=EntitlementStatus.ACTIVE)
        .select_related("household__head")
        .annotate(size=Count("members"))
        .order_by("programme", "starts_on", "pk")
    )
    rows = [
        {"entitlement": e, "name": mask_name(e.household.head.name) if e.household.head else "", "size": e.size}
        for e in entitlements
    ]
    return render(
        request,
        "relief/print_recipients.html",
        {
            "community": community,
            "street": community.parent,
            "district": _district(community),
            "rows": rows,
            "today": timezone.localdate(),
        },
    )
