from celery import shared_task

from .services import applications, entitlements


@shared_task
def close_ended_notices():
    """Send every application whose public notice has ended without objection to the district."""
    return applications.notices_close_due()


@shared_task
def end_finished_gradual_exits():
    """End every benefit whose gradual exit (渐退期) has passed. Idempotent: a second run finds nothing to end."""
    return entitlements.gradual_exits_end_due()
