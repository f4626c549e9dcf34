"""Signals the core sends so domain apps can react without the core knowing them by name.

Each is sent after the transaction that caused it has committed (transaction.on_commit): a receiver never acts on
a change that was rolled back, and works in its own transaction.
"""

from django.dispatch import Signal

# A resident's death was recorded. Keyword arguments: resident (civic.models.Resident), died_on (date).
# relief brings the household's benefit review forward (a review within 3 months of a death).
resident_died = Signal()
