from celery import shared_task

from . import services


@shared_task
def remind_overdue_resolutions():
    """Remind resolutions past their due date (a line in their history, weekly while overdue). Idempotent."""
    return services.overdue_remind()
