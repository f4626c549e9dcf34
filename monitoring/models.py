"""Low-income population monitoring (低收入人口动态监测): who is watched and why, the records partner systems send
about them, the bureau's early-warning rules, and the warnings those rules raise.

A warning (Alert) is also the caseworker's task: assigned to the family's community caseworker with a deadline, it
ends either dismissed with a reason or handled by the action it called for (a review, an application, a visit),
which is linked to it. Every step leaves an AlertEvent."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from civic.models import Household, Region, Resident


class Category(models.TextChoices):
    """Why a person is watched. Programme categories follow the person's live benefit (kept by the nightly run);
    a caseworker adds the others by hand."""

    TEKUN = "tekun", _("Extreme-poverty support (特困)")
    DIBAO = "dibao", _("Minimum living guarantee (dibao)")
    EDGE = "edge", _("Low-income edge family (低保边缘)")
    RIGID = "rigid", _("Rigid-expenditure hardship family (刚性支出困难)")
    ADDED = "added", _("Added by a caseworker")


PROGRAMME_CATEGORIES = (Category.TEKUN, Category.DIBAO, Category.EDGE, Category.RIGID)


class WatchStatus(models.TextChoices):
    WATCHED = "watched", _("Watched")
    WARNED = "warned", _("Warning open")
    ENDED = "ended", _("No longer watched")


class EndCause(models.TextChoices):
    BENEFIT_ENDED = "benefit_ended", _("No longer covered by a benefit")
    DIED = "died", _("Died")
    BY_HAND = "by_hand", _("Ended by a caseworker")


class MonitoredPerson(models.Model):
    resident = models.OneToOneField(Resident, verbose_name=_("resident"), on_delete=models.PROTECT, related_name="+")
    # The resident's community and household when last synchronised: scoping and the household file use them.
    region = models.ForeignKey(Region, verbose_name=_("community"), on_delete=models.PROTECT, related_name="+")
    household = models.ForeignKey(
        Household, verbose_name=_("household"), null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    category = models.CharField(_("category"), max_length=8, choices=Category.choices)
    status = models.CharField(_("status"), max_length=8, choices=WatchStatus.choices, default=WatchStatus.WATCHED)
    # Added by hand (after a hotline call, a visit …): kept watched when no benefit covers the person.
    added_by_hand = models.BooleanField(_("added by a caseworker"), default=False)
    reason = models.TextField(_("why watched"), blank=True)
    added_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    since = models.DateField(_("watched since"))
    ended_on = models.DateField(_("watched until"), null=True, blank=True)
    end_cause = models.CharField(_("why no longer watched"), max_length=14, choices=EndCause.choices, blank=True)
    end_reason = models.TextField(_("caseworker's reason"), blank=True)

    class Meta:
        verbose_name = _("monitored person")
        verbose_name_plural = _("monitored people")
        indexes = [
            models.Index(fields=["region", "status"], name="monitoring_person_region_idx"),
            models.Index(fields=["household"], name="monitoring_person_house_idx"),
        ]

    def __str__(self):
        return str(self.resident)


class FeedKind(models.TextChoices):
    POPULATION = "population", _("Deaths and household-registration moves")
    MEDICAL = "medical", _("Hospital out-of-pocket costs")
    DISABILITY = "disability", _("Disability certificates")
    UNEMPLOYMENT = "unemployment", _("Unemployment registration")
    UTILITY = "utility", _("Utility arrears")
    PROPERTY = "property", _("Property and vehicle registrations")
    HOTLINE = "hotline", _("Hotline (12345) requests")
    SCHOOL = "school", _("School fee waivers")


class MatchStatus(models.TextChoices):
    PENDING = "pending", _("Not yet matched")
    MATCHED = "matched", _("Matched to a resident")
    UNMATCHED = "unmatched", _("No resident with this ID number")
    SET_ASIDE = "set_aside", _("Set aside after review")


class FeedRecord(models.Model):
    """One record a partner system sent. (feed, reference) is the partner's own key: sending it again changes
    nothing, so a feed can be replayed."""

    id = models.BigAutoField(primary_key=True)
    feed = models.CharField(_("feed"), max_length=12, choices=FeedKind.choices)
    reference = models.CharField(_("partner's reference"), max_length=64)
    # What happened (per feed: death / moved_out / moved_in; vehicle / home; registered / ended …).
    event = models.CharField(_("event"), max_length=20, blank=True)
    event_date = models.DateField(_("date"))
    id_number = models.CharField(_("ID number"), max_length=18)
    name = models.CharField(_("name"), max_length=50, blank=True)
    amount = models.DecimalField(_("amount (yuan)"), max_digits=12, decimal_places=2, null=True, blank=True)
    count = models.PositiveSmallIntegerField(_("count"), null=True, blank=True)
    detail = models.CharField(_("detail"), max_length=200, blank=True)
    sender = models.ForeignKey(
        "civic.ApiToken", null=True, blank=True, on_delete=models.PROTECT, related_name="+", db_index=False
    )
    received_at = models.DateTimeField(_("received"))
    match = models.CharField(_("match"), max_length=10, choices=MatchStatus.choices, default=MatchStatus.PENDING)
    resident = models.ForeignKey(
        Resident, null=True, blank=True, on_delete=models.PROTECT, related_name="+", db_index=False
    )
    # The resident's community once matched; the sender's region while unmatched, so that the partner's area
    # reviews what it sent.
    region = models.ForeignKey(Region, on_delete=models.PROTECT, related_name="+", db_index=False)
    set_aside_reason = models.TextField(_("why set aside"), blank=True)

    class Meta:
        verbose_name = _("feed record")
        verbose_name_plural = _("feed records")
        constraints = [
            models.UniqueConstraint(fields=["feed", "reference"], name="monitoring_feed_reference_unique"),
        ]
        indexes = [
            models.Index(fields=["resident", "feed", "event_date"], name="monitoring_rec_resident_idx"),
            models.Index(fields=["match", "region"], name="monitoring_record_match_idx"),
            models.Index(fields=["id_number"], name="monitoring_rec_idnumber_idx"),
        ]

    def __str__(self):
        return f"{self.feed} {self.reference}"


class RuleCode(models.TextChoices):
    DEATH = "death", _("A death in a household on benefit")
    MEDICAL = "medical", _("Out-of-pocket medical costs above a share of income")
    ASSET = "asset", _("A car or a further home registered to a recipient")
    EDGE_INCOME = "edge_income", _("An edge family's income falls below the standard")
    ELDER_HOTLINE = "elder_hotline", _("A special-hardship elder calls the hotline and has not been visited")
    TWO_HOUSEHOLDS = "two_households", _("One person covered in two households")
    TWO_PROGRAMMES = "two_programmes", _("One person on two exclusive programmes")
    PAID_AFTER_DEATH = "paid_after_death", _("A benefit paid after a death")
    SHARED_ACCOUNT = "shared_account", _("One account receiving for unrelated households")


class Rule(models.Model):
    """The bureau's settings of one rule (monitoring.rules describes what each field means for it)."""

    code = models.CharField(_("rule"), max_length=20, choices=RuleCode.choices, unique=True)
    enabled = models.BooleanField(_("in use"), default=True)
    programmes = models.JSONField(_("programmes"), default=list, blank=True)
    threshold = models.DecimalField(_("threshold"), max_digits=8, decimal_places=2, null=True, blank=True)
    min_amount = models.DecimalField(_("at least (yuan)"), max_digits=12, decimal_places=2, null=True, blank=True)
    window_days = models.PositiveSmallIntegerField(_("looking back (days)"), null=True, blank=True)
    deadline_days = models.PositiveSmallIntegerField(_("task deadline (working days)"), default=10)
    urgent = models.BooleanField(_("urgent"), default=False)
    updated_at = models.DateTimeField(_("changed"), auto_now=True)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        verbose_name = _("early-warning rule")
        verbose_name_plural = _("early-warning rules")
        ordering = ["pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(deadline_days__gte=1) & Q(deadline_days__lte=60), name="monitoring_rule_deadline_range"
            ),
        ]

    def __str__(self):
        return self.get_code_display()


