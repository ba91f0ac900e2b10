"""Audio formats <Play> accepts: content types to formats, and durations read from headers
(or sizes) without decoding; bytes that are not what they claim are a MediaDecodeError (13420)."""

from __future__ import annotations

import struct
from collections.abc import Callable

import pytest

from callbox.interpreter.media.errors import MediaDecodeError, MediaError
from callbox.interpreter.media.formats import (
    GSM_FRAME_BYTES,
    MULAW_RATE,
    AudioFormat,
    audio_format,
    header_duration,
)

MP3_FRAME_HEADER = bytes([0xFF, 0xFB, 0x90, 0x00])
"""MPEG-1 layer III, 128 kbit/s, 44.1 kHz."""


@pytest.mark.parametrize(
    ("content_type", "fmt"),
    [
        ("audio/wav", AudioFormat.WAV),
        ("audio/x-wav", AudioFormat.WAV),
        ("audio/mpeg", AudioFormat.MP3),
        ("audio/basic", AudioFormat.MULAW),
        ("audio/x-aiff", AudioFormat.AIFF),
        ("audio/gsm", AudioFormat.GSM),
        ("Audio/MPEG; charset=binary", AudioFormat.MP3),
        ("  audio/x-mulaw;rate=8000", AudioFormat.MULAW),
    ],
)
def test_content_type_names_its_format(content_type: str, fmt: AudioFormat) -> None:
    assert audio_format(content_type) is fmt


@pytest.mark.parametrize(("content_type", "named"), [("text/html", "'text/html'"), ("", "(none)")])
def test_content_type_that_is_not_playable_audio_is_13420(content_type: str, named: str) -> None:
    with pytest.raises(MediaDecodeError) as raised:
        audio_format(content_type)
    assert raised.value.code == "13420"
    assert named in str(raised.value)


def test_decode_error_is_a_media_error_with_twilio_code() -> None:
    assert isinstance(MediaDecodeError("x"), MediaError)
    assert MediaDecodeError("x").code == "13420"
    assert MediaDecodeError("x", code="12300").code == "12300"


def test_wav_duration_from_its_header(wav_bytes: Callable[..., bytes]) -> None:
    assert header_duration(wav_bytes(1.5), AudioFormat.WAV) == pytest.approx(1.5)
    assert header_duration(wav_bytes(0.25, rate=16000), AudioFormat.WAV) == pytest.approx(0.25)


def test_truncated_wav_lasts_as_long_as_the_bytes_there(wav_bytes: Callable[..., bytes]) -> None:
    body = wav_bytes(2.0)  # 8 kHz, 16-bit: 16,000 bytes a second
    assert header_duration(body[:-8000], AudioFormat.WAV) == pytest.approx(1.5)


def test_wav_with_zero_byte_rate_is_refused(wav_bytes: Callable[..., bytes]) -> None:
    body = bytearray(wav_bytes(1.0))
    fmt_at = body.index(b"fmt ") + 8
    body[fmt_at + 8 : fmt_at + 12] = struct.pack("<I", 0)
    with pytest.raises(MediaDecodeError, match="zero byte rate"):
        header_duration(bytes(body), AudioFormat.WAV)


@pytest.mark.parametrize(
    "body", [b"", b"ID3\x00not a wav at all", b"RIFF\x00\x00\x00\x00WAVE"], ids=repr
)
def test_bytes_that_are_not_a_wav_are_refused(body: bytes) -> None:
    with pytest.raises(MediaDecodeError):
        header_duration(body, AudioFormat.WAV)


def test_aiff_duration_from_its_header(aiff_bytes: Callable[..., bytes]) -> None:
    assert header_duration(aiff_bytes(2.0), AudioFormat.AIFF) == pytest.approx(2.0)
    assert header_duration(aiff_bytes(0.5, rate=22050), AudioFormat.AIFF) == pytest.approx(0.5)


def test_aiff_without_comm_chunk_is_refused() -> None:
    body = b"FORM" + struct.pack(">I", 4) + b"AIFF"
    with pytest.raises(MediaDecodeError, match="COMM"):
        header_duration(body, AudioFormat.AIFF)


def test_constant_bitrate_mp3_duration_from_its_size() -> None:
    body = MP3_FRAME_HEADER + bytes(16_000 - 4)  # 16,000 bytes at 128 kbit/s
    assert header_duration(body, AudioFormat.MP3) == pytest.approx(1.0)


def test_mp3_duration_skips_an_id3_tag() -> None:
    # synchsafe size 128; the tag's data looks like a frame header, which is not audio
    tag = b"ID3\x04\x00\x00" + bytes([0, 0, 1, 0]) + MP3_FRAME_HEADER + bytes(124)
    body = tag + MP3_FRAME_HEADER + bytes(32_000 - 4)
    assert header_duration(body, AudioFormat.MP3) == pytest.approx(2.0)


def test_mp3_duration_from_the_xing_frame_count() -> None:
    xing = b"Xing" + struct.pack(">II", 1, 441)  # flags: frame count; 441 frames
    body = MP3_FRAME_HEADER + bytes(32) + xing + bytes(2_000)
    assert header_duration(body, AudioFormat.MP3) == pytest.approx(441 * 1152 / 44100)


def test_bytes_without_an_mpeg_frame_are_refused() -> None:
    with pytest.raises(MediaDecodeError, match="no MPEG audio frame"):
        header_duration(b"\x00" * 1000, AudioFormat.MP3)


def test_raw_mulaw_is_8_khz_one_byte_a_sample() -> None:
    assert header_duration(bytes(MULAW_RATE * 3), AudioFormat.MULAW) == pytest.approx(3.0)


def au(encoding: int = 1, rate: int = 8000, channels: int = 1, size: int = 0xFFFFFFFF) -> bytes:
    return b".snd" + struct.pack(">IIIII", 24, size, encoding, rate, channels)


def test_sun_au_duration_from_its_header() -> None:
    assert header_duration(au() + bytes(4000), AudioFormat.MULAW) == pytest.approx(0.5)
    assert header_duration(au(size=2000) + bytes(4000), AudioFormat.MULAW) == pytest.approx(0.25)
    assert header_duration(au(channels=2) + bytes(16000), AudioFormat.MULAW) == pytest.approx(1.0)


def test_sun_au_that_is_not_mulaw_is_refused() -> None:
    with pytest.raises(MediaDecodeError, match="µ-law"):
        header_duration(au(encoding=3) + bytes(100), AudioFormat.MULAW)


def test_gsm_duration_counts_whole_20_ms_frames() -> None:
    assert header_duration(bytes(GSM_FRAME_BYTES * 50), AudioFormat.GSM) == pytest.approx(1.0)
    assert header_duration(bytes(GSM_FRAME_BYTES * 2 + 10), AudioFormat.GSM) == pytest.approx(0.04)


@pytest.mark.parametrize("fmt", [AudioFormat.GSM, AudioFormat.MULAW])
def test_empty_headerless_body_is_refused(fmt: AudioFormat) -> None:
    with pytest.raises(MediaDecodeError, match="empty"):
        header_duration(b"", fmt)
