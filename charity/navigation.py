from django.utils.translation import gettext_lazy as _

from civic.navigation import NavItem, register

register(NavItem(_("Social organisations"), "charity:organisation-list", capability="charity.view", order=60))
register(NavItem(_("Charity projects"), "charity:project-list", capability="charity.view", order=61))
register(NavItem(_("Pairings (结对帮扶)"), "charity:pairing-list", capability="charity.view", order=62))
register(NavItem(_("Charity referrals"), "charity:referral-list", capability="charity.refer", order=64))
register(NavItem(_("Charity referrals"), "charity:referral-list", capability="charity.manage", order=64))
register(NavItem(_("Charity reports"), "charity:report", capability="charity.view", order=65))
