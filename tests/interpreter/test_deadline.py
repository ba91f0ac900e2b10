"""CallDeadline and DeadlineClock: a call ends by itself at the caller's hang-up or at its time
limit, whichever comes first, and a sleep on the call's clock stops there."""

from __future__ import annotations

import time

import anyio
import pytest

from callbox.interpreter.caller import CallerAction, HangUp, InputPrompt, Press, Silence
from callbox.interpreter.clock import VirtualClock
from callbox.interpreter.deadline import CALLER_HUNG_UP, CallDeadline, DeadlineClock


class ScriptedCaller:
    """A caller who hangs up at a fixed call time (or never) and stays silent."""

    def __init__(self, hangs_up_at: float | None = None) -> None:
        self._hangs_up_at = hangs_up_at

    async def respond(self, prompt: InputPrompt) -> CallerAction:
        return Silence()

    def hangs_up_at(self) -> float | None:
        return self._hangs_up_at


def deadline(hangs_up_at: float | None = None, time_limit: float = 100.0) -> CallDeadline:
    return CallDeadline(ScriptedCaller(hangs_up_at), time_limit)


def gather_prompt(at: float = 0.0, timeout: float = 5.0, index: int = 0) -> InputPrompt:
    return InputPrompt("gather", index, at=at, timeout=timeout)


def test_call_without_hangup_ends_at_its_time_limit() -> None:
    assert deadline(None, time_limit=42.0).next() == (42.0, "time limit")


def test_caller_hangup_before_the_time_limit_comes_first() -> None:
    assert deadline(7.5, time_limit=42.0).next() == (7.5, CALLER_HUNG_UP)


def test_time_limit_before_the_caller_hangup_comes_first() -> None:
    assert deadline(50.0, time_limit=42.0).next() == (42.0, "time limit")


def test_caller_who_is_gone_no_longer_sets_the_deadline() -> None:
    ending = deadline(7.5, time_limit=42.0)
    ending.caller_gone = True
    assert ending.next() == (42.0, "time limit")
    assert not ending.is_hangup_due(10.0)


def test_hangup_answering_a_prompt_brings_the_hangup_forward() -> None:
    ending = deadline(30.0)
    ending.hang_up_answering(12.0, gather_prompt(index=2))
    assert ending.hangs_up_at() == 12.0
    assert ending.next() == (12.0, CALLER_HUNG_UP)


def test_earliest_hangup_counts() -> None:
    ending = deadline(10.0)
    ending.hang_up_answering(20.0, gather_prompt(index=0))
    assert ending.hangs_up_at() == 10.0
    ending.hang_up_answering(8.0, gather_prompt(index=1))
    ending.hang_up_answering(9.0, gather_prompt(index=2))
    assert ending.hangs_up_at() == 8.0
    assert ending.answered_prompt(8.0) == {"prompt": "gather", "index": 1}


def test_hangup_answer_without_a_hangup_time_of_the_caller_own() -> None:
    ending = deadline(None)
    assert ending.hangs_up_at() is None
    ending.hang_up_answering(3.0, gather_prompt())
    assert ending.hangs_up_at() == 3.0


def test_hangup_is_due_once_call_time_reaches_it() -> None:
    ending = deadline(5.0)
    assert not ending.is_hangup_due(4.9)
    assert ending.is_hangup_due(5.0)
    assert ending.is_hangup_due(5.0 - 1e-12)  # sums of durations are not exact
    assert ending.is_hangup_due(6.0)
    assert not deadline(None).is_hangup_due(1e9)


def test_answered_prompt_is_none_before_the_answered_hangup_happens() -> None:
    ending = deadline(None)
    assert ending.answered_prompt(0.0) == {"prompt": "none"}
    ending.hang_up_answering(4.0, InputPrompt("record", 3))
    assert ending.answered_prompt(3.0) == {"prompt": "none"}
    assert ending.answered_prompt(4.0) == {"prompt": "record", "index": 3}


def test_caller_action_stands_when_no_hangup_is_known() -> None:
    action = Press("1", after=2.0)
    assert deadline(None).honour(gather_prompt(), action, now=0.0) is action


def test_caller_who_hangs_up_before_pressing_hangs_up_instead() -> None:
    ending = deadline(13.0)
    honoured = ending.honour(gather_prompt(at=10.0), Press("1", after=4.0), now=10.0)
    assert isinstance(honoured, HangUp)
    assert honoured.after == pytest.approx(3.0)


def test_caller_who_presses_before_hanging_up_presses() -> None:
    action = Press("1", after=2.0)
    assert deadline(13.0).honour(gather_prompt(at=10.0), action, now=10.0) is action


