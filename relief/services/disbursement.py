"""Monthly disbursement: generating batches (a job), four-eyes approval, sending, the bank's results, failed
payments re-issued or carried into the next batch, reconciliation.

States: draft → approved (by someone other than who generated it) → sent → reconciled (every line paid or
carried). Guards: money.manage (partners with relief:bank return results) and the batch's district inside the
caller's region (404 otherwise). Every state change is a compare-and-set update, so two clicks cannot both win.
"""

from datetime import date

from django.db import transaction
from django.db.models import Count, Q, Sum
from django.utils import timezone
from django.utils.translation import gettext as _

from civic import access, jobs
from civic.errors import ApplicationError
from civic.models import ACTIVE_STATES, Job, Region, RegionLevel, User
from relief import figures
from relief.models import AdjustmentKind, Batch, BatchLine, BatchState, LineStatus
from relief.money import sql

GENERATE_LEVELS = (RegionLevel.PROVINCE, RegionLevel.CITY, RegionLevel.DISTRICT)
RESULT_STATUSES = (LineStatus.PAID, LineStatus.FAILED)


def _forbidden():
    return ApplicationError(_("You may not manage payment batches."), code="forbidden", status=403)


def _not_found():
    return ApplicationError(_("Not found."), code="not_found", status=404)


def _require(actor, capability="money.manage"):
    if not access.can(actor, capability):
        raise _forbidden()


def month_start(value):
    """A month given as a date or "YYYY-MM" / "YYYY-MM-DD", as its first day."""
    if isinstance(value, date):
        return value.replace(day=1)
    try:
        text = str(value).strip()
        return date.fromisoformat(text + "-01" if len(text) == 7 else text).replace(day=1)
    except ValueError:
        message = _("Give the month as YYYY-MM.")
        raise ApplicationError(message, fields={"month": [message]}) from None


def generation_key(region, month):
    return f"relief.disburse:{region.code}:{month:%Y-%m}"


def _generation_jobs(batch):
    """Every run that generated lines into this batch: its district's, its city's and its province's."""
    district_and_above = [batch.region.code[:n].ljust(12, "0") for n in (2, 4, 6)]
    keys = [f"relief.disburse:{code}:{batch.month:%Y-%m}" for code in district_and_above]
    return Job.objects.filter(key__in=keys)


def generation_running(batch):
    """The generation job still filling this batch, if any."""
    return _generation_jobs(batch).filter(state__in=ACTIVE_STATES).first()


def generated_by(batch):
    """The staff who started any run that put lines into this batch: none of them may approve it."""
    ids = set(_generation_jobs(batch).exclude(created_by=None).values_list("created_by", flat=True))
    if batch.created_by_id:
        ids.add(batch.created_by_id)
    return ids


def batch_generate(*, actor, region_code, month):
    """Start generating `month`'s batches for every district in the region (a job; refused with 409 while the
    same one runs). Months after next are refused: a batch pays what is known now."""
    _require(actor)
    month = month_start(month)
    region = Region.objects.filter(code=region_code).first()
    if region is None or not access.in_scope(actor, region.code):
        raise _not_found()
    if region.level not in GENERATE_LEVELS:
        message = _("Batches are generated for a district, a city or a province.")
        raise ApplicationError(message, fields={"region": [message]})
    today = timezone.localdate()
    latest = date(today.year + (today.month == 12), today.month % 12 + 1, 1)
    if month > latest:
        message = _("Batches can be generated up to next month.")
        raise ApplicationError(message, fields={"month": [message]})
    return _start(region, month, actor)


def _start(region, month, actor):
    from relief import tasks

    return jobs.job_start(
        kind="relief.disburse",
        key=generation_key(region, month),
        region=region,
        task=tasks.generate_batches,
        params={"region": region.code, "month": month.isoformat(), "by": actor.pk if isinstance(actor, User) else None},
        actor=actor,
    )


def monthly_generate(today=None):
    """The monthly job: this month's batches for every city. A city whose run is still going is left alone."""
    month = (today or timezone.localdate()).replace(day=1)
    started = 0
    for city in Region.objects.filter(level=RegionLevel.CITY):
        try:
            _start(city, month, None)
            started += 1
        except ApplicationError:
            continue
    return started


