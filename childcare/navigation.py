from django.utils.translation import gettext_lazy as _

from civic.navigation import NavItem, register

# Everyone obliged to accept mandatory reports: caseworkers, streets, districts and the child roles.
register(NavItem(_("Report harm to a child"), "childcare:report-new", capability="child.report", order=50))
# The reports and children a user follows: the child director, the street's supervisor, the district's officers.
for capability in ("child.direct", "child.supervise", "child.protect"):
    register(NavItem(_("Child-protection reports"), "childcare:report-list", capability=capability, order=52))
    register(NavItem(_("Children"), "childcare:profile-list", capability=capability, order=54))
# Managers read the figures only; supervisors and officers reach them from the report list too.
register(NavItem(_("Child-protection figures"), "childcare:aggregates", capability="child.aggregates", order=56))
# The caseload's overdue director visits and allowance claims.
for capability in ("child.direct", "child.supervise", "child.protect"):
    register(NavItem(_("Child visits overdue"), "childcare:visit-overdue", capability=capability, order=55))
    register(NavItem(_("Allowance claims overdue"), "childcare:allowance-overdue", capability=capability, order=55))
