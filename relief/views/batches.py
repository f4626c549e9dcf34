"""Monthly payment batches (发放批次): the list, generating a month's batches (a job with a progress bar), the
batch with its four-eyes approval, sending, the roster (CSV, XLSX, print), the bank's results and the failed
payments; and the progress fragment of any money job, polled by htmx while the job runs. Thin: forms check
shapes, relief.services.disbursement the rules, relief.money.rosters writes the roster."""

from decimal import Decimal

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import FileResponse, Http404, StreamingHttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import content_disposition_header, urlencode
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from civic import access
from civic.errors import ApplicationError
from civic.models import ACTIVE_STATES, Job, JobState
from relief import money_forms
from relief.models import Batch, BatchLine, BatchState, LineStatus
from relief.money import rosters
from relief.programmes import Programme
from relief.services import disbursement

PAGE_SIZE = 25
LINES_PAGE_SIZE = 50
FAILED_SHOWN = 20
RECENT_JOBS = 5
XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"

# ------------------------------------------------------------------------------------------------ jobs

# The money jobs these pages show, and the capabilities that may follow each (any one of them).
JOB_KINDS = {
    "relief.disburse": ("money.manage",),
    "relief.recompute": ("relief.view", "money.manage"),
    "relief.price_subsidy": ("money.subsidy",),
    "relief.one_off": ("money.subsidy",),
}


def job_label(job):
    label = {
        "relief.disburse": _("Generating payment batches"),
        "relief.recompute": _("Applying the new standard"),
        "relief.price_subsidy": _("Price-linked subsidy"),
        "relief.one_off": _("One-off subsidy"),
    }.get(job.kind, job.kind)
    month = (job.params or {}).get("month", "")[:7] if job.kind == "relief.disburse" else ""
    return " · ".join(part for part in (str(label), job.region.name, month) if part)


def job_result(job):
    """The finished job's result in words."""
    result = job.result or {}
    if job.state != JobState.DONE:
        return ""
    if job.kind == "relief.disburse":
        return _("Batches: %(batches)s; payments: %(lines)s; %(total)s yuan in all.") % {
            "batches": result.get("batches", 0),
            "lines": result.get("lines", 0),
            "total": result.get("total", "0"),
        }
    if job.kind == "relief.recompute":
        return _("Benefits changed: %(changed)s; back-pay %(back_pay)s yuan.") % {
            "changed": result.get("changed", 0),
            "back_pay": result.get("back_pay", "0.00"),
        }
    return _("Payments recorded: %(adjustments)s, %(amount)s yuan in all; the next batch pays them.") % {
        "adjustments": result.get("adjustments", 0),
        "amount": result.get("amount", "0.00"),
    }


def job_target(job):
    """The page that shows what the job made."""
    params = job.params or {}
    if job.kind == "relief.disburse" and params.get("month"):
        return reverse("relief:batch-list") + "?" + urlencode({"month": params["month"][:7]})
    if job.kind == "relief.recompute" and params.get("policy"):
        return reverse("relief:standard-detail", args=[params["policy"]])
    return ""  # subsidies: their own page lists them


def job_progress_context(user, job):
    """What the progress fragment shows of `job`; it polls only while the job runs and only when this user may
    poll it (the job's region in the user's area)."""
    if job is None:
        return None
    return {
        "job": job,
        "label": job_label(job),
        "result": job_result(job),
        "target": job_target(job),
        "poll": job.active and access.in_scope(user, job.region_id),
    }


@login_required
@never_cache
@require_GET
def job_progress(request, pk):
    """The progress fragment of one money job (htmx polls it every two seconds while the job runs)."""
    jobs = Job.objects.filter(kind__in=JOB_KINDS).select_related("region")
    job = access.get_in_scope_or_404(request.user, jobs, pk=pk)
    if not any(access.can(request.user, capability) for capability in JOB_KINDS[job.kind]):
        raise PermissionDenied
    return render(request, "relief/job_progress.html", {"progress": job_progress_context(request.user, job)})


# ------------------------------------------------------------------------------------------------ batches


def _batches(user):
    return access.scope_queryset(user, Batch.objects.select_related("region"), field="region__code")


def _generation_jobs(user):
    return access.scope_queryset(user, Job.objects.filter(kind="relief.disburse").select_related("region"))


@login_required
@never_cache
@require_GET
def batch_list(request):
    access.require(request.user, "money.manage")
    filters = money_forms.BatchFilterForm(request.GET or None)
    batches = _batches(request.user).order_by("-month", "region_id")
    if filters.is_valid():
        month, state = filters.cleaned_data["month"], filters.cleaned_data["state"]
        if month:
            batches = batches.filter(month=f"{month}-01")
        if state:
            batches = batches.filter(state=state)
    page = Paginator(batches, PAGE_SIZE).get_page(request.GET.get("page"))
    running = [
        job_progress_context(request.user, job)
        for job in _generation_jobs(request.user).filter(state__in=ACTIVE_STATES)
    ]
    return render(
        request,
        "relief/batch_list.html",
        {"page": page, "filters": filters, "running": running},
    )


