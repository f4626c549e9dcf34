"""One error shape for every API error: {"code": ..., "message": ..., "fields": {...}}."""

from django.core.exceptions import PermissionDenied
from django.http import Http404, JsonResponse
from django.utils.translation import gettext as _
from rest_framework import exceptions, status
from rest_framework.response import Response

from civic.errors import ApplicationError


def error_body(code, message, fields=None):
    return {"code": code, "message": str(message), "fields": fields or {}}


def flat_errors(errors, prefix=""):
    """DRF's nested errors ({"members": [{}, {"name": [...]}]}) as dotted keys ({"members.1.name": [...]}),
    the same keys the services use."""
    flat = {}
    if isinstance(errors, dict):
        for key, value in errors.items():
            flat.update(flat_errors(value, f"{prefix}.{key}" if prefix else str(key)))
    elif isinstance(errors, list) and all(isinstance(e, str) for e in errors):
        if errors:
            flat[prefix or "non_field_errors"] = [str(e) for e in errors]
    elif isinstance(errors, list):
        for i, value in enumerate(errors):
            flat.update(flat_errors(value, f"{prefix}.{i}" if prefix else str(i)))
    else:
        flat[prefix or "non_field_errors"] = [str(errors)]
    return flat


def exception_handler(exc, context):
    headers = {}
    if isinstance(exc, ApplicationError):
        return Response(error_body(exc.code, exc.message, exc.fields), status=exc.status)
    if isinstance(exc, Http404):
        exc = exceptions.NotFound()
    elif isinstance(exc, PermissionDenied):
        exc = exceptions.PermissionDenied()
    if not isinstance(exc, exceptions.APIException):
        return None  # a bug: let Django's 500 handler answer in the same shape
    if getattr(exc, "auth_header", None):
        headers["WWW-Authenticate"] = exc.auth_header
    if getattr(exc, "wait", None):
        headers["Retry-After"] = str(int(exc.wait))
    if isinstance(exc, exceptions.ValidationError):
        body = error_body("invalid", _("Some fields are not valid."), flat_errors(exc.detail))
    else:
        code = exc.get_codes() if isinstance(exc.get_codes(), str) else exc.default_code
        body = error_body(code, exc.detail)
    return Response(body, status=exc.status_code, headers=headers)


def json_error(code, message, status_code, fields=None):
    return JsonResponse(error_body(code, message, fields), status=status_code)


def not_found(request, exception=None):
    return json_error("not_found", _("Not found."), status.HTTP_404_NOT_FOUND)


def server_error(request):
    return json_error("server_error", _("The server could not complete the request."), 500)
