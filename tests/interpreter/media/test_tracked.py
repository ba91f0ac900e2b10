"""TrackedMediaPlane: the call's media plane hands everything to the plane it wraps, and adds each
recording it saves to the call's recordings."""

from __future__ import annotations

from pathlib import Path

import anyio

from callbox.interpreter.media.plane import Recording, Rendered
from callbox.interpreter.media.tracked import TrackedMediaPlane


class RecordingPlane:
    """A plane that answers with distinct durations and notes each call it gets."""

    def __init__(self) -> None:
        self.calls: list[tuple[object, ...]] = []
        self.flavour = "inner"

    async def speech(
        self, text: str, *, voice: str = "man", language: str = "en-US", ssml: str | None = None
    ) -> Rendered:
        self.calls.append(("speech", text, voice, language, ssml))
        return Rendered(1.0)

    async def caller_speech(self, text: str) -> Rendered:
        self.calls.append(("caller_speech", text))
        return Rendered(2.0)

    async def audio(self, body: bytes, content_type: str) -> Rendered:
        self.calls.append(("audio", body, content_type))
        return Rendered(3.0)

    def tones(self, digits: str) -> Rendered:
        self.calls.append(("tones", digits))
        return Rendered(4.0)

    def beep(self) -> Rendered:
        self.calls.append(("beep",))
        return Rendered(5.0)

    def silence(self, seconds: float) -> Rendered:
        self.calls.append(("silence", seconds))
        return Rendered(seconds)

    def save_recording(
        self,
        sid: str,
        audio: Rendered,
        *,
        trim: bool,
        call_sid: str | None = None,
        account_sid: str | None = None,
    ) -> Recording:
        self.calls.append(("save_recording", sid, trim, call_sid, account_sid))
        return Recording(sid, Path(f"/recordings/{sid}.wav"), audio.duration)

    def degraded(self) -> tuple[str, ...]:
        return ("no speech engine",)


def test_media_is_rendered_by_the_wrapped_plane() -> None:
    inner = RecordingPlane()
    plane = TrackedMediaPlane(inner, [])

    async def main() -> list[float]:
        return [
            (await plane.speech("Hi", voice="alice", language="fr-FR", ssml="<s/>")).duration,
            (await plane.caller_speech("yes")).duration,
            (await plane.audio(b"RIFF", "audio/wav")).duration,
            plane.tones("12").duration,
            plane.beep().duration,
            plane.silence(6.0).duration,
        ]

    assert anyio.run(main) == [1.0, 2.0, 3.0, 4.0, 5.0, 6.0]
    assert inner.calls == [
        ("speech", "Hi", "alice", "fr-FR", "<s/>"),
        ("caller_speech", "yes"),
        ("audio", b"RIFF", "audio/wav"),
        ("tones", "12"),
        ("beep",),
        ("silence", 6.0),
    ]


def test_saved_recordings_are_added_to_the_call_recordings() -> None:
    inner = RecordingPlane()
    recordings: list[Recording] = []
    plane = TrackedMediaPlane(inner, recordings)
    first = plane.save_recording("RE1", Rendered(2.5), trim=True, call_sid="CA1", account_sid="AC1")
    second = plane.save_recording("RE2", Rendered(1.0), trim=False)
    assert recordings == [first, second]
    assert first == Recording("RE1", Path("/recordings/RE1.wav"), 2.5)
    assert inner.calls == [
        ("save_recording", "RE1", True, "CA1", "AC1"),
        ("save_recording", "RE2", False, None, None),
    ]


def test_rendering_adds_no_recordings() -> None:
    recordings: list[Recording] = []
    plane = TrackedMediaPlane(RecordingPlane(), recordings)
    plane.beep()
    assert recordings == []


def test_degradation_and_other_attributes_are_the_wrapped_plane_ones() -> None:
    plane = TrackedMediaPlane(RecordingPlane(), [])
    assert plane.degraded() == ("no speech engine",)
    assert plane.flavour == "inner"
