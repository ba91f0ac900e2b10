"""The time messages are queued, rate-limited and delivered in: the switchboard's shared virtual
clock (tests, ``callbox sms``: a one-hour queue costs microseconds) or the wall clock (a served
platform). Deliveries are participants of the virtual clock while they run."""

from __future__ import annotations

import time
from collections.abc import Iterator
from contextlib import AbstractContextManager, contextmanager, nullcontext

import anyio

from callbox.switchboard import Scheduler


class MessagingTime:
    """Seconds since the platform started, and waiting for a moment of them (the interpreter's
    ``Clock``, for the document loop)."""

    def __init__(self, scheduler: Scheduler | None = None) -> None:
        self.scheduler = scheduler
        self._origin = time.monotonic()

    @property
    def virtual(self) -> bool:
        return self.scheduler is not None

    def now(self) -> float:
        if self.scheduler is not None:
            return self.scheduler.now()
        return time.monotonic() - self._origin

    async def sleep_until(self, at: float) -> None:
        if self.scheduler is not None:
            await self.scheduler.sleep_until(at)
        else:
            await anyio.sleep(max(0.0, at - self.now()))

    async def sleep(self, seconds: float) -> None:
        await self.sleep_until(self.now() + max(0.0, seconds))

    def hold(self) -> AbstractContextManager[None]:
        """A block during which virtual time stands still (network I/O beside a delivery)."""
        return self.scheduler.hold() if self.scheduler is not None else nullcontext()

    def begin(self) -> None:
        """A delivery starts: virtual time waits for it (pair with ``end``)."""
        if self.scheduler is not None:
            self.scheduler.acquire()

    def end(self) -> None:
        if self.scheduler is not None:
            self.scheduler.release()

    @contextmanager
    def participant(self) -> Iterator[None]:
        """A block during which virtual time waits for this task, except while it sleeps."""
        self.begin()
        try:
            yield
        finally:
            self.end()
