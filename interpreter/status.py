"""Call statuses, with Twilio's wire strings as values: the records' enum, seen from the interpreter.

One definition lives at the bottom layer (``callbox.records``) so that stored calls and running
sessions share it.
"""

from __future__ import annotations

from callbox.records import FINAL_CALL_STATUSES as FINAL_STATUSES
from callbox.records import CallStatus

__all__ = ["FINAL_STATUSES", "CallStatus"]
