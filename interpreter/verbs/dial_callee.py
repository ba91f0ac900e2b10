"""``<Dial>`` to numbers the platform serves: each such party is a call of its own (a ``Callee``),
rung by requesting its application, so whether it answers, is busy or declines is its
application's to say (``<Reject reason="busy">`` is busy, ``<Reject>`` declines: no-answer).

The callee legs ring first, on the call's clock (an application answers as soon as its first
document runs); how each settled then joins the other parties' behaviours in
``interpreter.verbs.ringing``'s table, so that who wins is decided one way for every party.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from callbox.interpreter.callee import Callee, CalleeLine
from callbox.interpreter.context import CallContext, FarEnd
from callbox.interpreter.params import CallIdentity

OUTCOME_OF_STATUS = {"busy": "busy", "failed": "failed", "no-answer": "declined"}
"""How a callee that ended unanswered rings, by its call's final status."""


@dataclass(slots=True)
class SettledFarEnd:
    """A callee leg's ringing as the ringing table reads a far end: its outcome, and after how
    many seconds (it then talks until its application or the caller hangs up)."""

    outcome: str
    answer_after: float
    talk_for: float | None = None
    presses: tuple[str, ...] = ()


async def ring_callees(
    call: CallContext,
    legs: Sequence[CallIdentity],
    far_ends: Sequence[FarEnd],
    timeout: float,
) -> tuple[list[FarEnd], dict[int, Callee]]:
    """Ring the parties that are the platform's numbers (``CalleeLine`` far ends) until each has
    answered or ended, or ``timeout`` passed: every far end as the ringing table reads it, and
    the callee legs by party index (those still ringing ring on until the table says)."""
    callees = {
        index: far_end.dial(call, legs[index], timeout)
        for index, far_end in enumerate(far_ends)
        if isinstance(far_end, CalleeLine)
    }
    settled: list[FarEnd] = list(far_ends)
    start = call.clock.now()
    for index, callee in callees.items():
        remaining = timeout - (call.clock.now() - start)
        if not callee.settled.is_set() and remaining > 0:
            await call.wait_for(callee.settled, remaining)
        after = call.clock.now() - start
        if callee.answered:
            settled[index] = SettledFarEnd("answer", after)
        elif callee.ended.is_set():
            settled[index] = SettledFarEnd(OUTCOME_OF_STATUS.get(callee.status, "failed"), after)
        else:
            settled[index] = SettledFarEnd("no-answer", timeout)
    return settled, callees


def hang_up_all(callees: dict[int, Callee], keep: int | None = None) -> None:
    """End every callee leg but ``keep``'s (the losers of a parallel dial, or all of them)."""
    for index, callee in callees.items():
        if index != keep:
            callee.hangup()
