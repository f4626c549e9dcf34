"""Staff roles (DOMAIN.md, Places and people). Each account is bound to a region of the role's level."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class Role(models.TextChoices):
    CASEWORKER = "caseworker", _("Community caseworker")
    STREET_REVIEWER = "street_reviewer", _("Street reviewer")
    DISTRICT_APPROVER = "district_approver", _("District approver")
    CITY_MANAGER = "city_manager", _("City manager")
    AUDITOR = "auditor", _("Auditor")
    CHILD_DIRECTOR = "child_director", _("Child director")
    CHILD_SUPERVISOR = "child_supervisor", _("Child supervisor")
    CHILD_PROTECTION = "child_protection", _("Child-protection officer")
    MEAL_OPERATOR = "meal_operator", _("Meal-hall operator")
    CHARITY_OFFICER = "charity_officer", _("Charity officer")
    COMMUNITY_SECRETARY = "community_secretary", _("Community council secretary")


# The region level each role works at; create_staff and the admin refuse a mismatch.
ROLE_LEVEL = {
    Role.CASEWORKER: "community",
    Role.STREET_REVIEWER: "street",
    Role.DISTRICT_APPROVER: "district",
    Role.CITY_MANAGER: "city",
    Role.AUDITOR: None,  # any level
    Role.CHILD_DIRECTOR: "community",
    Role.CHILD_SUPERVISOR: "street",
    Role.CHILD_PROTECTION: "district",
    Role.MEAL_OPERATOR: "community",
    Role.CHARITY_OFFICER: None,  # the district's, or the city charity federation's
    Role.COMMUNITY_SECRETARY: "community",
}
