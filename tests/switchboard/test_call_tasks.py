"""Calls started in a task group as bare tasks keep the group's rules: the group waits for them,
cancelling it cancels them, a call that raises cancels the others and fails the group; on trio
they are the group's own tasks."""

from __future__ import annotations

import asyncio

import anyio
import pytest

from callbox.interpreter.caller import CallerAction, InputPrompt
from callbox.interpreter.callers import ScriptedCaller
from callbox.interpreter.session import CallSettings
from callbox.switchboard import Switchboard
from callbox.switchboard.call_tasks import CallStarter
from callbox.switchboard.errors import SwitchboardError

GATHER = b"<Response><Gather action='/next'><Say>Press a key.</Say></Gather></Response>"


class NeverAnswers:
    """A caller who stays on the line without ever pressing a key (the test cancels the call)."""

    def __init__(self, arrived: anyio.Event) -> None:
        self.arrived = arrived

    async def respond(self, prompt: InputPrompt) -> CallerAction:
        self.arrived.set()
        await anyio.sleep_forever()
        raise AssertionError("unreachable")

    def hangs_up_at(self) -> float | None:
        return None


def test_the_group_waits_for_the_calls_it_started_and_they_run_as_bare_tasks() -> None:
    async def main() -> tuple[list[str], int, int]:
        async with Switchboard() as board:
            sessions = [
                board.session(CallSettings(twiml=b"<Response><Say>Hi.</Say></Response>"), _silent())
                for _ in range(3)
            ]
            async with anyio.create_task_group() as group:
                for session in sessions:
                    board.start(group, session)
                running = board.tasks.running(group)
                anyio_tasks = len(asyncio.all_tasks())
            return (
                [s.result.status.value for s in sessions if s.result],
                running,
                anyio_tasks,
            )

    statuses, running, tasks = anyio.run(main)
    assert statuses == ["completed"] * 3
    assert running == 3
    # the main task, the three calls and one watcher for all of them
    assert tasks == 5


def test_cancelling_the_group_cancels_its_live_calls() -> None:
    async def main() -> tuple[bool, int]:
        arrived = anyio.Event()
        async with Switchboard() as board:
            session = board.session(CallSettings(twiml=GATHER), NeverAnswers(arrived))
            with anyio.fail_after(5):
                async with anyio.create_task_group() as group:
                    board.start(group, session)
                    await arrived.wait()
                    group.cancel_scope.cancel()
            return session.result is None, board.tasks.running(group)

    unfinished, running = anyio.run(main)
    assert unfinished  # cancelled at its <Gather>: it never got to a result
    assert running == 0


def test_a_call_that_raises_cancels_the_others_and_fails_the_group() -> None:
    cancelled: list[str] = []

    async def waits() -> None:
        try:
            await anyio.sleep_forever()
        finally:
            cancelled.append("waiting call")

    async def breaks() -> None:
        await anyio.sleep(0.01)
        raise ValueError("a bug in a call")

    async def main() -> None:
        starter = CallStarter()
        with anyio.fail_after(5):
            async with anyio.create_task_group() as group:
                starter.start_soon(group, waits)
                starter.start_soon(group, breaks)

    with pytest.raises(BaseExceptionGroup) as raised:
        anyio.run(main)
    assert raised.group_contains(ValueError, match="a bug in a call")
    assert cancelled == ["waiting call"]


def test_calls_started_after_the_first_ones_ended_are_watched_too() -> None:
    async def main() -> list[str]:
        done: list[str] = []
        starter = CallStarter()

        async def call(name: str) -> None:
            await anyio.sleep(0)
            done.append(name)

        async with anyio.create_task_group() as group:
            starter.start_soon(group, call, "first")
            await anyio.sleep(0.05)  # the first call ended, and its watch with it
            assert starter.running(group) == 0
            starter.start_soon(group, call, "second")
        return done

    assert anyio.run(main) == ["first", "second"]


@pytest.mark.parametrize("backend", ["asyncio", "trio"])
def test_each_call_is_named_and_its_end_reported_with_its_name_however_it_ended(
    backend: str,
) -> None:
    async def main() -> tuple[list[str], list[str]]:
        ended: list[str] = []
        names: list[str] = []
        starter = CallStarter()

        async def call(fails: bool) -> None:
            if backend == "asyncio":
                names.append(asyncio.current_task().get_name())  # type: ignore[union-attr]
            await anyio.sleep(0)
            if fails:
                raise ValueError("a bug in a call")

        with pytest.raises(ExceptionGroup):
            async with anyio.create_task_group() as group:
                starter.start_soon(group, call, False, name="CA1", done=ended.append)
                starter.start_soon(group, call, True, name="CA2", done=ended.append)
        return sorted(ended), names

    ended, names = anyio.run(main, backend=backend)
    assert ended == ["CA1", "CA2"]
    if backend == "asyncio":
        assert names == ["CA1", "CA2"]


def test_on_trio_calls_are_the_groups_own_tasks() -> None:
    async def main() -> tuple[list[str], int]:
        async with Switchboard() as board:
            session = board.session(
                CallSettings(twiml=b"<Response><Say>Hi.</Say></Response>"), _silent()
            )
            async with anyio.create_task_group() as group:
                board.start(group, session)
                running = board.tasks.running(group)
            return ([session.result.status.value] if session.result else [], running)

    statuses, running = anyio.run(main, backend="trio")
    assert statuses == ["completed"]
    assert running == 0  # nothing bare: trio's own tasks


def _silent() -> ScriptedCaller:
    return ScriptedCaller([])


def test_a_started_call_is_live_until_it_ends_and_then_lets_the_clock_go() -> None:
    async def main() -> tuple[bool, int, int, str]:
        async with Switchboard() as board:
            settings = CallSettings(twiml=b"<Response><Say>Hi.</Say></Response>", call_sid="CA1")
            session = board.session(settings, _silent())
            async with anyio.create_task_group() as group:
                board.start(group, session)
                live = session.sid in board.live
                with pytest.raises(SwitchboardError, match="already running"):
                    board.start(group, board.session(settings, _silent()))
            status = session.result.status.value if session.result else ""
            return live, len(board.live), board.scheduler.busy, status

    live, still_live, busy, status = anyio.run(main)
    assert live and status == "completed"
    assert still_live == 0 and busy == 0
