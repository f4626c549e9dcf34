"""Partner tokens and API idempotency records."""

import hashlib
import secrets

from django.db import models
from django.utils.translation import gettext_lazy as _

from .regions import Region


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
