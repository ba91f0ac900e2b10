"""Sessions waiting on each other in call time: ``CallTimeEvent`` (set once, waited on by many)
and ``CallTimeCondition`` (notified again and again), each wait with an optional call-time timeout.

A conference or queue is built from these: a caller waits on an event an agent's session sets.
Waiting lets the shared clock go; the setter's session wakes the waiters at its own call time.
"""

from __future__ import annotations

from callbox.switchboard.scheduler import Scheduler, Wait


class _Waiters:
    """The waits parked on one event or condition."""

    def __init__(self, scheduler: Scheduler) -> None:
        self.scheduler = scheduler
        self._waits: list[Wait] = []

    async def park(self, timeout: float | None) -> Wait:
        """Wait until woken or ``timeout`` seconds of call time passed; the wait, to tell which."""
        at = None if timeout is None else self.scheduler.now() + max(0.0, timeout)
        wait = Wait(at)
        self._waits.append(wait)
        try:
            await self.scheduler.block(wait)
        finally:
            if wait in self._waits:
                self._waits.remove(wait)
        return wait

    def wake_all(self) -> None:
        waits, self._waits = self._waits, []
        for wait in waits:
            self.scheduler.wake(wait)


class CallTimeEvent:
    """Set once; every session waiting on it wakes at the call time it was set."""

    def __init__(self, scheduler: Scheduler) -> None:
        self._waiters = _Waiters(scheduler)
        self._set = False

    def is_set(self) -> bool:
        return self._set

    def set(self) -> None:
        if self._set:
            return
        self._set = True
        self._waiters.wake_all()

    async def wait(self, timeout: float | None = None) -> bool:
        """Wait until the event is set (True) or ``timeout`` seconds of call time passed (False)."""
        if not self._set:
            await self._waiters.park(timeout)
        return self._set


class CallTimeCondition:
    """Notified any number of times; each ``notify_all`` wakes the sessions waiting then."""

    def __init__(self, scheduler: Scheduler) -> None:
        self._waiters = _Waiters(scheduler)

    def notify_all(self) -> None:
        self._waiters.wake_all()

    async def wait(self, timeout: float | None = None) -> bool:
        """Wait for the next ``notify_all`` (True) or ``timeout`` seconds of call time (False)."""
        wait = await self._waiters.park(timeout)
        return not wait.timed_out
