"""Action requests of verbs (``<Gather>``, ``<Record>``, ``<Dial>``, ``<Sms>``, ``<Redirect>``).

A verb that hands control to the application returns ``Navigate`` to its resolved action URL; an
empty action means the current document's URL. When the caller has already hung up, the runner
still returns ``Navigate``: the session requests the action (as Twilio does) and ignores its
answer.
"""

from __future__ import annotations

from collections.abc import Mapping

from callbox.interpreter.context import CallContext
from callbox.interpreter.outcomes import EndCall, Navigate, Outcome
from callbox.interpreter.status import CallStatus

UNRESOLVED_ACTION = "15004"


def navigate(
    call: CallContext,
    url: str | None,
    method: str = "POST",
    params: Mapping[str, str] | None = None,
    *,
    input_given: bool = False,
) -> Outcome:
    """Go to ``url`` (None or empty: the current document). Without a base to resolve a relative
    URL against (inline TwiML), the call ends with 15004, which ``resolve_url`` has recorded."""
    resolved = call.resolve_url(url)
    if resolved is None:
        return EndCall(CallStatus.COMPLETED, reason="error", error_code=UNRESOLVED_ACTION)
    return Navigate(resolved, str(method), dict(params or {}), input_given)
