from celery import shared_task

from . import services


@shared_task
def alert_overdue_reports():
    """Mark mandatory reports whose deadline passed without action. Idempotent."""
    return services.overdue_alert()
