"""Real speech: espeak-ng renders ``<Say>`` and the caller's words as audio with energy, in the
telephony format, with durations that follow the text, through a disk cache."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import anyio
import pytest
from pydub import AudioSegment

from callbox.interpreter.media.real import RealMediaPlane
from callbox.interpreter.media.speech import CommandEngine, LibraryEngine, SpeechRequest

pytestmark = [pytest.mark.anyio, pytest.mark.audio]
SPEECH_FLOOR_DBFS = -35.0


async def test_say_has_speech_energy_in_telephony_format(
    real_plane: RealMediaPlane, loudness: Callable[[AudioSegment], float]
) -> None:
    rendered = await real_plane.speech("Thank you for calling.")
    assert rendered.audio is not None
    assert loudness(rendered.audio) > SPEECH_FLOOR_DBFS
    assert (rendered.audio.frame_rate, rendered.audio.channels, rendered.audio.sample_width) == (
        8000,
        1,
        2,
    )
    assert rendered.duration == pytest.approx(len(rendered.audio) / 1000, abs=0.002)


async def test_say_duration_grows_with_the_text(real_plane: RealMediaPlane) -> None:
    texts = [
        "Hello.",
        "Hello, and welcome to support.",
        "Hello, and welcome to support. Press one for sales, two for billing, or stay on the line.",
    ]
    durations = [(await real_plane.speech(text)).duration for text in texts]
    assert durations[0] < durations[1] < durations[2]
    assert 0.2 < durations[0] < 2.0
    # about 150 words a minute: the 17-word prompt lasts roughly 5-9 seconds
    assert 4.0 < durations[2] < 10.0


async def test_empty_text_is_silent_and_instant(real_plane: RealMediaPlane) -> None:
    rendered = await real_plane.speech("   ")
    assert rendered.duration == 0.0


async def test_repeated_prompt_comes_from_the_disk_cache(
    tmp_path: Path, real_plane: RealMediaPlane
) -> None:
    first = await real_plane.speech("Your call is important to us, cache test.")
    assert real_plane.synthesizer is not None
    hits = real_plane.synthesizer.hits
    again = await real_plane.speech("Your call is important to us, cache test.")
    assert real_plane.synthesizer.hits == hits + 1
    assert first.audio is not None and again.audio is not None
    assert again.audio.raw_data == first.audio.raw_data
    assert real_plane.synthesizer.cache is not None
    other = RealMediaPlane(tmp_path / "other", real_plane.synthesizer.cache.directory)
    await other.speech("Your call is important to us, cache test.")
    assert other.synthesizer is not None and other.synthesizer.hits == 1


async def test_voices_and_the_caller_sound_different(real_plane: RealMediaPlane) -> None:
    text = "Please hold the line."
    man = await real_plane.speech(text, voice="man")
    woman = await real_plane.speech(text, voice="woman")
    caller = await real_plane.caller_speech(text)
    audios = [r.audio.raw_data for r in (man, woman, caller) if r.audio is not None]
    assert len(audios) == 3 and len(set(audios)) == 3


async def test_caller_speech_has_energy(
    real_plane: RealMediaPlane, loudness: Callable[[AudioSegment], float]
) -> None:
    rendered = await real_plane.caller_speech("I would like to speak to someone about my bill.")
    assert rendered.audio is not None and loudness(rendered.audio) > SPEECH_FLOOR_DBFS
    assert rendered.duration > 1.0


async def test_ssml_break_lengthens_speech_by_its_time(real_plane: RealMediaPlane) -> None:
    plain = await real_plane.speech("x", voice="Polly.Joanna", ssml="Hello there.")
    paused = await real_plane.speech(
        "x", voice="Polly.Joanna", ssml='Hello <break time="1500ms"/> there.'
    )
    assert paused.duration - plain.duration == pytest.approx(1.5, abs=0.3)


async def test_ssml_slow_prosody_lengthens_speech(real_plane: RealMediaPlane) -> None:
    text = "This sentence is spoken at two different rates."
    normal = await real_plane.speech(text, voice="Polly.Matthew", ssml=text)
    slow = await real_plane.speech(
        text, voice="Polly.Matthew", ssml=f'<prosody rate="x-slow">{text}</prosody>'
    )
    assert slow.duration > normal.duration * 1.3


async def test_ssml_say_as_digits_speaks_each_digit(real_plane: RealMediaPlane) -> None:
    number = await real_plane.speech("x", voice="Polly.Amy", ssml="1234")
    digits = await real_plane.speech(
        "x", voice="Polly.Amy", ssml='<say-as interpret-as="digits">1234</say-as>'
    )
    assert digits.duration < number.duration  # "one two three four" vs "one thousand two..."
    assert not digits.warnings


async def test_unsupported_ssml_is_spoken_as_text_with_a_warning(
    real_plane: RealMediaPlane,
) -> None:
    rendered = await real_plane.speech(
        "x",
        voice="Polly.Joanna",
        ssml='<amazon:effect name="whispered">a secret</amazon:effect> <w role="amazon:VB">read</w>',
    )
    assert rendered.duration > 0.5
    assert any("<amazon:effect>" in w for w in rendered.warnings)
    assert any("<w>" in w for w in rendered.warnings)


async def test_basic_voices_ignore_ssml_like_twilio(real_plane: RealMediaPlane) -> None:
    rendered = await real_plane.speech(
        "Hello there.", voice="man", ssml='Hello <break time="3s"/> there.'
    )
    plain = await real_plane.speech("Hello there.", voice="man")
    assert rendered.duration == pytest.approx(plain.duration)
    assert any("ignores SSML" in w for w in rendered.warnings)


async def test_many_calls_synthesize_at_once(
    real_plane: RealMediaPlane, loudness: Callable[[AudioSegment], float]
) -> None:
    results: dict[int, float] = {}

    async def one(index: int) -> None:
        rendered = await real_plane.speech(f"Caller number {index}, please hold.")
        assert rendered.audio is not None
        results[index] = loudness(rendered.audio)

    async with anyio.create_task_group() as group:
        for index in range(12):
            group.start_soon(one, index)
    assert len(results) == 12 and min(results.values()) > SPEECH_FLOOR_DBFS


async def test_command_engine_matches_the_in_process_engine(espeak_ng: str) -> None:
    request = SpeechRequest("Both engines say this.", "en-us+m3", "en-US")
    lib_pcm, lib_rate = await LibraryEngine().render(request)
    cmd_pcm, cmd_rate = await CommandEngine(espeak_ng).render(request)
    assert lib_rate == cmd_rate
    assert len(cmd_pcm) / 2 / cmd_rate == pytest.approx(len(lib_pcm) / 2 / lib_rate, rel=0.1)
