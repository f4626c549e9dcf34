"""Signals relief sends so other apps can follow its work without relief knowing them. Sent after the
transaction commits (transaction.on_commit), so a receiver never acts on a change that was rolled back.

- application_filed(application): an application was accepted (filed) for a household; monitoring closes the
  warnings that asked for one.
"""

from django.dispatch import Signal

application_filed = Signal()
