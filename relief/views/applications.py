"""Relief casework pages: the queue, filing (全城通办), the application with the step each role may take,
and the overdue list. Thin: forms check shapes, relief.services.applications the rules."""

from decimal import Decimal

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

from civic import access, idnumbers, workdays
from civic.errors import ApplicationError
from civic.models import Household, Resident, User
from civic.roles import Role
from relief import forms, selectors
from relief.models import Status
from relief.programmes import CareForm, DocumentKind, Programme
from relief.services import applications as flow

PAGE_SIZE = 25


@login_required
@never_cache
def application_list(request):
    access.require(request.user, "relief.view")
    applications = selectors.applications_for(request.user).select_related("household__head").order_by("-pk")
    status = request.GET.get("status", "")
    if status in Status.values:
        applications = applications.filter(status=status)
    page = Paginator(applications, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "relief/application_list.html",
        {
            "page": page,
            "status": status,
            "statuses": Status.choices,
            "can_file": access.can(request.user, "relief.apply"),
            "today": timezone.localdate(),
            "tekun_checks": selectors.tekun_check_rate(request.user)
            if access.can(request.user, "relief.decide")
            else None,
        },
    )


@login_required
@never_cache
def overdue_list(request):
    access.require(request.user, "relief.view")
    today = timezone.localdate()
    rows = []
    for application in selectors.overdue_applications(request.user, today).select_related(
        "household__head", "region__parent"
    )[:500]:
        rows.append(
            {
                "application": application,
                "late": workdays.working_days_between(application.step_due, today),
                "street": application.region.parent,
            }
        )
    paperwork = selectors.paperwork_overdue(request.user, today)
    return render(request, "relief/overdue_list.html", {"rows": rows, "today": today, "paperwork": paperwork})


def _city_households(user):
    """全城通办: a caseworker may accept for any household of the city, not only their own community."""
    prefix = access.scope_prefix(user)
    if prefix is None:
        return Household.objects.none()
    return Household.objects.filter(region__code__startswith=prefix[:4])


def _household_for_filing(request, lookup):
    number = idnumbers.normalise(lookup)
    resident = (
        Resident.objects.filter(id_number=number, household__in=_city_households(request.user))
        .select_related("household__region")
        .first()
    )
    return resident.household if resident else None


def _filing_forms(request, household, data=None, files=None):
    members = list(household.members.order_by("pk"))
    return (
        forms.FilingForm(data, files),
        forms.IncomeFormSet(data, prefix="incomes", form_kwargs={"members": members}),
        forms.AssetFormSet(data, prefix="assets"),
        forms.ExpenseFormSet(data, prefix="expenses"),
    )


