"""When <Record> stops: silence timeout, finish keys, maxLength, hang-up."""

from __future__ import annotations

from callbox.interpreter.caller import HangUp, Press, Silence, Speak
from callbox.interpreter.verbs.recording import RecordEnd, record_take


def test_speech_ends_after_timeout_seconds_of_silence() -> None:
    take = record_take(Speak("hello there", after=1.0), speech_seconds=2.0, timeout=5)
    assert (take.length, take.end, take.speech_start, take.speech_length) == (
        8.0,
        RecordEnd.SILENCE,
        1.0,
        2.0,
    )
    assert take.digits is None


def test_silence_gives_an_empty_recording() -> None:
    take = record_take(Silence(), timeout=5)
    assert not take.has_speech and take.length == 5


def test_any_finish_key_ends_the_recording_and_is_reported() -> None:
    take = record_take(Press("*", after=3.0), finish_on_key="*#")
    assert (take.end, take.digits, take.length) == (RecordEnd.FINISH_ON_KEY, "*", 3.0)


def test_a_key_outside_finish_on_key_does_not_end_the_recording() -> None:
    take = record_take(Press("5", after=1.0), finish_on_key="#", timeout=4)
    assert take.end is RecordEnd.SILENCE and take.length == 4


def test_max_length_cuts_long_speech() -> None:
    take = record_take(Speak("long"), speech_seconds=50, max_length=30)
    assert (take.end, take.length, take.speech_length) == (RecordEnd.MAX_LENGTH, 30, 30)


def test_hang_up_reports_hangup_as_digits() -> None:
    take = record_take(HangUp(after=2.0))
    assert (take.end, take.digits, take.length) == (RecordEnd.HANGUP, "hangup", 2.0)


def test_zero_timeout_records_silence_until_max_length() -> None:
    take = record_take(Silence(), timeout=0, max_length=20)
    assert (take.end, take.length) == (RecordEnd.MAX_LENGTH, 20)


def test_hanging_up_after_speaking_keeps_the_message() -> None:
    take = record_take(Speak("hi"), speech_seconds=2, then=HangUp(after=1))
    assert (take.end, take.digits, take.length, take.speech_length) == (
        RecordEnd.HANGUP,
        "hangup",
        3,
        2,
    )


def test_a_finish_key_after_speaking_ends_the_message() -> None:
    take = record_take(Speak("hi"), speech_seconds=2, then=Press("#", after=0.5))
    assert (take.end, take.digits, take.length) == (RecordEnd.FINISH_ON_KEY, "#", 2.5)


def test_more_speech_within_the_timeout_extends_the_message() -> None:
    take = record_take(
        Speak("a"), speech_seconds=2, then=Speak("b", after=1), then_speech_seconds=3, timeout=4
    )
    assert (take.speech_start, take.speech_length, take.length) == (0, 6, 10)


def test_speech_after_the_silence_timeout_is_not_recorded() -> None:
    take = record_take(Speak("a"), speech_seconds=2, then=Speak("b", after=6), timeout=5)
    assert (take.speech_length, take.length, take.end) == (2, 7, RecordEnd.SILENCE)


def test_a_hang_up_in_the_middle_of_the_message_keeps_what_was_said_until_then() -> None:
    take = record_take(Speak("hello there", after=1.0), speech_seconds=4.0, timeout=5).cut(3.0)
    assert (take.length, take.end, take.digits) == (3.0, RecordEnd.HANGUP, "hangup")
    assert (take.speech_start, take.speech_length) == (1.0, 2.0)


def test_a_hang_up_before_the_caller_speaks_leaves_an_empty_recording() -> None:
    take = record_take(Speak("hello", after=4.0), speech_seconds=1.0, timeout=5).cut(2.0)
    assert not take.has_speech and take.end is RecordEnd.HANGUP
