"""Starting, running and resuming background jobs over many rows (civic.models.Job).

A job's work is a ``JobWork``: ``prepare`` (idempotent set-up, returns how many rows there are to do and the
highest id), ``chunk`` (one id range, set-based SQL, returns the rows it did) and ``finish`` (totals). The
runner commits every chunk together with the job's cursor and progress, so a worker killed mid-way loses at
most the chunk it was in, which the database rolls back; run again, the job continues after the cursor.
Each chunk first locks the job row, so two runners of one job (a redelivered message and a manual resume)
take turns instead of doing a range twice.
"""

import logging
import time
from datetime import timedelta

from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from .errors import ApplicationError
from .models import ACTIVE_STATES, Job, JobState, User

log = logging.getLogger(__name__)


class JobWork:
    """What a kind of job does; subclasses override the three steps."""

    def prepare(self, job):
        """Set up (idempotently) and return (rows to do, highest id to cover)."""
        raise NotImplementedError

    def chunk(self, job, low, high):
        """Do the rows with low < id <= high; return how many were done. Runs inside the chunk's transaction."""
        raise NotImplementedError

    def finish(self, job):
        """Totals and state once every chunk is done; returns the job's result (a dict). Runs in a transaction."""
        return {}


def _running_refusal(job):
    return ApplicationError(
        _("This job is already running (%(done)s of %(total)s done); wait for it to finish.")
        % {"done": job.done, "total": job.total},
        code="job_running",
        status=409,
    )


def is_stale(job, now=None):
    now = now or timezone.now()
    return job.active and job.heartbeat_at < now - timedelta(seconds=settings.JOB_STALE_SECONDS)


def job_start(*, kind, key, region, task, params=None, actor=None):
    """Queue a job and send ``task(job_id)`` once the transaction commits. While a job with this key is queued
    or running it is refused (409 job_running), unless it has made no progress for JOB_STALE_SECONDS: then
    its worker is taken for dead and the same job is sent again, to resume after its cursor."""
    now = timezone.now()
    with transaction.atomic():
        current = Job.objects.select_for_update().filter(key=key, state__in=ACTIVE_STATES).first()
        if current is not None:
            if not is_stale(current, now):
                raise _running_refusal(current)
            Job.objects.filter(pk=current.pk).update(heartbeat_at=now)
            job = current
        else:
            try:
                with transaction.atomic():
                    job = Job.objects.create(
                        kind=kind,
                        key=key,
                        region=region,
                        params=params or {},
                        created_by=actor if isinstance(actor, User) else None,  # partners and schedules have no account
                    )
            except IntegrityError:  # started by someone else a moment ago
                raise _running_refusal(Job.objects.get(key=key, state__in=ACTIVE_STATES)) from None
        transaction.on_commit(lambda: task.delay(job.pk))
    return job


def job_run(job_id, work):
    """Run (or resume) a job to the end. A job already finished is left alone: a message delivered twice
    does nothing the second time."""
    job = Job.objects.filter(pk=job_id).first()
    if job is None or job.state == JobState.DONE:
        return None
    Job.objects.filter(pk=job.pk).update(state=JobState.RUNNING, heartbeat_at=timezone.now(), error="")
    try:
        with transaction.atomic():
            total, last_id = work.prepare(job)
            Job.objects.filter(pk=job.pk).update(total=total, heartbeat_at=timezone.now())
        size = max(1, settings.JOB_CHUNK_SIZE)
        while True:
            with transaction.atomic():
                locked = Job.objects.select_for_update().get(pk=job.pk)
                if locked.cursor >= last_id:
                    break
                low, high = locked.cursor, min(locked.cursor + size, last_id)
                done = work.chunk(locked, low, high)
                Job.objects.filter(pk=job.pk).update(cursor=high, done=F("done") + done, heartbeat_at=timezone.now())
            if settings.JOB_CHUNK_PAUSE_SECONDS:
                time.sleep(settings.JOB_CHUNK_PAUSE_SECONDS)
        with transaction.atomic():
            locked = Job.objects.select_for_update().get(pk=job.pk)
            if locked.state == JobState.DONE:
                return locked
            result = work.finish(locked)
            Job.objects.filter(pk=job.pk).update(
                state=JobState.DONE, result=result or {}, finished_at=timezone.now(), heartbeat_at=timezone.now()
            )
    except Exception as exc:
        log.exception("job %s failed", job.key)
        Job.objects.filter(pk=job.pk).update(state=JobState.FAILED, error=str(exc)[:2000], finished_at=timezone.now())
        raise
    return Job.objects.get(pk=job.pk)
