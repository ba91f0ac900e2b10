"""The timeline: events in call-time order, including those announced before they happen."""

from __future__ import annotations

from callbox.interpreter.timeline import Timeline


def test_an_announced_event_is_written_when_call_time_reaches_it() -> None:
    timeline = Timeline()
    timeline.expect(9.8, "input", "caller presses 1")
    timeline.add(0.0, "say", "Press 1 for sales")
    timeline.add(5.2, "pause", "1 s")
    timeline.add(9.8, "gather", "Digits=1")
    assert [(e.at, e.kind) for e in timeline.events] == [
        (0.0, "say"),
        (5.2, "pause"),
        (9.8, "input"),
        (9.8, "gather"),
    ]


def test_announced_events_keep_their_order_of_time_then_of_announcement() -> None:
    timeline = Timeline()
    timeline.expect(3.0, "input", "second")
    timeline.expect(1.0, "input", "first")
    timeline.expect(3.0, "input", "third")
    timeline.reach(3.0)
    assert [e.text for e in timeline.events] == ["first", "second", "third"]


def test_announced_events_the_call_never_reaches_are_dropped_when_it_ends() -> None:
    timeline = Timeline()
    timeline.expect(2.0, "input", "caller presses 1")
    timeline.expect(30.0, "input", "caller presses 2")
    timeline.close(10.0)
    timeline.add(11.0, "note", "after the end")
    assert [e.text for e in timeline.events] == ["caller presses 1", "after the end"]


def test_a_listener_sees_each_event_when_it_is_written_in_timeline_order() -> None:
    timeline = Timeline()
    seen: list[str] = []
    timeline.subscribe(lambda event: seen.append(event.text))
    timeline.expect(2.0, "input", "caller presses 1")
    timeline.add(0.0, "say", "Press 1")
    assert seen == ["Press 1"]  # the announced press has not happened yet
    timeline.add(2.0, "gather", "Digits=1")
    timeline.expect(9.0, "input", "never reached")
    timeline.close(3.0)
    assert seen == ["Press 1", "caller presses 1", "Digits=1"]
    assert seen == [event.text for event in timeline.events]