def _batch(actor, batch, capability="money.manage"):
    _require(actor, capability)
    if not access.in_scope(actor, batch.region_id):
        raise _not_found()
    return Batch.objects.select_for_update().select_related("region").get(pk=batch.pk)


def _expect(batch, *states):
    if batch.state not in states:
        raise ApplicationError(
            _("This batch is “%(state)s”; that cannot be done now.") % {"state": batch.get_state_display()},
            code="wrong_state",
            status=409,
        )


@transaction.atomic
def batch_approve(*, actor, batch):
    batch = _batch(actor, batch)
    _expect(batch, BatchState.DRAFT)
    if batch.generated_at is None or generation_running(batch):
        raise ApplicationError(
            _("The batch is still being generated; approve it when it is complete."), code="generating", status=409
        )
    if getattr(actor, "pk", None) in generated_by(batch):
        access.ensure_different_people(actor, actor, step=_("approve it"))
    Batch.objects.filter(pk=batch.pk, state=BatchState.DRAFT).update(
        state=BatchState.APPROVED, approved_by=actor, approved_at=timezone.now()
    )
    return Batch.objects.get(pk=batch.pk)


@transaction.atomic
def batch_send(*, actor, batch):
    """The roster has gone to the bank: lines now wait for its results."""
    batch = _batch(actor, batch)
    _expect(batch, BatchState.APPROVED)
    Batch.objects.filter(pk=batch.pk, state=BatchState.APPROVED).update(
        state=BatchState.SENT, sent_by=actor if isinstance(actor, User) else None, sent_at=timezone.now()
    )
    return Batch.objects.get(pk=batch.pk)


def _reconcile_if_settled(batch):
    """Sent → reconciled once every line is paid or carried into a later batch."""
    unsettled = BatchLine.objects.of_batch(batch).exclude(status__in=(LineStatus.PAID, LineStatus.CARRIED))
    if batch.state == BatchState.SENT and not unsettled.exists():
        Batch.objects.filter(pk=batch.pk, state=BatchState.SENT).update(
            state=BatchState.RECONCILED, reconciled_at=timezone.now()
        )


def _row_errors(batch, results):
    """Every problem in the bank's results at once, by row number (1 = the first result)."""
    errors = {}
    seen = {}
    ids = []
    for number, row in enumerate(results, start=1):
        problems = []
        line = str(row.get("line") or "").strip()
        status = str(row.get("status") or "").strip().lower()
        reason = str(row.get("reason") or "").strip()
        if not line.isdigit():
            problems.append(_("Give the line number from the roster."))
        elif line in seen:
            problems.append(_("Line %(line)s appears twice (also row %(row)s).") % {"line": line, "row": seen[line]})
        else:
            seen[line] = number
            ids.append(int(line))
        if status not in RESULT_STATUSES:
            problems.append(_("The result is “paid” or “failed”."))
        elif status == LineStatus.FAILED and not reason:
            problems.append(_("A failed payment needs the bank's reason."))
        if len(reason) > 200:
            problems.append(_("The reason is at most 200 characters."))
        if problems:
            errors[number] = problems
    known = dict(BatchLine.objects.filter(batch_id=batch.pk, pk__in=ids).values_list("pk", "status"))
    for number, row in enumerate(results, start=1):
        line = str(row.get("line") or "").strip()
        if not line.isdigit() or number in errors:
            continue
        status = str(row.get("status")).strip().lower()
        current = known.get(int(line))
        if current is None:
            errors[number] = [_("Line %(line)s is not in this batch.") % {"line": line}]
        elif current != LineStatus.PENDING and current != status:
            errors[number] = [
                _("Line %(line)s already has the result “%(status)s”.")
                % {"line": line, "status": LineStatus(current).label}
            ]
    return errors


