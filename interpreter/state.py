"""The call lifecycle as one table: Twilio's call statuses and the events that move between them.

Sans-IO in the manner of h11: ``CallState`` holds a status and applies events; it sends nothing
and waits for nothing. Rule 1: every transition a call can make lives in ``TRANSITIONS`` below.

Theory of operation. A simulated call starts ``queued``. An inbound call rings (``ring``) and is
answered (``answer``) once the first document says to go on; an outbound call is dialed first
(``dial`` → ``initiated``). Before it is answered a call can end ``busy``, ``no-answer``,
``failed`` or ``canceled``; once answered it ends ``completed`` (``hang-up`` by the caller,
``complete`` by the application). Final statuses accept no event. An illegal event raises
``IllegalTransitionError`` naming the status and the event, and leaves the status unchanged.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass
from enum import StrEnum
from typing import Any

from callbox.interpreter.quick_init import quick_init
from callbox.interpreter.status import CallStatus
from callbox.interpreter.timeline import DerivedEvent


class CallEvent(StrEnum):
    """What can happen to a call; values are the names used in messages and the docs."""

    DIAL = "dial"
    RING = "ring"
    ANSWER = "answer"
    BUSY = "busy"
    NO_ANSWER = "no-answer"
    FAIL = "fail"
    CANCEL = "cancel"
    HANG_UP = "hang-up"
    COMPLETE = "complete"


_Q = CallStatus.QUEUED
_I = CallStatus.INITIATED
_R = CallStatus.RINGING
_P = CallStatus.IN_PROGRESS

TRANSITIONS: dict[tuple[CallStatus, CallEvent], CallStatus] = {
    # placing the call
    (_Q, CallEvent.DIAL): CallStatus.INITIATED,
    (_Q, CallEvent.RING): CallStatus.RINGING,  # an inbound call arrives ringing
    (_I, CallEvent.RING): CallStatus.RINGING,
    # answering
    (_I, CallEvent.ANSWER): CallStatus.IN_PROGRESS,
    (_R, CallEvent.ANSWER): CallStatus.IN_PROGRESS,
    # ending before an answer
    (_Q, CallEvent.BUSY): CallStatus.BUSY,
    (_I, CallEvent.BUSY): CallStatus.BUSY,
    (_R, CallEvent.BUSY): CallStatus.BUSY,
    (_I, CallEvent.NO_ANSWER): CallStatus.NO_ANSWER,
    (_R, CallEvent.NO_ANSWER): CallStatus.NO_ANSWER,
    (_Q, CallEvent.FAIL): CallStatus.FAILED,
    (_I, CallEvent.FAIL): CallStatus.FAILED,
    (_R, CallEvent.FAIL): CallStatus.FAILED,
    (_Q, CallEvent.CANCEL): CallStatus.CANCELED,
    (_I, CallEvent.CANCEL): CallStatus.CANCELED,
    (_R, CallEvent.CANCEL): CallStatus.CANCELED,
    (_I, CallEvent.HANG_UP): CallStatus.CANCELED,  # the caller gives up before an answer
    (_R, CallEvent.HANG_UP): CallStatus.CANCELED,
    # ending an answered call
    (_P, CallEvent.HANG_UP): CallStatus.COMPLETED,
    (_P, CallEvent.COMPLETE): CallStatus.COMPLETED,
    (_P, CallEvent.FAIL): CallStatus.FAILED,
}
"""(status, event) → next status. A pair that is absent is an illegal transition."""

END_EVENTS: dict[CallStatus, CallEvent] = {
    CallStatus.COMPLETED: CallEvent.COMPLETE,
    CallStatus.BUSY: CallEvent.BUSY,
    CallStatus.NO_ANSWER: CallEvent.NO_ANSWER,
    CallStatus.FAILED: CallEvent.FAIL,
    CallStatus.CANCELED: CallEvent.CANCEL,
}
"""The event that ends a call with a given final status (as asked by an ``EndCall``)."""


class CallStateError(Exception):
    """Base of the call state machine's errors."""


class IllegalTransitionError(CallStateError):
    """An event that the call's current status does not accept."""

    def __init__(self, status: CallStatus, event: CallEvent) -> None:
        allowed = sorted(e.value for (s, e) in TRANSITIONS if s is status)
        accepts = ", ".join(allowed) if allowed else "no event (final status)"
        super().__init__(
            f"a call in status {status.value!r} cannot take event {event.value!r} "
            f"(it accepts: {accepts})"
        )
        self.status = status
        self.event = event


@quick_init
@dataclass(frozen=True, slots=True)
class Transition:
    """One applied event: from which status, by which event, to which status."""

    before: CallStatus
    event: CallEvent
    after: CallStatus


@functools.cache
def _transition_text(before: CallStatus, after: CallStatus, event: CallEvent) -> str:
    """How a status change reads on the timeline (one string per change, shared by every call)."""
    return f"{before.value} → {after.value} ({event.value})"


class StatusEvent(DerivedEvent):
    """A status change on the timeline (kind ``status``), written from its transition when
    read: its data says the event and the new status."""

    __slots__ = ("transition",)
    transition: Transition

    def __init__(self, at: float, transition: Transition) -> None:
        super().__init__(at, "status")
        object.__setattr__(self, "transition", transition)

    @property
    def text(self) -> str:
        change = self.transition
        return _transition_text(change.before, change.after, change.event)

    @property
    def data(self) -> dict[str, Any]:
        return {"event": self.transition.event.value, "status": self.transition.after.value}


class CallState:
    """The status of one call, moved only by events found in ``TRANSITIONS``."""

    __slots__ = ("history", "status")

    def __init__(self, status: CallStatus = CallStatus.QUEUED) -> None:
        self.status = status
        self.history: list[Transition] = []

    def can(self, event: CallEvent) -> bool:
        """Whether ``event`` is legal now."""
        return (self.status, event) in TRANSITIONS

    def process(self, event: CallEvent) -> CallStatus:
        """Apply ``event``; the new status. Raises ``IllegalTransitionError`` (status unchanged)."""
        after = TRANSITIONS.get((self.status, event))
        if after is None:
            raise IllegalTransitionError(self.status, event)
        self.history.append(Transition(self.status, event, after))
        self.status = after
        return after

    @property
    def answered(self) -> bool:
        """Whether the call was ever in progress."""
        return any(t.after is CallStatus.IN_PROGRESS for t in self.history) or (
            self.status is CallStatus.IN_PROGRESS
        )

    @property
    def is_final(self) -> bool:
        return self.status.is_final
