from celery import shared_task

from . import services


@shared_task
def purge_idempotency_keys():
    """Forget stored API responses older than the idempotency window."""
    return services.idempotency_records_purge()
