"""Virtual call time shared by many sessions: one ``Scheduler`` per switchboard, one timer per wait.

Call time stands still while any participant is busy (running, fetching from the app, rendering
speech) and jumps to the earliest wake-up once every participant is waiting on call time. So a
30-second ``<Gather>`` costs microseconds, sessions that wait on each other see the same clock,
and a slow HTTP fetch (real time, with real timeouts) holds every session's clock still.
"""

from __future__ import annotations

import asyncio
import heapq
import itertools
from collections.abc import Awaitable, Iterator
from contextlib import AbstractContextManager, contextmanager

import anyio
import anyio.lowlevel

from callbox.switchboard.call_tasks import on_asyncio
from callbox.switchboard.errors import SchedulerError

TIME_EPSILON = 1e-9
"""Wake-ups this close are the same moment (sums of durations are not exact)."""
SAME_MOMENT = 1e-6
"""A session's own sum of sleeps and the shared time this close are the same moment: the
difference is rounding (the shared time adds the session's start)."""


class Wait:
    """One task waiting on call time: woken by its timer (``at``) or by whoever holds it,
    whichever comes first. Waking it makes its task a busy participant again."""

    __slots__ = ("_waker", "at", "timed_out", "woken")

    def __init__(self, at: float | None) -> None:
        self.at = at
        self.woken = False
        self.timed_out = False
        """Woken by its timer rather than by ``Scheduler.wake``."""
        self._waker: asyncio.Future[None] | anyio.Event | None = None
        """What its task awaits, made when it blocks: a bare future on asyncio (an anyio event
        costs ~0.5 KiB with its asyncio event and that event's deque), an event elsewhere."""

    def _arm(self) -> None:
        if on_asyncio():
            self._waker = asyncio.get_running_loop().create_future()
        else:
            self._waker = anyio.Event()

    def _woken(self) -> Awaitable[None]:
        waker = self._waker
        assert waker is not None, "armed before it blocks"
        return waker.wait() if isinstance(waker, anyio.Event) else waker

    def _wake(self) -> None:
        waker = self._waker
        if isinstance(waker, anyio.Event):
            waker.set()
        elif waker is not None and not waker.done():
            waker.set_result(None)


class Scheduler:
    """The one virtual clock of many sessions.

    A participant is a task that acts on call time; it holds the clock while it runs
    (``hold()``) and lets it go only while it waits on call time (``sleep_until``,
    ``CallTimeEvent.wait``). Work done beside a session (a status callback in flight) holds the
    clock too. When nothing holds it, the clock jumps to the earliest timer and wakes every wait
    due then, in the order they began.
    """

    def __init__(self) -> None:
        self._now = 0.0
        self._busy = 0
        self._timers: list[tuple[float, int, Wait]] = []
        self._order = itertools.count()

    def now(self) -> float:
        """Seconds of call time since the scheduler was made."""
        return self._now

    @property
    def busy(self) -> int:
        """How many participants and blocks hold the clock still right now."""
        return self._busy

    @property
    def pending(self) -> int:
        """How many timers are set (each a sleep or a wait with a timeout)."""
        return sum(1 for _, _, wait in self._timers if not wait.woken)

    @contextmanager
    def hold(self) -> Iterator[None]:
        """A block during which call time stands still: a participant's run, or network I/O
        done beside it. Waits inside it let the clock go while they wait."""
        self.acquire()
        try:
            yield
        finally:
            self.release()

    def acquire(self) -> None:
        """One more participant or block holds the clock (pair with ``release``)."""
        self._busy += 1

    def release(self) -> None:
        """One participant or block lets the clock go; the clock jumps if nothing holds it."""
        if self._busy <= 0:
            raise SchedulerError("the clock was released more often than it was held")
        self._busy -= 1
        self._advance_if_idle()

    async def sleep_until(self, at: float) -> None:
        """Wait until call time ``at`` (called by a participant, which lets the clock go meanwhile)."""
        await self.block(Wait(at))

    async def sleep(self, seconds: float) -> None:
        await self.sleep_until(self._now + max(0.0, seconds))

    async def block(self, wait: Wait) -> None:
        """Wait until ``wait`` is woken (its timer, or ``wake``), not holding the clock meanwhile.
        Cancelled, the caller holds the clock again and the timer is dropped."""
        if wait.at is not None:
            if wait.at <= self._now + TIME_EPSILON:  # due already: no need to let the clock go
                wait.woken = wait.timed_out = True
                await anyio.lowlevel.checkpoint()
                return
            heapq.heappush(self._timers, (wait.at, next(self._order), wait))
        wait._arm()
        self.release()  # may wake it at once: the clock moved on to its time
        try:
            if wait.woken:
                await anyio.lowlevel.checkpoint()  # let others run, as a sleep does
            else:
                await wait._woken()
        finally:
            if not wait.woken:  # cancelled: its timer is now stale
                wait.woken = True
                self._busy += 1

    def wake(self, wait: Wait) -> None:
        """Wake ``wait`` now (its task holds the clock from this moment); no-op when woken."""
        if wait.woken:
            return
        wait.woken = True
        self._busy += 1
        wait._wake()

    def _advance_if_idle(self) -> None:
        if self._busy > 0:
            return
        timers = self._timers
        while timers and timers[0][2].woken:
            heapq.heappop(timers)
        if not timers:
            return
        self._now = max(self._now, timers[0][0])
        while timers and timers[0][0] <= self._now + TIME_EPSILON:
            wait = heapq.heappop(timers)[2]
            if not wait.woken:
                wait.timed_out = True
                self.wake(wait)

    def clock(self) -> SharedClock:
        """A session's view of this clock: its call time starts at 0 when it first looks."""
        return SharedClock(self)


class SharedClock:
    """One session's clock on a shared ``Scheduler`` (the interpreter's ``Clock`` protocol).

    Its call time starts at 0 when the session first reads it. Its own sleeps add up exactly, as
    a lone virtual clock's do (3.1 + 1.1 is the same sum here as there); whenever the shared
    time has moved on beyond them (the session waited on another one), it is the shared time.
    """

    realtime = False

    __slots__ = ("_local", "_origin", "scheduler")

    def __init__(self, scheduler: Scheduler) -> None:
        self.scheduler = scheduler
        self._origin: float | None = None
        self._local = 0.0

    def now(self) -> float:
        shared = self.scheduler._now  # read several times per verb: no method call
        origin = self._origin
        if origin is None:
            origin = self._origin = shared
        shared -= origin
        if shared > self._local + SAME_MOMENT:
            self._local = shared
        return self._local

    async def sleep(self, seconds: float) -> None:
        target = self.now() + max(0.0, seconds)
        assert self._origin is not None
        await self.scheduler.block(Wait(self._origin + target))
        self._local = max(self._local, target)

    def pause(self, seconds: float) -> None:
        """``seconds`` of shared time that do not count for this session: it was paused (a call
        waiting for a test that drove another call meanwhile)."""
        if self._origin is None:
            self._origin = self.scheduler.now()
        self._origin += seconds  # before the session looks again: its own time stays put

    def hold(self) -> AbstractContextManager[None]:
        """A block during which call time stands still (network I/O beside the session)."""
        return self.scheduler.hold()
