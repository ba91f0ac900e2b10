"""<Gather>: prompts, DTMF and speech, barge-in, timeouts, actions and fall-through."""

from __future__ import annotations

from typing import Any

import pytest

from callbox.interpreter.caller import HangUp, Press, Silence, Speak
from callbox.interpreter.outcomes import Continue, EndCall, Navigate
from callbox.interpreter.status import CallStatus
from callbox.markup.model import Gather, GatherInput, HttpMethod, Pause, Play, Say, Unknown

DTMF_AND_SPEECH = frozenset({GatherInput.DTMF, GatherInput.SPEECH})
MENU = (Say(text="For sales press one"), Say(text="For support press two"))


def test_gather_posts_digits_to_the_action(call: Any, run: Any) -> None:
    call.caller_will(Press("1"))
    outcome = run(Gather(action="/menu", num_digits=1, children=MENU), call)
    assert outcome == Navigate(
        "https://app.example.com/menu", "POST", {"Digits": "1"}, input_given=True
    )
    assert call.heard_texts() == ["For sales press one", "For support press two"]


def test_gather_default_action_is_the_current_document(call: Any, run: Any) -> None:
    call.caller_will(Press("7#"))
    outcome = run(Gather(), call)
    assert isinstance(outcome, Navigate)
    assert outcome.url == "https://app.example.com/voice"


def test_gather_falls_through_when_no_digits(call: Any, run: Any) -> None:
    outcome = run(Gather(action="/menu", timeout=7, children=MENU), call)
    assert outcome == Continue()
    assert call.clock.now() == 8 + 7  # two 4-word prompts, then the timeout


def test_gather_finish_on_key_alone_gives_empty_result(call: Any, run: Any) -> None:
    call.caller_will(Press("#"))
    assert run(Gather(action="/menu"), call) == Continue()


def test_gather_finish_on_key_is_not_included_in_digits(call: Any, run: Any) -> None:
    call.caller_will(Press("12#"))
    outcome = run(Gather(action="/menu"), call)
    assert isinstance(outcome, Navigate) and outcome.params == {"Digits": "12"}


def test_gather_num_digits_submits_immediately(call: Any, run: Any) -> None:
    call.caller_will(Press("12", after=2))
    outcome = run(Gather(action="/menu", num_digits=1, timeout=10), call)
    assert isinstance(outcome, Navigate) and outcome.params == {"Digits": "1"}
    assert call.clock.now() == 2  # no timeout waited after the last key


def test_gather_digits_without_terminator_wait_the_inter_digit_timeout(call: Any, run: Any) -> None:
    call.caller_will(Press("42", after=1))
    outcome = run(Gather(action="/menu", timeout=3), call)
    assert isinstance(outcome, Navigate) and outcome.params == {"Digits": "42"}
    assert call.clock.now() == 4


def test_gather_action_on_empty_result_requests_the_action(call: Any, run: Any) -> None:
    outcome = run(Gather(action="/menu", action_on_empty_result=True), call)
    assert outcome == Navigate("https://app.example.com/menu", "POST", {}, input_given=False)


def test_gather_uses_the_method_for_the_action(call: Any, run: Any) -> None:
    call.caller_will(Press("5#"))
    outcome = run(Gather(action="/menu", method=HttpMethod.GET), call)
    assert isinstance(outcome, Navigate) and outcome.method == "GET"


def test_gather_speech_result_and_confidence(call: Any, run: Any) -> None:
    call.caller_will(Speak("I want sales", confidence=0.87))
    outcome = run(Gather(action="/speech", input=DTMF_AND_SPEECH, speech_timeout="auto"), call)
    assert isinstance(outcome, Navigate)
    assert outcome.params == {"SpeechResult": "I want sales", "Confidence": "0.87"}
    assert call.clock.now() == 1.5 + 1.0  # three caller words, then the auto end of speech


def test_dtmf_only_gather_ignores_speech(call: Any, run: Any) -> None:
    call.caller_will(Speak("sales"))
    assert run(Gather(action="/menu"), call) == Continue()
    assert "ignored" in call.timeline.of_kind("gather")[0].text


def test_speech_only_gather_ignores_keys(call: Any, run: Any) -> None:
    call.caller_will(Press("1"))
    gather = Gather(action="/menu", input=frozenset({GatherInput.SPEECH}))
    assert run(gather, call) == Continue()


