"""``<Play>`` audio: WAV, MP3, µ-law, AIFF and GSM decoded to 8 kHz mono by content type."""

from __future__ import annotations

import audioop
import math
import struct
from collections.abc import Callable
from pathlib import Path

import pytest
from pydub import AudioSegment

from callbox.interpreter.media.plane import EstimatedMediaPlane, MediaDecodeError
from callbox.interpreter.media.real import RealMediaPlane

pytestmark = [pytest.mark.anyio, pytest.mark.audio]


@pytest.fixture
def plane(tmp_path: Path) -> RealMediaPlane:
    return RealMediaPlane(tmp_path)


def _tone_level(rendered_audio: AudioSegment) -> float:
    return float(rendered_audio.dBFS)


async def test_wav_is_resampled_to_telephony_format(
    plane: RealMediaPlane, wav_bytes: Callable[..., bytes]
) -> None:
    rendered = await plane.audio(wav_bytes(1.25, rate=22050), "audio/wav")
    assert rendered.audio is not None
    assert (rendered.audio.frame_rate, rendered.audio.channels) == (8000, 1)
    assert rendered.duration == pytest.approx(1.25, abs=0.01)
    assert _tone_level(rendered.audio) > -20


async def test_headerless_mulaw_is_8khz(plane: RealMediaPlane) -> None:
    linear = struct.pack(
        "<8000h", *(round(9000 * math.sin(2 * math.pi * 440 * n / 8000)) for n in range(8000))
    )
    rendered = await plane.audio(audioop.lin2ulaw(linear, 2), "audio/x-mulaw")
    assert rendered.duration == pytest.approx(1.0)
    assert rendered.audio is not None and _tone_level(rendered.audio) > -20


@pytest.mark.parametrize(
    ("fmt", "content_type", "extra"),
    [
        ("mp3", "audio/mpeg", ("-b:a", "32k")),
        ("aiff", "audio/x-aiff", ()),
        ("gsm", "audio/x-gsm", ("-ar", "8000", "-ac", "1", "-c:a", "libgsm")),
    ],
)
async def test_compressed_formats_decode_through_ffmpeg(
    plane: RealMediaPlane,
    wav_bytes: Callable[..., bytes],
    encode: Callable[..., bytes],
    fmt: str,
    content_type: str,
    extra: tuple[str, ...],
) -> None:
    body = encode(wav_bytes(2.0, rate=8000), fmt, *extra)
    rendered = await plane.audio(body, content_type)
    assert rendered.audio is not None
    assert rendered.duration == pytest.approx(2.0, abs=0.12)
    assert _tone_level(rendered.audio) > -25
    estimated = await EstimatedMediaPlane().audio(body, content_type)
    assert estimated.duration == pytest.approx(rendered.duration, abs=0.15)


async def test_garbage_declared_as_mp3_is_error_13420(plane: RealMediaPlane, ffmpeg: str) -> None:
    with pytest.raises(MediaDecodeError) as caught:
        await plane.audio(b"\x00\x01garbage" * 50, "audio/mpeg")
    assert caught.value.code == "13420"


async def test_html_is_not_playable(plane: RealMediaPlane) -> None:
    with pytest.raises(MediaDecodeError) as caught:
        await plane.audio(b"<html>Not found</html>", "text/html")
    assert caught.value.code == "13420"


async def test_truncated_wav_is_rejected(
    plane: RealMediaPlane, wav_bytes: Callable[..., bytes]
) -> None:
    with pytest.raises(MediaDecodeError):
        await plane.audio(wav_bytes(1.0)[:30], "audio/wav")
