"""What a verb runner returns: control flow between verbs is a value, never an exception.

``Continue`` goes on with the next verb; ``Navigate`` fetches a new document (an action URL, a
``<Redirect>``); ``EndCall`` ends the call with a final status (``<Hangup>``, ``<Reject>``, the
caller hanging up, an error).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field

from callbox.interpreter.quick_init import quick_init
from callbox.interpreter.status import CallStatus


@dataclass(frozen=True, slots=True)
class Continue:
    """Run the next verb of the current document."""


@quick_init
@dataclass(frozen=True, slots=True)
class Navigate:
    """Fetch ``url`` (relative URLs resolve against the current document) and run it.

    ``params`` are the verb's own parameters (``Digits``, ``DialCallStatus``...); the session adds
    the standard call parameters. ``input_given`` says whether the caller did something since the
    last navigation (it resets the redirect-loop counter).
    """

    url: str
    method: str = "POST"
    params: Mapping[str, str] = field(default_factory=dict)
    input_given: bool = False


@quick_init
@dataclass(frozen=True, slots=True)
class EndCall:
    """End the call. ``status`` is the final call status; ``error_code`` a Twilio code if any."""

    status: CallStatus = CallStatus.COMPLETED
    reason: str = "hangup"
    error_code: str | None = None


LEAVE = "leave"
"""The ``reason`` of the ``EndCall`` that a ``<Leave>`` in a queue's hold document ends the hold
with (the call itself goes on after its ``<Enqueue>``)."""

Outcome = Continue | Navigate | EndCall
