"""Writes of the charity app, one module per kind of record."""

from .funds import donation_record, grant_make
from .organisations import fund_open, grade_valid_years_after, organisation_register
from .pairings import pairing_activity_record, pairing_create, pairing_end
from .projects import activity_record, project_create, project_move
from .referrals import referral_accept, referral_close, referral_create, referral_decline, referral_help

__all__ = [
    "activity_record",
    "donation_record",
    "fund_open",
    "grade_valid_years_after",
    "grant_make",
    "organisation_register",
    "pairing_activity_record",
    "pairing_create",
    "pairing_end",
    "project_create",
    "project_move",
    "referral_accept",
    "referral_close",
    "referral_create",
    "referral_decline",
    "referral_help",
]
