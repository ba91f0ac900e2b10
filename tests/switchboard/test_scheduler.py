"""The shared virtual clock: sessions sleeping and waiting on each other in call time, the clock
jumping only when every one of them waits, and standing still while one does network I/O."""

from __future__ import annotations

from collections.abc import Awaitable, Callable

import anyio
import anyio.lowlevel
import pytest

from callbox.switchboard import (
    CallTimeCondition,
    CallTimeEvent,
    Scheduler,
    SchedulerError,
    SharedClock,
)

Log = list[tuple[str, float]]


async def as_participants(scheduler: Scheduler, *bodies: Callable[[], Awaitable[None]]) -> None:
    """Run each body as one participant (a session) of ``scheduler``, each holding the clock from
    the moment it is started (as ``Switchboard.start`` does)."""

    async def participate(body: Callable[[], Awaitable[None]]) -> None:
        try:
            await body()
        finally:
            scheduler.release()

    async with anyio.create_task_group() as group:
        for body in bodies:
            scheduler.acquire()
            group.start_soon(participate, body)


def test_a_session_waiting_on_an_event_wakes_at_the_call_time_another_sets_it() -> None:
    scheduler = Scheduler()
    event = CallTimeEvent(scheduler)
    a, b = scheduler.clock(), scheduler.clock()
    log: Log = []

    async def agent() -> None:
        await a.sleep(30)
        log.append(("A sets the event", a.now()))
        event.set()
        await a.sleep(5)
        log.append(("A goes on", a.now()))

    async def caller() -> None:
        log.append(("B waits", b.now()))
        assert await event.wait()
        log.append(("B wakes", b.now()))

    anyio.run(as_participants, scheduler, caller, agent)
    assert log == [
        ("B waits", 0.0),
        ("A sets the event", 30.0),
        ("B wakes", 30.0),
        ("A goes on", 35.0),
    ]


def test_sleeping_sessions_take_turns_in_call_time_order() -> None:
    scheduler = Scheduler()
    log: Log = []

    def sleeper(name: str, clock: SharedClock, *pauses: float) -> Callable[[], Awaitable[None]]:
        async def body() -> None:
            for pause in pauses:
                await clock.sleep(pause)
                log.append((name, clock.now()))

        return body

    anyio.run(
        as_participants,
        scheduler,
        sleeper("A", scheduler.clock(), 5, 5),
        sleeper("B", scheduler.clock(), 3, 4, 10),
    )
    assert log == [("B", 3.0), ("A", 5.0), ("B", 7.0), ("A", 10.0), ("B", 17.0)]
    assert scheduler.now() == 17.0


def test_a_session_started_later_counts_its_call_time_from_its_own_start() -> None:
    scheduler = Scheduler()
    log: Log = []

    async def first() -> None:
        clock = scheduler.clock()
        clock.now()
        await clock.sleep(10)

    async def second() -> None:
        clock = scheduler.clock()
        clock.now()
        await clock.sleep(0.1)
        await clock.sleep(0.2)
        log.append(("second", clock.now()))

    async def both() -> None:
        await as_participants(scheduler, first)
        await as_participants(scheduler, second)

    anyio.run(both)
    assert log == [("second", 0.1 + 0.2)]  # the same sum as a lone clock's, not 10.3 - 10
    assert scheduler.now() == pytest.approx(10.3)


def test_an_event_wait_with_a_timeout_gives_up_at_that_call_time() -> None:
    scheduler = Scheduler()
    event = CallTimeEvent(scheduler)
    log: Log = []

    async def waiter() -> None:
        clock = scheduler.clock()
        clock.now()  # a session looks at its clock when it starts
        set_in_time = await event.wait(timeout=20)
        log.append((f"waiter set={set_in_time}", clock.now()))

    async def late_setter() -> None:
        clock = scheduler.clock()
        await clock.sleep(45)
        event.set()
        log.append(("setter", clock.now()))

    anyio.run(as_participants, scheduler, waiter, late_setter)
    assert log == [("waiter set=False", 20.0), ("setter", 45.0)]


def test_a_condition_wakes_the_sessions_waiting_at_each_notification() -> None:
    scheduler = Scheduler()
    condition = CallTimeCondition(scheduler)
    log: Log = []

    async def waiter() -> None:
        clock = scheduler.clock()
        clock.now()
        for _ in range(3):
            notified = await condition.wait(timeout=15)
            log.append((f"notified={notified}", clock.now()))

    async def notifier() -> None:
        clock = scheduler.clock()
        for pause in (10, 10):
            await clock.sleep(pause)
            condition.notify_all()

    anyio.run(as_participants, scheduler, waiter, notifier)
    assert log == [("notified=True", 10.0), ("notified=True", 20.0), ("notified=False", 35.0)]


def test_a_block_holding_the_clock_keeps_sleeping_sessions_waiting() -> None:
    scheduler = Scheduler()
    log: Log = []

    async def sleeper() -> None:
        clock = scheduler.clock()
        await clock.sleep(60)
        log.append(("sleeper wakes", clock.now()))

    async def network() -> None:
        with scheduler.hold():  # real-time work beside the sessions (a callback in flight)
            await anyio.sleep(0.05)
            log.append(("network done", scheduler.now()))

    async def both() -> None:
        async with anyio.create_task_group() as group:
            group.start_soon(as_participants, scheduler, sleeper)
            group.start_soon(network)

    anyio.run(both)
    assert log == [("network done", 0.0), ("sleeper wakes", 60.0)]


def test_a_sleep_cancelled_from_outside_drops_its_timer() -> None:
    scheduler = Scheduler()
    log: Log = []

    async def interrupted() -> None:
        clock = scheduler.clock()
        clock.now()
        with anyio.move_on_after(0.02):  # cancelled in real time, while the network holds on
            await clock.sleep(1000)
        log.append(("interrupted", clock.now()))
        await clock.sleep(1)
        log.append(("after", clock.now()))

    async def network() -> None:
        with scheduler.hold():
            await anyio.sleep(0.1)

    async def both() -> None:
        async with anyio.create_task_group() as group:
            group.start_soon(network)
            await anyio.lowlevel.checkpoint()
            group.start_soon(as_participants, scheduler, interrupted)

    anyio.run(both)
    assert log == [("interrupted", 0.0), ("after", 1.0)]  # the 1000 s timer never fired
    assert scheduler.pending == 0 and scheduler.busy == 0


def test_waiting_without_holding_the_clock_is_refused() -> None:
    scheduler = Scheduler()

    async def outsider() -> None:
        await scheduler.sleep(5)

    with pytest.raises(SchedulerError, match="released more often than it was held"):
        anyio.run(outsider)
