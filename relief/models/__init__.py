from .applications import (
    Application,
    ApplicationEvent,
    CrossCheck,
    Entitlement,
    EntitlementStatus,
    HomeVisit,
    IncomeItem,
    Objection,
    Opinion,
    Status,
)
from .policy import Area, PolicyTopUp, ReliefPolicy

__all__ = [
    "Application",
    "ApplicationEvent",
    "Area",
    "CrossCheck",
    "Entitlement",
    "EntitlementStatus",
    "HomeVisit",
    "IncomeItem",
    "Objection",
    "Opinion",
    "PolicyTopUp",
    "ReliefPolicy",
    "Status",
]
