"""Blocks a call ends early: a document's fetch and verbs (``CancellableBlock``, which a hang-up or
a live redirect cancels) and a fetch's total time budget (``TimeBudget``, cancelled by a timer).

Both are synchronous context managers of one task. On asyncio they cancel the task itself and
catch only that cancellation on the way out, as ``asyncio.timeout`` decides it (the task's cancel
count): a cancellation from anywhere else (an enclosing block, the task group) goes on. That costs
~1 µs a block where an anyio cancel scope costs ~3 µs (~7 µs with a deadline), and a call enters
two per document. anyio's own scopes and task groups inside the block see the cancellation as a
native one and let it through (anyio >= 4). Elsewhere (trio) the block is an anyio cancel scope.

The cancellation is delivered once, as ``asyncio.timeout``'s is, and an anyio shield inside the
block does not hold it back: code inside the block that swallows ``CancelledError`` (an in-process
app catching ``BaseException``) keeps running, and work waited on in a thread is left to finish
on its own.
"""

from __future__ import annotations

import asyncio
from types import TracebackType
from typing import Self

import anyio


class CancellableBlock:
    """A block that ``cancel()`` ends early, from any task: the block then ends without raising
    and ``cancelled_caught`` is True. Cancelling it before it began ends it at its first wait;
    after it ended, cancelling does nothing."""

    __slots__ = (
        "_cancelling",
        "_requested",
        "_scope",
        "_task",
        "cancel_called",
        "cancelled_caught",
    )

    def __init__(self) -> None:
        self._task: asyncio.Task[object] | None = None
        """The task running the block, while it runs (asyncio)."""
        self._scope: anyio.CancelScope | None = None
        """The block's anyio cancel scope, on another backend."""
        self._cancelling = 0
        self._requested = False
        """The block cancelled its task (and takes that cancellation back on the way out)."""
        self.cancel_called = False
        self.cancelled_caught = False

    def __enter__(self) -> Self:
        try:
            loop = asyncio.get_running_loop()
        except RuntimeError:  # not asyncio (trio)
            scope = self._scope = self._anyio_scope()
            if self.cancel_called:
                scope.cancel()
            scope.__enter__()
            return self
        task = asyncio.current_task(loop)
        if task is None:  # pragma: no cover - a call always runs in a task
            raise RuntimeError("a cancellable block needs a running task")
        self._task = task
        self._cancelling = task.cancelling()
        self._entered(loop)
        if self.cancel_called:  # cancelled before it began: at its first wait
            loop.call_soon(self._cancel_task)
        return self

    def _anyio_scope(self) -> anyio.CancelScope:
        return anyio.CancelScope()

    def _entered(self, loop: asyncio.AbstractEventLoop) -> None:
        """Hook: the block began on asyncio."""

    def cancel(self) -> None:
        """End the block at its next wait (now, if it waits)."""
        if self.cancel_called:
            return
        self.cancel_called = True
        if self._scope is not None:
            self._scope.cancel()
        elif self._task is None:  # not begun (it begins cancelled) or ended: nothing to do
            return
        elif self._task is asyncio.current_task():
            # the block's own task, running: cancel it once it waits (the block may end before
            # it does, and a cancellation left pending would hit whatever it waits on next)
            asyncio.get_running_loop().call_soon(self._cancel_task)
        else:
            self._cancel_task()

    def _cancel_task(self) -> None:
        if self._task is None:  # the block ended meanwhile
            return
        self._requested = True
        self._task.cancel()

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        traceback: TracebackType | None,
    ) -> bool:
        if self._scope is not None:
            caught = self._scope.__exit__(exc_type, exc, traceback)
            self.cancelled_caught = self._scope.cancelled_caught
            return bool(caught)
        task = self._task
        assert task is not None
        self._task = None  # cancelling from now on does nothing
        self._left()
        if not self._requested:
            return False
        # the block cancelled its task: take that back, and catch its cancellation only
        ours_only = task.uncancel() <= self._cancelling
        self.cancelled_caught = ours_only and exc_type is asyncio.CancelledError
        return self.cancelled_caught

    def _left(self) -> None:
        """Hook: the block ended on asyncio."""


class TimeBudget(CancellableBlock):
    """``seconds`` of real time for the block: then it is cancelled. ``expired`` tells afterwards
    whether they ran out (the block then ended early without raising)."""

    __slots__ = ("_handle", "_seconds")

    def __init__(self, seconds: float) -> None:
        super().__init__()
        self._seconds = seconds
        self._handle: asyncio.TimerHandle | None = None

    @property
    def expired(self) -> bool:
        return self.cancelled_caught

    def _anyio_scope(self) -> anyio.CancelScope:
        return anyio.CancelScope(deadline=anyio.current_time() + self._seconds)

    def _entered(self, loop: asyncio.AbstractEventLoop) -> None:
        self._handle = loop.call_at(loop.time() + self._seconds, self.cancel)

    def _left(self) -> None:
        assert self._handle is not None
        self._handle.cancel()
