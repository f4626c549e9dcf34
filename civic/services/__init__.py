"""Writes of the shared core, one module per subject."""

from .accounts import partner_create, region_get, staff_create
from .housekeeping import idempotency_records_purge, stale_imports_purge
from .registry import household_create, household_update, resident_add, resident_move, resident_record_death

__all__ = [
    "household_create",
    "household_update",
    "idempotency_records_purge",
    "partner_create",
    "region_get",
    "resident_add",
    "resident_move",
    "resident_record_death",
    "stale_imports_purge",
    "staff_create",
]
