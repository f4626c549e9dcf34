from celery import shared_task

from civic.jobs import job_run

from . import services
from .settling import SettlementWork


@shared_task
def settle(job_id):
    job = job_run(job_id, SettlementWork())
    return job.state if job else None


@shared_task
def settle_ended_periods():
    """On the 1st: the statements of the month (or quarter) that has just ended, for every open hall."""
    return services.settlements_due()


@shared_task
def flag_overdue_visits():
    """Mark special-hardship elderly whose visit is past due. Idempotent within a day."""
    return services.overdue_flag()
