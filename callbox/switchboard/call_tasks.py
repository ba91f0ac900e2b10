"""Calls as bare asyncio tasks: thousands of live calls without a task handle each.

anyio (4.16) gives every task ``TaskGroup.start_soon`` makes a handle with a cancel scope of its
own and a finished event: ~2 KiB per task, as much as a parked call's own state. ``CallStarter``
runs each call as a bare asyncio task instead, watched by one anyio task per task group
(``CallTasks.watch``), so that the group's rules still hold: the group waits for every call it
started, cancelling the group cancels them, and a call that raises cancels the others and fails
the group. On another backend (trio) calls are the group's own tasks.
"""

from __future__ import annotations

import asyncio
import contextvars
from collections.abc import Callable, Coroutine
from typing import Any

import anyio
from anyio.abc import TaskGroup

_BOOKKEEPING = contextvars.Context()
"""The context the end-of-call bookkeeping runs in (it reads no context variable)."""


def on_asyncio() -> bool:
    """Whether the running event loop is asyncio's (not trio's): no dependency to ask it."""
    try:
        asyncio.get_running_loop()
    except RuntimeError:
        return False
    return True


class CallTasks:
    """The calls one task group started, as bare tasks, and what became of them."""

    __slots__ = ("_errors", "_tasks", "_wakeup", "closed")

    def __init__(self) -> None:
        self._tasks: dict[asyncio.Task[Any], Callable[[str], object] | None] = {}
        """Each running call and what to do once it ended (no coroutine wraps it for that)."""
        self._errors: list[BaseException] = []
        self._wakeup: asyncio.Future[None] | None = None
        self.closed = False
        """The watch is over: calls started from now on need new ``CallTasks``."""

    def __len__(self) -> int:
        return len(self._tasks)

    def spawn(
        self,
        coro: Coroutine[Any, Any, Any],
        done: Callable[[str], object] | None = None,
        name: str | None = None,
    ) -> None:
        """Run ``coro`` as a bare task named ``name``; ``done(name)`` once it ended, however it
        ended (one callback for every call, told which: nothing made for each call)."""
        if self.closed:
            coro.close()
            raise RuntimeError("these call tasks are no longer watched")
        task = asyncio.get_running_loop().create_task(coro, name=name)
        self._tasks[task] = done
        # run in one shared empty context: asyncio would copy the current one for each call
        task.add_done_callback(self._finished, context=_BOOKKEEPING)

    def _finished(self, task: asyncio.Task[Any]) -> None:
        done = self._tasks.pop(task, None)
        if done is not None:
            try:
                done(task.get_name())
            except Exception as exc:
                self._errors.append(exc)
        if not task.cancelled() and (error := task.exception()) is not None:
            self._errors.append(error)
        wakeup = self._wakeup
        if (not self._tasks or self._errors) and wakeup is not None and not wakeup.done():
            wakeup.set_result(None)

    async def _until_woken(self) -> None:
        self._wakeup = asyncio.get_running_loop().create_future()
        try:
            await self._wakeup
        finally:
            self._wakeup = None

    async def watch(self) -> None:
        """Wait until every call ended. Cancelled (the group is), or when a call raised, the
        other calls are cancelled and waited for; then the first error is raised (all of them
        in an exception group when there were several)."""
        try:
            while self._tasks and not self._errors:
                await self._until_woken()
        finally:
            self.closed = True
            if self._tasks:
                for task in self._tasks:
                    task.cancel()
                with anyio.CancelScope(shield=True):
                    while self._tasks:
                        await self._until_woken()
        if len(self._errors) == 1:
            raise self._errors[0]
        if self._errors:
            raise BaseExceptionGroup("calls failed", self._errors)


class CallStarter:
    """Starts calls in anyio task groups (see the module's docstring): one ``CallTasks`` and
    one watching task per group that has calls running."""

    __slots__ = ("_running",)

    def __init__(self) -> None:
        self._running: dict[TaskGroup, CallTasks] = {}

    def start_soon(
        self,
        group: TaskGroup,
        function: Callable[..., Coroutine[Any, Any, Any]],
        *args: Any,
        name: str | None = None,
        done: Callable[[str], object] | None = None,
    ) -> None:
        """Run ``function(*args)`` as one of ``group``'s calls, named ``name`` (a call's SID);
        ``done(name)`` once it ended, however it ended (on asyncio no coroutine is kept around
        the call for that)."""
        if not on_asyncio():
            group.start_soon(_then, function, args, done, name or "", name=name)
            return
        tasks = self._running.get(group)
        if tasks is None or tasks.closed:
            tasks = self._running[group] = CallTasks()
            group.start_soon(self._watch, group, tasks)
        tasks.spawn(function(*args), done, name)

    def running(self, group: TaskGroup) -> int:
        """How many calls started in ``group`` are running as bare tasks."""
        tasks = self._running.get(group)
        return 0 if tasks is None else len(tasks)

    async def _watch(self, group: TaskGroup, tasks: CallTasks) -> None:
        try:
            await tasks.watch()
        finally:
            if self._running.get(group) is tasks:
                del self._running[group]


async def _then(
    function: Callable[..., Coroutine[Any, Any, Any]],
    args: tuple[Any, ...],
    done: Callable[[str], object] | None,
    name: str,
) -> None:
    try:
        await function(*args)
    finally:
        if done is not None:
            done(name)
