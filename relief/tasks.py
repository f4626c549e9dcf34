from celery import shared_task

from .services import applications


@shared_task
def close_ended_notices():
    """Send every application whose public notice has ended without objection to the district."""
    return applications.notices_close_due()
