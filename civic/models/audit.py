"""Field history of registry records and the log of every unmasked ID number shown."""

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class FieldChange(models.Model):
    """One field of one record changed: who, when, before, after. Written by services in the same
    transaction as the change."""

    class Action(models.TextChoices):
        CREATED = "created", _("Created")
        CHANGED = "changed", _("Changed")
        MOVED = "moved", _("Moved household")
        IMPORTED = "imported", _("Imported")

    content_type = models.ForeignKey(ContentType, on_delete=models.PROTECT)
    object_id = models.BigIntegerField()
    region_id = models.CharField(max_length=12, db_index=True)
    action = models.CharField(max_length=10, choices=Action.choices)
    field = models.CharField(max_length=50)
    before = models.TextField(blank=True)
    after = models.TextField(blank=True)
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT)
    actor_label = models.CharField(max_length=120)
    changed_at = models.DateTimeField(default=timezone.now)

    class Meta:
        indexes = [models.Index(fields=["content_type", "object_id", "changed_at"], name="fieldchange_record_idx")]

    def __str__(self):
        return f"{self.field}: {self.before} → {self.after}"


class IdReveal(models.Model):
    """An unmasked ID number was shown to someone."""

    class Channel(models.TextChoices):
        PAGE = "page", _("Page")
        API = "api", _("API")
        EXPORT = "export", _("Export")

    resident = models.ForeignKey("civic.Resident", on_delete=models.CASCADE, related_name="reveals")
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT)
    actor_label = models.CharField(max_length=120)
    channel = models.CharField(max_length=8, choices=Channel.choices)
    revealed_at = models.DateTimeField(default=timezone.now, db_index=True)

    def __str__(self):
        return f"{self.actor_label} {self.resident_id} {self.revealed_at:%Y-%m-%d %H:%M}"
