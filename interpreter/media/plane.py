"""The media plane's interface: how a call turns prompts into timed (and, when real, audible) media.

The session and verb runners use only this protocol. ``EstimatedMediaPlane`` estimates durations
without producing audio (fast tests, benchmarks); ``RealMediaPlane`` synthesizes and decodes for real.
"""

from __future__ import annotations

import functools
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Protocol

from callbox.interpreter.media.errors import MediaDecodeError, MediaError

__all__ = [
    "EstimatedMediaPlane",
    "MediaDecodeError",
    "MediaError",
    "MediaPlane",
    "Recording",
    "Rendered",
    "join",
]

if TYPE_CHECKING:
    from pydub import AudioSegment


@dataclass(frozen=True)
class Rendered:
    """Media ready to be heard: its duration in call time, and the audio when it is real."""

    duration: float
    audio: AudioSegment | None = None
    warnings: tuple[str, ...] = ()
    voiced: tuple[float, float] | None = None
    """Where the sound is, as (start, end) seconds; None = throughout. Silence is (0, 0). Lets a
    recording be trimmed when there is no audio to measure (the estimated plane)."""

    @property
    def is_silence(self) -> bool:
        """Silence, held as its length only (``audio`` None): real in either plane."""
        return self.audio is None and self.voiced == (0.0, 0.0)


@dataclass(frozen=True)
class Recording:
    """A stored recording: where its WAV file is and how long it lasts."""

    sid: str
    path: Path | None
    duration: float


class MediaPlane(Protocol):
    async def speech(
        self, text: str, *, voice: str = "man", language: str = "en-US", ssml: str | None = None
    ) -> Rendered:
        """``<Say>``: ``ssml`` is the Say's inner markup when it has SSML children."""
        ...

    async def caller_speech(self, text: str) -> Rendered:
        """What the simulated caller says, in a voice distinct from the application's."""
        ...

    async def audio(self, body: bytes, content_type: str) -> Rendered:
        """``<Play>`` of fetched bytes; raises ``MediaDecodeError`` for bytes it cannot decode."""
        ...

    def tones(self, digits: str) -> Rendered:
        """DTMF for ``<Play digits>`` and ``sendDigits``; ``w`` pauses 0.5 s, ``W`` 1 s."""
        ...

    def beep(self) -> Rendered:
        """The ``<Record>`` beep."""
        ...

    def silence(self, seconds: float) -> Rendered: ...

    def save_recording(
        self,
        sid: str,
        audio: Rendered,
        *,
        trim: bool,
        call_sid: str | None = None,
        account_sid: str | None = None,
    ) -> Recording:
        """Store what the caller said during a ``<Record>`` (or a recorded ``<Dial>``);
        ``call_sid`` and ``account_sid`` go into the recording's metadata when it is stored."""
        ...

    def degraded(self) -> tuple[str, ...]:
        """Why real audio is unavailable (``"espeak-ng is not installed"``); empty when all is real."""
        ...


WORDS_PER_MINUTE = 150.0
"""Speaking rate the estimated plane assumes (Twilio's basic voices speak at about this rate)."""
BEEP_SECONDS = 0.5
"""The ``<Record>`` beep: a 1 kHz tone this long."""


def estimate_speech(text: str) -> float:
    """Seconds it takes to say ``text`` at ``WORDS_PER_MINUTE``."""
    return len(text.split()) * 60.0 / WORDS_PER_MINUTE


@functools.lru_cache(maxsize=1024)
def _estimated_speech(text: str) -> Rendered:
    """The estimated plane's plain speech of ``text``, remembered: an IVR says the same prompts
    to every caller, and one frozen result serves them all."""
    return Rendered(estimate_speech(text))


def join(parts: Sequence[Rendered], *, limit: float | None = None) -> Rendered:
    """``parts`` one after the other, cut at ``limit`` seconds when given.

    Works for both planes: the audio is joined when any part has audio (parts without it become
    silence of their duration), and the voiced span and warnings are carried over.
    """
    duration = 0.0
    voiced_start: float | None = None
    voiced_end = 0.0
    warnings: list[str] = []
    for part in parts:
        start, end = part.voiced if part.voiced is not None else (0.0, part.duration)
        if end > start:
            if voiced_start is None:
                voiced_start = duration + start
            voiced_end = duration + end
        duration += part.duration
        warnings.extend(w for w in part.warnings if w not in warnings)
    audio: AudioSegment | None = None
    if any(part.audio is not None for part in parts):
        from callbox.interpreter.media.audio import concatenate

        # only what fits before ``limit`` is made into samples (silence is a length until here)
        kept: list[tuple[AudioSegment | None, float]] = []
        room = float("inf") if limit is None else max(limit, 0.0)
        for part in parts:
            if room <= 0:
                break
            kept.append((part.audio, min(part.duration, room)))
            room -= part.duration
        audio = concatenate(kept)
    if limit is not None and duration > limit:
        duration = max(limit, 0.0)
        voiced_end = min(voiced_end, duration)
        if voiced_start is not None and voiced_start >= duration:
            voiced_start = None
        if audio is not None:
            audio = audio[: round(duration * 1000)]
    voiced = (0.0, 0.0) if voiced_start is None else (voiced_start, voiced_end)
    return Rendered(duration, audio, tuple(warnings), voiced)


class EstimatedMediaPlane:
    """Timings without audio: speech from its word count, tones from the digits, audio from its
    header. Fast enough for any test; recordings have a duration but no file."""

    def __init__(self, reasons: tuple[str, ...] = ("audio is estimated, not rendered",)) -> None:
        self._reasons = reasons

    async def speech(
        self, text: str, *, voice: str = "man", language: str = "en-US", ssml: str | None = None
    ) -> Rendered:
        if ssml is None:
            return _estimated_speech(text)  # the same text gives the same (frozen) result
        from callbox.interpreter.media.voices import resolve

        if not resolve(voice, language).ssml:
            warnings = (f"voice {voice!r} ignores SSML, as on Twilio",)
            return Rendered(estimate_speech(text), warnings=warnings)
        from callbox.interpreter.media.ssml import translate

        result = translate(ssml, language=language, words_per_minute=WORDS_PER_MINUTE)
        return Rendered(result.estimated_seconds, warnings=tuple(result.warnings))

    async def caller_speech(self, text: str) -> Rendered:
        return Rendered(estimate_speech(text))

    async def audio(self, body: bytes, content_type: str) -> Rendered:
        from callbox.interpreter.media.formats import audio_format, header_duration

        return Rendered(header_duration(body, audio_format(content_type)))

    def tones(self, digits: str) -> Rendered:
        from callbox.interpreter.media import dtmf

        return Rendered(dtmf.duration(digits))

    def beep(self) -> Rendered:
        return Rendered(BEEP_SECONDS)

    def silence(self, seconds: float) -> Rendered:
        return Rendered(max(seconds, 0.0), voiced=(0.0, 0.0))

    def save_recording(
        self,
        sid: str,
        audio: Rendered,
        *,
        trim: bool,
        call_sid: str | None = None,
        account_sid: str | None = None,
    ) -> Recording:
        duration = audio.duration
        if trim:
            start, end = audio.voiced if audio.voiced is not None else (0.0, audio.duration)
            duration = max(end - start, 0.0)
        return Recording(sid, None, duration)

    def degraded(self) -> tuple[str, ...]:
        return self._reasons