@login_required
@never_cache
def application_file(request):
    access.require(request.user, "relief.apply")
    household = None
    lookup = forms.HouseholdLookupForm(request.GET or None)
    if request.method == "POST":
        household = _city_households(request.user).filter(pk=request.POST.get("household")).first()
        if household is None:
            raise Http404
        filing, incomes, assets, expenses = _filing_forms(request, household, request.POST, request.FILES)
        if all(f.is_valid() for f in (filing, incomes, assets, expenses)):
            members = {m.pk: m for m in household.members.all()}
            try:
                application = flow.application_file(
                    actor=request.user,
                    household=household,
                    programme=filing.cleaned_data["programme"],
                    public_notice=filing.cleaned_data["public_notice"],
                    self_care_failures=filing.cleaned_data["self_care_failures"] or 0,
                    care_form=filing.cleaned_data["care_form"] or CareForm.DISPERSED,
                    aid_months=filing.cleaned_data["aid_months"] or Decimal(1),
                    account=filing.cleaned_data["account"],
                    incomes=[
                        (members[f.cleaned_data["resident"]], f.cleaned_data["kind"], f.cleaned_data["monthly_amount"])
                        for f in incomes.forms
                        if f.has_changed() and f.cleaned_data
                    ],
                    assets=[
                        (f.cleaned_data["kind"], f.cleaned_data["description"], f.cleaned_data["value"])
                        for f in assets.forms
                        if f.has_changed() and f.cleaned_data
                    ],
                    expenses=[
                        (f.cleaned_data["kind"], f.cleaned_data["monthly_amount"])
                        for f in expenses.forms
                        if f.has_changed() and f.cleaned_data
                    ],
                    documents=[(kind, filing.cleaned_data[kind]) for kind in ("id_proof", "commitment", "declaration")],
                )
            except ApplicationError as exc:
                target = "programme" if "programme" in exc.fields else None
                filing.add_error(target, exc.message)
            else:
                messages.success(
                    request,
                    _("Application %(number)s accepted and sent to %(street)s.")
                    % {"number": application.number, "street": application.region.parent.name},
                )
                return redirect("relief:application-detail", pk=application.pk)
    elif request.GET.get("household"):
        # From a monitoring warning: the household by its file number, so no ID number travels in the URL.
        pk = request.GET["household"]
        household = _city_households(request.user).filter(pk=pk).first() if pk.isdigit() else None
        if household is None:
            raise Http404
        lookup = forms.HouseholdLookupForm()
    elif lookup.is_valid():
        household = _household_for_filing(request, lookup.cleaned_data["id_number"])
        if household is None:
            lookup.add_error(
                "id_number", _("Nobody with this ID number is registered in the city. Register the household first.")
            )
    if household is None:
        return render(request, "relief/application_file.html", {"lookup": lookup})
    if request.method != "POST":
        filing, incomes, assets, expenses = _filing_forms(request, household)
        programme = request.GET.get("programme", "")
        if programme in dict(filing.fields["programme"].choices):
            filing.initial["programme"] = programme
    return render(
        request,
        "relief/application_file.html",
        {
            "lookup": lookup,
            "household": household,
            "members": household.members.order_by("pk"),
            "filing": filing,
            "incomes": incomes,
            "assets": assets,
            "expenses": expenses,
        },
    )


def _colleagues(application):
    """Staff who may be the second investigator: caseworkers and reviewers of the community or its street."""
    street = application.region.parent_id
    return User.objects.filter(
        is_active=True, role__in=[Role.CASEWORKER, Role.STREET_REVIEWER], region_id__in=[application.region_id, street]
    ).order_by("username")


def _available_actions(user, application):
    """The steps this user may take now, each with an empty form (or None when it needs no input)."""
    status, actions = application.status, {}
    notice_over = status == Status.NOTICE and application.notice_until < timezone.localdate()
    if status in (Status.ACCEPTED, Status.INVESTIGATING, Status.NOTICE, Status.DECIDING) and access.can(
        user, "relief.apply"
    ):
        actions["document"] = forms.DocumentForm()
    if status == Status.ACCEPTED and access.can(user, "relief.review"):
        actions["investigation"] = None
    if (
        application.programme == Programme.TEMP_EMERGENCY
        and status in (Status.ACCEPTED, Status.INVESTIGATING)
        and access.can(user, "relief.review")
    ):
        actions["pay-first"] = forms.PayFirstForm()
    review_pending = status == Status.INVESTIGATING and flow.democratic_review_pending(application)
    if review_pending and access.can(user, "relief.apply"):
        actions["democratic-review"] = forms.DemocraticReviewForm(initial={"held_on": timezone.localdate()})
    if status == Status.INVESTIGATING:
        if access.can(user, "relief.apply"):
            actions["home-visit"] = forms.HomeVisitForm(
                initial={"visited_on": timezone.localdate()}, colleagues=_colleagues(application).exclude(pk=user.pk)
            )
        if access.can(user, "relief.review"):
            actions["cross-check"] = forms.CrossCheckForm()
            actions["opinion"] = forms.OpinionForm()
    if status == Status.NOTICE and not notice_over and access.can(user, "relief.apply"):
        actions["objection"] = forms.ObjectionForm(initial={"received_on": timezone.localdate()})
    if (status == Status.DECIDING or notice_over) and access.can(user, "relief.decide"):
        actions["decision"] = forms.DecisionForm()
    return actions


