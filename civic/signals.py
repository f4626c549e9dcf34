"""Signals the core sends so domain apps can react without the core knowing them by name.

Each is sent after the transaction that caused it has committed (transaction.on_commit): a receiver never acts on
a change that was rolled back, and works in its own transaction.
"""

import logging

from django.db import transaction
from django.dispatch import Signal

logger = logging.getLogger(__name__)

# A resident's death was recorded. Keyword arguments: resident (civic.models.Resident), died_on (date).
# relief brings the household's benefit review forward (a review within 3 months of a death).
resident_died = Signal()


def send_after_commit(signal, **kwargs):
    """Send `signal` (of any app) once the transaction commits; a failing receiver is logged with its traceback and
    never undoes the write, and the other receivers still run."""

    def send():
        for receiver, result in signal.send_robust(sender=None, **kwargs):
            if isinstance(result, Exception):
                logger.error("receiver %r of %r failed", receiver, signal, exc_info=result)

    transaction.on_commit(send)
