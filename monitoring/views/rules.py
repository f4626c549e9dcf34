"""The early-warning rules: what each looks for and its current settings, readable by everyone who follows the
warnings; the city tunes them (monitoring.rules) on a form that shows only the settings the rule uses."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods

from civic import access
from civic.errors import ApplicationError, refuse_on_form

from .. import forms
from ..rules import SPECS, rules_in_force
from ..services import rules as services


def _settings(rule, spec):
    """The settings the rule uses as (label, value) pairs, in words."""
    labels = dict(spec.programme_choices)
    shown = []
    for name, label in spec.settings.items():
        value = getattr(rule, name)
        if name == "programmes":
            value = ", ".join(str(labels.get(v, v)) for v in value or []) or "—"
        elif value is None:
            value = "—"
        shown.append((label, value))
    return shown


@login_required
@never_cache
@require_GET
def rule_list(request):
    access.require(request.user, "monitoring.view")
    rows = []
    for rule in rules_in_force():
        spec = SPECS[rule.code]
        rows.append({"rule": rule, "spec": spec, "settings": _settings(rule, spec)})
    return render(
        request,
        "monitoring/rule_list.html",
        {"rows": rows, "can_tune": access.can(request.user, "monitoring.rules")},
    )


@login_required
@never_cache
@require_http_methods(["GET", "POST"])
def rule_edit(request, code):
    access.require(request.user, "monitoring.rules")
    if code not in SPECS:
        raise Http404
    rule = next(r for r in rules_in_force() if r.code == code)
    spec = SPECS[code]
    status = 200
    if request.method == "POST":
        form = forms.RuleForm(request.POST, rule=rule)
        if form.is_valid():
            try:
                services.rule_update(actor=request.user, rule=rule, data=form.settings())
            except ApplicationError as exc:
                status = refuse_on_form(form, exc)
            else:
                messages.success(
                    request, _("The rule “%(rule)s” is saved; the next nightly run applies it.") % {"rule": rule}
                )
                return redirect("monitoring:rule-list")
        else:
            status = 400
    else:
        form = forms.RuleForm(rule=rule)
    return render(request, "monitoring/rule_edit.html", {"form": form, "rule": rule, "spec": spec}, status=status)
