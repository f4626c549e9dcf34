"""Shared core data: regions, staff accounts, partner tokens and API idempotency records."""

import hashlib
import secrets

from django.contrib.auth.models import AbstractUser
from django.core.validators import RegexValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from .roles import Role

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


class User(AbstractUser):
    full_name = models.CharField(_("full name"), max_length=60, blank=True)
    role = models.CharField(_("role"), max_length=32, choices=Role.choices, blank=True)
    region = models.ForeignKey(
        Region, verbose_name=_("region"), null=True, blank=True, on_delete=models.PROTECT, related_name="staff"
    )

    class Meta:
        verbose_name = _("staff account")
        verbose_name_plural = _("staff accounts")

    def __str__(self):
        return self.full_name or self.username


def hash_token(raw):
    # Tokens are 256-bit random strings, so a fast hash is enough: there is nothing to brute-force.
    return hashlib.sha256(raw.encode()).hexdigest()


class ApiTokenQuerySet(models.QuerySet):
    def active(self):
        return self.filter(is_active=True)


class ApiToken(models.Model):
    """A partner system's credential. Only the hash is stored; the token is shown once when created."""

    PREFIX = "cvk_"

    name = models.CharField(_("name"), max_length=100)
    key_hash = models.CharField(max_length=64, unique=True, editable=False)
    key_hint = models.CharField(_("token begins with"), max_length=12, editable=False)
    scopes = models.JSONField(_("scopes"), default=list)
    region = models.ForeignKey(Region, verbose_name=_("region"), on_delete=models.PROTECT, related_name="tokens")
    is_active = models.BooleanField(_("active"), default=True)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    last_used_at = models.DateTimeField(_("last used"), null=True, blank=True)

    objects = ApiTokenQuerySet.as_manager()

    class Meta:
        verbose_name = _("partner token")
        verbose_name_plural = _("partner tokens")
        ordering = ["name"]

    def __str__(self):
        return f"{self.name} ({self.key_hint}…)"

    @classmethod
    def generate(cls):
        raw = cls.PREFIX + secrets.token_urlsafe(32)
        return raw, hash_token(raw), raw[:12]


class IdempotencyRecord(models.Model):
    """The stored response to a POST sent with an Idempotency-Key, replayed when the same request repeats."""

    owner = models.CharField(max_length=80)
    key = models.CharField(max_length=255)
    request_hash = models.CharField(max_length=64)
    status_code = models.PositiveSmallIntegerField(null=True)
    content_type = models.CharField(max_length=100, blank=True)
    body = models.BinaryField(default=b"")
    created_at = models.DateTimeField(auto_now_add=True, db_index=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["owner", "key"], name="idempotency_owner_key_unique")]

    def __str__(self):
        return f"{self.owner} {self.key}"
