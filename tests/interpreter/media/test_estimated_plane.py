"""The estimated media plane: timings without audio, for fast tests and benchmarks."""

from __future__ import annotations

import struct
from collections.abc import Callable

import pytest

from callbox.interpreter.media.dtmf import InvalidDigitsError
from callbox.interpreter.media.plane import EstimatedMediaPlane, MediaDecodeError, Rendered, join

pytestmark = pytest.mark.anyio


async def test_speech_takes_longer_for_longer_text() -> None:
    plane = EstimatedMediaPlane()
    short = await plane.speech("Hello")
    longer = await plane.speech("Hello and welcome to the support line of our company")
    assert 0 < short.duration < longer.duration
    assert short.audio is None


async def test_speech_is_estimated_at_about_150_words_per_minute() -> None:
    plane = EstimatedMediaPlane()
    rendered = await plane.speech(" ".join(["word"] * 150))
    assert rendered.duration == pytest.approx(60.0)


async def test_ssml_break_adds_its_time_and_unknown_elements_warn() -> None:
    plane = EstimatedMediaPlane()
    plain = await plane.speech("Hello there", voice="Polly.Joanna")
    paused = await plane.speech(
        "Hello there",
        voice="Polly.Joanna",
        ssml='Hello <break time="2s"/> <phoneme ph="ðɛr">there</phoneme>',
    )
    assert paused.duration == pytest.approx(plain.duration + 2.0)
    assert any("<phoneme>" in w for w in paused.warnings)


async def test_basic_voice_ignores_ssml_in_estimates_too() -> None:
    plane = EstimatedMediaPlane()
    rendered = await plane.speech(
        "Hello there", voice="woman", ssml='Hello <break time="2s"/> there'
    )
    assert rendered.duration == pytest.approx((await plane.speech("Hello there")).duration)
    assert any("ignores SSML" in w for w in rendered.warnings)


async def test_caller_speech_is_estimated_from_text() -> None:
    plane = EstimatedMediaPlane()
    rendered = await plane.caller_speech("I would like to leave a message please")
    assert rendered.duration == pytest.approx(8 * 0.4)


def test_tones_count_keys_and_pauses() -> None:
    plane = EstimatedMediaPlane()
    assert plane.tones("123").duration == pytest.approx(0.6)
    assert plane.tones("1w2W3").duration == pytest.approx(0.6 + 0.5 + 1.0)


def test_tones_reject_characters_that_are_not_keys() -> None:
    with pytest.raises(InvalidDigitsError):
        EstimatedMediaPlane().tones("12x")


async def test_audio_duration_comes_from_a_wav_header(wav_bytes: Callable[..., bytes]) -> None:
    rendered = await EstimatedMediaPlane().audio(wav_bytes(1.5, rate=16000), "audio/x-wav")
    assert rendered.duration == pytest.approx(1.5)


async def test_audio_duration_comes_from_an_aiff_header(aiff_bytes: Callable[..., bytes]) -> None:
    rendered = await EstimatedMediaPlane().audio(aiff_bytes(2.25), "audio/aiff")
    assert rendered.duration == pytest.approx(2.25)


async def test_mulaw_and_gsm_durations_come_from_their_size() -> None:
    plane = EstimatedMediaPlane()
    assert (await plane.audio(b"\xff" * 4000, "audio/basic")).duration == pytest.approx(0.5)
    assert (await plane.audio(b"\x00" * 33 * 50, "audio/x-gsm")).duration == pytest.approx(1.0)


async def test_non_audio_content_type_is_error_13420() -> None:
    with pytest.raises(MediaDecodeError) as caught:
        await EstimatedMediaPlane().audio(b"<html></html>", "text/html; charset=utf-8")
    assert caught.value.code == "13420"


async def test_bytes_that_are_not_the_declared_format_are_rejected() -> None:
    with pytest.raises(MediaDecodeError):
        await EstimatedMediaPlane().audio(b"this is not a wave file", "audio/wav")


async def test_an_aiff_sample_rate_beyond_any_float_is_rejected_not_a_crash() -> None:
    comm = struct.pack(">hIh", 1, 8000, 16) + struct.pack(">HQ", 0x7FFE, 1 << 63)
    body = b"FORM" + struct.pack(">I", 4 + 8 + len(comm)) + b"AIFF"
    body += b"COMM" + struct.pack(">I", len(comm)) + comm
    with pytest.raises(MediaDecodeError, match="impossible sample rate"):
        await EstimatedMediaPlane().audio(body, "audio/aiff")


async def test_trimmed_recording_keeps_only_the_voiced_part() -> None:
    plane = EstimatedMediaPlane()
    speech = await plane.caller_speech("please call me back tomorrow")
    taken = join([plane.silence(1.0), speech, plane.silence(5.0)])
    assert taken.duration == pytest.approx(speech.duration + 6.0)
    trimmed = plane.save_recording("RE" + "0" * 32, taken, trim=True)
    untrimmed = plane.save_recording("RE" + "1" * 32, taken, trim=False)
    assert trimmed.duration == pytest.approx(speech.duration)
    assert untrimmed.duration == pytest.approx(taken.duration)
    assert trimmed.path is None


def test_join_cuts_at_the_limit() -> None:
    parts = [Rendered(3.0), Rendered(4.0)]
    joined = join(parts, limit=5.0)
    assert joined.duration == pytest.approx(5.0)
    assert joined.voiced == (0.0, 5.0)


def test_estimated_plane_says_it_has_no_real_audio() -> None:
    assert EstimatedMediaPlane().degraded()
