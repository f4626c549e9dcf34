"""Keeping an uploaded file between preview and confirmation: default_storage under
imports/<user id>/<uuid>.<ext>, with the token in the session under the import's own key (the household import's
by default), so files waiting on two import pages never replace each other."""

import logging
import uuid
from dataclasses import dataclass

from django.core.files.base import ContentFile
from django.core.files.storage import default_storage

from .limits import FORMATS, SESSION_KEY
from .reading import digest

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class PendingUpload:
    token: str
    extension: str
    name: str
    digest: str
    user_id: int

    @property
    def path(self):
        return f"imports/{self.user_id}/{self.token}.{self.extension}"


def pending_upload(session, user, key=SESSION_KEY):
    """The upload waiting for confirmation in this session, or None."""
    data = session.get(key)
    if not isinstance(data, dict):
        return None
    try:
        token = uuid.UUID(data["token"]).hex
        pending = PendingUpload(token, data["extension"], str(data.get("name", "")), data["digest"], user.pk)
    except (KeyError, TypeError, ValueError):
        session.pop(key, None)
        return None
    if pending.extension not in FORMATS or data.get("user_id") != user.pk:
        session.pop(key, None)
        return None
    return pending


def store_upload(session, user, content, extension, name, key=SESSION_KEY):
    """Keep the file for the confirmation step; replaces any file still waiting under this key."""
    discard_upload(session, user, key)
    pending = PendingUpload(uuid.uuid4().hex, extension, name[:200], digest(content), user.pk)
    default_storage.save(pending.path, ContentFile(content))
    session[key] = {
        "token": pending.token,
        "extension": pending.extension,
        "name": pending.name,
        "digest": pending.digest,
        "user_id": user.pk,
    }
    return pending


def load_upload(pending):
    """The stored bytes, or None when the file is gone."""
    try:
        with default_storage.open(pending.path, "rb") as handle:
            return handle.read()
    except (FileNotFoundError, OSError):
        return None


def discard_upload(session, user, key=SESSION_KEY):
    pending = pending_upload(session, user, key)
    session.pop(key, None)
    if pending is not None:
        try:
            default_storage.delete(pending.path)
        except OSError:
            logger.warning("Could not delete pending import file %s", pending.path, exc_info=True)
