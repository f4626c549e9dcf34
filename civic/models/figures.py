"""Dashboard figures: numbers kept ready for the dashboards, so a page reads a few hundred rows whatever the size
of the city. Each app's refresher writes base rows (one per metric, region, month and dimension, usually at
community level); civic.figures rolls them up to every region above, and pages read only the rolled-up rows."""

from django.db import models


class Figure(models.Model):
    metric = models.CharField(max_length=40)
    # Not a foreign key: rows are replaced set-based, and a base row may sit at any level.
    region_code = models.CharField(max_length=12)
    month = models.DateField()  # the first of the month the figure is for (a snapshot's month, a flow's month)
    dimension = models.CharField(max_length=40, blank=True, default="")
    value = models.DecimalField(max_digits=18, decimal_places=2)
    # Base rows come from the apps; rolled-up rows (rolled=True) are the sums over each region's subtree.
    rolled = models.BooleanField(default=False)
    refreshed_at = models.DateTimeField()

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["rolled", "metric", "region_code", "month", "dimension"], name="civic_figure_one_row"
            )
        ]

    def __str__(self):
        return f"{self.metric} {self.region_code} {self.month:%Y-%m} {self.dimension} = {self.value}"
