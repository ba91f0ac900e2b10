"""The call's audio: what the caller heard on the left, what they said on the right, in time."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import anyio
import pytest
from pydub import AudioSegment

from callbox.cli.call import place_call
from callbox.interpreter.call_result import CallResult
from callbox.interpreter.call_settings import CallSettings
from callbox.interpreter.callers import ScriptedCaller
from callbox.interpreter.media.call_audio import CallAudio
from callbox.interpreter.media.plane import Rendered
from callbox.interpreter.media.real import RealMediaPlane

pytestmark = [pytest.mark.anyio, pytest.mark.audio]


def _level(segment: AudioSegment, start: float, end: float) -> float:
    return float(segment[round(start * 1000) : round(end * 1000)].dBFS)


async def test_two_channels_keep_each_side_at_its_time(
    real_plane: RealMediaPlane, tmp_path: Path, read_wav: Callable[[Path], AudioSegment]
) -> None:
    prompt = await real_plane.speech("Please say your name after the tone.")
    answer = await real_plane.caller_speech("Robin Smith.")
    audio = CallAudio()
    audio.heard(0.0, prompt)
    answer_at = prompt.duration + 1.0
    audio.said(answer_at, answer)
    path = audio.write(tmp_path / "call.wav")
    call = read_wav(path)
    assert call.channels == 2 and call.frame_rate == 8000
    assert len(call) / 1000 == pytest.approx(answer_at + answer.duration, abs=0.01)
    heard, said = call.split_to_mono()
    assert _level(heard, 0.0, prompt.duration) > -35
    assert _level(said, 0.0, prompt.duration) == float("-inf")
    assert _level(said, answer_at, answer_at + answer.duration) > -35
    assert _level(heard, answer_at, answer_at + answer.duration) == float("-inf")


async def test_mixed_call_is_mono_with_both_sides(
    real_plane: RealMediaPlane, tmp_path: Path, read_wav: Callable[[Path], AudioSegment]
) -> None:
    audio = CallAudio()
    tones = real_plane.tones("1234")
    answer = await real_plane.caller_speech("Yes.")
    audio.heard(0.0, tones)
    audio.said(2.0, answer)
    call = read_wav(audio.write(tmp_path / "mixed.wav", mixed=True))
    assert call.channels == 1
    assert _level(call, 0.0, tones.duration) > -20
    assert _level(call, 2.0, 2.0 + answer.duration) > -35


def test_estimated_sounds_are_silent_and_counted(
    tmp_path: Path, read_wav: Callable[[Path], AudioSegment]
) -> None:
    audio = CallAudio()
    audio.heard(0.0, Rendered(2.5))
    call = read_wav(audio.write(tmp_path / "estimated.wav"))
    assert len(call) / 1000 == pytest.approx(2.5)
    assert audio.estimated == 1


def _pause_call(length: str, real_plane: RealMediaPlane, audio: CallAudio) -> CallResult:
    settings = CallSettings(
        url=None,
        twiml=f'<Response><Say>Hold on.</Say><Pause length="{length}"/></Response>'.encode(),
    )
    return anyio.run(
        lambda: place_call(
            settings, ScriptedCaller(hangup_after=10.0), media=real_plane, audio=audio
        )
    )


@pytest.mark.parametrize("length", ["20000", "1000000000"])
def test_a_long_pause_with_real_audio_costs_no_samples_and_the_file_ends_with_the_call(
    length: str,
    real_plane: RealMediaPlane,
    tmp_path: Path,
    read_wav: Callable[[Path], AudioSegment],
) -> None:
    assert real_plane.silence(float(length)).audio is None  # a length, not 16 KB a second
    audio = CallAudio()
    result = _pause_call(length, real_plane, audio)
    assert result.error_code is None
    assert result.duration == pytest.approx(10.0)
    call = read_wav(audio.write(tmp_path / "call.wav"))
    assert len(call) / 1000 == pytest.approx(10.0, abs=0.01)
    assert audio.estimated == 0


def test_a_recorded_silence_is_still_a_wav_file(real_plane: RealMediaPlane) -> None:
    saved = real_plane.save_recording("RE" + "1" * 32, real_plane.silence(2.0), trim=False)
    assert saved.path is not None and saved.path.is_file()
    assert saved.duration == pytest.approx(2.0)
