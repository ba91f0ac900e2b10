"""The call's audio: what the caller heard on the left, what they said on the right, in time."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest
from pydub import AudioSegment

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
