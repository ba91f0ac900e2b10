"""Per-sender rate limits and queues as Twilio applies them: each sender sends so many segments
per second (1 for a long code, 3 for a toll-free number, 100 for a short code, configurable);
what is over the rate waits in the sender's queue, which holds four hours of sending (21611
beyond it), and a message that waited longer than its validity period fails with 30001."""

from __future__ import annotations

from collections import deque
from collections.abc import Mapping
from dataclasses import dataclass, field

from callbox.messaging.addresses import SenderKind, sender_kind

DEFAULT_RATES: Mapping[SenderKind, float] = {
    SenderKind.LONG_CODE: 1.0,
    SenderKind.TOLL_FREE: 3.0,
    SenderKind.SHORT_CODE: 100.0,
    SenderKind.ALPHANUMERIC: 1.0,
}
"""Segments per second each kind of sender sends by default."""
QUEUE_SECONDS = 4 * 3600
"""A sender's queue holds this many seconds of sending at its rate."""


@dataclass
class SendingRates:
    """The rate of each sender: by kind, or set for one sender."""

    by_kind: dict[SenderKind, float] = field(default_factory=lambda: dict(DEFAULT_RATES))
    by_sender: dict[str, float] = field(default_factory=dict)
    queue_seconds: float = QUEUE_SECONDS

    def rate(self, sender: str) -> float:
        """Segments per second ``sender`` sends."""
        if sender in self.by_sender:
            return self.by_sender[sender]
        return self.by_kind.get(sender_kind(sender) or SenderKind.LONG_CODE, 1.0)


class QueueFullError(Exception):
    """The sender's queue holds its four hours already (Twilio's 21611)."""


class SenderQueues:
    """When each sender can send next: a message of ``segments`` takes ``segments / rate``
    seconds of its sender's time, after the ones queued before it."""

    def __init__(self, rates: SendingRates | None = None) -> None:
        self.rates = rates or SendingRates()
        self._free_at: dict[str, float] = {}

    def backlog(self, sender: str, now: float) -> float:
        """Seconds of sending queued for ``sender`` ahead of a new message."""
        return max(0.0, self._free_at.get(sender, now) - now)

    def reserve(self, sender: str, segments: int, now: float) -> float:
        """The moment a new message of ``segments`` goes out from ``sender``; its place is kept.
        ``QueueFullError`` when the queue already holds four hours of sending."""
        if self.backlog(sender, now) >= self.rates.queue_seconds:
            raise QueueFullError(sender)
        start = max(now, self._free_at.get(sender, now))
        self._free_at[sender] = start + max(1, segments) / self.rates.rate(sender)
        return start


class RunawayGuard:
    """Twilio's runaway protection: at most ``limit`` replies between one number pair in
    ``window`` seconds (15 in 30 s); a reply beyond them is not sent (14107). It stops two bots
    answering each other for ever."""

    def __init__(self, limit: int = 15, window: float = 30.0) -> None:
        self.limit = limit
        self.window = window
        self._sent: dict[tuple[str, str], deque[float]] = {}

    def allow(self, to: str, from_: str, now: float) -> bool:
        """Whether a reply from ``from_`` to ``to`` may go now; counted when it may."""
        times = self._sent.setdefault((to, from_), deque())
        while times and now - times[0] >= self.window:
            times.popleft()
        if len(times) >= self.limit:
            return False
        times.append(now)
        return True
