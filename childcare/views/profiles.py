"""Child profiles: the caseload of the children the user may open, registering a child with the community's child
director and the street's supervisor, and the child's case file with the reports about the child. Thin: forms
check shapes, childcare.services the rules, childcare.rules who may open a case file."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods

from childcare import forms, rules, services
from childcare.models import ChildCategory, ChildProfile
from civic import idnumbers
from civic import selectors as registry
from civic.errors import ApplicationError, add_service_errors

from . import CASE_CAPABILITIES, allowances, require_any, visits
from .reports import is_late

PAGE_SIZE = 25


def label_categories(profiles):
    labels = dict(ChildCategory.choices)
    for profile in profiles:
        profile.category_labels = [labels.get(value, value) for value in profile.categories]
    return profiles


@login_required
@never_cache
@require_GET
def profile_list(request):
    require_any(request.user, CASE_CAPABILITIES)
    profiles = rules.profiles_for(request.user).order_by("region_id", "resident__name", "pk")
    page = Paginator(profiles, PAGE_SIZE).get_page(request.GET.get("page"))
    page.object_list = label_categories(list(page.object_list))
    return render(request, "childcare/profile_list.html", {"page": page, "today": timezone.localdate()})


@login_required
@never_cache
@require_http_methods(["GET", "POST"])
def profile_register(request):
    require_any(request.user, CASE_CAPABILITIES)
    status = 200
    if request.method == "POST":
        form = forms.ProfileRegisterForm(request.POST, user=request.user)
        if form.is_valid():
            data = form.cleaned_data
            number = idnumbers.normalise(data["id_number"])
            resident = registry.residents_for(request.user).filter(id_number=number).first()
            if resident is None:
                form.add_error("id_number", _("Nobody with this ID number lives in your area."))
                status = 400
            else:
                try:
                    profile = services.profile_register(
                        actor=request.user,
                        resident=resident,
                        categories=data["categories"],
                        director=data["director"],
                        supervisor=data["supervisor"],
                        guardian=data["guardian"],
                        guardian_phone=data["guardian_phone"],
                        school=data["school"],
                        father=data["father"],
                        mother=data["mother"],
                    )
                except ApplicationError as exc:
                    if exc.status == 403:
                        raise PermissionDenied from None
                    if exc.status == 404:
                        raise Http404 from None
                    add_service_errors(form, exc, {"resident": "id_number"})
                    status = 400
                else:
                    messages.success(
                        request,
                        _("%(name)s has a child profile; the child director is %(director)s.")
                        % {"name": resident.name, "director": profile.director},
                    )
                    if rules.may_open_profile(request.user, profile):
                        return redirect("childcare:profile-detail", pk=profile.pk)
                    return redirect("childcare:profile-list")
        else:
            status = 400
    else:
        form = forms.ProfileRegisterForm(user=request.user)
    return render(request, "childcare/profile_register.html", {"form": form}, status=status)


def profile_open(request, pk):
    """The child's profile if the user may open the case file; otherwise the attempt is logged and the answer is
    404, the same as for a profile that does not exist. The allowance and visit actions open it this way too."""
    profile = (
        ChildProfile.objects.select_related("resident", "region__parent", "director", "supervisor")
        .filter(pk=pk)
        .first()
    )
    if profile is None:
        raise Http404
    if not rules.may_open_profile(request.user, profile):
        rules.log_view(request.user, profile=profile, allowed=False)
        raise Http404
    return profile


def render_profile(request, profile, *, bound=None, refusal=None, status=200):
    """The case file with its allowance and visit sections (`bound`: a section's form posted back with its
    errors). Each showing is an opening, logged."""
    rules.log_view(request.user, profile=profile, allowed=True)
    now = timezone.now()
    reports = list(rules.reports_for(request.user).filter(child=profile.resident).order_by("-received_at", "-pk"))
    for report in reports:
        report.late = is_late(report, now)
    label_categories([profile])
    context = {
        "profile": profile,
        "reports": reports,
        "age": profile.resident.age_on(timezone.localdate()),
        "refusal": refusal,
    }
    context.update(allowances.section(request.user, profile, bound or {}))
    context.update(visits.section(request.user, profile, bound or {}))
    return render(request, "childcare/profile_detail.html", context, status=status)


@login_required
@never_cache
@require_GET
def profile_detail(request, pk):
    """The child's case file: shown to those who may open it and logged; anyone else gets 404, logged too."""
    return render_profile(request, profile_open(request, pk))