def _map_errors(form, exc):
    """An ApplicationError's messages next to the form's fields (the rest above the form)."""
    for field, errors in exc.fields.items():
        for error in errors or [exc.message]:
            form.add_error(field if field in form.fields else None, error)
    if not exc.fields:
        form.add_error(None, exc.message)


@login_required
@never_cache
@require_http_methods(["GET", "POST"])
def batch_generate(request):
    access.require(request.user, "money.manage")
    status = 200
    if request.method == "POST":
        form = money_forms.BatchGenerateForm(request.POST, user=request.user)
        if form.is_valid():
            try:
                job = disbursement.batch_generate(
                    actor=request.user, region_code=form.cleaned_data["region"], month=form.cleaned_data["month"]
                )
            except ApplicationError as exc:
                _map_errors(form, exc)
                status = exc.status if exc.status in (403, 409) else 400
            else:
                job.refresh_from_db()
                if job.state == JobState.DONE:
                    messages.success(request, job_result(job))
                    return redirect(job_target(job))
                messages.success(request, _("Generation has started; its progress is shown below."))
                return redirect("relief:batch-generate")
        else:
            status = 400
    else:
        form = money_forms.BatchGenerateForm(user=request.user, initial={"month": f"{timezone.localdate():%Y-%m}"})
    jobs = _generation_jobs(request.user)
    active = [job_progress_context(request.user, j) for j in jobs.filter(state__in=ACTIVE_STATES)]
    recent = [job_progress_context(request.user, j) for j in jobs.exclude(state__in=ACTIVE_STATES)[:RECENT_JOBS]]
    return render(
        request,
        "relief/batch_generate.html",
        {"form": form, "active": active, "recent": recent},
        status=status,
    )


def _get(request, pk):
    access.require(request.user, "money.manage")
    return access.get_in_scope_or_404(
        request.user, Batch.objects.select_related("region", "created_by", "approved_by", "sent_by"), pk=pk
    )


def _checks(batch, summary):
    """The batch's own totals against the sums of its lines."""
    zero = Decimal("0.00")
    pairs = [
        (_("Lines"), batch.line_count, summary["count"] or 0),
        (_("Monthly amounts"), batch.amount_total, summary["amount"] or zero),
        (_("Adjustments"), batch.adjustment_total, summary["adjustment"] or zero),
        (_("Total"), batch.total, summary["total"] or zero),
    ]
    return [{"label": label, "batch": own, "lines": lines, "ok": own == lines} for label, own, lines in pairs]


def _actions(user, batch, running, summary):
    """The steps this user may take now, and why approval is not possible when it is not."""
    actions, approve_refusal = [], ""
    failed = summary["by_status"].get(LineStatus.FAILED, 0)
    if batch.state == BatchState.DRAFT:
        if running or batch.generated_at is None:
            approve_refusal = _("The batch is still being generated; approve it when it is complete.")
        elif user.pk in disbursement.generated_by(batch):
            approve_refusal = _(
                "You generated this batch, so someone else must approve it (four eyes): a second manager checks "
                "the totals before the money goes to the bank."
            )
        else:
            actions.append("approve")
    if batch.state == BatchState.APPROVED:
        actions.append("send")
    if batch.state == BatchState.SENT:
        actions.append("results")
        if failed:
            actions += ["reissue", "carry"]
    return actions, approve_refusal


def _detail(request, batch, *, results_form=None, row_errors=None, status=200):
    summary = disbursement.batch_summary(batch)
    running = disbursement.generation_running(batch)
    actions, approve_refusal = _actions(request.user, batch, running, summary)
    filters = money_forms.LineFilterForm(request.GET or None)
    lines = (
        BatchLine.objects.of_batch(batch)
        .with_household_size()
        .select_related("region", "household", "payee")
        .order_by("pk")
    )
    line_status = ""
    if filters.is_valid() and filters.cleaned_data["status"]:
        line_status = filters.cleaned_data["status"]
        lines = lines.filter(status=line_status)
    page = Paginator(lines, LINES_PAGE_SIZE).get_page(request.GET.get("page"))
    page.object_list = list(page.object_list)
    labels = dict(Programme.choices)
    for line in page.object_list:
        line.programme_label = labels.get(line.programme, line.programme)
    failed = BatchLine.objects.of_batch(batch).filter(status=LineStatus.FAILED).select_related("payee", "household")
    by_status = [
        {"value": value, "label": label, "count": summary["by_status"].get(value, 0)}
        for value, label in LineStatus.choices
    ]
    if "results" in actions and results_form is None:
        results_form = money_forms.BankResultsForm()
    checks = _checks(batch, summary)
    return render(
        request,
        "relief/batch_detail.html",
        {
            "batch": batch,
            "summary": summary,
            "checks": checks,
            "totals_ok": all(c["ok"] for c in checks),
            "by_status": by_status,
            "pending": summary["by_status"].get(LineStatus.PENDING, 0),
            "failed_count": summary["by_status"].get(LineStatus.FAILED, 0),
            "failed_lines": failed.order_by("pk")[:FAILED_SHOWN],
            "running": job_progress_context(request.user, running) if running else None,
            "actions": actions,
            "approve_refusal": approve_refusal,
            "results_form": results_form,
            "row_errors": row_errors or [],
            "filters": filters,
            "line_status": line_status,
            "page": page,
        },
        status=status,
    )


