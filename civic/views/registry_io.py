"""Household export (CSV, XLSX) and import with a preview. Thin: civic.registry_io does the work."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import FileResponse, HttpResponse, HttpResponseBadRequest, StreamingHttpResponse
from django.shortcuts import redirect, render
from django.utils.http import content_disposition_header
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods

from civic import access
from civic.registry_io import columns, exporting, importing, limits, uploads, validation
from civic.registry_io.forms import HouseholdImportForm

XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
IMPORT_ACTIONS = ("preview", "import_all", "import_valid", "discard")


@login_required
@never_cache
@require_GET
def household_export(request):
    """The households of the list page's search, one row per member, in the user's area only."""
    access.require(request.user, "registry.view")
    kind = (request.GET.get("format") or "csv").lower()
    if kind not in exporting.FORMATS:
        return HttpResponseBadRequest(_("Choose the format csv or xlsx."), content_type="text/plain; charset=utf-8")
    query = request.GET.get("q", "")[:100]
    if kind == "csv":
        response = StreamingHttpResponse(
            exporting.csv_chunks(request.user, query), content_type="text/csv; charset=utf-8"
        )
        response["Content-Disposition"] = content_disposition_header(True, exporting.filename("csv"))
        return response
    return FileResponse(
        exporting.xlsx_file(request.user, query),
        as_attachment=True,
        filename=exporting.filename("xlsx"),
        content_type=XLSX_TYPE,
    )


@login_required
@never_cache
@require_GET
def household_import_template(request):
    access.require(request.user, "registry.edit")
    response = HttpResponse(columns.template_workbook(request.user), content_type=XLSX_TYPE)
    response["Content-Disposition"] = content_disposition_header(True, "household-import-template.xlsx")
    return response


def _page(request, form, *, preview=None, pending=None, refusal="", status=200):
    return render(
        request,
        "civic/household_import.html",
        {
            "form": form,
            "preview": preview,
            "pending": pending,
            "refusal": refusal,
            "columns": columns.column_guide(),
            "max_rows": limits.MAX_ROWS,
        },
        status=status,
    )


def _pending_preview(request, pending):
    """Re-check the file waiting in the session; None (and the file dropped) when it is gone or unreadable."""
    content = uploads.load_upload(pending)
    if content is None:
        uploads.discard_upload(request.session, request.user)
        messages.error(request, _("The uploaded file is no longer available. Upload it again."))
        return None
    try:
        return validation.preview(request.user, content, pending.extension)
    except limits.ImportFileError as exc:
        uploads.discard_upload(request.session, request.user)
        messages.error(request, exc.message)
        return None


@login_required
@never_cache
@require_http_methods(["GET", "POST"])
def household_import(request):
    access.require(request.user, "registry.edit")
    user, session = request.user, request.session
    action = request.POST.get("action", "preview") if request.method == "POST" else None
    if action is not None and action not in IMPORT_ACTIONS:
        return HttpResponseBadRequest(_("Unknown action."), content_type="text/plain; charset=utf-8")

    if action == "preview":
        form = HouseholdImportForm(request.POST, request.FILES)
        if form.is_valid():
            try:
                preview = validation.preview(user, form.content, form.extension)
            except limits.ImportFileError as exc:
                form.add_error("file", exc.message)
            else:
                name = form.cleaned_data["file"].name
                pending = uploads.store_upload(session, user, form.content, form.extension, name)
                return _page(request, HouseholdImportForm(), preview=preview, pending=pending)
        return _page(request, form, status=400)

    if action == "discard":
        uploads.discard_upload(session, user)
        messages.info(request, _("The uploaded file was discarded; nothing was imported."))
        return redirect("registry:household-import")

    pending = uploads.pending_upload(session, user)
    if action in ("import_all", "import_valid"):
        if pending is None:
            messages.error(request, _("No file is waiting to be imported. Upload it again."))
            return redirect("registry:household-import")
        content = uploads.load_upload(pending)
        if content is None:
            uploads.discard_upload(session, user)
            messages.error(request, _("The uploaded file is no longer available. Upload it again."))
            return redirect("registry:household-import")
        if request.POST.get("digest") != pending.digest:
            # The preview on screen is not the file waiting in the session (another tab uploaded one since).
            refusal = _("Another file was uploaded since that preview. Check this preview and confirm again.")
            preview = _pending_preview(request, pending)
            return _page(request, HouseholdImportForm(), preview=preview, pending=pending, refusal=refusal, status=409)
        try:
            checked, result = importing.run_import(
                user, content, pending.extension, only_valid=action == "import_valid"
            )
        except limits.ImportFileError as exc:
            uploads.discard_upload(session, user)
            messages.error(request, exc.message)
            return redirect("registry:household-import")
        except limits.ImportRefused as exc:
            form = HouseholdImportForm()
            return _page(request, form, preview=exc.preview, pending=pending, refusal=exc.message, status=409)
        uploads.discard_upload(session, user)
        messages.success(
            request,
            ngettext(
                "Imported %(households)d household with %(members)d members.",
                "Imported %(households)d households with %(members)d members.",
                result.households,
            )
            % {"households": result.households, "members": result.members},
        )
        skipped = [h.key for h in checked.bad_households] + [key for key, _row, _reason in result.skipped]
        if skipped:
            messages.warning(
                request,
                ngettext(
                    "%(count)d household was skipped because of errors: %(keys)s.",
                    "%(count)d households were skipped because of errors: %(keys)s.",
                    len(skipped),
                )
                % {"count": len(skipped), "keys": ", ".join(skipped[:30]) + ("…" if len(skipped) > 30 else "")},
            )
        return redirect("registry:household-import")

    # GET: the file waiting for confirmation, checked again against today's data, or the empty upload form.
    preview = _pending_preview(request, pending) if pending is not None else None
    return _page(request, HouseholdImportForm(), preview=preview, pending=pending if preview is not None else None)
