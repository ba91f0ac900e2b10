"""<Dial>: ringing far ends, the bridge, DialCallStatus, whisper, callbacks, recording."""

from __future__ import annotations

from typing import Any

from callbox.interpreter.caller import HangUp, Press
from callbox.interpreter.outcomes import Continue, EndCall, Navigate
from callbox.markup.model import CallEvent, Client, Conference, Dial, DialRecord, Number, Sip

SALES = "+14155550100"
SUPPORT = "+14155550200"


def far(call: Any, address: str, outcome: str, answer_after: float = 2, talk_for: Any = 10) -> None:
    from dataclasses import replace

    call.far_ends[address] = replace(
        call.far_end(address), outcome=outcome, answer_after=answer_after, talk_for=talk_for
    )


def test_dial_answered_bridges_and_reports_completed(call: Any, run: Any) -> None:
    far(call, SALES, "answer", answer_after=3, talk_for=42)
    outcome = run(Dial(action="/after", number=SALES), call)
    assert isinstance(outcome, Navigate)
    assert outcome.url == "https://app.example.com/after"
    assert outcome.params["DialCallStatus"] == "completed"
    assert outcome.params["DialCallDuration"] == "42"
    assert outcome.params["DialCallSid"].startswith("CA")
    assert outcome.input_given
    assert call.clock.now() == 3 + 42


def test_dial_busy_reports_dial_call_status_busy(call: Any, run: Any) -> None:
    far(call, SALES, "busy", answer_after=1)
    outcome = run(Dial(action="/after", nouns=(Number(number=SALES),)), call)
    assert isinstance(outcome, Navigate)
    assert outcome.params["DialCallStatus"] == "busy"
    assert "DialCallDuration" not in outcome.params
    assert call.clock.now() == 1


def test_dial_no_answer_rings_for_the_timeout(call: Any, run: Any) -> None:
    far(call, SALES, "no-answer")
    outcome = run(Dial(action="/after", timeout=12, number=SALES), call)
    assert isinstance(outcome, Navigate) and outcome.params["DialCallStatus"] == "no-answer"
    assert call.clock.now() == 12


def test_dial_failed_number(call: Any, run: Any) -> None:
    far(call, SALES, "failed", answer_after=0)
    outcome = run(Dial(action="/after", number=SALES), call)
    assert isinstance(outcome, Navigate) and outcome.params["DialCallStatus"] == "failed"


def test_dial_without_action_goes_on_with_the_next_verb(call: Any, run: Any) -> None:
    far(call, SALES, "busy")
    assert run(Dial(number=SALES), call) == Continue()


def test_dial_parallel_first_answer_wins(call: Any, run: Any) -> None:
    far(call, SALES, "answer", answer_after=8)
    far(call, SUPPORT, "answer", answer_after=3, talk_for=5)
    dial = Dial(action="/after", nouns=(Number(number=SALES), Number(number=SUPPORT)))
    outcome = run(dial, call)
    assert isinstance(outcome, Navigate) and outcome.params["DialCallStatus"] == "completed"
    assert call.clock.now() == 3 + 5
    texts = [event.text for event in call.timeline.of_kind("dial")]
    assert any(f"{SUPPORT} answered" in text for text in texts)
    assert any(f"{SALES}: canceled" in text for text in texts)


def test_dial_sequential_tries_each_number_in_turn(call: Any, run: Any) -> None:
    far(call, SALES, "no-answer")
    far(call, SUPPORT, "answer", answer_after=2, talk_for=5)
    dial = Dial(
        action="/after",
        timeout=10,
        sequential=True,
        nouns=(Number(number=SALES), Number(number=SUPPORT)),
    )
    outcome = run(dial, call)
    assert isinstance(outcome, Navigate) and outcome.params["DialCallStatus"] == "completed"
    assert call.clock.now() == 10 + 2 + 5


