"""The relief panel on the household file: applications and entitlements of the family."""

from django.utils.translation import gettext_lazy as _

from civic.panels import HouseholdPanel, register_household_panel

from . import selectors
from .models import Entitlement


def context(request, household):
    applications = selectors.applications_for(request.user).filter(household=household).order_by("-pk")[:20]
    entitlements = Entitlement.objects.filter(household=household).order_by("-starts_on")
    return {"applications": applications, "entitlements": entitlements}


register_household_panel(
    HouseholdPanel(_("Social relief"), "relief/panel_household.html", context, capability="relief.view", order=10)
)
