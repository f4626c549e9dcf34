from django.utils.translation import gettext_lazy as _

from civic.navigation import NavItem, register

register(NavItem(_("Councils"), "governance:council-list", capability="governance.view", order=70))
register(NavItem(_("Topics"), "governance:topic-list", capability="governance.view", order=71))
register(NavItem(_("Resolutions"), "governance:resolution-list", capability="governance.view", order=72))
register(NavItem(_("Council figures"), "governance:figures", capability="governance.view", order=73))