def test_dial_client_and_sip_addresses(call: Any, run: Any) -> None:
    far(call, "client:alice", "busy")
    far(call, "sip:bob@example.com", "busy")
    dial = Dial(action="/after", nouns=(Client(identity="alice"), Sip(uri="sip:bob@example.com")))
    outcome = run(dial, call)
    assert isinstance(outcome, Navigate) and outcome.params["DialCallStatus"] == "busy"
    assert "client:alice" in call.timeline.of_kind("dial")[0].text


def test_dial_time_limit_cuts_the_bridge(call: Any, run: Any) -> None:
    far(call, SALES, "answer", answer_after=1, talk_for=600)
    outcome = run(Dial(action="/after", time_limit=60, number=SALES), call)
    assert isinstance(outcome, Navigate) and outcome.params["DialCallDuration"] == "60"


def test_dial_hangup_on_star_drops_the_leg_and_the_caller_goes_on(call: Any, run: Any) -> None:
    far(call, SALES, "answer", answer_after=1, talk_for=100)
    call.caller_will(Press("*", after=7))
    outcome = run(Dial(hangup_on_star=True, number=SALES), call)
    assert outcome == Continue()
    assert call.clock.now() == 1 + 7
    (prompt,) = call.prompts
    assert prompt.kind == "dial" and prompt.inputs == {"dtmf"}


def test_dial_star_without_hangup_on_star_is_ignored(call: Any, run: Any) -> None:
    far(call, SALES, "answer", answer_after=1, talk_for=20)
    call.caller_will(Press("*", after=7))
    run(Dial(number=SALES), call)
    (prompt,) = call.prompts
    assert prompt.kind == "dial" and prompt.inputs == set()
    assert call.clock.now() == 21


def test_caller_hanging_up_during_the_bridge(call: Any, run: Any) -> None:
    far(call, SALES, "answer", answer_after=1, talk_for=60)
    call.caller_will(HangUp(after=30))
    assert run(Dial(number=SALES), call) == EndCall(reason="caller-hangup")
    assert call.clock.now() == 31
    with_action = type(call)()
    far(with_action, SALES, "answer", answer_after=1, talk_for=None)
    with_action.caller_will(HangUp(after=30))
    outcome = run(Dial(action="/after", number=SALES), with_action)
    assert isinstance(outcome, Navigate) and outcome.params["DialCallDuration"] == "30"


def test_dial_whisper_runs_on_the_answered_leg(call: Any, run: Any) -> None:
    far(call, SALES, "answer", answer_after=1, talk_for=5)
    run(Dial(action="/after", nouns=(Number(number=SALES, url="/whisper"),)), call)
    ((url, method, params),) = call.whispers
    assert (url, method) == ("/whisper", "POST")
    assert params["ParentCallSid"] == call.sid
    assert params["To"] == SALES and params["Direction"] == "outbound-dial"


def test_dial_whisper_that_hangs_up_is_not_bridged(call: Any, run: Any) -> None:
    far(call, SALES, "answer", answer_after=1, talk_for=5)
    call.whisper_bridges = False
    outcome = run(Dial(action="/after", nouns=(Number(number=SALES, url="/whisper"),)), call)
    assert isinstance(outcome, Navigate) and outcome.params["DialCallStatus"] == "no-answer"
    assert call.clock.now() == 1


def test_dial_send_digits_after_answer(call: Any, run: Any) -> None:
    far(call, SALES, "answer", answer_after=1, talk_for=5)
    run(Dial(nouns=(Number(number=SALES, send_digits="ww1234"),)), call)
    assert any("sent digits ww1234" in e.text for e in call.timeline.of_kind("dial"))
    assert call.clock.now() == 1 + 0.5 + 0.5 + 0.8 + 5


