"""Shared fixtures for the media plane's tests: audio files built in memory, and a Goertzel
detector that turns PCM back into DTMF digits."""

from __future__ import annotations

import io
import math
import shutil
import struct
import subprocess
import wave
from collections.abc import Callable
from pathlib import Path

import pytest
from pydub import AudioSegment

from callbox.interpreter.media.real import RealMediaPlane


def _wav_bytes(seconds: float, rate: int = 8000, freq: float = 440.0) -> bytes:
    frames = round(seconds * rate)
    samples = struct.pack(
        f"<{frames}h",
        *(round(8000 * math.sin(2 * math.pi * freq * n / rate)) for n in range(frames)),
    )
    buffer = io.BytesIO()
    with wave.open(buffer, "wb") as writer:
        writer.setnchannels(1)
        writer.setsampwidth(2)
        writer.setframerate(rate)
        writer.writeframes(samples)
    return buffer.getvalue()


def _aiff_bytes(seconds: float, rate: int = 8000) -> bytes:
    frames = round(seconds * rate)
    exponent = rate.bit_length() - 1
    extended = struct.pack(">HQ", 16383 + exponent, rate << (63 - exponent))
    comm = struct.pack(">hIh", 1, frames, 16) + extended
    ssnd = struct.pack(">II", 0, 0) + bytes(2 * frames)
    body = b"AIFF" + b"COMM" + struct.pack(">I", len(comm)) + comm
    body += b"SSND" + struct.pack(">I", len(ssnd)) + ssnd
    return b"FORM" + struct.pack(">I", len(body)) + body


@pytest.fixture
def wav_bytes() -> Callable[..., bytes]:
    """Build a mono 16-bit WAV holding a sine tone of the given length."""
    return _wav_bytes


@pytest.fixture
def aiff_bytes() -> Callable[..., bytes]:
    """Build a silent mono 16-bit AIFF of the given length."""
    return _aiff_bytes


ROWS = (697, 770, 852, 941)
COLUMNS = (1209, 1336, 1477, 1633)
KEYS = ("123A", "456B", "789C", "*0#D")


def _goertzel_power(samples: list[int], freq: float, rate: int) -> float:
    coeff = 2 * math.cos(2 * math.pi * freq / rate)
    s_prev = s_prev2 = 0.0
    for sample in samples:
        s = sample + coeff * s_prev - s_prev2
        s_prev2, s_prev = s_prev, s
    return s_prev2**2 + s_prev**2 - coeff * s_prev * s_prev2


def _decode_dtmf(pcm: bytes, rate: int = 8000, block_ms: int = 20) -> str:
    """Digits heard in 16-bit mono PCM: each block's strongest row and column tone, when both
    stand well above the others; a key is reported once per tone burst."""
    samples = list(struct.unpack(f"<{len(pcm) // 2}h", pcm[: len(pcm) - len(pcm) % 2]))
    block = rate * block_ms // 1000
    digits = []
    previous: str | None = None
    for start in range(0, len(samples) - block + 1, block):
        chunk = samples[start : start + block]
        energy = sum(s * s for s in chunk)
        if energy < block * 500**2:
            previous = None
            continue
        rows = [_goertzel_power(chunk, f, rate) for f in ROWS]
        cols = [_goertzel_power(chunk, f, rate) for f in COLUMNS]
        r, c = rows.index(max(rows)), cols.index(max(cols))
        others = sorted(rows)[-2] + sorted(cols)[-2]
        if rows[r] + cols[c] < 10 * others:
            previous = None
            continue
        key = KEYS[r][c]
        if key != previous:
            digits.append(key)
        previous = key
    return "".join(digits)


@pytest.fixture
def decode_dtmf() -> Callable[[bytes], str]:
    """A Goertzel DTMF detector over 8 kHz 16-bit mono PCM."""
    return _decode_dtmf


@pytest.fixture(scope="session")
def speech_cache_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """One speech cache for the session, so each prompt is rendered once."""
    return tmp_path_factory.mktemp("speech-cache")


@pytest.fixture
def espeak_ng() -> str:
    """Path of espeak-ng; skipped only when it really is absent."""
    path = shutil.which("espeak-ng")
    if path is None:
        pytest.skip("espeak-ng is not installed (scripts/setup installs it)")
    return path


@pytest.fixture
def real_plane(tmp_path: Path, speech_cache_dir: Path, espeak_ng: str) -> RealMediaPlane:
    """A real media plane (needs espeak-ng)."""
    return RealMediaPlane(tmp_path / "data", speech_cache_dir)


@pytest.fixture
def ffmpeg() -> str:
    """Path of ffmpeg; skipped only when it really is absent."""
    path = shutil.which("ffmpeg")
    if path is None:
        pytest.skip("ffmpeg is not installed (scripts/setup installs it)")
    return path


@pytest.fixture
def encode(ffmpeg: str, tmp_path: Path) -> Callable[..., bytes]:
    """Encode WAV bytes into another container with ffmpeg (``mp3``, ``aiff``, ``gsm``...)."""

    def _encode(wav: bytes, fmt: str, *extra: str) -> bytes:
        target = tmp_path / f"encoded.{fmt}"
        command = [ffmpeg, "-hide_banner", "-loglevel", "error", "-y", "-f", "wav", "-i", "pipe:0"]
        command += [*extra, "-f", fmt, str(target)]
        subprocess.run(command, input=wav, capture_output=True, check=True)
        return target.read_bytes()

    return _encode


def _segment_dbfs(segment: AudioSegment) -> float:
    return float(segment.dBFS)


@pytest.fixture
def loudness() -> Callable[[AudioSegment], float]:
    """RMS level of a segment in dBFS (-inf for digital silence)."""
    return _segment_dbfs


def _read_wav(path: Path) -> AudioSegment:
    with wave.open(str(path)) as reader:
        return AudioSegment(
            data=reader.readframes(reader.getnframes()),
            sample_width=reader.getsampwidth(),
            frame_rate=reader.getframerate(),
            channels=reader.getnchannels(),
        )


@pytest.fixture
def read_wav() -> Callable[[Path], AudioSegment]:
    """Read a WAV file back as a segment (closing the file)."""
    return _read_wav
