from django.utils.translation import gettext_lazy as _

from civic.navigation import NavItem, register

register(NavItem(_("Meal halls"), "eldercare:hall-list", capability="eldercare.view", order=40))
# An operator's entry to the same list, which shows them their own halls only.
register(NavItem(_("My meal hall"), "eldercare:hall-list", capability="meals.operate", order=40))
register(NavItem(_("Meal enrolment"), "eldercare:enrol", capability="eldercare.record", order=42))
register(NavItem(_("Elderly visits"), "eldercare:elder-list", capability="eldercare.view", order=44))
