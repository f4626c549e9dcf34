from django.utils.translation import gettext_lazy as _

from civic.navigation import NavItem, register

register(NavItem(_("Relief applications"), "relief:application-list", capability="relief.view", order=20))
register(NavItem(_("Reviews due"), "relief:reviews-due", capability="relief.view", order=25))
register(NavItem(_("Benefit standards"), "relief:standard-list", capability="relief.view", order=30))
register(NavItem(_("Payment batches"), "relief:batch-list", capability="money.manage", order=32))
register(NavItem(_("Subsidies"), "relief:subsidy-list", capability="money.subsidy", order=34))
