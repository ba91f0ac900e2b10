"""When <Record> stops: silence timeout, finish keys, maxLength, hang-up."""

from __future__ import annotations

from interpreter.caller import HangUp, Press, Silence, Speak
from interpreter.verbs.recording import RecordEnd, record_take


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
