"""Administrative regions: 12-digit codes whose significant prefix is a region's subtree."""

from django.core.validators import RegexValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

# Significant digits of a 12-digit administrative code at each level: a region's subtree is every
# code that starts with its prefix.
LEVEL_DIGITS = {"province": 2, "city": 4, "district": 6, "street": 9, "community": 12}


class RegionLevel(models.TextChoices):
    PROVINCE = "province", _("Province")
    CITY = "city", _("City")
    DISTRICT = "district", _("District or county")
    STREET = "street", _("Street or town")
    COMMUNITY = "community", _("Community or village")


def normalise_region_code(code):
    """Accept a short code ("440402") or a full one and return the 12-digit form."""
    code = (code or "").strip()
    if not code.isdigit() or len(code) > 12:
        raise ValueError(code)
    return code.ljust(12, "0")


class Region(models.Model):
    code = models.CharField(
        _("code"),
        max_length=12,
        primary_key=True,
        validators=[RegexValidator(r"^\d{12}$", _("A region code has exactly 12 digits."))],
    )
    name = models.CharField(_("name"), max_length=100)
    level = models.CharField(_("level"), max_length=12, choices=RegionLevel.choices)
    parent = models.ForeignKey(
        "self", verbose_name=_("parent"), null=True, blank=True, on_delete=models.PROTECT, related_name="children"
    )
    is_rural = models.BooleanField(_("rural"), default=False)

    class Meta:
        verbose_name = _("region")
        verbose_name_plural = _("regions")
        ordering = ["code"]

    def __str__(self):
        return self.name

    @property
    def prefix(self):
        return self.code[: LEVEL_DIGITS[self.level]]

    def contains(self, code):
        return bool(code) and code.startswith(self.prefix)

    def path_names(self):
        """Names from the top of the tree down to this region (for headers and breadcrumbs)."""
        names, node = [], self
        while node is not None:
            names.append(node.name)
            node = node.parent
        return list(reversed(names))