def test_silent_caller_who_hangs_up_within_the_timeout_hangs_up() -> None:
    ending = deadline(12.0)
    honoured = ending.honour(gather_prompt(at=10.0, timeout=5.0), Silence(), now=10.0)
    assert isinstance(honoured, HangUp)
    assert honoured.after == pytest.approx(2.0)


def test_silent_caller_who_hangs_up_after_the_timeout_stays_silent() -> None:
    ending = deadline(16.0)
    honoured = ending.honour(gather_prompt(at=10.0, timeout=5.0), Silence(), now=10.0)
    assert honoured == Silence()


def test_hangup_never_happens_before_now() -> None:
    """A hang-up time already passed is a hang-up right now (after the prompts played)."""
    ending = deadline(2.0)
    honoured = ending.honour(gather_prompt(at=10.0), Press("1", after=1.0), now=10.0)
    assert honoured == HangUp(0.0)


def test_end_watch_without_a_watched_block_is_refused() -> None:
    assert deadline(5.0).end_watch(5.0) is False


def test_end_watch_ends_the_innermost_watched_block_and_reports_when() -> None:
    ending = deadline(5.0)
    reached: list[str] = []

    async def main() -> None:
        with ending.watch_hangup() as outer:
            with ending.watch_hangup() as inner:
                assert ending.end_watch(5.0)
                await anyio.lowlevel.checkpoint()
                reached.append("inner block went on")
            reached.append("outer block goes on")
        assert (inner.hung_up, inner.at) == (True, 5.0)
        assert (outer.hung_up, outer.at) == (False, None)

    anyio.run(main)
    assert reached == ["outer block goes on"]
    assert ending.end_watch(6.0) is False  # the blocks are closed


def test_wait_ends_early_when_an_answer_brings_the_hangup_forward() -> None:
    ending = deadline(None)

    async def main() -> float:
        started = time.monotonic()
        async with anyio.create_task_group() as group:
            group.start_soon(ending.wait, 5.0)
            await anyio.sleep(0.01)
            ending.hang_up_answering(1.0, gather_prompt())
        return time.monotonic() - started

    assert anyio.run(main) < 2.0


def test_wait_lasts_its_seconds_when_nothing_moves() -> None:
    async def main() -> float:
        started = time.monotonic()
        await deadline(None).wait(0.05)
        return time.monotonic() - started

    assert anyio.run(main) >= 0.04


def run_until_deadline(ending: CallDeadline, sleeps: list[float]) -> tuple[float, list[str], bool]:
    """Sleep ``sleeps`` on a DeadlineClock over a VirtualClock whose deadline cancels the block
    (as the session does): call time at the end, the reasons reached, whether it was cancelled."""
    inner = VirtualClock()
    reasons: list[str] = []

    async def main() -> bool:
        with anyio.CancelScope() as scope:

            def reach(reason: str) -> None:
                reasons.append(reason)
                scope.cancel()

            clock = DeadlineClock(inner, ending, reach)
            for seconds in sleeps:
                await clock.sleep(seconds)
        return scope.cancelled_caught

    cancelled = anyio.run(main)
    return inner.now(), reasons, cancelled


def test_hangup_cancels_a_wait_at_the_hangup_call_time() -> None:
    now, reasons, cancelled = run_until_deadline(deadline(12.5), [10.0, 30.0, 30.0])
    assert now == pytest.approx(12.5)
    assert reasons == [CALLER_HUNG_UP]
    assert cancelled


def test_time_limit_cancels_a_wait_at_the_limit() -> None:
    now, reasons, cancelled = run_until_deadline(deadline(None, time_limit=20.0), [15.0, 15.0])
    assert now == pytest.approx(20.0)
    assert reasons == ["time limit"]
    assert cancelled


def test_sleeps_before_the_deadline_pass_in_full() -> None:
    now, reasons, cancelled = run_until_deadline(deadline(60.0), [10.0, 20.0])
    assert now == pytest.approx(30.0)
    assert reasons == []
    assert not cancelled


def test_sleep_that_ends_exactly_at_the_deadline_reaches_it() -> None:
    now, reasons, _ = run_until_deadline(deadline(10.0), [4.0, 6.0])
    assert now == pytest.approx(10.0)
    assert reasons == [CALLER_HUNG_UP]


def test_deadline_clock_tells_the_inner_clock_time_and_kind() -> None:
    inner = VirtualClock()
    inner.advance(3.0)
    clock = DeadlineClock(inner, deadline(None), lambda reason: None)
    assert clock.now() == 3.0
    assert clock.realtime is False
