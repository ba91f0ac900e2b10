"""The one clock of a call: virtual time for simulated calls, wall time for live ones.

Everything that takes time on a call (speech, audio, pauses, waiting for input, ringing) goes
through a ``Clock``. A ``VirtualClock`` advances instantly, so a 30-second ``<Gather>`` timeout
costs microseconds; a ``WallClock`` really waits. Network timeouts never use this clock. Calls
placed through a switchboard share one virtual clock instead (``callbox.switchboard``), which
moves only while every call waits on call time.
"""

from __future__ import annotations

import time
from collections.abc import Awaitable
from contextlib import AbstractContextManager, nullcontext
from typing import Protocol

import anyio
import anyio.lowlevel


class Clock(Protocol):
    def now(self) -> float:
        """Seconds since the call started."""
        ...

    def sleep(self, seconds: float) -> Awaitable[None]:
        """Let ``seconds`` of call time pass (awaited at once; an ``async def`` is one)."""
        ...

    def hold(self) -> AbstractContextManager[None]:
        """A block during which call time does not pass by itself: network I/O done beside the
        call (a status callback in flight). A clock shared by many calls stands still meanwhile."""
        ...


class VirtualClock:
    """Call time that moves only when the call says so; sleeping costs nothing."""

    realtime = False

    def __init__(self) -> None:
        self._now = 0.0

    def now(self) -> float:
        return self._now

    def advance(self, seconds: float) -> None:
        if seconds < 0:
            raise ValueError("time cannot go backwards")
        self._now += seconds

    async def sleep(self, seconds: float) -> None:
        self.advance(max(0.0, seconds))
        await anyio.lowlevel.checkpoint()

    def hold(self) -> AbstractContextManager[None]:
        return nullcontext()  # only this call's sleeps move this clock


class WallClock:
    """Real time, for live calls (``--realtime``, the web phone)."""

    realtime = True

    def __init__(self) -> None:
        self._started = time.monotonic()

    def now(self) -> float:
        return time.monotonic() - self._started

    async def sleep(self, seconds: float) -> None:
        await anyio.sleep(max(0.0, seconds))

    def hold(self) -> AbstractContextManager[None]:
        return nullcontext()  # real time passes anyway
