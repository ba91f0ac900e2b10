"""When a call ends by itself: at the caller's hang-up time or at its time limit, whichever comes
first. ``CallDeadline`` knows that moment and the blocks a hang-up ends; ``DeadlineClock`` is the
call's clock as runners see it, which stops there."""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Iterator
from contextlib import AbstractContextManager, contextmanager
from typing import Any

import anyio
import anyio.lowlevel

from callbox.interpreter.caller import Caller, CallerAction, HangUp, InputPrompt, Silence
from callbox.interpreter.clock import Clock
from callbox.interpreter.context import HangupWatch

CALLER_HUNG_UP = "caller hung up"
"""The reason of a call that ended because the caller hung up."""
TIME_EPSILON = 1e-9
"""Call times this close are the same moment (sums of durations are not exact)."""


class CallDeadline:
    """The call's deadline: the caller's hang-up time (their own, or the one they answered a
    prompt with, whichever comes first) and the call's time limit. The session that owns it
    ends the call when the deadline is reached."""

    __slots__ = ("_hangup_answer", "_moved", "_watches", "caller", "caller_gone", "time_limit")

    def __init__(self, caller: Caller, time_limit: float) -> None:
        self.caller = caller
        self.time_limit = time_limit
        self.caller_gone = False
        """Set by the session once call time reached the caller's hang-up."""
        self._hangup_answer: tuple[float, dict[str, Any]] | None = None
        """When the caller said (answering a prompt) they hang up, and that prompt."""
        self._watches: list[tuple[anyio.CancelScope, HangupWatch]] | None = None  # on first use
        self._moved: anyio.Event | None = None
        """Set when the caller's answer brings the hang-up forward (wakes the wall-clock watch)."""

    def hangs_up_at(self) -> float | None:
        """When the caller hangs up: the caller's own time (``--hangup-after``, ``at N hangup``)
        or the one they answered a prompt with, whichever comes first."""
        at = self.caller.hangs_up_at()
        if self._hangup_answer is not None:
            answered = self._hangup_answer[0]
            if at is None or answered < at:
                at = answered
        return at

    def next(self) -> tuple[float, str]:
        """The earliest call time at which the call ends by itself, and why (there is always the
        time limit)."""
        hangs_up_at = self.hangs_up_at()
        if hangs_up_at is not None and not self.caller_gone and hangs_up_at <= self.time_limit:
            return hangs_up_at, CALLER_HUNG_UP  # at the same moment, the hang-up comes first
        return self.time_limit, "time limit"

    def is_hangup_due(self, now: float) -> bool:
        """Whether call time ``now`` reached the hang-up of a caller still on the line."""
        hangs_up_at = self.hangs_up_at()
        if self.caller_gone or hangs_up_at is None:
            return False
        return hangs_up_at <= now + TIME_EPSILON

    def honour(self, prompt: InputPrompt, action: CallerAction, now: float) -> CallerAction:
        """A caller who hangs up before their action (or the prompt's timeout) hangs up instead."""
        hangs_up_at = self.hangs_up_at()
        if hangs_up_at is None:
            return action
        # negative: the caller hangs up while the prompts still play (never before now)
        remaining = max(hangs_up_at, now) - prompt.at
        if isinstance(action, Silence):
            return HangUp(remaining) if remaining <= prompt.timeout else action
        if action.after >= remaining:
            return HangUp(remaining)
        return action

    def hang_up_answering(self, at: float, prompt: InputPrompt) -> None:
        """The caller answered ``prompt`` by hanging up at call time ``at``: a moment of the call,
        applied when call time reaches it (the earliest such answer counts)."""
        if self._hangup_answer is None or at < self._hangup_answer[0]:
            self._hangup_answer = (at, {"prompt": prompt.kind, "index": prompt.index})
            if self._moved is not None:
                self._moved.set()

    def answered_prompt(self, now: float) -> dict[str, Any]:
        """The prompt the caller answered with the hang-up that happens at ``now``, for the
        timeline (``{"prompt": "none"}`` when the hang-up answered none)."""
        answer = self._hangup_answer
        prompt = answer[1] if answer is not None and answer[0] <= now + TIME_EPSILON else {}
        return prompt or {"prompt": "none"}

    @contextmanager
    def watch_hangup(self) -> Iterator[HangupWatch]:
        """A block that the caller's hang-up ends without cancelling the verb, which can then
        report it (a ``<Dial>`` or ``<Record>`` still requests its action)."""
        watch = HangupWatch()
        with anyio.CancelScope() as scope:
            entry = (scope, watch)
            if self._watches is None:
                self._watches = []
            watches = self._watches
            watches.append(entry)
            try:
                yield watch
            finally:
                watches.remove(entry)

    def end_watch(self, now: float) -> bool:
        """Let the innermost ``watch_hangup`` block take the hang-up at ``now`` (it ends, the verb
        reports it); False when no block is open."""
        if not self._watches:
            return False
        scope, watch = self._watches[-1]  # not empty: checked above
        watch.hung_up = True
        watch.at = now
        scope.cancel()
        return True

    async def wait(self, seconds: float) -> None:
        """Wait ``seconds`` of real time, or less when the caller's answer brings the hang-up
        forward meanwhile."""
        moved = self._moved = anyio.Event()
        with anyio.move_on_after(seconds):
            await moved.wait()


class DeadlineClock:
    """The call's clock as runners see it: the real clock, but a sleep that reaches the caller's
    hang-up time or the time limit stops there and ends the call (the running verb is cancelled,
    or only the ``watch_hangup`` block it is in)."""

    __slots__ = ("_deadline", "_reach", "inner", "now", "realtime")

    def __init__(self, inner: Clock, deadline: CallDeadline, reach: Callable[[str], None]) -> None:
        self.inner = inner
        self.now: Callable[[], float] = inner.now
        """The inner clock's time (its own method: read several times per verb, no call more)."""
        self.realtime: bool = bool(getattr(inner, "realtime", False))
        self._deadline = deadline
        self._reach = reach
        """Ends the call at the deadline, given why."""

    def hold(self) -> AbstractContextManager[None]:
        return self.inner.hold()

    def detach(self) -> None:
        """The call is over: a sleep no longer ends it, and the clock lets go of whoever ended it
        (the session, which is then freed by reference counting)."""
        self._reach = _ended

    def sleep(self, seconds: float) -> Awaitable[None]:
        """The inner clock's own sleep when it ends before the deadline (no coroutine around it:
        a call sleeps on every prompt); else a sleep to the deadline, which ends the call."""
        at, reason = self._deadline.next()
        now = self.inner.now()
        if now + max(seconds, 0.0) >= at - TIME_EPSILON:
            return self._sleep_to_deadline(max(0.0, at - now), reason)
        return self.inner.sleep(seconds)

    async def _sleep_to_deadline(self, seconds: float, reason: str) -> None:
        await self.inner.sleep(seconds)
        self._reach(reason)
        await anyio.lowlevel.checkpoint()


def _ended(reason: str) -> None:
    """What reaching the deadline does once the call is over: nothing."""
