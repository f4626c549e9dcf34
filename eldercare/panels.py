"""The elder-care panel on the household file: members enrolled for subsidised meals with their last meals, and
members on the special-hardship visiting list with their risk and next visit."""

from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from civic.panels import HouseholdPanel, register_household_panel

from . import selectors, services
from .models import ElderCategory, Enrolment, Meal, Tier

LAST_MEALS = 3


def context(request, household):
    today = timezone.localdate()
    members = list(household.members.all())
    if not members:
        return None
    enrolments = list(Enrolment.objects.filter(resident__in=members, ended_on__isnull=True).select_related("resident"))
    elders = list(selectors.elders_for(request.user).filter(resident__in=members).order_by("next_visit_due"))
    older = [m for m in members if m.died_on is None and m.age_on(today) >= services.ELDER_AGE]
    if not (enrolments or elders or older):
        return None
    enrolled_ids = {e.resident_id for e in enrolments}
    tiers = dict(Tier.choices)
    for enrolment in enrolments:
        # One small query per enrolled member: a household has a handful of members at most.
        enrolment.last_meals = list(
            Meal.objects.filter(resident_id=enrolment.resident_id)
            .select_related("hall")
            .order_by("-served_at")[:LAST_MEALS]
        )
        tier = services.tier_for(enrolment.resident, today) if enrolment.resident.died_on is None else None
        enrolment.tier_label = tiers.get(tier, "—")
    labels = dict(ElderCategory.choices)
    for elder in elders:
        elder.category_labels = [labels.get(value, value) for value in elder.categories]
        elder.late = elder.next_visit_due < today
    return {
        "enrolments": enrolments,
        "elders": elders,
        "not_enrolled": [m for m in older if m.pk not in enrolled_ids],
        "today": today,
    }


register_household_panel(
    HouseholdPanel(_("Elder care"), "eldercare/panel_household.html", context, capability="eldercare.view", order=30)
)