def test_gather_asks_once_with_prompts_and_their_end_times(call: Any, run: Any) -> None:
    run(Gather(timeout=4, num_digits=2, finish_on_key="*", children=MENU), call)
    (prompt,) = call.prompts
    assert prompt.kind == "gather"
    assert prompt.heard == ("For sales press one", "For support press two")
    assert prompt.heard_until == (4.0, 8.0)
    assert (prompt.at, prompt.timeout, prompt.num_digits, prompt.finish_on_key) == (8, 4, 2, "*")
    assert prompt.inputs == {"dtmf"}


def test_barge_in_stops_the_remaining_prompts(call: Any, run: Any) -> None:
    call.caller_will(Press("2", after=-3.0))  # one second into the second prompt
    outcome = run(Gather(action="/menu", num_digits=1, children=MENU), call)
    assert isinstance(outcome, Navigate) and outcome.params == {"Digits": "2"}
    assert [h.duration for h in call.heard] == [4.0, 1.0]
    assert call.clock.now() == 5.0


def test_without_barge_in_keys_during_prompts_are_not_heard(call: Any, run: Any) -> None:
    call.caller_will(Press("2", after=-5.0))
    outcome = run(Gather(action="/menu", num_digits=1, barge_in=False, children=MENU), call)
    assert outcome == Continue()
    assert [h.duration for h in call.heard] == [4.0, 4.0]


def test_caller_hanging_up_during_gather_ends_the_call(call: Any, run: Any) -> None:
    call.caller_will(HangUp(after=2))
    outcome = run(Gather(action="/menu", children=MENU), call)
    assert outcome == EndCall(CallStatus.COMPLETED, reason="caller-hangup")
    assert call.clock.now() == 10


def test_caller_hanging_up_during_prompts_cuts_them(call: Any, run: Any) -> None:
    call.caller_will(HangUp(after=-6))
    assert isinstance(run(Gather(children=MENU), call), EndCall)
    assert call.clock.now() == 2


def test_a_key_after_the_timeout_is_too_late(call: Any, run: Any) -> None:
    call.caller_will(Press("1", after=6))
    assert run(Gather(action="/menu", timeout=5), call) == Continue()
    assert call.clock.now() == 5


def test_nested_pause_and_play_are_prompts(call: Any, run: Any) -> None:
    call.serve_file("https://app.example.com/menu.wav", b"2")
    run(Gather(children=(Pause(length=1), Play(url="menu.wav"))), call)
    assert [h.kind for h in call.heard] == ["pause", "play"]
    assert call.prompts[0].at == 3


def test_invalid_nested_verb_is_reported_and_skipped(call: Any, run: Any) -> None:
    run(Gather(children=(Unknown("Dial"), Say(text="Hi"))), call)
    assert call.codes() == ["13320"]
    assert call.heard_texts() == ["Hi"]


def test_play_in_gather_that_is_not_audio_is_13325(call: Any, run: Any) -> None:
    call.serve_file("https://app.example.com/x", b"<x/>", "text/xml")
    run(Gather(children=(Play(url="/x"),)), call)
    assert call.codes() == ["13325"]


def test_partial_result_callbacks_while_the_caller_speaks(call: Any, run: Any) -> None:
    call.caller_will(Speak("two tickets please"))
    gather = Gather(
        action="/speech",
        input=frozenset({GatherInput.SPEECH}),
        partial_result_callback="/partial",
        speech_timeout=1,
    )
    run(gather, call)
    sent = call.callbacks_to("https://app.example.com/partial")
    assert [c.params["UnstableSpeechResult"] for c in sent] == [
        "two",
        "two tickets",
        "two tickets please",
    ]
    assert [c.params["StableSpeechResult"] for c in sent] == ["", "two", "two tickets"]
    assert [c.params["SequenceNumber"] for c in sent] == ["0", "1", "2"]
    assert [c.at for c in sent] == [0.5, 1.0, 1.5]
    assert sent[0].params["CallSid"] == call.sid


def test_gather_records_its_result_on_the_timeline(call: Any, run: Any) -> None:
    call.caller_will(Press("3#"))
    run(Gather(), call)
    (event,) = call.timeline.of_kind("gather")
    assert "Digits=3" in event.text and event.data["end"] == "finish-on-key"


@pytest.mark.parametrize("action", [Silence(), Press("#")], ids=["silence", "finish-key"])
def test_empty_gather_in_inline_twiml_falls_through(call: Any, run: Any, action: Any) -> None:
    call.url = None
    call.caller_will(action)
    assert run(Gather(), call) == Continue()


def test_gather_action_without_a_base_url_ends_with_15004(call: Any, run: Any) -> None:
    call.url = None
    call.caller_will(Press("1#"))
    outcome = run(Gather(action="/relative"), call)
    assert isinstance(outcome, EndCall) and outcome.error_code == "15004"
