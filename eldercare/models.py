"""Elder care: meal halls (长者饭堂) with per-meal subsidies, and visits to special-hardship elderly (探访关爱).

Money is Decimal yuan. A meal record keeps the price and who paid what (the elder, the city, the district, the
street) as it was on the day, so settlements add up records and never recompute them."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from civic.models import ApiToken, Region, Resident
from relief.models.policy import money


class MealType(models.TextChoices):
    BREAKFAST = "breakfast", _("Breakfast")
    LUNCH = "lunch", _("Lunch")
    DINNER = "dinner", _("Dinner")


class Period(models.TextChoices):
    MONTHLY = "monthly", _("Monthly")
    QUARTERLY = "quarterly", _("Quarterly")


class Tier(models.TextChoices):
    """What an elder pays follows from their status: low-income (dibao, 特困 or edge) first, then age."""

    LOW_INCOME = "low_income", _("Low-income, 60 or over")
    AGE_80 = "age_80", _("80 or over")
    AGE_60 = "age_60", _("60 to 79")


class MealHall(models.Model):
    name = models.CharField(_("name"), max_length=100)
    operator = models.CharField(_("operator"), max_length=120, help_text=_("The company or organisation running it."))
    address = models.CharField(_("address"), max_length=200)
    region = models.ForeignKey(
        Region,
        verbose_name=_("community"),
        on_delete=models.PROTECT,
        related_name="+",
        limit_choices_to={"level": "community"},
    )
    capacity = models.PositiveIntegerField(_("seats"))
    service_hours = models.CharField(_("service hours"), max_length=100, blank=True)
    # The operator's staff accounts (role meal-hall operator): they see this hall only.
    operators = models.ManyToManyField(
        settings.AUTH_USER_MODEL, verbose_name=_("operator accounts"), blank=True, related_name="meal_halls"
    )
    # The check-in terminals' partner tokens: a terminal records meals for this hall only.
    terminals = models.ManyToManyField(ApiToken, verbose_name=_("terminals"), blank=True, related_name="meal_halls")
    is_open = models.BooleanField(_("open"), default=True)

    class Meta:
        verbose_name = _("meal hall")
        verbose_name_plural = _("meal halls")
        ordering = ["region", "name"]

    def __str__(self):
        return self.name


class HallMenu(models.Model):
    """The meals a hall serves and their full price."""

    hall = models.ForeignKey(MealHall, on_delete=models.CASCADE, related_name="menu")
    meal_type = models.CharField(_("meal type"), max_length=10, choices=MealType.choices)
    price = money(_("price"))

    class Meta:
        verbose_name = _("meal served")
        verbose_name_plural = _("meals served")
        constraints = [
            models.UniqueConstraint(fields=["hall", "meal_type"], name="eldercare_menu_one_per_meal"),
            models.CheckConstraint(condition=Q(price__gt=0), name="eldercare_menu_price_positive"),
        ]

    def __str__(self):
        return f"{self.hall} {self.get_meal_type_display()} {self.price}"


class MealPolicy(models.Model):
    """The regional meal-subsidy rules, effective-dated like the relief standards: per tier, what the elder pays
    and what the city and the district pay; the street pays the rest of the price. An elder eating outside their
    own district loses the district's and the street's share, outside their own street the street's; they pay it."""

    region = models.ForeignKey(
        Region,
        verbose_name=_("region"),
        on_delete=models.PROTECT,
        related_name="+",
        limit_choices_to={"level__in": ["province", "city", "district"]},
    )
    effective_from = models.DateField(_("in force from"))
    name = models.CharField(_("name"), max_length=100)
    meals_per_day = models.PositiveSmallIntegerField(_("subsidised meals of a kind per person per day"), default=1)
    settlement = models.CharField(_("settlement"), max_length=10, choices=Period.choices, default=Period.MONTHLY)

    class Meta:
        verbose_name = _("meal policy")
        verbose_name_plural = _("meal policies")
        ordering = ["region", "-effective_from"]
        constraints = [
            models.UniqueConstraint(fields=["region", "effective_from"], name="eldercare_policy_one_per_day"),
        ]

    def __str__(self):
        return f"{self.name} ({self.effective_from})"


