"""Long-running background jobs (recompute, batch generation, subsidies, settlements) and their progress.

A job is identified by a key such as ``relief.disburse:440400000000:2026-11``: while one with that key is
queued or running, the database refuses a second (partial unique index), so a double click or a beat run
that overlaps a manager's button never starts the same work twice. Work advances in chunks; each chunk
commits its rows and the job's cursor together, so a job killed mid-way resumes where it stopped."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class JobState(models.TextChoices):
    QUEUED = "queued", _("Queued")
    RUNNING = "running", _("Running")
    DONE = "done", _("Done")
    FAILED = "failed", _("Failed")


ACTIVE_STATES = (JobState.QUEUED, JobState.RUNNING)


class Job(models.Model):
    kind = models.CharField(_("kind"), max_length=40)
    key = models.CharField(_("key"), max_length=120)
    # The region whose data the job touches: jobs are listed, like everything else, by region scope.
    region = models.ForeignKey("civic.Region", on_delete=models.PROTECT, related_name="+")
    state = models.CharField(_("state"), max_length=8, choices=JobState.choices, default=JobState.QUEUED)
    params = models.JSONField(_("parameters"), default=dict, blank=True)
    total = models.PositiveIntegerField(_("to do"), default=0)
    done = models.PositiveIntegerField(_("done"), default=0)
    # Where to resume: the last id a committed chunk covered.
    cursor = models.BigIntegerField(default=0)
    result = models.JSONField(_("result"), default=dict, blank=True)
    error = models.TextField(_("error"), blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(_("started"), default=timezone.now)
    # Touched by every chunk: a running job whose heartbeat stopped long ago has lost its worker.
    heartbeat_at = models.DateTimeField(_("last progress"), default=timezone.now)
    finished_at = models.DateTimeField(_("finished"), null=True, blank=True)

    class Meta:
        verbose_name = _("background job")
        verbose_name_plural = _("background jobs")
        ordering = ["-created_at", "-pk"]
        constraints = [
            models.UniqueConstraint(fields=["key"], condition=Q(state__in=ACTIVE_STATES), name="civic_job_one_active"),
        ]
        indexes = [models.Index(fields=["kind", "-created_at"], name="civic_job_kind_idx")]

    def __str__(self):
        return f"{self.key} ({self.state})"

    @property
    def percent(self):
        if self.state == JobState.DONE:
            return 100
        return min(99, self.done * 100 // self.total) if self.total else 0

    @property
    def active(self):
        return self.state in ACTIVE_STATES