def _detail(request, application, *, bound=None, status=200):
    actions = _available_actions(request.user, application)
    if bound is not None:
        actions[bound[0]] = bound[1]
    try:
        quote = (
            flow.application_quote(application)
            if application.status in (Status.INVESTIGATING, Status.NOTICE, Status.DECIDING)
            else None
        )
    except ApplicationError as exc:
        quote, quote_error = None, exc.message
    else:
        quote_error = ""
    return render(
        request,
        "relief/application_detail.html",
        {
            "application": application,
            "members": application.household.members.order_by("pk"),
            "actions": actions,
            "quote": quote,
            "quote_error": quote_error,
            "missing_documents": [DocumentKind(k).label for k in flow.missing_documents(application)],
            "today": timezone.localdate(),
        },
        status=status,
    )


def _get(request, pk):
    access.require(request.user, "relief.view")
    return access.get_in_scope_or_404(
        request.user,
        selectors.applications_for(request.user).select_related("household__head", "region__parent", "accepted_by"),
        pk=pk,
    )


@login_required
@never_cache
def application_detail(request, pk):
    return _detail(request, _get(request, pk))


def _perform(action, user, application, data):
    if action == "investigation":
        return flow.investigation_start(actor=user, application=application)
    if action == "home-visit":
        return flow.home_visit_record(actor=user, application=application, **data)
    if action == "cross-check":
        return flow.cross_check_record(actor=user, application=application, **data)
    if action == "opinion":
        return flow.opinion_give(actor=user, application=application, **data)
    if action == "objection":
        return flow.objection_record(actor=user, application=application, **data)
    if action == "decision":
        return flow.decide(actor=user, application=application, **data)
    if action == "democratic-review":
        return flow.democratic_review_record(actor=user, application=application, **data)
    if action == "pay-first":
        return flow.emergency_pay_first(actor=user, application=application, **data)
    if action == "document":
        return flow.document_add(actor=user, application=application, kind=data["kind"], upload=data["file"])
    raise Http404


FORMS = {
    "home-visit": forms.HomeVisitForm,
    "cross-check": forms.CrossCheckForm,
    "opinion": forms.OpinionForm,
    "objection": forms.ObjectionForm,
    "decision": forms.DecisionForm,
    "document": forms.DocumentForm,
    "pay-first": forms.PayFirstForm,
    "democratic-review": forms.DemocraticReviewForm,
}
DONE = {
    "investigation": _("The investigation has started."),
    "home-visit": _("Home visit recorded."),
    "cross-check": _("Cross-check result recorded."),
    "opinion": _("The street's opinion is recorded."),
    "objection": _("Objection recorded; the application goes back for investigation or a democratic review."),
    "decision": _("Decision recorded."),
    "document": _("Document added."),
    "pay-first": _("Paid first. Complete the documents within 5 working days."),
    "democratic-review": _("Democratic review recorded; the street may now give a new opinion."),
}


@login_required
@never_cache
@require_POST
def application_act(request, pk, action):
    application = _get(request, pk)
    if action not in DONE:
        raise Http404
    form = None
    data = {}
    if action in FORMS:
        kwargs = {"colleagues": _colleagues(application)} if action == "home-visit" else {}
        form = FORMS[action](request.POST, request.FILES, **kwargs)
        if not form.is_valid():
            return _detail(request, application, bound=(action, form), status=400)
        data = form.cleaned_data
    try:
        with transaction.atomic():
            _perform(action, request.user, application, data)
    except ApplicationError as exc:
        if form is None:
            messages.error(request, exc.message)
            return redirect("relief:application-detail", pk=application.pk)
        for field, errors in exc.fields.items():
            for error in errors or [exc.message]:
                form.add_error(field if field in form.fields else None, error)
        if not exc.fields:
            form.add_error(None, exc.message)
        application.refresh_from_db()
        return _detail(
            request, application, bound=(action, form), status=exc.status if exc.status in (403, 409) else 400
        )
    messages.success(request, DONE[action])
    return redirect("relief:application-detail", pk=application.pk)
