from django.utils.translation import gettext_lazy as _

from civic.navigation import NavItem, register

register(NavItem(_("Relief applications"), "relief:application-list", capability="relief.view", order=20))
register(NavItem(_("Reviews due"), "relief:reviews-due", capability="relief.view", order=25))