@transaction.atomic
def results_apply(*, actor, batch, results):
    """The bank's results (dicts with line, status paid/failed, reason): all or nothing. A result already recorded
    the same way is accepted again (a resent file), a different one refused. Returns counts."""
    capability = "money.bank" if access.can(actor, "money.bank") else "money.manage"
    batch = _batch(actor, batch, capability)
    _expect(batch, BatchState.SENT)
    if not results:
        message = _("The file has no results.")
        raise ApplicationError(message, fields={"results": [message]})
    errors = _row_errors(batch, results)
    if errors:
        raise ApplicationError(
            _("Nothing was recorded: %(count)s rows have problems.") % {"count": len(errors)},
            code="invalid_rows",
            fields={f"results.{n}": problems for n, problems in errors.items()},
        )
    now = timezone.now()
    paid = [int(r["line"]) for r in results if str(r["status"]).strip().lower() == LineStatus.PAID]
    failed = {}
    for r in results:
        if str(r["status"]).strip().lower() == LineStatus.FAILED:
            failed.setdefault(str(r["reason"]).strip(), []).append(int(r["line"]))
    pending = BatchLine.objects.filter(batch_id=batch.pk, status=LineStatus.PENDING)
    counts = {"paid": 0, "failed": 0}
    for start in range(0, len(paid), 5000):
        counts["paid"] += pending.filter(pk__in=paid[start : start + 5000]).update(
            status=LineStatus.PAID, result_at=now
        )
    for reason, ids in failed.items():
        for start in range(0, len(ids), 5000):
            counts["failed"] += pending.filter(pk__in=ids[start : start + 5000]).update(
                status=LineStatus.FAILED, failure_reason=reason, result_at=now
            )
    _reconcile_if_settled(batch)
    figures.batches_changed([batch])
    return counts


def _failed_lines(actor, batch, lines):
    batch = _batch(actor, batch)
    _expect(batch, BatchState.SENT)
    chosen = BatchLine.objects.of_batch(batch).filter(status=LineStatus.FAILED)
    if lines is not None:
        chosen = chosen.filter(pk__in=lines)
    return batch, chosen


@transaction.atomic
def failed_reissue(*, actor, batch, lines=None):
    """Send failed lines again (all of them, or the ids in `lines`) with the account now on file: they go on
    the next roster of lines awaiting the bank."""
    batch, chosen = _failed_lines(actor, batch, lines)
    from django.db.models import F, OuterRef, Subquery

    from relief.models import Entitlement

    account = Subquery(Entitlement.objects.filter(pk=OuterRef("entitlement_id")).values("account")[:1])
    count = chosen.update(status=LineStatus.PENDING, attempts=F("attempts") + 1, account=account, result_at=None)
    figures.batches_changed([batch])
    return count


@transaction.atomic
def failed_carry(*, actor, batch, lines=None):
    """Carry failed lines into the next batch: each becomes an adjustment its entitlement's next line pays."""
    batch, chosen = _failed_lines(actor, batch, lines)
    ids = list(chosen.values_list("pk", flat=True))
    reason = _("Payment for %(month)s failed at the bank; paid with the next batch") % {"month": f"{batch.month:%Y-%m}"}
    for start in range(0, len(ids), 5000):
        part = ids[start : start + 5000]
        marks = ", ".join(["%s"] * len(part))
        sql.run(
            f"""
            INSERT INTO {sql.ADJUSTMENT} (entitlement_id, kind, amount, months, reason, source_line_id, created_at)
            SELECT l.entitlement_id, %s, l.total, 0, %s, l.id, %s FROM {sql.LINE} l
            WHERE l.id IN ({marks}) AND l.status = %s
            """,
            [AdjustmentKind.CARRIED_OVER, reason, timezone.now(), *part, LineStatus.FAILED],
        )
    count = BatchLine.objects.filter(pk__in=ids, status=LineStatus.FAILED).update(status=LineStatus.CARRIED)
    _reconcile_if_settled(batch)
    figures.batches_changed([batch])
    return count


def batch_summary(batch):
    """Line counts by status and the totals, straight from the lines (the page's check against the batch's own)."""
    lines = BatchLine.objects.of_batch(batch)
    by_status = dict(lines.values_list("status").annotate(n=Count("pk")).values_list("status", "n"))
    sums = lines.aggregate(
        count=Count("pk"),
        amount=Sum("amount"),
        adjustment=Sum("adjustment"),
        total=Sum("total"),
        no_account=Count("pk", filter=Q(account="")),
    )
    return {"by_status": by_status, **sums}
