"""The settlement job: attach the period's unsettled meals of a hall to its statement in chunks, then total them.
Set-based and resumable (civic.jobs): a meal belongs to one settlement at most; a rerun finds nothing new to
attach and totals the same meals again."""

from django.db.models import Count, Max, Sum
from django.utils import timezone

from civic import figures
from civic.jobs import JobWork

from .models import Meal, Settlement


class SettlementWork(JobWork):
    """params: {"settlement": id}."""

    def _meals(self, job):
        settlement = Settlement.objects.get(pk=job.params["settlement"])
        meals = Meal.objects.filter(
            hall_id=settlement.hall_id, served_on__gte=settlement.period_start, served_on__lte=settlement.period_end
        )
        return settlement, meals

    def prepare(self, job):
        _settlement, meals = self._meals(job)
        found = meals.filter(settlement__isnull=True).aggregate(n=Count("pk"), last=Max("pk"))
        return found["n"], found["last"] or 0

    def chunk(self, job, low, high):
        settlement, meals = self._meals(job)
        return meals.filter(settlement__isnull=True, pk__gt=low, pk__lte=high).update(settlement=settlement)

    def finish(self, job):
        settlement, _meals = self._meals(job)
        totals = settlement.meals.aggregate(
            n=Count("pk"),
            elder=Sum("elder_paid"),
            city=Sum("city_share"),
            district=Sum("district_share"),
            street=Sum("street_share"),
        )
        Settlement.objects.filter(pk=settlement.pk).update(
            meal_count=totals["n"],
            elder_paid=totals["elder"] or 0,
            city_share=totals["city"] or 0,
            district_share=totals["district"] or 0,
            street_share=totals["street"] or 0,
            computed_at=timezone.now(),
        )
        figures.refresh_soon("eldercare.settlements", settlement.hall.region_id, settlement.period_start)
        figures.refresh_soon("eldercare.open_settlements", settlement.hall.region_id)
        return {
            "meals": totals["n"],
            "subsidy": str((totals["city"] or 0) + (totals["district"] or 0) + (totals["street"] or 0)),
        }
