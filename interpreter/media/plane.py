"""The media plane's interface: how a call turns prompts into timed (and, when real, audible) media.

The session and verb runners use only this protocol. ``EstimatedMediaPlane`` estimates durations
without producing audio (fast tests, benchmarks); ``RealMediaPlane`` synthesizes and decodes for real.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Protocol

if TYPE_CHECKING:
    from pydub import AudioSegment


class MediaError(Exception):
    """Base of the media plane's errors."""


class MediaDecodeError(MediaError):
    """Bytes that cannot be decoded as audio. ``code`` is Twilio's (13420 for ``<Play>``)."""

    def __init__(self, message: str, code: str = "13420") -> None:
        super().__init__(message)
        self.code = code


@dataclass(frozen=True)
class Rendered:
    """Media ready to be heard: its duration in call time, and the audio when it is real."""

    duration: float
    audio: AudioSegment | None = None
    warnings: tuple[str, ...] = ()


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

    def save_recording(self, sid: str, audio: Rendered, *, trim: bool) -> Recording:
        """Store what the caller said during a ``<Record>`` (or a recorded ``<Dial>``)."""
        ...

    def degraded(self) -> tuple[str, ...]:
        """Why real audio is unavailable (``"espeak-ng is not installed"``); empty when all is real."""
        ...