class Action(models.TextChoices):
    """What a warning asks the caseworker to do, and so what handles it."""

    REVIEW = "review", _("Review the benefit")
    VERIFY = "verify", _("Verify the family's assets (review the benefit)")
    APPLY = "apply", _("Open an application")
    VISIT = "visit", _("Visit")


class AlertStatus(models.TextChoices):
    OPEN = "open", pgettext_lazy("warning", "Open")
    HANDLED = "handled", _("Handled")
    DISMISSED = "dismissed", _("Dismissed")


OPEN_STATUSES = (AlertStatus.OPEN,)


class Alert(models.Model):
    """An early warning and the task it gives the community caseworker. (rule, key) identifies what was found
    (a feed record, a pair of benefits …), so the nightly run never raises the same warning twice, even after a
    caseworker dismissed it."""

    id = models.BigAutoField(primary_key=True)
    rule = models.CharField(_("rule"), max_length=20, choices=RuleCode.choices)
    key = models.CharField(max_length=80)
    region = models.ForeignKey(Region, verbose_name=_("community"), on_delete=models.PROTECT, related_name="+")
    household = models.ForeignKey(
        Household, verbose_name=_("household"), null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    resident = models.ForeignKey(
        Resident, verbose_name=_("resident"), null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    record = models.ForeignKey(
        FeedRecord, null=True, blank=True, on_delete=models.PROTECT, related_name="+", db_index=False
    )
    entitlement = models.ForeignKey(
        "relief.Entitlement", null=True, blank=True, on_delete=models.PROTECT, related_name="+", db_index=False
    )
    other_entitlement = models.ForeignKey(
        "relief.Entitlement", null=True, blank=True, on_delete=models.PROTECT, related_name="+", db_index=False
    )
    # The figures the rule compared (costs and income, amount paid after a death …).
    amount = models.DecimalField(_("amount (yuan)"), max_digits=14, decimal_places=2, null=True, blank=True)
    base_amount = models.DecimalField(_("compared with (yuan)"), max_digits=14, decimal_places=2, null=True, blank=True)
    action = models.CharField(_("to do"), max_length=8, choices=Action.choices)
    # For Action.APPLY: the programme suggested.
    programme = models.CharField(_("programme suggested"), max_length=20, blank=True)
    urgent = models.BooleanField(_("urgent"), default=False)
    found_on = models.DateField(_("found"))
    due_on = models.DateField(_("due"))
    assignee = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("caseworker"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    status = models.CharField(_("status"), max_length=10, choices=AlertStatus.choices, default=AlertStatus.OPEN)
    handled_on = models.DateField(_("handled"), null=True, blank=True)
    handled_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    outcome = models.TextField(_("outcome"), blank=True)
    # What handled it: one of these, by the action.
    application = models.ForeignKey(
        "relief.Application", null=True, blank=True, on_delete=models.PROTECT, related_name="+", db_index=False
    )
    review = models.ForeignKey(
        "relief.EntitlementEvent", null=True, blank=True, on_delete=models.PROTECT, related_name="+", db_index=False
    )
    visit = models.ForeignKey(
        "eldercare.Visit", null=True, blank=True, on_delete=models.PROTECT, related_name="+", db_index=False
    )

    class Meta:
        verbose_name = _("warning")
        verbose_name_plural = _("warnings")
        ordering = ["due_on", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["rule", "key"], name="monitoring_alert_rule_key_unique"),
            models.CheckConstraint(
                condition=Q(status="open", handled_on__isnull=True) | ~Q(status="open") & Q(handled_on__isnull=False),
                name="monitoring_alert_handled_on_when_closed",
            ),
            models.CheckConstraint(
                condition=~Q(status="dismissed") | ~Q(outcome=""), name="monitoring_alert_dismissed_with_reason"
            ),
        ]
        indexes = [
            models.Index(fields=["region", "status", "due_on"], name="monitoring_alert_region_idx"),
            models.Index(fields=["assignee", "status"], name="monitoring_alert_assign_idx"),
            models.Index(fields=["household", "status"], name="monitoring_alert_house_idx"),
        ]

    def __str__(self):
        return f"{self.get_rule_display()} ({self.pk})"

    @property
    def in_time(self):
        return self.handled_on is not None and self.handled_on <= self.due_on


class AlertStep(models.TextChoices):
    FOUND = "found", _("Found")
    ASSIGNED = "assigned", _("Assigned")
    HANDLED = "handled", _("Handled")
    DISMISSED = "dismissed", _("Dismissed")
    REOPENED = "reopened", _("Reopened")


class AlertEvent(models.Model):
    alert = models.ForeignKey(Alert, on_delete=models.CASCADE, related_name="events")
    step = models.CharField(_("step"), max_length=10, choices=AlertStep.choices)
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+")
    actor_label = models.CharField(max_length=120)
    note = models.TextField(_("note"), blank=True)
    at = models.DateTimeField(_("when"), auto_now_add=True)

    class Meta:
        ordering = ["at", "pk"]

    def __str__(self):
        return f"{self.alert_id} {self.step}"
