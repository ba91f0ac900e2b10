"""<Record>: beep, the caller's message, how it ends, the action and the callbacks."""

from __future__ import annotations

from typing import Any

from callbox.interpreter.caller import HangUp, Press, Silence, Speak
from callbox.interpreter.outcomes import Continue, EndCall, Navigate
from callbox.markup.model import Record, RecordingEvent, Trim

RECORDINGS = "https://api.twilio.com/2010-04-01/Accounts/AC" + "2" * 32 + "/Recordings/"


def test_record_posts_the_recording_to_the_action(call: Any, run: Any) -> None:
    call.caller_will(Speak("please call me back", after=1))
    outcome = run(Record(action="/voicemail"), call)
    assert isinstance(outcome, Navigate)
    assert outcome.url == "https://app.example.com/voicemail" and outcome.input_given
    sid = outcome.params["RecordingSid"]
    assert sid.startswith("RE") and len(sid) == 34
    assert outcome.params["RecordingUrl"] == RECORDINGS + sid
    assert outcome.params["RecordingDuration"] == "2"  # four caller words, silence trimmed
    assert "Digits" not in outcome.params


def test_record_plays_a_beep_first_unless_told_not_to(call: Any, run: Any) -> None:
    call.caller_will(Speak("hi"))
    run(Record(), call)
    assert [h.kind for h in call.heard] == ["beep"]
    quiet = type(call)()
    quiet.caller_will(Speak("hi"))
    run(Record(play_beep=False), quiet)
    assert quiet.heard == []


def test_record_ends_after_the_silence_timeout(call: Any, run: Any) -> None:
    call.caller_will(Speak("one two", after=1))
    run(Record(timeout=3), call)
    assert call.clock.now() == 0.5 + 1 + 1 + 3  # beep, silence, speech, timeout


def test_record_finish_key_after_the_message_is_reported_as_digits(call: Any, run: Any) -> None:
    call.caller_will(Speak("call me back"), Press("#", after=2))
    outcome = run(Record(action="/vm"), call)
    assert isinstance(outcome, Navigate) and outcome.params["Digits"] == "#"
    assert call.clock.now() == 0.5 + 1.5 + 2
    assert [(prompt.kind, prompt.at) for prompt in call.prompts] == [
        ("record", 0.5),
        ("record-end", 2.0),
    ]


def test_a_key_alone_ends_an_empty_recording(call: Any, run: Any) -> None:
    call.caller_will(Press("#", after=2))
    assert run(Record(action="/vm"), call) == Continue()
    assert call.clock.now() == 2.5


def test_record_empty_recording_skips_action(call: Any, run: Any) -> None:
    call.caller_will(Silence())
    assert run(Record(action="/voicemail"), call) == Continue()
    assert call.media.recordings == []
    assert "empty recording" in call.timeline.of_kind("record")[0].text


def test_record_hang_up_after_the_message_posts_digits_hangup(call: Any, run: Any) -> None:
    call.caller_will(Speak("bye now"), HangUp(after=1))
    outcome = run(Record(action="/vm", timeout=10), call)
    assert isinstance(outcome, Navigate)
    assert outcome.params["Digits"] == "hangup"
    assert outcome.params["RecordingDuration"] == "1"
    assert call.clock.now() == 0.5 + 1 + 1


def test_record_hang_up_without_a_message_ends_the_call(call: Any, run: Any) -> None:
    call.caller_will(HangUp(after=1))
    assert run(Record(action="/vm"), call) == EndCall(reason="caller-hangup")
    assert call.media.recordings == []


def test_record_speech_continued_after_a_pause_is_one_message(call: Any, run: Any) -> None:
    call.caller_will(Speak("first part"), Speak("second part", after=2))
    run(Record(transcribe_callback="/tx", max_length=60), call)
    (sent,) = call.callbacks_to("https://app.example.com/tx")
    assert sent.params["TranscriptionText"] == "first part second part"
    assert call.media.recordings[0][1].duration == 1 + 2 + 1 + 5


def test_record_max_length_cuts_the_message(call: Any, run: Any) -> None:
    call.caller_will(Speak("word " * 40))  # 20 seconds of speech
    outcome = run(Record(action="/vm", max_length=10), call)
    assert isinstance(outcome, Navigate) and outcome.params["RecordingDuration"] == "10"
    assert call.clock.now() == 10.5


def test_record_without_trim_keeps_the_silence(call: Any, run: Any) -> None:
    call.caller_will(Speak("hello there", after=2))
    outcome = run(Record(trim=Trim.DO_NOT_TRIM, timeout=5), call)
    assert isinstance(outcome, Navigate) and outcome.params["RecordingDuration"] == "8"


def test_record_status_callback_events(call: Any, run: Any) -> None:
    call.caller_will(Speak("hello"))
    events = frozenset({RecordingEvent.IN_PROGRESS, RecordingEvent.COMPLETED})
    run(Record(recording_status_callback="/rec", recording_status_callback_event=events), call)
    sent = call.callbacks_to("https://app.example.com/rec")
    assert [c.params["RecordingStatus"] for c in sent] == ["in-progress", "completed"]
    assert sent[1].params["RecordingDuration"] == "1"
    assert sent[1].params["RecordingSource"] == "RecordVerb"


def test_record_absent_event_for_an_empty_recording(call: Any, run: Any) -> None:
    events = frozenset({RecordingEvent.ABSENT})
    run(Record(recording_status_callback="/rec", recording_status_callback_event=events), call)
    sent = call.callbacks_to("https://app.example.com/rec")
    assert [c.params["RecordingStatus"] for c in sent] == ["absent"]


def test_record_transcription_is_what_the_caller_said(call: Any, run: Any) -> None:
    call.caller_will(Speak("my order is late"))
    run(Record(transcribe=True, transcribe_callback="/tx", max_length=60), call)
    (sent,) = call.callbacks_to("https://app.example.com/tx")
    assert sent.params["TranscriptionText"] == "my order is late"
    assert sent.params["TranscriptionStatus"] == "completed"
    assert sent.params["RecordingSid"].startswith("RE")


def test_record_transcribe_with_long_max_length_warns_13615(call: Any, run: Any) -> None:
    call.caller_will(Speak("hi"))
    run(Record(transcribe=True), call)
    assert call.codes() == ["13615"]


def test_record_prompt_carries_timeout_and_finish_keys(call: Any, run: Any) -> None:
    run(Record(timeout=8, finish_on_key="*"), call)
    (prompt,) = call.prompts
    assert (prompt.kind, prompt.timeout, prompt.finish_on_key, prompt.at) == (
        "record",
        8,
        "*",
        0.5,
    )


def test_recording_start_time_is_the_calls_start_plus_call_time(call: Any, run: Any) -> None:
    from datetime import timedelta
    from email.utils import parsedate_to_datetime

    call.caller_will(Speak("hello"))
    call.clock.advance(3599.5)  # the beep takes 0.5 s: recording starts at 3600 s
    events = frozenset({RecordingEvent.COMPLETED})
    run(Record(recording_status_callback="/rec", recording_status_callback_event=events), call)
    (sent,) = call.callbacks_to("https://app.example.com/rec")
    started = parsedate_to_datetime(str(sent.params["RecordingStartTime"]))
    assert started == call.started_at + timedelta(seconds=3600)
