from celery import shared_task

from civic.jobs import job_run

from .nightly import NightlyWork, nightly_start


@shared_task
def run_nightly(job_id):
    job = job_run(job_id, NightlyWork())
    return job.state if job else None


@shared_task
def start_nightly():
    """Beat: tonight's run over every watched person and the day's feeds (a rerun the same day changes nothing)."""
    return nightly_start().pk
