"""Benefit standards (低保标准, relief policies): the list, a new draft, the draft corrected, simulated and
published by a second manager, and what publishing did (the recompute job and the adjustments it wrote).
Thin: forms check shapes, relief.services.policies the rules."""

from decimal import Decimal

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import FieldDoesNotExist, PermissionDenied
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from civic import access
from civic.errors import ApplicationError
from civic.models import Job
from relief import money_forms, selectors
from relief.models import Adjustment, PolicyState, ReliefPolicy
from relief.programmes import Programme
from relief.services import policies as flow

from .batches import job_progress_context

PAGE_SIZE = 25
ADJUSTMENTS_PAGE_SIZE = 50
# Set by the draft form itself; every other option is copied from the policy in force.
FORM_FIELDS = ("area", "effective_from", "name", "dibao_standard")


def _require_read(user):
    if not (access.can(user, "relief.view") or access.can(user, "money.manage")):
        raise PermissionDenied


def _field_label(name):
    head = name.split(".")[0]
    if head == "topups":
        return _("Top-ups (分类施保)")
    try:
        return str(ReliefPolicy._meta.get_field(head).verbose_name)
    except FieldDoesNotExist:  # "topups.0.value", "non_field_errors"
        return head


def _map_errors(form, exc):
    """An ApplicationError's messages next to the form's fields; the others above the form, with their label."""
    for field, errors in exc.fields.items():
        for error in errors or [exc.message]:
            if field in form.fields:
                form.add_error(field, error)
            elif field == "non_field_errors":
                form.add_error(None, error)
            else:
                form.add_error(None, f"{_field_label(field)}: {error}")
    if not exc.fields:
        form.add_error(None, exc.message)


def _error_text(exc):
    details = [f"{_field_label(f)}: {m}" for f, messages_ in exc.fields.items() for m in messages_]
    return " ".join([str(exc.message), *details])


@login_required
@never_cache
@require_GET
def standard_list(request):
    _require_read(request.user)
    policies = selectors.policies_for(request.user).order_by("-effective_from", "-pk")
    state = request.GET.get("state", "")
    if state in PolicyState.values:
        policies = policies.filter(state=state)
    page = Paginator(policies, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "relief/standard_list.html",
        {
            "page": page,
            "state": state,
            "states": PolicyState.choices,
            "can_draft": access.can(request.user, "relief.policy"),
        },
    )


def _copied_options(region_code, area, on):
    """Every option except those the form sets, with the top-ups, from the policy in force there on `on` (the
    most specific region that has one); the model's defaults when there is none."""
    base = selectors.policy_in_force(region_code, area, on)
    if base is None:
        return {}, [], None
    values = {name: getattr(base, name) for name in flow.POLICY_FIELDS if name not in FORM_FIELDS}
    topups = [{name: getattr(t, name) for name in flow.TOPUP_FIELDS} for t in base.topups.all()]
    return values, topups, base


@login_required
@never_cache
@require_http_methods(["GET", "POST"])
def standard_new(request):
    access.require(request.user, "relief.policy")
    if request.method != "POST":
        form = money_forms.StandardDraftForm(user=request.user)
        return render(request, "relief/standard_form.html", {"form": form, "policy": None})
    form = money_forms.StandardDraftForm(request.POST, user=request.user)
    status = 400
    if form.is_valid():
        data = form.cleaned_data
        values, topups, base = _copied_options(data["region"], data["area"], data["effective_from"])
        try:
            policy = flow.policy_draft(
                actor=request.user,
                region_code=data["region"],
                topups=topups,
                **values,
                **{name: data[name] for name in FORM_FIELDS},
            )
        except ApplicationError as exc:
            _map_errors(form, exc)
            status = 400 if exc.status == 404 else exc.status
        else:
            if base is not None:
                messages.success(
                    request,
                    _("Draft saved. Its other options and top-ups are copied from “%(name)s”.") % {"name": base.name},
                )
            else:
                messages.success(request, _("Draft saved with the default options: no policy is in force there yet."))
            return redirect("relief:standard-detail", pk=policy.pk)
    return render(request, "relief/standard_form.html", {"form": form, "policy": None}, status=status)


def _get(request, pk):
    _require_read(request.user)
    policy = selectors.policies_for(request.user).select_related("published_by").filter(pk=pk).first()
    if policy is None:
        raise Http404
    return policy


def _display(policy, name):
    field = ReliefPolicy._meta.get_field(name)
    value = getattr(policy, name)
    if field.choices:
        return getattr(policy, f"get_{name}_display")()
    if name == "price_programmes":
        labels = dict(Programme.choices)
        return ", ".join(str(labels.get(p, p)) for p in value or []) or "—"
    return "—" if value is None or value == "" else value


def _options(policy):
    """Every option of the policy except those in the header, with its label."""
    shown = {"region", "area", "effective_from", "name", "dibao_standard"}
    return [
        {"label": ReliefPolicy._meta.get_field(name).verbose_name, "value": _display(policy, name)}
        for name in flow.POLICY_FIELDS
        if name not in shown
    ]