@login_required
@never_cache
@require_GET
def batch_detail(request, pk):
    return _detail(request, _get(request, pk))


@login_required
@never_cache
@require_POST
def batch_act(request, pk, action):
    batch = _get(request, pk)
    try:
        if action == "approve":
            disbursement.batch_approve(actor=request.user, batch=batch)
            messages.success(request, _("The batch is approved; it may now be sent to the bank."))
        elif action == "send":
            disbursement.batch_send(actor=request.user, batch=batch)
            messages.success(request, _("The batch is marked as sent; record the bank's results when they come back."))
        elif action == "reissue":
            count = disbursement.failed_reissue(actor=request.user, batch=batch)
            messages.success(
                request,
                _(
                    "Failed payments to send again: %(count)s, to the account now on file; download the "
                    "re-issue roster for the bank."
                )
                % {"count": count},
            )
        elif action == "carry":
            count = disbursement.failed_carry(actor=request.user, batch=batch)
            messages.success(request, _("Failed payments carried into the next batch: %(count)s.") % {"count": count})
        else:
            raise Http404
    except ApplicationError as exc:
        if exc.status == 404:
            raise Http404 from None
        messages.error(request, exc.message)
    return redirect("relief:batch-detail", pk=batch.pk)


@login_required
@never_cache
@require_http_methods(["GET", "POST"])
def batch_results(request, pk):
    """The bank's results file: every row checked, all recorded or nothing. A GET (a link followed from the page
    showing the file's errors) goes back to the batch."""
    batch = _get(request, pk)
    if request.method == "GET":
        query = request.GET.urlencode()
        return redirect(reverse("relief:batch-detail", args=[batch.pk]) + (f"?{query}" if query else ""))
    form = money_forms.BankResultsForm(request.POST, request.FILES)
    if not form.is_valid():
        return _detail(request, batch, results_form=form, status=400)
    try:
        counts = disbursement.results_apply(actor=request.user, batch=batch, results=form.results)
    except ApplicationError as exc:
        if exc.status == 404:
            raise Http404 from None
        row_errors = []
        for field, problems in exc.fields.items():
            if field.startswith("results."):
                index = int(field.split(".", 1)[1])
                row = form.row_numbers[index - 1] if 0 < index <= len(form.row_numbers) else index
                result = form.results[index - 1] if 0 < index <= len(form.results) else {}
                row_errors.append({"row": row, "line": result.get("line", ""), "problems": problems})
            else:
                for problem in problems:
                    form.add_error("file", problem)
        row_errors.sort(key=lambda e: e["row"])
        if not exc.fields or row_errors:
            form.add_error(None, exc.message)
        batch.refresh_from_db()
        return _detail(
            request,
            batch,
            results_form=form,
            row_errors=row_errors,
            status=exc.status if exc.status in (403, 409) else 400,
        )
    messages.success(
        request,
        _("The bank's results are recorded: %(paid)s paid, %(failed)s failed.") % counts,
    )
    return redirect("relief:batch-detail", pk=batch.pk)


@login_required
@never_cache
@require_GET
def batch_roster(request, pk):
    """The roster for the bank: ?format=csv|xlsx, ?lines=pending for only the payments awaiting the bank."""
    batch = _get(request, pk)
    kind = (request.GET.get("format") or "csv").lower()
    if kind not in rosters.FORMATS:
        raise Http404
    pending_only = request.GET.get("lines") == "pending"
    name = rosters.filename(batch, kind, pending_only=pending_only)
    if kind == "csv":
        response = StreamingHttpResponse(
            rosters.csv_chunks(request.user, batch, pending_only=pending_only), content_type="text/csv; charset=utf-8"
        )
        response["Content-Disposition"] = content_disposition_header(True, name)
        return response
    return FileResponse(
        rosters.xlsx_file(request.user, batch, pending_only=pending_only),
        as_attachment=True,
        filename=name,
        content_type=XLSX_TYPE,
    )


@login_required
@never_cache
@require_GET
def batch_print(request, pk):
    """The roster on A4 for the file and signatures; ID numbers are always masked on paper."""
    batch = _get(request, pk)
    pending_only = request.GET.get("lines") == "pending"
    rows = list(rosters.paper_rows(batch, pending_only=pending_only))
    return render(
        request,
        "relief/batch_print.html",
        {
            "batch": batch,
            "headers": rosters.headers(),
            "rows": rows[:-1],
            "totals": rows[-1],
            "numeric_columns": (6, 7, 8, 9, 10, 12),
            "pending_only": pending_only,
            "today": timezone.localdate(),
        },
    )
