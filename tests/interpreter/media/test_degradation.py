"""Without espeak-ng or ffmpeg the plane still works: it estimates, warns once and says why."""

from __future__ import annotations

import logging
from collections.abc import Callable
from pathlib import Path

import pytest

from callbox.interpreter.media.real import RealMediaPlane

pytestmark = pytest.mark.anyio


def _nothing_installed(name: str) -> str | None:
    return None


def _degraded_plane(tmp_path: Path) -> RealMediaPlane:
    return RealMediaPlane(tmp_path, which=_nothing_installed, in_process=False)


async def test_missing_tools_are_named_and_speech_is_estimated(tmp_path: Path) -> None:
    plane = _degraded_plane(tmp_path)
    reasons = " ".join(plane.degraded())
    assert "espeak-ng" in reasons and "ffmpeg" in reasons
    rendered = await plane.speech("one two three four five six seven eight nine ten")
    assert rendered.audio is None
    assert rendered.duration == pytest.approx(4.0)


async def test_mp3_duration_is_estimated_without_ffmpeg(
    tmp_path: Path,
    wav_bytes: Callable[..., bytes],
    encode: Callable[..., bytes],
) -> None:
    body = encode(wav_bytes(1.0), "mp3", "-b:a", "32k")
    rendered = await _degraded_plane(tmp_path).audio(body, "audio/mpeg")
    assert rendered.audio is None
    assert rendered.duration == pytest.approx(1.0, abs=0.1)
    assert any("ffmpeg" in w for w in rendered.warnings)


async def test_wav_still_plays_without_ffmpeg(
    tmp_path: Path, wav_bytes: Callable[..., bytes]
) -> None:
    rendered = await _degraded_plane(tmp_path).audio(wav_bytes(0.5), "audio/wav")
    assert rendered.audio is not None and rendered.duration == pytest.approx(0.5)


async def test_recording_without_audio_has_a_duration_but_no_file(tmp_path: Path) -> None:
    plane = _degraded_plane(tmp_path)
    said = await plane.caller_speech("call me back please")
    recording = plane.save_recording("RE" + "c" * 32, said, trim=True)
    assert recording.path is None and recording.duration == pytest.approx(said.duration)


def test_the_warning_is_logged_once(tmp_path: Path, caplog: pytest.LogCaptureFixture) -> None:
    from callbox.interpreter.media import real

    real._warned.clear()
    with caplog.at_level(logging.WARNING, logger="callbox.media"):
        _degraded_plane(tmp_path)
        _degraded_plane(tmp_path)
    messages = [r.getMessage() for r in caplog.records if "espeak-ng" in r.getMessage()]
    assert len(messages) == 1


class FailingEngine:
    name = "failing"

    async def render(self, request: object) -> tuple[bytes, int]:
        from callbox.interpreter.media.speech import SynthesisError

        raise SynthesisError("no such voice")


async def test_a_failed_render_is_estimated_with_a_warning(tmp_path: Path) -> None:
    from callbox.interpreter.media.speech import Synthesizer

    plane = RealMediaPlane(tmp_path, which=_nothing_installed, in_process=False)
    plane.synthesizer = Synthesizer(FailingEngine())
    rendered = await plane.speech("one two three four five")
    assert rendered.audio is None and rendered.duration == pytest.approx(2.0)
    assert any("no such voice" in w for w in rendered.warnings)
