"""The nightly monitoring run (a civic Job, so it shows progress, resumes after a crash and cannot run twice at
once): match the feed records still pending or unmatched, then, for each range of resident ids, keep the watched
population in step with the benefits and apply every rule and check in use; finally mark who has a warning open
and refresh the dashboard's figures."""

from django.db.models import Max
from django.utils import timezone

from civic import figures
from civic.jobs import JobWork, job_start
from civic.models import Region, Resident
from civic.workdays import add_working_days

from . import detection
from .rules import rules_in_force
from .services.ingest import match_pending

KIND = "monitoring.nightly"


class NightlyWork(JobWork):
    """params: {"today": ISO date} (the day the run stands for: deadlines count from it)."""

    def _today(self, job):
        from datetime import date

        return date.fromisoformat(job.params["today"])

    def prepare(self, job):
        match_pending(include_unmatched=True)
        rules_in_force()
        last = Resident.objects.aggregate(last=Max("pk"))["last"] or 0
        return last, last

    def chunk(self, job, low, high):
        today = self._today(job)
        detection.population_sync(low, high, today)
        raised = dict(job.result.get("raised", {})) if isinstance(job.result, dict) else {}
        for rule in rules_in_force():
            if not rule.enabled:
                continue
            due = add_working_days(today, rule.deadline_days)
            count = detection.run_rule(rule, low, high, today=today, due=due)
            raised[rule.code] = raised.get(rule.code, 0) + count
        # The running totals travel with the cursor: a resumed run counts each chunk once.
        type(job).objects.filter(pk=job.pk).update(result={"raised": raised})
        return high - low

    def finish(self, job):
        detection.person_statuses()
        for source in ("monitoring.alerts", "monitoring.now"):
            figures.refresh_soon(source, "")
        return job.result or {}


def nightly_start(*, today=None, actor=None):
    from .tasks import run_nightly

    today = today or timezone.localdate()
    root = Region.objects.filter(parent=None).order_by("code").first()
    return job_start(
        kind=KIND,
        key=f"{KIND}:{today.isoformat()}",
        region=root,
        task=run_nightly,
        params={"today": today.isoformat()},
        actor=actor,
    )
