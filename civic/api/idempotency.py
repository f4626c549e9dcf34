"""`Idempotency-Key` on API POSTs.

The first request with a key stores its response; the same key with the same body gets that response
again (marked `Idempotent-Replayed: true`); the same key with a different body is refused with 422.
Keys belong to the caller (token or staff account), so two partners cannot collide. A record is
inserted before the view runs: the unique constraint makes a concurrent duplicate wait for nothing and
get 409 instead of performing the write twice.
"""

import hashlib
from datetime import timedelta

from django.conf import settings
from django.db import IntegrityError, transaction
from django.http import HttpResponse
from django.utils import timezone
from django.utils.translation import gettext as _

from civic.models import IdempotencyRecord

from .errors import json_error

HEADER = "HTTP_IDEMPOTENCY_KEY"
# Answers that say nothing about the request itself are not kept, so a retry can succeed.
NOT_STORED = {401, 403, 429}


def _owner(request):
    auth = request.META.get("HTTP_AUTHORIZATION", "")
    if auth:
        return "t:" + hashlib.sha256(auth.encode()).hexdigest()
    user = getattr(request, "user", None)
    if user is not None and user.is_authenticated:
        return f"u:{user.pk}"
    return None


class IdempotencyMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        key = request.META.get(HEADER)
        if request.method != "POST" or key is None or not request.path.startswith("/api/"):
            return self.get_response(request)
        owner = _owner(request)
        if owner is None:
            return self.get_response(request)
        key = key.strip()
        if not key or len(key) > 255:
            return json_error(
                "invalid_idempotency_key",
                _("The Idempotency-Key header must hold 1 to 255 characters."),
                400,
                {"Idempotency-Key": [_("Send 1 to 255 characters, for example a UUID.")]},
            )
        request_hash = hashlib.sha256(request.path.encode() + b"\n" + request.body).hexdigest()
        record, replay = self._claim(owner, key, request_hash)
        if replay is not None:
            return replay
        response = self.get_response(request)
        if response.status_code >= 500 or response.status_code in NOT_STORED or response.streaming:
            record.delete()
        else:
            IdempotencyRecord.objects.filter(pk=record.pk).update(
                status_code=response.status_code,
                content_type=response.get("Content-Type", ""),
                body=response.content,
            )
        return response

    def _claim(self, owner, key, request_hash):
        cutoff = timezone.now() - timedelta(hours=settings.IDEMPOTENCY_KEY_TTL_HOURS)
        IdempotencyRecord.objects.filter(owner=owner, key=key, created_at__lt=cutoff).delete()
        try:
            with transaction.atomic():
                record = IdempotencyRecord.objects.create(owner=owner, key=key, request_hash=request_hash)
            return record, None
        except IntegrityError:
            record = IdempotencyRecord.objects.get(owner=owner, key=key)
        if record.request_hash != request_hash:
            return record, json_error(
                "idempotency_key_reused",
                _("This Idempotency-Key was already used with a different request body."),
                422,
                {"Idempotency-Key": [_("Use a new key for a different request.")]},
            )
        if record.status_code is None:
            return record, json_error(
                "idempotency_in_progress", _("A request with this Idempotency-Key is still being processed."), 409
            )
        replay = HttpResponse(bytes(record.body), status=record.status_code, content_type=record.content_type)
        replay["Idempotent-Replayed"] = "true"
        return record, replay
