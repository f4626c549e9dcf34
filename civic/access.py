"""The one place that decides what a user or partner may see and do: role × region subtree.

Pages, API endpoints, exports and dashboards ask this module; nothing filters case data by hand.
A principal is a staff User or a partner token's principal (civic.api.authentication.PartnerPrincipal).
"""

from django.core.exceptions import PermissionDenied
from django.db.models import Q
from django.http import Http404
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from .errors import ApplicationError
from .roles import Role

# What each role may do. Domain apps check these names; the home page explains them in words.
CAPABILITIES = {
    "regions.view": _("See the region tree of your area"),
    "registry.view": _("Look up residents and households in your area"),
    "registry.edit": _("Register and update households and their members"),
    "registry.reveal_id": _("See a resident's full ID number when the case needs it (each time is logged)"),
    "relief.view": _("Follow relief applications and entitlements in your area"),
    "relief.apply": _("Accept applications for any relief programme (全城通办)"),
    "relief.quote": _("Work out what a family would receive, with the reasons, before anyone applies"),
    "relief.cross_check": _("Post the results of the information cross-check (verification centres)"),
    "relief.review": _("Investigate applications and give the street's opinion"),
    "relief.decide": _("Approve or refuse applications for your district"),
    "relief.policy": _("Publish relief policies: standards and local options"),
    "money.manage": _("Generate, approve and send monthly payment batches and record the bank's results"),
    "money.subsidy": _("Record price indices and grant subsidies to whole programmes"),
    "money.bank": _("Read payment rosters and return the bank's result for each payment"),
    "money.cpi": _("Post monthly consumer price index readings"),
    "audit.view": _("Read every record and its history in your area, without changing anything"),
    "eldercare.view": _("Follow meal halls, meals, settlements and elderly visits in your area"),
    "eldercare.record": _("Enrol elderly for meals, record meals and register and visit special-hardship elderly"),
    "eldercare.manage": _("Set up meal halls and meal-subsidy policies"),
    "eldercare.settle": _("Approve meal-hall settlements for your street"),
    "meals.checkin": _("Check elderly in for meals at a hall's terminal"),
    "charity.view": _("Follow social organisations, their funds and help given in your area"),
    "charity.manage": _("Register social organisations, keep their funds' ledgers and record the help they give"),
    "charity.refer": _("Refer families that relief cannot cover to charity (慈善帮扶)"),
    "governance.view": _("Follow community councils, their topics, resolutions and execution rates"),
    "governance.record": _("Record councils, topics, meetings, resolutions and micro-projects in your area"),
    "governance.intake": _("Send topics to community councils from a hotline system"),
    "child.direct": _("Follow the children in your community and record visits"),
    "child.supervise": _("Supervise child directors and child cases in your street"),
    "child.protect": _("Handle child-protection cases and mandatory reports for your district"),
    "child.report": _("Receive mandatory reports of harm to children (强制报告)"),
    "child.aggregates": _("Read child-protection figures for your area, without case files"),
    "meals.operate": _("Record meals served in your meal hall and read its settlements"),
    "dashboard.view": _("Read dashboards and reports for your area"),
    "monitoring.view": _("Follow the low-income people watched in your area, the warnings raised and their handling"),
    "monitoring.work": _("Handle early warnings, watch further people and review unmatched partner records"),
    "monitoring.rules": _("Tune the early-warning rules: thresholds, programmes and deadlines"),
    "admin.use": _("Maintain regions, partner tokens and scheduled jobs in the administration site"),
}

ROLE_CAPABILITIES = {
    Role.CASEWORKER: {
        "regions.view",
        "registry.view",
        "registry.edit",
        "registry.reveal_id",
        "relief.apply",
        "relief.quote",
        "relief.view",
        "eldercare.view",
        "eldercare.record",
        "child.report",
        "governance.view",
        "charity.view",
        "charity.refer",
        "monitoring.view",
        "monitoring.work",
    },
    Role.STREET_REVIEWER: {
        "regions.view",
        "registry.view",
        "registry.edit",
        "registry.reveal_id",
        "relief.apply",
        "relief.quote",
        "relief.review",
        "relief.view",
        "eldercare.view",
        "eldercare.record",
        "eldercare.settle",
        "child.report",
        "governance.view",
        "governance.record",
        "charity.view",
        "charity.refer",
        "monitoring.view",
        "monitoring.work",
    },
    Role.DISTRICT_APPROVER: {
        "regions.view",
        "registry.view",
        "registry.reveal_id",
        "relief.quote",
        "relief.decide",
        "relief.view",
        "money.manage",
        "dashboard.view",
        "eldercare.view",
        "eldercare.manage",
        "child.report",
        "governance.view",
        "charity.view",
        "charity.refer",
        "charity.manage",
        "monitoring.view",
    },
    Role.CITY_MANAGER: {
        "regions.view",
        "registry.view",
        "relief.policy",
        "relief.quote",
        "relief.view",
        "money.manage",
        "money.subsidy",
        "dashboard.view",
        "admin.use",
        "eldercare.view",
        "eldercare.manage",
        "child.aggregates",
        "governance.view",
        "charity.view",
        "charity.manage",
        "monitoring.view",
        "monitoring.rules",
    },
    Role.AUDITOR: {
        "regions.view",
        "registry.view",
        "registry.reveal_id",
        "relief.view",
        "audit.view",
        "dashboard.view",
        "eldercare.view",
        "governance.view",
        "charity.view",
        "monitoring.view",
    },
    Role.CHILD_DIRECTOR: {"regions.view", "registry.view", "child.direct", "child.report"},
    Role.CHILD_SUPERVISOR: {"regions.view", "registry.view", "child.supervise", "child.report", "dashboard.view"},
    Role.CHILD_PROTECTION: {"regions.view", "registry.view", "child.protect", "child.report", "dashboard.view"},
    Role.MEAL_OPERATOR: {"meals.operate"},
    Role.CHARITY_OFFICER: {"regions.view", "registry.view", "charity.view", "charity.manage", "dashboard.view"},
    Role.COMMUNITY_SECRETARY: {"regions.view", "registry.view", "governance.view", "governance.record"},
}


