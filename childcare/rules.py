"""Need-to-know: who may open a child's case file. Not the region scope alone: a case file is open only to the
workers assigned to it, the supervisor of its street and the district's child-protection officers. Managers read
aggregates only. Every opening of a case file, shown or refused, is logged (CaseView)."""

from django.db.models import Q

from civic import access, audit

from .models import CaseView, ChildProfile, MandatoryReport


def _supervises(principal, region_code):
    return access.can(principal, "child.supervise") and access.in_scope(principal, region_code)


def _protects(principal, region_code):
    return access.can(principal, "child.protect") and access.in_scope(principal, region_code)


def may_open_profile(principal, profile):
    pk = getattr(principal, "pk", None)
    return bool(
        pk is not None
        and (
            profile.director_id == pk
            or profile.supervisor_id == pk
            or _supervises(principal, profile.region_id)
            or _protects(principal, profile.region_id)
        )
    )


def may_open_report(principal, report):
    pk = getattr(principal, "pk", None)
    return bool(
        pk is not None
        and (
            report.assigned_to_id == pk
            or _supervises(principal, report.region_id)
            or _protects(principal, report.region_id)
        )
    )


def profiles_for(principal):
    """The case files this principal may open (a caseload list)."""
    pk = getattr(principal, "pk", None)
    if pk is None:
        return ChildProfile.objects.none()
    query = Q(director_id=pk) | Q(supervisor_id=pk)
    if access.can(principal, "child.supervise") or access.can(principal, "child.protect"):
        prefix = access.scope_prefix(principal)
        if prefix is not None:
            query |= Q(region__code__startswith=prefix)
    return ChildProfile.objects.filter(query).select_related("resident", "region", "director", "supervisor")


def reports_for(principal):
    pk = getattr(principal, "pk", None)
    if pk is None:
        return MandatoryReport.objects.none()
    query = Q(assigned_to_id=pk)
    if access.can(principal, "child.supervise") or access.can(principal, "child.protect"):
        prefix = access.scope_prefix(principal)
        if prefix is not None:
            query |= Q(region__code__startswith=prefix)
    return MandatoryReport.objects.filter(query).select_related("region", "child", "assigned_to")


def log_view(principal, *, profile=None, report=None, allowed, channel="page"):
    account, label = audit.actor_parts(principal)
    CaseView.objects.create(
        profile=profile, report=report, viewer=account, viewer_label=label, allowed=allowed, channel=channel
    )
