"""Call queues: strict first in, first out; Twilio's positions and figures; agents in line."""

from __future__ import annotations

from callbox.switchboard.queues import CallQueue
from callbox.switchboard.rooms import Rooms, WallClockSignal


def queue(max_size: int = 1000, now: list[float] | None = None) -> CallQueue:
    clock = now if now is not None else [0.0]
    return Rooms(WallClockSignal, lambda: clock[0]).queue("support", max_size)


def test_callers_leave_in_the_order_they_came_and_the_rest_move_up() -> None:
    support = queue()
    seats = [support.join(f"CA{i}") for i in range(3)]
    assert [s.wait_params()["QueuePosition"] for s in seats if s] == ["1", "2", "3"]
    first = support.take_front("CAagent", None, "POST")
    assert first.seat is seats[0] and first.arrived.is_set()
    assert seats[0] is not None and seats[0].dequeued.is_set()
    assert [s.wait_params()["QueuePosition"] for s in seats[1:] if s] == ["1", "2"]
    assert support.take_front("CAagent2", None, "POST").seat is seats[1]


def test_a_full_queue_refuses_the_next_caller() -> None:
    support = queue(max_size=2)
    assert support.join("CA1") and support.join("CA2")
    assert support.join("CA3") is None
    assert support.size == 2


def test_wait_parameters_are_twilios_figures() -> None:
    now = [0.0]
    support = queue(now=now)
    early = support.join("CA1")
    now[0] = 30.0
    late = support.join("CA2")
    now[0] = 40.0
    assert early is not None and late is not None
    assert early.wait_params() == {
        "QueueSid": support.sid,
        "QueuePosition": "1",
        "QueueTime": "40",
        "AvgQueueTime": "25",
        "CurrentQueueSize": "2",
        "MaxQueueSize": "1000",
    }


def test_a_caller_arriving_goes_to_the_agent_who_waited_longest() -> None:
    support = queue()
    first = support.take_front("CAfirst", None, "POST")
    second = support.take_front("CAsecond", None, "POST")
    assert not first.arrived.is_set() and not second.arrived.is_set()
    seat = support.join("CAcaller")
    assert first.seat is seat and first.arrived.is_set()
    assert second.seat is None and not second.arrived.is_set()
    assert seat is not None and seat.taken is not None and seat.taken.dequeuer_sid == "CAfirst"


def test_an_agent_who_gave_up_is_skipped() -> None:
    support = queue()
    gave_up = support.take_front("CAgone", None, "POST")
    support.withdraw(gave_up)
    waiting = support.take_front("CAwaiting", None, "POST")
    seat = support.join("CAcaller")
    assert gave_up.seat is None
    assert waiting.seat is seat


def test_a_caller_who_hangs_up_leaves_the_line() -> None:
    support = queue()
    gone = support.join("CA1")
    stays = support.join("CA2")
    assert gone is not None and stays is not None
    gone.leave()
    assert support.size == 1 and stays.wait_params()["QueuePosition"] == "1"


def test_rest_sends_a_caller_elsewhere_without_a_bridge() -> None:
    support = queue()
    support.join("CA1")
    seat = support.send("CA1", "http://app.test/out", "POST")
    assert seat is not None and seat.taken is not None
    assert seat.taken.bridge is None and seat.taken.url == "http://app.test/out"
    assert support.size == 0
