"""Speech input as pure functions: when a speech ``<Gather>`` has its result, and the partial results.

Times are seconds from the start of the wait (the end of the Gather's prompts), as in
``interpreter.verbs.digits``; the caller's speech lasts what the media plane says it lasts.
"""

from __future__ import annotations

from dataclasses import dataclass

from callbox.interpreter.verbs.digits import GatherEnd

AUTO_SPEECH_TIMEOUT = 1.0
"""Seconds of silence after speech that end recognition with ``speechTimeout="auto"`` (Twilio
detects the pause itself; one second is what a caller notices)."""


@dataclass(frozen=True, slots=True)
class SpeechEntry:
    """A speech result: the text heard (empty when there was none) and when listening stopped.

    ``spoken`` is how many seconds of the caller's speech were taken (cut at ``maxSpeechTime``).
    """

    text: str
    end: GatherEnd
    stopped_at: float
    started_at: float | None = None
    spoken: float = 0.0

    @property
    def empty(self) -> bool:
        return not self.text


def speech_timeout_seconds(speech_timeout: str | float | None, timeout: float) -> float:
    """Seconds of silence that end recognition: ``auto`` is ``AUTO_SPEECH_TIMEOUT``, unset is
    the Gather's ``timeout`` (Twilio's default)."""
    if speech_timeout is None or speech_timeout == "":
        return timeout
    if isinstance(speech_timeout, str):
        if speech_timeout.strip().lower() == "auto":
            return AUTO_SPEECH_TIMEOUT
        try:
            return max(float(speech_timeout), 0.0)
        except ValueError:
            return timeout
    return max(float(speech_timeout), 0.0)


def recognize(
    text: str,
    *,
    after: float,
    duration: float,
    timeout: float,
    speech_timeout: float,
    max_speech_time: float = 60.0,
    listening_from: float | None = None,
) -> SpeechEntry:
    """The caller starts saying ``text`` (``duration`` seconds long) ``after`` seconds into the wait.

    Speech that starts after ``timeout`` comes too late (the Gather already gave up); speech is
    cut at ``max_speech_time``; the result comes ``speech_timeout`` seconds after the speech ends.
    """
    too_early = listening_from is not None and after < listening_from
    if not text.strip() or after > timeout or too_early:
        return SpeechEntry("", GatherEnd.TIMEOUT, max(timeout, 0.0))
    spoken = min(duration, max_speech_time)
    if duration > max_speech_time:
        return SpeechEntry(text, GatherEnd.MAX_SPEECH_TIME, after + spoken, after, spoken)
    return SpeechEntry(text, GatherEnd.SPEECH_END, after + spoken + speech_timeout, after, spoken)


@dataclass(frozen=True, slots=True)
class PartialResult:
    """One ``partialResultCallback``: what the recognizer has so far, and when (seconds into the
    speech)."""

    sequence: int
    unstable: str
    stable: str
    at: float


def partial_results(text: str, duration: float) -> list[PartialResult]:
    """One partial result per word as the caller speaks: the newest word is still unstable, the
    words before it are stable; the last result comes when the speech ends."""
    words = text.split()
    if not words:
        return []
    step = duration / len(words) if duration > 0 else 0.0
    return [
        PartialResult(
            sequence=index,
            unstable=" ".join(words[: index + 1]),
            stable=" ".join(words[:index]),
            at=step * (index + 1),
        )
        for index in range(len(words))
    ]
