"""The registry's own dashboard figures and panel: households and residents per community (a snapshot, kept
current when a household or a resident is saved)."""

from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from . import dashboard, figures
from .models import Household, Resident

figures.register(
    figures.Source(
        name="civic.population",
        metrics=("civic.households", "civic.residents"),
        snapshot=True,
        select=(
            "SELECT h.region_id, %(start)s, '', 'civic.households', COUNT(*) FROM civic_household h "
            "WHERE h.region_id LIKE %(prefix)s GROUP BY h.region_id "
            "UNION ALL "
            "SELECT r.region_id, %(start)s, '', 'civic.residents', COUNT(*) FROM civic_resident r "
            "WHERE r.region_id LIKE %(prefix)s AND r.died_on IS NULL GROUP BY r.region_id"
        ),
        watch=((Household, "region_id", None), (Resident, "region_id", None)),
    )
)


def _population(view):
    return [
        dashboard.by_region(
            view,
            "population",
            _("Households and residents"),
            [
                dashboard.Measure(pgettext_lazy("count", "Households"), "civic.households"),
                dashboard.Measure(pgettext_lazy("count", "Residents"), "civic.residents"),
            ],
        )
    ]


dashboard.register(dashboard.Panel("population", _("Registry"), _population, capability="dashboard.view", order=5))
