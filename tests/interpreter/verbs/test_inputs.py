"""The caller's input as the verbs see it: prompt numbering and what an answer came to."""

from __future__ import annotations

from typing import Any

import pytest

from callbox.interpreter.caller import CallerAction, HangUp, Press, Silence, Speak
from callbox.interpreter.verbs.inputs import action_name, note_input, prompt_index


@pytest.mark.parametrize(
    ("action", "name"),
    [(Press("1"), "press"), (Speak("hi"), "speak"), (HangUp(), "hangup"), (Silence(), "silence")],
)
def test_each_caller_action_is_named(action: CallerAction, name: str) -> None:
    assert action_name(action) == name


def test_prompts_are_numbered_by_the_inputs_recorded(call: Any) -> None:
    assert prompt_index(call) == 0
    call.timeline.add(0.0, "input", "caller presses 1")
    call.timeline.add(1.0, "say", "Thanks")
    call.timeline.add(2.0, "input", "caller stays silent")
    assert prompt_index(call) == 2


def test_note_input_records_what_the_answer_came_to_at_the_current_time(call: Any) -> None:
    call.clock.advance(7.5)
    note_input(call, Press("12#"), verb="gather", outcome="Digits=12 (finish-on-key)", digits="12")
    [event] = call.timeline.of_kind("gather")
    assert (event.at, event.text) == (7.5, "Digits=12 (finish-on-key)")
    assert event.data == {"action": "press", "digits": "12"}
