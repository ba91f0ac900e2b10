"""Calls started from one simulator share its switchboard's clock. A call waiting for the test's
answer never holds it still; while the test drives another call, the waiting one is paused."""

from __future__ import annotations

from callbox.interpreter.status import CallStatus
from callbox.testing import CallSimulator

MENU = '<Response><Gather numDigits="1" timeout="10"><Say>Agent menu.</Say></Gather></Response>'
LONG_PAUSE = '<Response><Pause length="30"/><Say>After the pause.</Say></Response>'


def alone(document: str, digits: str) -> list[tuple[float, str, str]]:
    with CallSimulator() as simulator:
        call = simulator.call(twiml=document)
        call.expect_prompt().press(digits)
        return [(event.at, event.kind, event.text) for event in call.finish().timeline.events]


def test_a_call_waiting_for_the_test_lets_another_calls_time_pass() -> None:
    with CallSimulator() as simulator:
        waiting = simulator.call(twiml=MENU)
        prompt = waiting.expect_prompt("Agent menu", kind="gather")
        other = simulator.call(twiml=LONG_PAUSE)
        result = other.finish()  # would never end if the waiting call held the clock
        assert result.status is CallStatus.COMPLETED
        assert [event.at for event in result.timeline.of_kind("say")] == [30.0]
        prompt.press("1")
        ended = waiting.finish()
    # paused meanwhile: the waiting call's story is the one it has on its own
    assert [(event.at, event.kind, event.text) for event in ended.timeline.events] == alone(
        MENU, "1"
    )


def test_calls_driven_one_after_another_each_start_at_call_time_zero() -> None:
    with CallSimulator() as simulator:
        first = simulator.call(twiml=LONG_PAUSE).finish()
        second = simulator.call(twiml=LONG_PAUSE).finish()
    for result in (first, second):
        assert [event.at for event in result.timeline.of_kind("say")] == [30.0]
