"""Social organisations (社会组织): the list of the user's area with its filters, registering one, the organisation
with its contacts, grade, funds, projects and pairings, and opening a fund. Thin: charity.forms check shapes,
charity.services the rules (the GB 32100 check of the credit code, the five-year validity of a grade)."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.db.models import Count, Q
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from charity import credit_codes, selectors, services
from charity.forms import records as forms
from civic import access
from civic.errors import ApplicationError, add_service_errors, refuse_on_form

PAGE_SIZE = 25


def grade_state(organisation, today):
    """ "valid", "expired" or "not_yet" for a graded organisation on `today`; "" when it has no grade."""
    if not organisation.grade:
        return ""
    if organisation.grade_valid_from and organisation.grade_valid_from > today:
        return "not_yet"
    if organisation.grade_valid_until and organisation.grade_valid_until < today:
        return "expired"
    return "valid"


def _counts(queryset, organisations):
    rows = (
        queryset.filter(organisation__in=organisations)
        .order_by()
        .values("organisation_id")
        .annotate(n=Count("pk", distinct=True))  # distinct: projects_for joins the ledger for `raised`
    )
    return {row["organisation_id"]: row["n"] for row in rows}


def may_manage(user, region_code):
    """Forms that change an organisation's records are offered where the service would accept them."""
    return access.can(user, "charity.manage") and access.in_scope(user, region_code)


@login_required
@never_cache
@require_GET
def organisation_list(request):
    access.require(request.user, "charity.view")
    today = timezone.localdate()
    filters = forms.OrganisationFilterForm(request.GET or None)
    organisations = selectors.organisations_for(request.user)
    if filters.is_valid():
        data = filters.cleaned_data
        if data["q"].strip():
            query = data["q"].strip()
            organisations = organisations.filter(
                Q(name__icontains=query) | Q(credit_code__startswith=credit_codes.normalise(query))
            )
        if data["kind"]:
            organisations = organisations.filter(kind=data["kind"])
        if data["grade"] == forms.NO_GRADE:
            organisations = organisations.filter(grade="")
        elif data["grade"]:
            organisations = organisations.filter(grade=data["grade"])
    organisations = organisations.order_by("region_id", "name", "pk")
    page = Paginator(organisations, PAGE_SIZE).get_page(request.GET.get("page"))
    page.object_list = list(page.object_list)
    funds = _counts(selectors.funds_for(request.user), page.object_list)
    projects = _counts(selectors.projects_for(request.user), page.object_list)
    pairings = _counts(selectors.pairings_for(request.user), page.object_list)
    for organisation in page.object_list:
        organisation.grade_state = grade_state(organisation, today)
        organisation.fund_count = funds.get(organisation.pk, 0)
        organisation.project_count = projects.get(organisation.pk, 0)
        organisation.pairing_count = pairings.get(organisation.pk, 0)
    return render(
        request,
        "charity/organisation_list.html",
        {"page": page, "filters": filters, "can_manage": access.can(request.user, "charity.manage")},
    )


@login_required
@never_cache
@require_http_methods(["GET", "POST"])
def organisation_register(request):
    access.require(request.user, "charity.manage")
    status = 200
    if request.method == "POST":
        form = forms.OrganisationRegisterForm(request.POST, user=request.user)
        if form.is_valid():
            data = form.cleaned_data
            try:
                organisation = services.organisation_register(
                    actor=request.user,
                    region_code=data["region"],
                    name=data["name"],
                    kind=data["kind"],
                    credit_code=data["credit_code"],
                    grade=data["grade"],
                    grade_valid_from=data["grade_valid_from"],
                    grade_valid_until=data["grade_valid_until"],
                    contact_name=data["contact_name"],
                    contact_phone=data["contact_phone"],
                )
            except ApplicationError as exc:
                status = refuse_on_form(form, exc)
            else:
                messages.success(request, _("%(name)s is registered.") % {"name": organisation.name})
                return redirect("charity:organisation-detail", pk=organisation.pk)
        else:
            status = 400
    else:
        form = forms.OrganisationRegisterForm(user=request.user)
    return render(request, "charity/organisation_register.html", {"form": form}, status=status)


def _organisation_get(request, pk):
    access.require(request.user, "charity.view")
    return get_object_or_404(selectors.organisations_for(request.user), pk=pk)


def _detail(request, organisation, *, fund_form=None, status=200):
    user = request.user
    manage = may_manage(user, organisation.region_id)
    if manage and fund_form is None:
        fund_form = forms.FundOpenForm()
    return render(
        request,
        "charity/organisation_detail.html",
        {
            "organisation": organisation,
            "grade_state": grade_state(organisation, timezone.localdate()),
            "funds": selectors.funds_for(user).filter(organisation=organisation).order_by("name", "pk"),
            "projects": selectors.projects_for(user).filter(organisation=organisation).order_by("-starts_on", "pk"),
            "pairings": selectors.pairings_for(user)
            .filter(organisation=organisation)
            .annotate(activity_count=Count("activities"))
            .order_by("-started_on", "pk"),
            "fund_form": fund_form if manage else None,
        },
        status=status,
    )


@login_required
@never_cache
@require_GET
def organisation_detail(request, pk):
    return _detail(request, _organisation_get(request, pk))


@login_required
@never_cache
@require_POST
def fund_open(request, pk):
    organisation = _organisation_get(request, pk)
    access.require(request.user, "charity.manage")
    form = forms.FundOpenForm(request.POST)
    if not form.is_valid():
        return _detail(request, organisation, fund_form=form, status=400)
    try:
        fund = services.fund_open(actor=request.user, organisation=organisation, name=form.cleaned_data["name"])
    except ApplicationError as exc:
        if exc.status == 404:
            raise Http404 from None
        add_service_errors(form, exc)
        return _detail(request, organisation, fund_form=form, status=exc.status if exc.status in (403, 409) else 400)
    messages.success(request, _("The fund “%(name)s” is open.") % {"name": fund.name})
    return redirect("charity:fund-detail", pk=fund.pk)
