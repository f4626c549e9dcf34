"""The relief application workflow (DOMAIN.md): accepted → investigation (home visit by two people,
information cross-check) → street opinion → 公示 7 days (an objection sends it back to investigation) →
district decision → entitlement from the next month.

Each step: the guard (role capability, region, separation of duties, the status it starts from), a
compare-and-set status update so that of two people acting at once exactly one wins, and an event row, all in
one transaction. Deadlines are working days (civic.workdays)."""

from .decision import PAPERWORK_WITHIN, application_quote, decide, emergency_pay_first
from .filing import ALLOWED_UPLOADS, MAX_UPLOAD_BYTES, application_file, check_upload, document_add, missing_documents
from .guards import TEKUN_CHECK_SHARE
from .investigation import (
    cross_check_record,
    democratic_review_pending,
    democratic_review_record,
    home_visit_record,
    investigation_start,
    notice_close,
    notices_close_due,
    objection_record,
    opinion_give,
)

__all__ = [
    "ALLOWED_UPLOADS",
    "MAX_UPLOAD_BYTES",
    "PAPERWORK_WITHIN",
    "TEKUN_CHECK_SHARE",
    "application_file",
    "application_quote",
    "check_upload",
    "cross_check_record",
    "decide",
    "democratic_review_pending",
    "democratic_review_record",
    "document_add",
    "emergency_pay_first",
    "home_visit_record",
    "investigation_start",
    "missing_documents",
    "notice_close",
    "notices_close_due",
    "objection_record",
    "opinion_give",
]
