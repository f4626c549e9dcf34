from celery import shared_task

from civic.jobs import job_run

from .money.batches import BatchWork
from .money.recompute import RecomputeWork
from .money.subsidies import OneOffWork, PriceSubsidyWork
from .services import applications, disbursement, entitlements, policies


@shared_task
def close_ended_notices():
    """Send every application whose public notice has ended without objection to the district."""
    return applications.notices_close_due()


@shared_task
def end_finished_gradual_exits():
    """End every benefit whose gradual exit (渐退期) has passed. Idempotent: a second run finds nothing to end."""
    return entitlements.gradual_exits_end_due()


# Jobs over many rows: each takes its job's id and resumes after the job's cursor (civic.jobs).


def _run(job_id, work):
    job = job_run(job_id, work)
    return job.state if job else None


@shared_task
def recompute_standard(job_id):
    return _run(job_id, RecomputeWork())


@shared_task
def generate_batches(job_id):
    return _run(job_id, BatchWork())


@shared_task
def price_subsidy(job_id):
    return _run(job_id, PriceSubsidyWork())


@shared_task
def one_off_subsidy(job_id):
    return _run(job_id, OneOffWork())


@shared_task
def apply_due_standards():
    """Start the recompute of published standards whose start date has come."""
    return policies.policies_apply_due()


@shared_task
def generate_monthly_batches():
    """This month's batches for every city."""
    return disbursement.monthly_generate()
