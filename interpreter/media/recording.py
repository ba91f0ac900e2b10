"""Recordings of what the caller said: trimmed of leading and trailing silence on request, stored
as 8 kHz mono WAV under the data directory, and converted to MP3 on demand for ``.mp3`` URLs.
"""

from __future__ import annotations

import os
import tempfile
import wave
from pathlib import Path

import anyio
from pydub import AudioSegment
from pydub.silence import detect_leading_silence

from interpreter.media.audio import telephony
from interpreter.media.errors import MediaError

SILENCE_THRESHOLD_DBFS = -45.0
"""Audio quieter than this counts as silence when trimming."""
TRIM_CHUNK_MS = 10


class RecordingUnavailableError(MediaError):
    """The recording does not exist, or its MP3 cannot be made (no ffmpeg)."""


def trim_silence(segment: AudioSegment) -> AudioSegment:
    """``segment`` without its leading and trailing silence (all of it when it is all silence)."""
    start = detect_leading_silence(segment, SILENCE_THRESHOLD_DBFS, TRIM_CHUNK_MS)
    if start >= len(segment):
        return segment[:0]
    end = len(segment) - detect_leading_silence(
        segment.reverse(), SILENCE_THRESHOLD_DBFS, TRIM_CHUNK_MS
    )
    return segment[start:end]


def write_wav(path: Path, segment: AudioSegment) -> None:
    """Write ``segment`` as a WAV file atomically (temporary file, then rename)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, temp = tempfile.mkstemp(dir=path.parent, prefix=".tmp-", suffix=".wav")
    try:
        with os.fdopen(fd, "wb") as raw, wave.open(raw, "wb") as writer:
            writer.setnchannels(segment.channels)
            writer.setsampwidth(segment.sample_width)
            writer.setframerate(segment.frame_rate)
            writer.writeframes(segment.raw_data)
        os.replace(temp, path)
    except BaseException:
        Path(temp).unlink(missing_ok=True)
        raise


class RecordingStore:
    """Recordings under one directory: ``<sid>.wav``, and ``<sid>.mp3`` made when first asked."""

    def __init__(self, directory: Path, ffmpeg: str | None = None) -> None:
        self.directory = directory
        self.ffmpeg = ffmpeg

    def wav_path(self, sid: str) -> Path:
        if not sid.isalnum():
            raise RecordingUnavailableError(f"not a recording SID: {sid!r}")
        return self.directory / f"{sid}.wav"

    def save(self, sid: str, segment: AudioSegment) -> Path:
        path = self.wav_path(sid)
        write_wav(path, telephony(segment))
        return path

    async def mp3_path(self, sid: str) -> Path:
        """The recording as MP3 (made with ffmpeg the first time it is asked for)."""
        wav = self.wav_path(sid)
        if not wav.exists():
            raise RecordingUnavailableError(f"no recording {sid}")
        mp3 = wav.with_suffix(".mp3")
        if mp3.exists():
            return mp3
        if self.ffmpeg is None:
            raise RecordingUnavailableError("MP3 recordings need ffmpeg, which is not installed")
        temp = mp3.with_name(f".tmp-{os.getpid()}-{mp3.name}")
        command = [
            self.ffmpeg, "-hide_banner", "-nostdin", "-loglevel", "error", "-y",
            "-i", str(wav), "-codec:a", "libmp3lame", "-b:a", "32k", "-f", "mp3", str(temp),
        ]  # fmt: skip
        result = await anyio.run_process(command, check=False)
        if result.returncode != 0:
            temp.unlink(missing_ok=True)
            raise RecordingUnavailableError(result.stderr.decode("utf-8", "replace").strip())
        os.replace(temp, mp3)
        return mp3
