from django.utils.translation import gettext_lazy as _

from civic.navigation import NavItem, register

register(NavItem(_("My tasks"), "monitoring:work-list", capability="monitoring.work", order=3))
register(NavItem(_("Low-income monitoring"), "monitoring:alert-list", capability="monitoring.view", order=26))