class MealTier(models.Model):
    policy = models.ForeignKey(MealPolicy, on_delete=models.CASCADE, related_name="tiers")
    tier = models.CharField(_("tier"), max_length=12, choices=Tier.choices)
    elder_pays = money(_("the elder pays"))
    city_share = money(_("city pays"), default=0)
    district_share = money(_("district pays"), default=0)

    class Meta:
        verbose_name = _("meal tier")
        verbose_name_plural = _("meal tiers")
        constraints = [models.UniqueConstraint(fields=["policy", "tier"], name="eldercare_tier_once")]

    def __str__(self):
        return f"{self.get_tier_display()}: {self.elder_pays}"


class Enrolment(models.Model):
    resident = models.OneToOneField(Resident, verbose_name=_("resident"), on_delete=models.PROTECT, related_name="+")
    card_number = models.CharField(_("card number"), max_length=30, unique=True)
    enrolled_at = models.DateTimeField(_("enrolled"), auto_now_add=True)
    enrolled_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    ended_on = models.DateField(_("ended"), null=True, blank=True)

    class Meta:
        verbose_name = _("meal enrolment")
        verbose_name_plural = _("meal enrolments")

    def __str__(self):
        return self.card_number


class MealSource(models.TextChoices):
    TERMINAL = "terminal", _("Check-in terminal")
    BROWSER = "browser", _("Recorded by staff")


class Meal(models.Model):
    """One subsidised meal served. Once per (resident, hall, day, meal): a terminal that sends it again gets the
    same record back."""

    resident = models.ForeignKey(Resident, on_delete=models.PROTECT, related_name="+")
    hall = models.ForeignKey(MealHall, on_delete=models.PROTECT, related_name="meals")
    served_on = models.DateField(_("day"))
    meal_type = models.CharField(_("meal type"), max_length=10, choices=MealType.choices)
    served_at = models.DateTimeField(_("checked in"))
    tier = models.CharField(_("tier"), max_length=12, choices=Tier.choices)
    price = money(_("price"))
    elder_paid = money(_("the elder paid"))
    city_share = money(_("city subsidy"))
    district_share = money(_("district subsidy"))
    street_share = money(_("street subsidy"))
    policy = models.ForeignKey(MealPolicy, on_delete=models.PROTECT, related_name="+")
    source = models.CharField(_("recorded by"), max_length=10, choices=MealSource.choices)
    recorded_by_label = models.CharField(max_length=120)
    settlement = models.ForeignKey(
        "Settlement", null=True, blank=True, on_delete=models.PROTECT, related_name="meals", db_index=False
    )

    class Meta:
        verbose_name = _("meal")
        verbose_name_plural = _("meals")
        constraints = [
            models.UniqueConstraint(
                fields=["resident", "hall", "served_on", "meal_type"], name="eldercare_meal_once_per_hall"
            ),
            models.CheckConstraint(
                condition=Q(
                    price=models.F("elder_paid")
                    + models.F("city_share")
                    + models.F("district_share")
                    + models.F("street_share")
                ),
                name="eldercare_meal_shares_add_up",
            ),
        ]
        indexes = [
            models.Index(fields=["hall", "served_on"], name="eldercare_meal_hall_day_idx"),
            models.Index(fields=["resident", "served_on"], name="eldercare_meal_person_day_idx"),
        ]

    def __str__(self):
        return f"{self.resident_id} {self.served_on} {self.meal_type}"


class SettlementState(models.TextChoices):
    DRAFT = "draft", _("Draft")
    APPROVED = "approved", _("Approved by the street")


