"""The media plane as one call uses it: ``TrackedMediaPlane`` hands everything to the plane it
wraps, and adds each recording it saves to the call's list of recordings."""

from __future__ import annotations

from typing import Any

from callbox.interpreter.media.plane import MediaPlane, Recording, Rendered


class TrackedMediaPlane:
    """The media plane, noting the recordings the call makes."""

    __slots__ = ("_recordings", "inner")

    def __init__(self, inner: MediaPlane, recordings: list[Recording]) -> None:
        self.inner = inner
        self._recordings = recordings

    async def speech(
        self, text: str, *, voice: str = "man", language: str = "en-US", ssml: str | None = None
    ) -> Rendered:
        return await self.inner.speech(text, voice=voice, language=language, ssml=ssml)

    async def caller_speech(self, text: str) -> Rendered:
        return await self.inner.caller_speech(text)

    async def audio(self, body: bytes, content_type: str) -> Rendered:
        return await self.inner.audio(body, content_type)

    def tones(self, digits: str) -> Rendered:
        return self.inner.tones(digits)

    def beep(self) -> Rendered:
        return self.inner.beep()

    def silence(self, seconds: float) -> Rendered:
        return self.inner.silence(seconds)

    def save_recording(
        self,
        sid: str,
        audio: Rendered,
        *,
        trim: bool,
        call_sid: str | None = None,
        account_sid: str | None = None,
    ) -> Recording:
        recording = self.inner.save_recording(
            sid, audio, trim=trim, call_sid=call_sid, account_sid=account_sid
        )
        self._recordings.append(recording)
        return recording

    def degraded(self) -> tuple[str, ...]:
        return self.inner.degraded()

    def __getattr__(self, name: str) -> Any:
        return getattr(self.inner, name)
