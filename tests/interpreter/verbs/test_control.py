"""<Hangup>, <Reject>, <Redirect>, <Echo>, <Sms> and the verbs callbox does not simulate."""

from __future__ import annotations

from typing import Any

import pytest

from callbox.interpreter.caller import HangUp, Press, Speak
from callbox.interpreter.outcomes import Continue, EndCall, Navigate
from callbox.interpreter.status import CallStatus
from callbox.interpreter.verbs import RUNNERS
from callbox.interpreter.verbs.echo import ECHO_LIMIT
from callbox.markup import model
from callbox.markup.model import (
    Echo,
    Enqueue,
    Hangup,
    HttpMethod,
    Redirect,
    Reject,
    RejectReason,
    Sms,
)


def test_hangup_ends_the_call_completed(call: Any, run: Any) -> None:
    assert run(Hangup(), call) == EndCall(CallStatus.COMPLETED, reason="hangup")


def test_reject_busy_ends_call_busy_unanswered(call: Any, run: Any) -> None:
    outcome = run(Reject(reason=RejectReason.BUSY), call)
    assert outcome == EndCall(CallStatus.BUSY, reason="reject")


def test_reject_by_default_ends_call_no_answer(call: Any, run: Any) -> None:
    assert run(Reject(), call) == EndCall(CallStatus.NO_ANSWER, reason="reject")


def test_redirect_navigates_with_its_method(call: Any, run: Any) -> None:
    outcome = run(Redirect(url="/next", method=HttpMethod.GET), call)
    assert outcome == Navigate("https://app.example.com/next", "GET", {}, input_given=False)


def test_empty_redirect_re_requests_the_current_document(call: Any, run: Any) -> None:
    outcome = run(Redirect(), call)
    assert isinstance(outcome, Navigate) and outcome.url == "https://app.example.com/voice"


def test_relative_redirect_in_inline_twiml_ends_with_15004(call: Any, run: Any) -> None:
    call.url = None
    outcome = run(Redirect(url="/next"), call)
    assert isinstance(outcome, EndCall) and outcome.error_code == "15004"


def test_echo_plays_the_caller_back_until_they_hang_up(call: Any, run: Any) -> None:
    call.caller_will(Speak("testing one two", after=1), Press("5"), HangUp(after=3))
    outcome = run(Echo(), call)
    assert outcome == EndCall(CallStatus.COMPLETED, reason="caller-hangup")
    assert call.heard_texts("echo") == ["testing one two", "5"]
    assert call.clock.now() == 1 + 1.5 + 0.2 + 3
    assert [prompt.kind for prompt in call.prompts] == ["echo"] * 3


def test_echo_with_a_silent_caller_stops_at_the_time_limit(call: Any, run: Any) -> None:
    outcome = run(Echo(), call)
    assert outcome == EndCall(CallStatus.COMPLETED, reason="time-limit")
    assert call.clock.now() == ECHO_LIMIT


def test_sms_is_recorded_as_sent_to_the_caller(call: Any, run: Any) -> None:
    outcome = run(Sms(text="Your code is 1234"), call)
    assert outcome == Continue()
    (message,) = call.timeline.of_kind("message")
    assert message.data["to"] == call.from_
    assert f"from {call.to}" in message.text and "Your code is 1234" in message.text
    assert "deprecated" in call.timeline.of_kind("warning")[0].text
    assert call.codes() == ["CF111"]


def test_sms_action_gets_sms_status(call: Any, run: Any) -> None:
    outcome = run(
        Sms(text="hi", to="+15557654321", action="/sms-sent", status_callback="/st"), call
    )
    assert isinstance(outcome, Navigate)
    assert outcome.params["SmsStatus"] == "sending"
    assert outcome.params["SmsSid"].startswith("SM")
    (status,) = call.callbacks_to("https://app.example.com/st")
    assert status.params["To"] == "+15557654321" and status.params["SmsStatus"] == "sent"


@pytest.mark.parametrize(
    "verb",
    [
        model.Connect(),
        Enqueue(name="support"),  # on a call without rooms (not placed by a switchboard)
        model.Start(),
        model.Stop(),
        model.Pay(),
        model.Refer(),
    ],
    ids=lambda verb: type(verb).__name__,
)
def test_unsupported_verbs_warn_13750_naming_the_verb_then_continue(
    call: Any, run: Any, verb: Any
) -> None:
    assert run(verb, call) == Continue()
    ((code, message),) = call.warnings
    assert code == "13750" and f"<{type(verb).__name__}>" in message


def test_leave_outside_a_queue_does_nothing(call: Any, run: Any) -> None:
    assert run(model.Leave(), call) == Continue()
    assert call.warnings == [] and call.heard == []


def test_every_voice_verb_class_has_a_runner() -> None:
    voice_verbs = set(model.VoiceVerb.__args__)
    assert voice_verbs, "callbox.markup.model.VoiceVerb lists the voice verbs"
    assert voice_verbs - set(RUNNERS) == set()


def test_registry_maps_classes_to_coroutines() -> None:
    import inspect

    assert all(inspect.iscoroutinefunction(runner) for runner in RUNNERS.values())
