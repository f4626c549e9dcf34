"""Signals eldercare sends so other apps can follow its work without eldercare knowing them; sent after the
transaction commits (civic.signals.send_after_commit).

- visit_recorded(visit): a special-hardship elder was visited; monitoring closes the warnings that asked for it.
"""

from django.dispatch import Signal

visit_recorded = Signal()
