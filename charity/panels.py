"""The charity panel on the household file: the family's referrals with their outcome, its pairings, the grants it
received from funds and the pairing and project activities that helped it, and a button to refer it."""

from django.db.models import Prefetch, prefetch_related_objects
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from civic import access
from civic.models import Resident
from civic.panels import HouseholdPanel, register_household_panel

from . import selectors
from .models import ReferralStatus


def context(request, household):
    """Always a context (the empty state says nothing is recorded) for whoever follows charity help."""
    user = request.user
    today = timezone.localdate()
    help_ = selectors.household_help(user, household)
    # The members each project activity names, from this household only: one query for all of them.
    prefetch_related_objects(
        help_["project_activities"],
        Prefetch("residents", queryset=Resident.objects.filter(household=household).order_by("pk"), to_attr="named"),
    )
    for referral in help_["referrals"]:
        referral.late = referral.status == ReferralStatus.REFERRED and referral.answer_due < today
    return {
        **help_,
        "anything": any(help_.values()),
        "can_refer": access.can(user, "charity.refer"),
        "can_open": access.can(user, "charity.refer") or access.can(user, "charity.manage"),
    }


register_household_panel(
    HouseholdPanel(_("Charity help"), "charity/panel_household.html", context, capability="charity.view", order=40)
)
