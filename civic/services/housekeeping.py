from datetime import timedelta

from django.conf import settings
from django.utils import timezone

from civic.models import IdempotencyRecord


def idempotency_records_purge():
    """Forget stored API responses older than the idempotency window."""
    cutoff = timezone.now() - timedelta(hours=settings.IDEMPOTENCY_KEY_TTL_HOURS)
    deleted, _counts = IdempotencyRecord.objects.filter(created_at__lt=cutoff).delete()
    return deleted
