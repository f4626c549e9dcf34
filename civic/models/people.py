"""Residents and households. A person belongs to one household at a time; memberships keep the history.

Resident.region and Household.region carry the community's 12-digit code so every query can be scoped
with a prefix match on an indexed column.
"""

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from civic import idnumbers

from .regions import Region


class Sex(models.TextChoices):
    MALE = "M", _("Male")
    FEMALE = "F", _("Female")


class HukouType(models.TextChoices):
    LOCAL_URBAN = "local_urban", _("Local, urban registration")
    LOCAL_RURAL = "local_rural", _("Local, rural registration")
    NON_LOCAL = "non_local", _("Registered elsewhere")


class DisabilityCategory(models.TextChoices):
    VISUAL = "visual", _("Visual disability")
    HEARING = "hearing", _("Hearing disability")
    SPEECH = "speech", _("Speech disability")
    PHYSICAL = "physical", _("Physical disability")
    INTELLECTUAL = "intellectual", _("Intellectual disability")
    MENTAL = "mental", _("Mental disability")
    MULTIPLE = "multiple", _("Multiple disabilities")


class WorkAbility(models.TextChoices):
    FULL = "full", _("Able to work")
    PARTIAL = "partial", _("Partly unable to work")
    NONE = "none", _("Unable to work")


class Relationship(models.TextChoices):
    HEAD = "head", _("Head of household")
    SPOUSE = "spouse", _("Spouse")
    CHILD = "child", _("Child")
    PARENT = "parent", _("Parent")
    GRANDCHILD = "grandchild", _("Grandchild")
    GRANDPARENT = "grandparent", _("Grandparent")
    SIBLING = "sibling", _("Sibling")
    CHILD_IN_LAW = "child_in_law", _("Son- or daughter-in-law")
    OTHER = "other", _("Other relative")


class Household(models.Model):
    region = models.ForeignKey(
        Region,
        verbose_name=_("community"),
        on_delete=models.PROTECT,
        related_name="households",
        limit_choices_to={"level": "community"},
    )
    address = models.CharField(_("address"), max_length=200)
    is_rural = models.BooleanField(_("rural household"), default=False)
    head = models.ForeignKey(
        "Resident", verbose_name=_("head"), null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        verbose_name = _("household")
        verbose_name_plural = _("households")

    def __str__(self):
        return _("Household %(number)s") % {"number": self.number}

    @property
    def number(self):
        """The household file number shown to staff: community code and a sequence."""
        return f"{self.region_id}-{self.pk:07d}" if self.pk else ""


class Resident(models.Model):
    id_number = models.CharField(_("ID number"), max_length=18, unique=True)
    name = models.CharField(_("name"), max_length=50, db_index=True)
    sex = models.CharField(_("sex"), max_length=1, choices=Sex.choices)
    birth_date = models.DateField(_("date of birth"))
    phone = models.CharField(_("phone"), max_length=20, blank=True, db_index=True)
    hukou_type = models.CharField(
        _("household registration"), max_length=12, choices=HukouType.choices, default=HukouType.LOCAL_URBAN
    )
    disability_category = models.CharField(
        _("disability category"), max_length=12, choices=DisabilityCategory.choices, blank=True
    )
    disability_grade = models.PositiveSmallIntegerField(_("disability grade"), null=True, blank=True)
    serious_illness = models.BooleanField(_("serious illness"), default=False)
    illness_note = models.CharField(_("illness"), max_length=100, blank=True)
    work_ability = models.CharField(
        _("work ability"), max_length=8, choices=WorkAbility.choices, default=WorkAbility.FULL
    )
    household = models.ForeignKey(
        Household,
        verbose_name=_("household"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="members",
    )
    relationship = models.CharField(_("relationship to head"), max_length=12, choices=Relationship.choices, blank=True)
    region = models.ForeignKey(
        Region, verbose_name=_("community"), null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    # Recorded through civic.services.resident_record_death, which tells the domain apps (civic.signals).
    died_on = models.DateField(_("date of death"), null=True, blank=True)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        verbose_name = _("resident")
        verbose_name_plural = _("residents")
        constraints = [
            models.CheckConstraint(
                condition=Q(disability_grade__isnull=True, disability_category="")
                | Q(disability_grade__gte=1, disability_grade__lte=4) & ~Q(disability_category=""),
                name="resident_disability_grade_with_category",
            ),
        ]

    def __str__(self):
        return self.name

    @property
    def id_number_masked(self):
        return idnumbers.mask(self.id_number)

    def age_on(self, day):
        return day.year - self.birth_date.year - ((day.month, day.day) < (self.birth_date.month, self.birth_date.day))


class HouseholdMembership(models.Model):
    """Who lived in which household, from when to when. The open row is the current one."""

    resident = models.ForeignKey(Resident, on_delete=models.CASCADE, related_name="memberships")
    household = models.ForeignKey(Household, on_delete=models.CASCADE, related_name="memberships")
    relationship = models.CharField(max_length=12, choices=Relationship.choices)
    started_at = models.DateTimeField()
    ended_at = models.DateTimeField(null=True, blank=True)
    end_reason = models.CharField(max_length=200, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["resident"], condition=Q(ended_at__isnull=True), name="one_current_household_per_resident"
            )
        ]

    def __str__(self):
        return f"{self.resident_id} in {self.household_id}"