def test_dial_status_callbacks_per_noun(call: Any, run: Any) -> None:
    far(call, SALES, "answer", answer_after=2, talk_for=10)
    events = frozenset(CallEvent)
    number = Number(number=SALES, status_callback="/leg", status_callback_event=events)
    run(Dial(caller_id="+15550009999", nouns=(number,)), call)
    sent = call.callbacks_to("https://app.example.com/leg")
    assert [c.params["CallStatus"] for c in sent] == [
        "initiated",
        "ringing",
        "in-progress",
        "completed",
    ]
    assert [c.params["SequenceNumber"] for c in sent] == ["0", "1", "2", "3"]
    assert sent[-1].params["CallDuration"] == "10"
    assert sent[0].params["From"] == "+15550009999"
    assert sent[0].params["ParentCallSid"] == call.sid


def test_dial_default_callback_is_completed_only(call: Any, run: Any) -> None:
    far(call, SALES, "busy")
    run(Dial(nouns=(Number(number=SALES, status_callback="/leg"),)), call)
    (sent,) = call.callbacks_to("https://app.example.com/leg")
    assert sent.params["CallStatus"] == "busy"


def test_dial_record_adds_the_recording_to_the_action(call: Any, run: Any) -> None:
    far(call, SALES, "answer", answer_after=4, talk_for=20)
    dial = Dial(action="/after", record=DialRecord.RECORD_FROM_RINGING, number=SALES)
    outcome = run(dial, call)
    assert isinstance(outcome, Navigate)
    assert outcome.params["RecordingSid"].startswith("RE")
    assert outcome.params["RecordingDuration"] == "24"
    assert outcome.params["RecordingUrl"].endswith(outcome.params["RecordingSid"])


def test_dial_conference_on_a_call_without_rooms_is_reported_unsupported(
    call: Any, run: Any
) -> None:
    outcome = run(Dial(action="/after", nouns=(Conference(name="room"),)), call)
    assert outcome == Continue()
    assert call.codes() == ["13750"]
    assert "Conference" in call.warnings[0][1]


def test_dial_from_a_document(call: Any, run: Any, document: Any) -> None:
    (dial,) = document(
        '<Response><Dial timeout="10" action="/done"><Number>+14155550100</Number>'
        "</Dial></Response>"
    )
    far(call, SALES, "no-answer")
    outcome = run(dial, call)
    assert isinstance(outcome, Navigate) and outcome.params["DialCallStatus"] == "no-answer"
    assert call.clock.now() == 10


def test_dial_leg_callbacks_are_stamped_with_the_calls_start_plus_call_time(
    call: Any, run: Any
) -> None:
    from datetime import timedelta
    from email.utils import parsedate_to_datetime

    far(call, SALES, "answer", answer_after=3, talk_for=600)
    call.clock.advance(100)
    number = Number(
        number=SALES, status_callback="/leg", status_callback_event=frozenset(CallEvent)
    )
    run(Dial(nouns=(number,)), call)
    sent = call.callbacks_to("https://app.example.com/leg")
    stamps = [parsedate_to_datetime(str(c.params["Timestamp"])) for c in sent]
    assert stamps == [call.started_at + timedelta(seconds=s) for s in (100, 100, 103, 703)]


def test_dial_recording_starts_at_the_answer_or_at_the_ringing(call: Any, run: Any) -> None:
    from datetime import timedelta
    from email.utils import parsedate_to_datetime

    far(call, SALES, "answer", answer_after=4, talk_for=20)
    starts = []
    for record in (DialRecord.RECORD_FROM_ANSWER, DialRecord.RECORD_FROM_RINGING):
        call.callbacks.clear()
        begun = call.clock.now()
        run(Dial(record=record, recording_status_callback="/rec", number=SALES), call)
        (sent,) = call.callbacks_to("https://app.example.com/rec")
        moment = parsedate_to_datetime(str(sent.params["RecordingStartTime"]))
        starts.append(moment - call.started_at - timedelta(seconds=begun))
    assert starts == [timedelta(seconds=4), timedelta(seconds=0)]