def _simulation(policy):
    """The stored simulation as table rows, each with its difference, and the totals row."""
    stored = policy.simulation
    if not stored:
        return None

    def row(data):
        old, new = Decimal(data["old_total"]), Decimal(data["new_total"])
        return {
            "name": data.get("name", ""),
            "entitlements": data["entitlements"],
            "changed": data["changed"],
            "old_total": old,
            "new_total": new,
            "difference": new - old,
            "back_pay": Decimal(data["back_pay"]),
        }

    return {
        "as_of": stored.get("as_of", ""),
        "standard": stored.get("standard", ""),
        "rows": [row(r) for r in stored.get("regions", [])],
        "totals": row(stored["totals"]),
    }


def _publish_refusal(user, policy):
    if policy.state != PolicyState.DRAFT:
        return ""
    if policy.simulated_at is None:
        return _("Simulate the draft first, to see what it changes; then another manager may publish it.")
    if policy.created_by_id is not None and policy.created_by_id == user.pk:
        return _(
            "You drafted this standard, so someone else must publish it (four eyes): another manager checks the "
            "simulation and publishes."
        )
    return ""


@login_required
@never_cache
@require_GET
def standard_detail(request, pk):
    policy = _get(request, pk)
    may_act = access.can(request.user, "relief.policy") and access.in_scope(request.user, policy.region_id)
    draft = policy.state == PolicyState.DRAFT
    job = Job.objects.filter(key=f"relief.recompute:{policy.pk}").select_related("region").first()
    adjustments = access.scope_queryset(
        request.user,
        Adjustment.objects.filter(policy=policy).select_related("entitlement__household"),
        field="entitlement__region__code",
    ).order_by("pk")
    page = Paginator(adjustments, ADJUSTMENTS_PAGE_SIZE).get_page(request.GET.get("page"))
    refusal = _publish_refusal(request.user, policy) if may_act else ""
    return render(
        request,
        "relief/standard_detail.html",
        {
            "policy": policy,
            "options": _options(policy),
            "topups": policy.topups.all(),
            "simulation": _simulation(policy),
            "may_edit": may_act and draft,
            "may_simulate": may_act and draft,
            "may_publish": may_act and draft and not refusal,
            "publish_refusal": refusal,
            "progress": job_progress_context(request.user, job),
            "page": page,
        },
    )


@login_required
@never_cache
@require_http_methods(["GET", "POST"])
def standard_edit(request, pk):
    access.require(request.user, "relief.policy")
    policy = _get(request, pk)
    if not access.in_scope(request.user, policy.region_id):
        raise Http404
    if policy.state != PolicyState.DRAFT:
        messages.error(
            request,
            _("This policy was published and cannot be changed: draft a new policy with a later start date instead."),
        )
        return redirect("relief:standard-detail", pk=policy.pk)
    initial = {name: getattr(policy, name) for name in ("name", "dibao_standard", "effective_from")}
    if request.method != "POST":
        form = money_forms.StandardEditForm(initial=initial)
        return render(request, "relief/standard_form.html", {"form": form, "policy": policy})
    form = money_forms.StandardEditForm(request.POST, initial=initial)
    status = 400
    if form.is_valid():
        if not form.has_changed():
            messages.info(request, _("Nothing was changed."))
            return redirect("relief:standard-detail", pk=policy.pk)
        try:
            flow.policy_update(
                actor=request.user,
                policy=policy,
                **{name: form.cleaned_data[name] for name in form.changed_data},
            )
        except ApplicationError as exc:
            if exc.status == 404:
                raise Http404 from None
            _map_errors(form, exc)
            status = exc.status if exc.status in (403, 409) else 400
        else:
            messages.success(request, _("Draft changed. Simulate it again before it is published."))
            return redirect("relief:standard-detail", pk=policy.pk)
    return render(request, "relief/standard_form.html", {"form": form, "policy": policy}, status=status)


@login_required
@never_cache
@require_POST
def standard_simulate(request, pk):
    access.require(request.user, "relief.policy")
    policy = _get(request, pk)
    try:
        flow.policy_simulate(actor=request.user, policy=policy)
    except ApplicationError as exc:
        if exc.status == 404:
            raise Http404 from None
        messages.error(request, _error_text(exc))
    else:
        messages.success(request, _("Simulated: the table shows what publishing would change."))
    return redirect("relief:standard-detail", pk=policy.pk)


@login_required
@never_cache
@require_POST
def standard_publish(request, pk):
    access.require(request.user, "relief.policy")
    policy = _get(request, pk)
    try:
        policy, job = flow.policy_publish(actor=request.user, policy=policy)
    except ApplicationError as exc:
        if exc.status == 404:
            raise Http404 from None
        messages.error(request, _error_text(exc))
    else:
        if job is None:
            messages.success(
                request,
                _("Published. The benefits it governs are recomputed on %(date)s, when it comes into force.")
                % {"date": policy.effective_from.isoformat()},
            )
        else:
            messages.success(request, _("Published. The benefits it governs are being recomputed."))
    return redirect("relief:standard-detail", pk=policy.pk)
