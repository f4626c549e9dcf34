"""Charity projects by category, their status and their activities (date, place, how many were helped and, when
they are residents, who). A project belongs to the region it runs in and is managed from there."""

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from civic import access
from civic.models import Region

from ..models import Project, ProjectActivity, ProjectCategory, ProjectStatus
from .common import amount_or_error, conflict, invalid, require, require_capability, text, visible_from

# Where a project may go from each status.
MOVES = {
    ProjectStatus.PLANNED: {ProjectStatus.RUNNING, ProjectStatus.CANCELLED},
    ProjectStatus.RUNNING: {ProjectStatus.COMPLETED, ProjectStatus.CANCELLED},
    ProjectStatus.COMPLETED: set(),
    ProjectStatus.CANCELLED: set(),
}


def project_create(
    *, actor, organisation, name, category, region_code, budget, starts_on=None, ends_on=None, description=""
):
    require_capability(actor, "charity.manage")
    errors = {}
    region = Region.objects.filter(code=region_code).first()
    if region is None:
        errors["region"] = [_("Choose a region.")]
    if organisation is None:
        errors["organisation"] = [_("Choose the organisation that runs the project.")]
    elif not visible_from(actor, organisation.region_id):
        errors["organisation"] = [_("Choose an organisation of your area.")]
    if not text(name):
        errors["name"] = [_("Name the project.")]
    if category not in ProjectCategory.values:
        errors["category"] = [_("Choose the project's category.")]
    budget = amount_or_error(budget, "budget", errors, allow_zero=True)
    starts_on = starts_on or timezone.localdate()
    if ends_on and ends_on < starts_on:
        errors["ends_on"] = [_("The project cannot end before it starts.")]
    if region is not None:
        require(actor, "charity.manage", region.code)
    if errors:
        raise invalid(errors)
    return Project.objects.create(
        organisation=organisation,
        name=text(name),
        category=category,
        region=region,
        budget=budget,
        starts_on=starts_on,
        ends_on=ends_on,
        description=text(description),
        created_by=actor,
    )


def project_move(*, actor, project, status):
    """planned → running → completed; planned or running → cancelled. Nothing leaves completed or cancelled."""
    require(actor, "charity.manage", project.region_id)
    with transaction.atomic():
        locked = Project.objects.select_for_update().get(pk=project.pk)
        if status not in MOVES.get(locked.status, set()):
            raise conflict(
                _("A project that is “%(now)s” cannot become “%(to)s”.")
                % {"now": locked.get_status_display(), "to": dict(ProjectStatus.choices).get(status, status)},
                "invalid_status",
            )
        locked.status = status
        if status in (ProjectStatus.COMPLETED, ProjectStatus.CANCELLED) and not locked.ends_on:
            locked.ends_on = timezone.localdate()
        locked.save(update_fields=["status", "ends_on"])
    project.status, project.ends_on = locked.status, locked.ends_on
    return project


@transaction.atomic
def activity_record(
    *, actor, project, on=None, place, beneficiaries, residents=(), description="", spent=0, referral=None
):
    """An activity of a running project. Named beneficiaries must be residents the actor may see, and never more
    than the number helped."""
    require(actor, "charity.manage", project.region_id)
    errors = {}
    if project.status != ProjectStatus.RUNNING:
        errors["project"] = [_("Activities are recorded while the project is running.")]
    if not text(place):
        errors["place"] = [_("Say where the activity took place.")]
    residents = list(residents)
    if beneficiaries in (None, "") and residents:
        beneficiaries = len(residents)
    try:
        beneficiaries = int(beneficiaries)
        if beneficiaries < 0:
            raise ValueError
    except (TypeError, ValueError):
        errors["beneficiaries"] = [_("Give the number of people helped (0 or more).")]
    else:
        if beneficiaries < len(residents):
            errors["residents"] = [
                _("%(named)s people are named but only %(count)s were helped.")
                % {"named": len(residents), "count": beneficiaries}
            ]
    outside = [r for r in residents if not access.in_scope(actor, r.region_id)]
    if outside:
        errors["residents"] = [_("Name only residents of your area.")]
    spent = amount_or_error(spent, "spent", errors, allow_zero=True, required=False)
    on = on or timezone.localdate()
    if on > timezone.localdate():
        errors["on"] = [_("The date cannot be in the future.")]
    elif on < project.starts_on:
        errors["on"] = [_("The date is before the project started.")]
    if errors:
        raise invalid(errors)
    activity = ProjectActivity.objects.create(
        project=project,
        on=on,
        place=text(place),
        description=text(description),
        beneficiaries=beneficiaries,
        spent=spent,
        referral=referral,
        recorded_by=actor,
    )
    activity.residents.set(residents)
    return activity
