from datetime import timedelta

from django.conf import settings
from django.core.files.storage import default_storage
from django.utils import timezone

from civic.models import IdempotencyRecord


def idempotency_records_purge():
    """Forget stored API responses older than the idempotency window."""
    cutoff = timezone.now() - timedelta(hours=settings.IDEMPOTENCY_KEY_TTL_HOURS)
    deleted, _counts = IdempotencyRecord.objects.filter(created_at__lt=cutoff).delete()
    return deleted


def stale_imports_purge(max_age_hours=24):
    """Delete uploaded import files whose preview was never confirmed or discarded."""
    cutoff = timezone.now() - timedelta(hours=max_age_hours)
    if not default_storage.exists("imports"):
        return 0
    deleted = 0
    user_dirs, _files = default_storage.listdir("imports")
    for user_dir in user_dirs:
        _dirs, files = default_storage.listdir(f"imports/{user_dir}")
        for name in files:
            path = f"imports/{user_dir}/{name}"
            if default_storage.get_modified_time(path) < cutoff:
                default_storage.delete(path)
                deleted += 1
    return deleted