# The monitoring app's partner feeds (monitoring.feeds): each has its own scope and capability.
MONITORING_FEEDS = ("population", "medical", "disability", "unemployment", "utility", "property", "hotline", "school")

# What a partner token's scopes allow, in the same terms as staff capabilities, so services check one
# thing whoever calls.
SCOPE_CAPABILITIES = {
    "regions:read": {"regions.view"},
    "registry:read": {"regions.view", "registry.view"},
    "registry:write": {"registry.view", "registry.edit"},
    "registry:reveal_id": {"registry.reveal_id"},
    "relief:read": {"relief.view"},
    "relief:quote": {"relief.quote"},
    "relief:cross_check": {"relief.cross_check"},
    "relief:policy": {"relief.policy", "relief.quote"},
    "relief:bank": {"money.bank"},
    "relief:cpi": {"money.cpi"},
    "eldercare:meals": {"meals.checkin"},
    "eldercare:read": {"eldercare.view"},
    "childcare:report": {"child.report"},
    "charity:read": {"charity.view"},
    "governance:read": {"governance.view"},
    "governance:hotline": {"governance.intake"},
    "monitoring:read": {"monitoring.view"},
    **{f"monitoring:{kind}": {f"monitoring.feed.{kind}"} for kind in MONITORING_FEEDS},
}


def capabilities(principal):
    if not getattr(principal, "is_authenticated", False):
        return set()
    if getattr(principal, "is_superuser", False):
        return set(CAPABILITIES)
    if getattr(principal, "role", "") == "partner":
        return set().union(*(SCOPE_CAPABILITIES.get(s, ()) for s in principal.scopes))
    return set(ROLE_CAPABILITIES.get(getattr(principal, "role", ""), ()))


def can(principal, capability):
    return capability in capabilities(principal)


def scope_prefix(principal):
    """Region-code prefix of everything the principal may see; "" is everything, None is nothing."""
    if not getattr(principal, "is_authenticated", False):
        return None
    if getattr(principal, "is_superuser", False):
        return ""
    region = getattr(principal, "region", None)
    return region.prefix if region is not None else None


def in_scope(principal, region_code):
    prefix = scope_prefix(principal)
    return prefix is not None and (region_code or "").startswith(prefix)


def scope_queryset(principal, queryset, field="region__code"):
    """Narrow a queryset to rows whose region code lies in the principal's subtree."""
    prefix = scope_prefix(principal)
    if prefix is None:
        return queryset.none()
    if prefix == "":
        return queryset
    return queryset.filter(**{f"{field}__startswith": prefix})


def ancestor_codes(prefix):
    """The 12-digit codes of the regions above the one whose code starts with `prefix` (nearest first)."""
    from .models.regions import LEVEL_DIGITS

    digits = sorted({d for d in LEVEL_DIGITS.values() if d < len(prefix)}, reverse=True)
    return [prefix[:d].ljust(12, "0") for d in digits]


def scope_queryset_with_ancestors(principal, queryset, field="region__code"):
    """Like scope_queryset, and also rows of the regions above the principal's: rules set higher up (a
    city's relief policy, say) apply inside the principal's area too, so they may be read there."""
    prefix = scope_prefix(principal)
    if prefix is None:
        return queryset.none()
    if prefix == "":
        return queryset
    return queryset.filter(Q(**{f"{field}__startswith": prefix}) | Q(**{f"{field}__in": ancestor_codes(prefix)}))


def get_in_scope_or_404(principal, queryset, field="region__code", **lookup):
    """Fetch one object, or 404 when it does not exist or lies outside the principal's scope."""
    try:
        return scope_queryset(principal, queryset, field).get(**lookup)
    except queryset.model.DoesNotExist as exc:
        raise Http404 from exc


def require(principal, capability):
    """For views: 403 when the role lacks the capability (objects outside the region are 404 instead)."""
    if not can(principal, capability):
        raise PermissionDenied


def may_reveal_id(principal):
    """Full ID numbers: staff with the capability, partners with the registry:reveal_id scope."""
    return can(principal, "registry.reveal_id")


def ensure_different_people(first, second, *, step=""):
    """Separation of duties: the person who filed or checked a case may not also approve it."""
    if first is not None and second is not None and getattr(first, "pk", None) == getattr(second, "pk", None):
        raise ApplicationError(
            gettext("Separation of duties: the person who did the previous step may not also %(step)s.")
            % {"step": step or gettext("do this step")},
            code="separation_of_duties",
            status=403,
        )
