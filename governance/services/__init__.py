"""Writes of the community-council app, one module per kind of record."""

from .councils import council_create, member_add, member_leave
from .meetings import Item, meeting_record
from .micro_projects import micro_project_create, micro_project_update
from .resolutions import (
    overdue_remind,
    progress_add,
    resolution_implemented,
    resolution_not_implemented,
    resolution_publish,
)
from .topics import topic_accept, topic_create, topic_decline

__all__ = [
    "Item",
    "council_create",
    "meeting_record",
    "member_add",
    "member_leave",
    "micro_project_create",
    "micro_project_update",
    "overdue_remind",
    "progress_add",
    "resolution_implemented",
    "resolution_not_implemented",
    "resolution_publish",
    "topic_accept",
    "topic_create",
    "topic_decline",
]
