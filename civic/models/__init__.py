from .accounts import User
from .api import ApiToken, IdempotencyRecord, hash_token
from .audit import FieldChange, IdReveal
from .calendar import CalendarDay
from .figures import Figure
from .jobs import ACTIVE_STATES, Job, JobState
from .people import (
    DisabilityCategory,
    Household,
    HouseholdMembership,
    HukouType,
    Relationship,
    Resident,
    Sex,
    WorkAbility,
)
from .regions import LEVEL_DIGITS, Region, RegionLevel, normalise_region_code

__all__ = [
    "ACTIVE_STATES",
    "Job",
    "JobState",
    "LEVEL_DIGITS",
    "ApiToken",
    "CalendarDay",
    "DisabilityCategory",
    "FieldChange",
    "Figure",
    "Household",
    "HouseholdMembership",
    "HukouType",
    "IdReveal",
    "IdempotencyRecord",
    "Region",
    "RegionLevel",
    "Relationship",
    "Resident",
    "Sex",
    "User",
    "WorkAbility",
    "hash_token",
    "normalise_region_code",
]
