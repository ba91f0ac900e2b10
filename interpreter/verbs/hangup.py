"""``<Hangup>`` and ``<Reject>``: the call ends here.

``<Hangup>`` ends an answered call (``completed``). ``<Reject>`` refuses the call before it is
answered: the final status is ``busy`` with ``reason="busy"``, else ``no-answer``, and the outcome
carries ``reason="reject"`` so the session knows the call was never answered (nor billed).
"""

from __future__ import annotations

from callbox.interpreter.context import CallContext
from callbox.interpreter.outcomes import EndCall, Outcome
from callbox.interpreter.status import CallStatus
from callbox.markup.model import Hangup, Reject, RejectReason


async def run_hangup(hangup: Hangup, call: CallContext) -> Outcome:
    call.timeline.add(call.clock.now(), "note", "<Hangup>: the application hangs up")
    return EndCall(CallStatus.COMPLETED, reason="hangup")


async def run_reject(reject: Reject, call: CallContext) -> Outcome:
    busy = reject.reason is RejectReason.BUSY
    status = CallStatus.BUSY if busy else CallStatus.NO_ANSWER
    call.timeline.add(
        call.clock.now(),
        "note",
        f"<Reject reason={reject.reason.value}>: the call is refused unanswered ({status.value})",
    )
    return EndCall(status, reason="reject")
