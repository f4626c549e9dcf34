"""The working-day calendar: the days that break the normal week (Monday–Friday work, Saturday–Sunday off).

Statutory deadlines are counted in working days (civic.workdays); the bureau keeps this table from the State
Council's yearly holiday notice. A day that is not listed follows the normal week.
"""

from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _


class CalendarDay(models.Model):
    class Kind(models.TextChoices):
        HOLIDAY = "holiday", _("Holiday (a weekday off)")
        WORKDAY = "workday", _("Make-up working day (a weekend day worked)")

    date = models.DateField(_("date"), unique=True)
    kind = models.CharField(_("kind"), max_length=7, choices=Kind.choices)
    name = models.CharField(_("name"), max_length=50, help_text=_("For example 国庆节 or 劳动节调休上班."))

    class Meta:
        verbose_name = _("calendar day")
        verbose_name_plural = _("calendar days")
        ordering = ["date"]

    def __str__(self):
        return f"{self.date:%Y-%m-%d} {self.name}"

    def clean(self):
        # A row that says what the normal week already says is almost always a mistyped date.
        if self.date is None or not self.kind:
            return
        weekend = self.date.weekday() >= 5
        if self.kind == self.Kind.HOLIDAY and weekend:
            message = _("%(date)s is a Saturday or Sunday, already a day off: only a weekday can be a holiday.")
        elif self.kind == self.Kind.WORKDAY and not weekend:
            message = _("%(date)s is a weekday, already a working day: only a weekend day can be a make-up day.")
        else:
            return
        raise ValidationError(
            {"date": ValidationError(message, code="normal_week", params={"date": self.date.isoformat()})}
        )
