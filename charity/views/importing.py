"""Importing social organisations from a spreadsheet: upload → preview of every row's errors → confirm.
Thin: charity.importing checks and registers, civic.registry_io reads the file and keeps it between the steps."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpResponse, HttpResponseBadRequest
from django.shortcuts import redirect, render
from django.utils.http import content_disposition_header
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from civic import access
from civic.registry_io import limits

from .. import importing
from ..forms.importing import OrganisationImportForm

CONFIRM_ACTIONS = ("import_all", "import_valid", "cancel")


def _upload_page(request, form, status=200):
    return render(
        request,
        "charity/organisation_import.html",
        {"form": form, "columns": importing.column_guide(), "max_rows": limits.MAX_ROWS},
        status=status,
    )


def _preview_page(request, preview, pending, refusal="", status=200):
    return render(
        request,
        "charity/organisation_import_preview.html",
        {"preview": preview, "pending": pending, "refusal": refusal},
        status=status,
    )


@login_required
@never_cache
@require_http_methods(["GET", "POST"])
def organisation_import(request):
    """GET: the upload form and the column guide. POST: check the file and show the preview; nothing is saved."""
    access.require(request.user, "charity.manage")
    if request.method == "GET":
        return _upload_page(request, OrganisationImportForm())
    form = OrganisationImportForm(request.POST, request.FILES)
    if form.is_valid():
        try:
            preview = importing.preview(request.user, form.content, form.extension)
        except limits.ImportFileError as exc:
            form.add_error("file", exc.message)
        else:
            name = form.cleaned_data["file"].name
            pending = importing.store_upload(request.session, request.user, form.content, form.extension, name)
            return _preview_page(request, preview, pending)
    return _upload_page(request, form, status=400)


@login_required
@never_cache
@require_POST
def organisation_import_confirm(request):
    """Register the organisations of the file waiting in the session (all, or only the valid rows), or drop it."""
    access.require(request.user, "charity.manage")
    user, session = request.user, request.session
    action = request.POST.get("action", "")
    if action not in CONFIRM_ACTIONS:
        return HttpResponseBadRequest(_("Unknown action."), content_type="text/plain; charset=utf-8")
    if action == "cancel":
        importing.discard_upload(session, user)
        messages.info(request, _("The uploaded file was discarded; nothing was imported."))
        return redirect("charity:organisation-import")

    pending = importing.pending_upload(session, user)
    if pending is None:
        messages.error(request, _("No file is waiting to be imported. Upload it again."))
        return redirect("charity:organisation-import")
    content = importing.load_upload(pending)
    if content is None:
        importing.discard_upload(session, user)
        messages.error(request, _("The uploaded file is no longer available. Upload it again."))
        return redirect("charity:organisation-import")
    try:
        if request.POST.get("digest") != pending.digest:
            # The preview on screen is not the file waiting in the session (another tab uploaded one since).
            preview = importing.preview(user, content, pending.extension)
            refusal = _("Another file was uploaded since that preview. Check this preview and confirm again.")
            return _preview_page(request, preview, pending, refusal=refusal, status=409)
        checked, result = importing.run_import(user, content, pending.extension, only_valid=action == "import_valid")
    except limits.ImportFileError as exc:
        importing.discard_upload(session, user)
        messages.error(request, exc.message)
        return redirect("charity:organisation-import")
    except limits.ImportRefused as exc:
        return _preview_page(request, exc.preview, pending, refusal=exc.message, status=409)

    importing.discard_upload(session, user)
    messages.success(
        request,
        ngettext("%(count)d organisation registered.", "%(count)d organisations registered.", result.count)
        % {"count": result.count},
    )
    skipped = [entry.row for entry in checked.invalid_rows] + [row for row, _reason in result.skipped]
    if skipped:
        rows = ", ".join(str(row) for row in sorted(skipped)[:30]) + ("…" if len(skipped) > 30 else "")
        messages.warning(
            request,
            ngettext(
                "%(count)d row was skipped because of errors: row %(rows)s.",
                "%(count)d rows were skipped because of errors: rows %(rows)s.",
                len(skipped),
            )
            % {"count": len(skipped), "rows": rows},
        )
    return redirect("charity:organisation-list")


@login_required
@never_cache
@require_GET
def organisation_import_template(request):
    access.require(request.user, "charity.manage")
    response = HttpResponse(importing.template_workbook(request.user), content_type=importing.XLSX_TYPE)
    response["Content-Disposition"] = content_disposition_header(True, importing.TEMPLATE_FILENAME)
    return response
