"""Call queues: ``<Enqueue>`` puts a call at the back, ``<Dial><Queue>`` and the REST API take
from the front, strictly first in, first out.

A queue is created on first use and keeps Twilio's figures: the size, the average time its
members have waited, each member's position and wait. Agents who dial an empty queue wait in line
too, and a caller who arrives goes to the agent who has waited longest.
"""

from __future__ import annotations

from collections import deque
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime

from callbox.interpreter import rooms

DEFAULT_MAX_SIZE = 1000
"""Twilio's default ``maxQueueSize`` (older docs said 100)."""
MAX_NAME_LENGTH = 64


class CallBridge:
    """Two calls talking to each other: it ends when either side leaves."""

    def __init__(self, new_signal: Callable[[], rooms.Signal]) -> None:
        self.connected = new_signal()
        self.ended = new_signal()
        self.ended_by: str | None = None

    def end(self, by: str) -> None:
        if self.ended_by is None:
            self.ended_by = by
        self.connected.set()
        self.ended.set()


@dataclass(frozen=True, slots=True)
class Dequeue:
    """How a queued call was taken from its queue (``rooms.Dequeued``)."""

    url: str | None
    method: str
    bridge: CallBridge | None
    dequeuer_sid: str | None


class Seat:
    """One call's place in a queue (``rooms.QueueSeat``)."""

    def __init__(self, queue: CallQueue, call_sid: str, enqueued_at: float) -> None:
        self.queue = queue
        self.call_sid = call_sid
        self.queue_sid = queue.sid
        self.enqueued_at = enqueued_at
        self.date_enqueued = datetime.now(UTC)
        self.dequeued = queue.new_signal()
        self.taken: Dequeue | None = None

    def wait_time(self) -> float:
        return max(0.0, self.queue.now() - self.enqueued_at)

    def position(self) -> int:
        """1-based; 0 once the call has left."""
        try:
            return self.queue.members.index(self) + 1
        except ValueError:
            return 0

    def wait_params(self) -> dict[str, str]:
        queue = self.queue
        return {
            "QueueSid": queue.sid,
            "QueuePosition": str(self.position()),
            "QueueTime": str(round(self.wait_time())),
            "AvgQueueTime": str(queue.average_wait_time()),
            "CurrentQueueSize": str(queue.size),
            "MaxQueueSize": str(queue.max_size),
        }

    def leave(self) -> None:
        self.queue.remove(self)

    def take(self, how: Dequeue) -> None:
        """The call leaves the queue as ``how`` says; its ``<Enqueue>`` wakes."""
        self.queue.remove(self)
        self.taken = how
        self.dequeued.set()


@dataclass(eq=False)
class Ticket:
    """An agent waiting at ``<Dial><Queue>`` for a caller to arrive (``rooms.AgentTicket``)."""

    sid: str
    url: str | None
    method: str
    arrived: rooms.Signal
    seat: Seat | None = None


@dataclass
class CallQueue:
    """One named queue (``rooms.CallQueue``)."""

    sid: str
    friendly_name: str
    new_signal: Callable[[], rooms.Signal]
    now: Callable[[], float]
    max_size: int = DEFAULT_MAX_SIZE
    account_sid: str = ""
    date_created: datetime = field(default_factory=lambda: datetime.now(UTC))
    date_updated: datetime = field(default_factory=lambda: datetime.now(UTC))
    members: deque[Seat] = field(default_factory=deque)
    agents: deque[Ticket] = field(default_factory=deque)

    @property
    def size(self) -> int:
        return len(self.members)

    def average_wait_time(self) -> int:
        """Whole seconds the calls in the queue now have waited, on average (Twilio's figure)."""
        if not self.members:
            return 0
        return round(sum(seat.wait_time() for seat in self.members) / len(self.members))

    def join(self, call_sid: str) -> Seat | None:
        if len(self.members) >= self.max_size:
            return None
        seat = Seat(self, call_sid, self.now())
        self.members.append(seat)
        self.date_updated = datetime.now(UTC)
        while self.agents:
            agent = self.agents.popleft()
            if agent.arrived.is_set():  # withdrawn already
                continue
            agent.seat = self._bridge_front(agent.sid, agent.url, agent.method)
            agent.arrived.set()
            break
        return seat

    def remove(self, seat: Seat) -> None:
        if seat in self.members:
            self.members.remove(seat)
            self.date_updated = datetime.now(UTC)

    def _bridge_front(self, dequeuer_sid: str, url: str | None, method: str) -> Seat:
        seat = self.members[0]
        seat.take(Dequeue(url, method, CallBridge(self.new_signal), dequeuer_sid))
        return seat

    def take_front(self, dequeuer_sid: str, url: str | None, method: str) -> Ticket:
        """A ticket in the line of agents for ``dequeuer_sid``: its ``arrived`` is set (now,
        when a call waits and no agent before it) once a caller is dequeued and bridged to it
        (``seat``); ``withdraw`` it to stop waiting."""
        ticket = Ticket(dequeuer_sid, url, method, self.new_signal())
        if self.members and not self.agents:
            ticket.seat = self._bridge_front(dequeuer_sid, url, method)
            ticket.arrived.set()
        else:
            self.agents.append(ticket)
        return ticket

    def withdraw(self, ticket: rooms.AgentTicket) -> None:
        """An agent stops waiting (timeout, hang-up); a caller arriving later skips it."""
        ticket.arrived.set()
        for agent in self.agents:
            if agent is ticket:
                self.agents.remove(agent)
                break

    def send_front(self, url: str, method: str) -> Seat | None:
        """REST: the front call leaves the queue for the document at ``url``."""
        if not self.members:
            return None
        seat = self.members[0]
        seat.take(Dequeue(url, method, None, None))
        return seat

    def send(self, call_sid: str, url: str, method: str) -> Seat | None:
        """REST: the call ``call_sid`` leaves the queue for the document at ``url``."""
        for seat in self.members:
            if seat.call_sid == call_sid:
                seat.take(Dequeue(url, method, None, None))
                return seat
        return None
