"""Recordings of what the caller said: trimmed of leading and trailing silence on request, stored
as 8 kHz mono WAV under the data directory with a small JSON file of metadata beside it, and
converted to MP3 on demand for ``.mp3`` URLs.
"""

from __future__ import annotations

import json
import os
import tempfile
import uuid
import wave
from collections.abc import Iterable
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import anyio
from pydub import AudioSegment
from pydub.silence import detect_leading_silence

from callbox.interpreter.media.audio import telephony
from callbox.interpreter.media.errors import MediaError
from callbox.interpreter.params import rfc2822

SILENCE_THRESHOLD_DBFS = -45.0
"""Audio quieter than this counts as silence when trimming."""
TRIM_CHUNK_MS = 10


class RecordingUnavailableError(MediaError):
    """The recording does not exist, or its MP3 cannot be made."""


class FfmpegUnavailableError(RecordingUnavailableError):
    """An MP3 was asked for and ffmpeg is not installed."""


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
    write_wav_frames(
        path, segment.channels, segment.frame_rate, [segment.raw_data], segment.sample_width
    )


def write_wav_frames(
    path: Path, channels: int, rate: int, chunks: Iterable[bytes], sample_width: int = 2
) -> None:
    """Write PCM frames, chunk by chunk, as a WAV file atomically (temporary file, then rename)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, temp = tempfile.mkstemp(dir=path.parent, prefix=".tmp-", suffix=".wav")
    try:
        with os.fdopen(fd, "wb") as raw, wave.open(raw, "wb") as writer:
            writer.setnchannels(channels)
            writer.setsampwidth(sample_width)
            writer.setframerate(rate)
            for chunk in chunks:
                writer.writeframes(chunk)
        os.replace(temp, path)
    except BaseException:
        Path(temp).unlink(missing_ok=True)
        raise


class RecordingStore:
    """Recordings under one directory: ``<sid>.wav``, its metadata ``<sid>.json`` (written with
    it), and ``<sid>.mp3`` made when first asked for."""

    def __init__(self, directory: Path, ffmpeg: str | None = None) -> None:
        self.directory = directory
        self.ffmpeg = ffmpeg

    def _path(self, sid: str, suffix: str) -> Path:
        if not (sid.isascii() and sid.isalnum()):
            raise RecordingUnavailableError(f"not a recording SID: {sid!r}")
        return self.directory / f"{sid}{suffix}"

    def wav_path(self, sid: str) -> Path:
        return self._path(sid, ".wav")

    def metadata_path(self, sid: str) -> Path:
        return self._path(sid, ".json")

    def save(
        self,
        sid: str,
        segment: AudioSegment,
        *,
        call_sid: str | None = None,
        account_sid: str | None = None,
    ) -> Path:
        """Write the WAV file, then its metadata (both atomically); the WAV's path."""
        path = self.wav_path(sid)
        audio = telephony(segment)
        write_wav(path, audio)
        metadata = {
            "sid": sid,
            "account_sid": account_sid,
            "call_sid": call_sid,
            "duration": str(whole_seconds(audio.frame_count() / audio.frame_rate)),
            "date_created": rfc2822(datetime.now(UTC)),
            "channels": audio.channels,
            "status": "completed",
        }
        _write_atomically(self.metadata_path(sid), json.dumps(metadata, indent=2).encode())
        return path

    def metadata(self, sid: str) -> dict[str, Any]:
        """The recording's metadata: its ``.json`` file, or what its WAV header tells when it has
        none; raises ``RecordingUnavailableError`` when there is no such recording."""
        wav = self.wav_path(sid)
        try:
            stored = json.loads(self.metadata_path(sid).read_bytes())
        except (OSError, ValueError):
            stored = None
        if isinstance(stored, dict):
            return stored
        try:
            with wave.open(str(wav), "rb") as reader:
                seconds = reader.getnframes() / reader.getframerate()
                channels = reader.getnchannels()
            created = datetime.fromtimestamp(wav.stat().st_mtime, UTC)
        except (OSError, wave.Error, EOFError, ZeroDivisionError) as exc:
            raise RecordingUnavailableError(f"no recording {sid}") from exc
        return {
            "sid": sid,
            "account_sid": None,
            "call_sid": None,
            "duration": str(whole_seconds(seconds)),
            "date_created": rfc2822(created),
            "channels": channels,
            "status": "completed",
        }

    async def mp3_path(self, sid: str) -> Path:
        """The recording as MP3 (made with ffmpeg the first time it is asked for)."""
        wav = self.wav_path(sid)
        if not wav.exists():
            raise RecordingUnavailableError(f"no recording {sid}")
        mp3 = wav.with_suffix(".mp3")
        if mp3.exists():
            return mp3
        if self.ffmpeg is None:
            raise FfmpegUnavailableError("MP3 recordings need ffmpeg, which is not installed")
        # a name of its own per conversion: two requests converting at once never share a file
        temp = mp3.with_name(f".tmp-{os.getpid()}-{uuid.uuid4().hex}-{mp3.name}")
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


def whole_seconds(seconds: float) -> int:
    """A recording's duration as Twilio reports it: whole seconds, at least 1 when not empty
    (the rule of ``interpreter.verbs.callbacks.whole_seconds`` for ``RecordingDuration``)."""
    if seconds <= 0:
        return 0
    return max(1, round(seconds))


def _write_atomically(path: Path, data: bytes) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, temp = tempfile.mkstemp(dir=path.parent, prefix=".tmp-", suffix=path.suffix)
    try:
        with os.fdopen(fd, "wb") as raw:
            raw.write(data)
        os.replace(temp, path)
    except BaseException:
        Path(temp).unlink(missing_ok=True)
        raise
