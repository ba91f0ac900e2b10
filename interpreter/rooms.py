"""What the verbs that bring calls together use: call queues (``<Enqueue>``, ``<Dial><Queue>``)
and conference rooms (``<Dial><Conference>``), as protocols.

The rooms themselves are shared by many sessions, so they live a layer up, in
``callbox.switchboard`` (``queues``, ``conferences``), which implements these protocols; a session
is given them by the switchboard that places it. A session without rooms reports the verbs as not
supported (13750), as before.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Protocol


class Signal(Protocol):
    """Something that happens once, in call time, that sessions wait on."""

    def is_set(self) -> bool: ...

    def set(self) -> None: ...

    async def wait(self, timeout: float | None = None) -> bool:
        """Wait until set (True) or ``timeout`` seconds of call time passed (False)."""
        ...


class Bridge(Protocol):
    """Two calls talking to each other: it ends when either side leaves."""

    @property
    def connected(self) -> Signal:
        """Set when both sides are on (the dequeued caller heard the queue's ``url``)."""
        ...

    @property
    def ended(self) -> Signal: ...

    @property
    def ended_by(self) -> str | None: ...

    def end(self, by: str) -> None:
        """One side leaves (``by`` says why); the other side's wait on ``ended`` returns."""
        ...


class Dequeued(Protocol):
    """How a queued call was taken from its queue."""

    @property
    def url(self) -> str | None:
        """A document to run on the dequeued call: ``<Queue url>`` before the bridge, or the REST
        update's ``Url`` (the call then leaves the queue for it)."""
        ...

    @property
    def method(self) -> str: ...

    @property
    def bridge(self) -> Bridge | None:
        """The bridge to the agent who dialed the queue; None when sent to ``url`` over REST."""
        ...

    @property
    def dequeuer_sid(self) -> str | None: ...


class QueueSeat(Protocol):
    """One call's place in a queue."""

    @property
    def call_sid(self) -> str: ...

    @property
    def queue_sid(self) -> str: ...

    @property
    def enqueued_at(self) -> float: ...

    @property
    def dequeued(self) -> Signal: ...

    @property
    def taken(self) -> Dequeued | None: ...

    def wait_params(self) -> dict[str, str]:
        """``QueueSid``, ``QueuePosition``, ``QueueTime``, ``AvgQueueTime``,
        ``CurrentQueueSize``, ``MaxQueueSize`` as the waitUrl is requested with them now."""
        ...

    def leave(self) -> None:
        """The call leaves the queue (it hung up, ``<Leave>``, redirected): the rest move up."""
        ...


class CallQueue(Protocol):
    @property
    def sid(self) -> str: ...

    @property
    def friendly_name(self) -> str: ...

    @property
    def max_size(self) -> int: ...

    def join(self, call_sid: str) -> QueueSeat | None:
        """Put a call at the back; None when the queue is full."""
        ...

    def take_front(self, dequeuer_sid: str, url: str | None, method: str) -> AgentTicket:
        """A place in the line of agents: its ``arrived`` is set (at once when a caller waits)
        when the caller at the front is dequeued and bridged to ``dequeuer_sid``."""
        ...

    def withdraw(self, ticket: AgentTicket) -> None:
        """The agent stops waiting for a caller."""
        ...


class AgentTicket(Protocol):
    """An agent's place in the line of agents waiting for a caller."""

    @property
    def arrived(self) -> Signal: ...

    @property
    def seat(self) -> QueueSeat | None:
        """The caller that came (dequeued and bridged to the agent), once ``arrived``."""
        ...


class Member(Protocol):
    """One call in a conference."""

    @property
    def call_sid(self) -> str: ...

    @property
    def muted(self) -> bool: ...

    @property
    def hold(self) -> bool: ...

    @property
    def removed(self) -> Signal:
        """Set when the call leaves the room from outside: the conference ended, or it was kicked."""
        ...

    @property
    def hold_music(self) -> tuple[str, str] | None:
        """The ``HoldUrl`` (and method) the call hears while on hold."""
        ...

    @property
    def attention(self) -> Signal:
        """Set when the call has something to hear from the room (an announcement) or was
        removed; ``take_announcements`` arms a new one."""
        ...

    def take_announcements(self) -> list[tuple[str, str]]:
        """The announcements (URL, method) to play to the call now, and a fresh ``attention``."""
        ...


class ConferenceRoom(Protocol):
    @property
    def sid(self) -> str: ...

    @property
    def friendly_name(self) -> str: ...

    @property
    def started(self) -> Signal: ...

    @property
    def ended(self) -> Signal: ...

    @property
    def reason_ended(self) -> str | None: ...

    def join(self, member: MemberSpec) -> Member | str:
        """Bring a call in; a reason (``full``, ``ended``) when it cannot come in."""
        ...

    def leave(self, call_sid: str, reason: str) -> None:
        """The call leaves (hung up, time limit, ``*``); an ``endConferenceOnExit`` member ends
        the room, and the last one out ends it too."""
        ...

    def announced(self, call_sid: str, url: str) -> None:
        """The call heard the announcement at ``url`` to its end."""
        ...


@dataclass(frozen=True, slots=True)
class MemberSpec:
    """What a ``<Dial><Conference>`` says of the call that joins (and how the room reaches it)."""

    call_sid: str
    hears: Callable[[str, str], None]
    """Tells the call's timeline what its caller hears from the room (kind, text)."""
    sends: Callable[[str, str, Mapping[str, str]], None]
    """Sends a signed callback for the room, from this call (url, method, params)."""
    account_sid: str = ""
    label: str | None = None
    muted: bool = False
    start_on_enter: bool = True
    end_on_exit: bool = False
    beep: str = "true"
    coach: str | None = None
    max_participants: int = 250
    record: bool = False
    region: str | None = None
    trim: bool = True
    status_callback: str | None = None
    status_callback_method: str = "POST"
    status_callback_events: frozenset[str] = frozenset()


class Rooms(Protocol):
    """The queues and conference rooms of one account, shared by every call placed through the
    same switchboard."""

    def queue(self, name: str, max_size: int | None = None) -> CallQueue:
        """The queue named ``name`` (created on first use, with ``max_size`` or 1000)."""
        ...

    def conference(self, name: str) -> ConferenceRoom:
        """The room named ``name`` that is not over yet (a new one when the last ended)."""
        ...
