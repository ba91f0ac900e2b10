"""A fetch's total time budget: the block is cancelled when it runs out, and says so.

``TimeBudget(seconds)`` is a synchronous context manager for one task. On asyncio it sets one
timer (``loop.call_at``) that cancels the task, and catches only that cancellation on the way out,
as ``asyncio.timeout`` decides it (the task's cancel count): a cancellation from anywhere else (a
hang-up cancelling the document's scope) goes on. That costs ~1.5 µs a fetch where an anyio
cancel scope with a deadline costs ~7 µs, and a call fetches on every verb that navigates.
Elsewhere (trio) it is an anyio cancel scope with a deadline.

The cancellation is delivered once, as ``asyncio.timeout``'s is: code inside the block that
swallows ``CancelledError`` (an in-process app catching ``BaseException``) keeps running.
"""

from __future__ import annotations

import asyncio
from types import TracebackType

import anyio


class TimeBudget:
    """``seconds`` of real time for the block; ``expired`` tells afterwards whether they ran out
    (the block was then cancelled and ended early without raising)."""

    __slots__ = ("_cancelling", "_handle", "_scope", "_seconds", "_task", "expired")

    def __init__(self, seconds: float) -> None:
        self._seconds = seconds
        self._task: asyncio.Task[object] | None = None
        self._handle: asyncio.TimerHandle | None = None
        self._scope: anyio.CancelScope | None = None
        self._cancelling = 0
        self.expired = False

    def __enter__(self) -> TimeBudget:
        try:
            loop = asyncio.get_running_loop()
        except RuntimeError:  # not asyncio (trio)
            scope = self._scope = anyio.CancelScope(deadline=anyio.current_time() + self._seconds)
            scope.__enter__()
            return self
        task = asyncio.current_task(loop)
        if task is None:  # pragma: no cover - a fetch always runs in a task
            raise RuntimeError("a time budget needs a running task")
        self._task = task
        self._cancelling = task.cancelling()
        self._handle = loop.call_at(loop.time() + self._seconds, self._expire)
        return self

    def _expire(self) -> None:
        assert self._task is not None
        self.expired = True
        self._task.cancel()

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        traceback: TracebackType | None,
    ) -> bool:
        if self._scope is not None:
            caught = self._scope.__exit__(exc_type, exc, traceback)
            self.expired = self._scope.cancelled_caught
            return bool(caught)
        assert self._handle is not None and self._task is not None
        self._handle.cancel()
        if not self.expired:
            return False
        # the timer cancelled the task: catch that cancellation, and only that one
        ours_only = self._task.uncancel() <= self._cancelling
        return ours_only and exc_type is asyncio.CancelledError
