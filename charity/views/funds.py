"""Charity funds: the funds the user sees with their balances, a fund with its ledger (newest first) and the forms
that record a donation and make a grant, and the ledger as CSV for Excel. Thin: charity.services.funds keeps the
balance (locked row, never below zero); a grant that would overdraw comes back as a 409 with the service's words."""

import csv

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404, StreamingHttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_POST

from charity import selectors, services
from charity.forms import records as forms
from charity.models import EntryKind
from civic import access
from civic import selectors as registry
from civic.errors import ApplicationError, add_service_errors
from civic.table_export import Echo, csv_safe

from .organisations import may_manage

PAGE_SIZE = 25
LEDGER_PAGE_SIZE = 50
CSV_ROWS_PER_CHUNK = 500
# A cell starting with one of these is a formula to Excel: it is written with a leading apostrophe instead.


@login_required
@never_cache
@require_GET
def fund_list(request):
    access.require(request.user, "charity.view")
    funds = selectors.funds_for(request.user).order_by("organisation__name", "name", "pk")
    page = Paginator(funds, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "charity/fund_list.html", {"page": page})


def _fund_get(request, pk):
    access.require(request.user, "charity.view")
    return get_object_or_404(selectors.funds_for(request.user), pk=pk)


def _detail(request, fund, *, donation_form=None, grant_form=None, status=200):
    user = request.user
    manage = may_manage(user, fund.organisation.region_id)
    if manage:
        donation_form = donation_form or forms.DonationForm(user=user)
        grant_form = grant_form or forms.GrantForm(user=user)
    entries = fund.entries.select_related("project", "household").order_by("-pk")
    return render(
        request,
        "charity/fund_detail.html",
        {
            "fund": fund,
            "page": Paginator(entries, LEDGER_PAGE_SIZE).get_page(request.GET.get("page")),
            "donation_form": donation_form if manage else None,
            "grant_form": grant_form if manage else None,
        },
        status=status,
    )


@login_required
@never_cache
@require_GET
def fund_detail(request, pk):
    return _detail(request, _fund_get(request, pk))


def _refused(form, exc):
    """The service's refusal onto the form; the status the page answers with."""
    if exc.status == 404:
        raise Http404
    add_service_errors(form, exc)
    return exc.status if exc.status in (403, 409) else 400


@login_required
@never_cache
@require_POST
def donation_record(request, pk):
    fund = _fund_get(request, pk)
    access.require(request.user, "charity.manage")
    form = forms.DonationForm(request.POST, user=request.user)
    if not form.is_valid():
        return _detail(request, fund, donation_form=form, status=400)
    data = form.cleaned_data
    try:
        entry = services.donation_record(
            actor=request.user,
            fund=fund,
            donor=data["donor"],
            amount=data["amount"],
            purpose=data["purpose"],
            on=data["on"],
            project=data["project"],
        )
    except ApplicationError as exc:
        return _detail(request, fund, donation_form=form, status=_refused(form, exc))
    messages.success(
        request,
        _("Donation of %(amount)s yuan from %(donor)s recorded; the fund holds %(balance)s yuan.")
        % {"amount": entry.amount, "donor": entry.party, "balance": entry.balance_after},
    )
    return redirect("charity:fund-detail", pk=fund.pk)


@login_required
@never_cache
@require_POST
def grant_make(request, pk):
    fund = _fund_get(request, pk)
    access.require(request.user, "charity.manage")
    form = forms.GrantForm(request.POST, user=request.user)
    if not form.is_valid():
        return _detail(request, fund, grant_form=form, status=400)
    data = form.cleaned_data
    household = None
    if data["household_number"].strip():
        household = registry.household_by_number(request.user, data["household_number"])
        if household is None:
            form.add_error("household_number", _("No household with this number in your area."))
            return _detail(request, fund, grant_form=form, status=400)
    try:
        entry = services.grant_make(
            actor=request.user,
            fund=fund,
            amount=data["amount"],
            recipient=data["recipient"],
            purpose=data["purpose"],
            on=data["on"],
            project=data["project"],
            household=household,
        )
    except ApplicationError as exc:
        return _detail(request, fund, grant_form=form, status=_refused(form, exc))
    messages.success(
        request,
        _("Grant of %(amount)s yuan to %(recipient)s made; the fund holds %(balance)s yuan.")
        % {"amount": entry.amount, "recipient": entry.party, "balance": entry.balance_after},
    )
    return redirect("charity:fund-detail", pk=fund.pk)


def csv_headers():
    return [
        _("Date"),
        _("Kind"),
        _("Donor or recipient"),
        _("Purpose"),
        _("Project"),
        _("Household"),
        _("Received (yuan)"),
        _("Paid out (yuan)"),
        _("Balance after (yuan)"),
    ]


def _ledger_rows(fund, language):
    """The whole ledger in the order it was written, so each row's balance follows from the one above."""
    writer = csv.writer(Echo())
    kinds = dict(EntryKind.choices)
    entries = fund.entries.select_related("project", "household").order_by("pk")
    with translation.override(language):
        yield "\ufeff" + writer.writerow(csv_headers())
        buffer = []
        for entry in entries.iterator(chunk_size=2000):
            donation = entry.kind == EntryKind.DONATION
            row = [
                entry.on.isoformat(),
                str(kinds.get(entry.kind, entry.kind)),
                entry.party,
                entry.purpose,
                entry.project.name if entry.project_id else "",
                entry.household.number if entry.household_id else "",
                entry.amount if donation else "",
                "" if donation else entry.amount,
                entry.balance_after,
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
def fund_ledger_csv(request, pk):
    fund = _fund_get(request, pk)
    response = StreamingHttpResponse(
        _ledger_rows(fund, translation.get_language()), content_type="text/csv; charset=utf-8"
    )
    name = f"fund-{fund.pk}-ledger-{timezone.localdate():%Y%m%d}.csv"
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response