class Settlement(models.Model):
    """What a hall is owed for a period: the subsidy it advanced, by funding level, from the meals recorded."""

    hall = models.ForeignKey(MealHall, on_delete=models.PROTECT, related_name="settlements")
    period_start = models.DateField(_("from"))
    period_end = models.DateField(_("to"))
    state = models.CharField(_("state"), max_length=10, choices=SettlementState.choices, default=SettlementState.DRAFT)
    meal_count = models.PositiveIntegerField(_("number of meals"), default=0)
    elder_paid = money(_("paid by the elderly"), default=0)
    city_share = money(_("city subsidy"), default=0)
    district_share = money(_("district subsidy"), default=0)
    street_share = money(_("street subsidy"), default=0)
    computed_at = models.DateTimeField(_("computed"), null=True, blank=True)
    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    approved_at = models.DateTimeField(_("approved"), null=True, blank=True)

    class Meta:
        verbose_name = _("meal settlement")
        verbose_name_plural = _("meal settlements")
        ordering = ["-period_start", "hall"]
        constraints = [
            models.UniqueConstraint(fields=["hall", "period_start"], name="eldercare_settlement_once_per_period")
        ]

    def __str__(self):
        return f"{self.hall} {self.period_start}–{self.period_end}"

    @property
    def subsidy(self):
        return self.city_share + self.district_share + self.street_share


# ------------------------------------------------------------------------------------------------ visits


class ElderCategory(models.TextChoices):
    LIVING_ALONE = "living_alone", _("Living alone")
    EMPTY_NEST = "empty_nest", _("Empty-nest")
    LEFT_BEHIND = "left_behind", _("Left-behind")
    DISABLED_OR_DEMENTIA = "disabled_or_dementia", _("Disabled or with dementia")
    SEVERELY_DISABLED = "severely_disabled", _("Severely disabled")
    FAMILY_PLANNING = "family_planning", _("Family-planning special family (计生特殊家庭)")


class Risk(models.TextChoices):
    HIGH = "high", _("High risk")
    KEY = "key", pgettext_lazy("risk level", "Key")
    GENERAL = "general", _("General")


# Days between visits by risk (DOMAIN.md: high risk weekly, key monthly, general quarterly); settings may change
# them (ELDER_VISIT_DAYS).
VISIT_DAYS = {Risk.HIGH: 7, Risk.KEY: 30, Risk.GENERAL: 90}


class CaredElder(models.Model):
    """A special-hardship elder on the visiting list."""

    resident = models.OneToOneField(Resident, verbose_name=_("resident"), on_delete=models.PROTECT, related_name="+")
    region = models.ForeignKey(Region, verbose_name=_("community"), on_delete=models.PROTECT, related_name="+")
    categories = models.JSONField(_("categories"), default=list)
    risk = models.CharField(_("risk"), max_length=8, choices=Risk.choices, default=Risk.GENERAL)
    visitor = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("visitor"), on_delete=models.PROTECT, related_name="+"
    )
    next_visit_due = models.DateField(_("next visit due"))
    # Set by the daily job when the due date passes without a visit; cleared by the next visit.
    overdue_since = models.DateField(_("overdue since"), null=True, blank=True)
    registered_at = models.DateTimeField(_("registered"), auto_now_add=True)
    ended_on = models.DateField(_("left the list"), null=True, blank=True)

    class Meta:
        verbose_name = _("special-hardship elder")
        verbose_name_plural = _("special-hardship elderly")
        ordering = ["next_visit_due", "pk"]
        indexes = [models.Index(fields=["next_visit_due"], name="eldercare_elder_due_idx")]

    def __str__(self):
        return str(self.resident)


class Visit(models.Model):
    elder = models.ForeignKey(CaredElder, on_delete=models.PROTECT, related_name="visits")
    visited_on = models.DateField(pgettext_lazy("elderly visit", "visited on"))
    visitor = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("visitor"), on_delete=models.PROTECT, related_name="+"
    )
    findings = models.TextField(pgettext_lazy("elderly visit", "findings"))
    risks = models.TextField(_("risks found"), blank=True)
    follow_up = models.TextField(_("follow-up"), blank=True)
    recorded_at = models.DateTimeField(_("recorded"), auto_now_add=True)

    class Meta:
        verbose_name = _("visit")
        verbose_name_plural = _("visits")
        ordering = ["-visited_on", "-pk"]
        indexes = [models.Index(fields=["elder", "visited_on"], name="eldercare_visit_elder_idx")]

    def __str__(self):
        return f"{self.elder_id} {self.visited_on}"
