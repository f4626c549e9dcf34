from celery import shared_task

from . import services


@shared_task
def purge_idempotency_keys():
    """Forget stored API responses older than the idempotency window."""
    return services.idempotency_records_purge()


@shared_task
def purge_stale_imports():
    """Delete import uploads left waiting for more than a day."""
    return services.stale_imports_purge()
