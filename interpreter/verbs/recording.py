"""When a ``<Record>`` stops, as a pure function of what the caller does after the beep.

Times are seconds from the end of the beep. A recording ends on ``timeout`` seconds of silence
(``0`` disables it), on any key of ``finishOnKey``, at ``maxLength``, or when the caller hangs up.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from enum import StrEnum

from callbox.interpreter.caller import CallerAction, HangUp, Press, Silence, Speak
from callbox.interpreter.verbs.digits import key_presses


class RecordEnd(StrEnum):
    """Why a ``<Record>`` stopped."""

    SILENCE = "timeout"
    FINISH_ON_KEY = "finish-on-key"
    MAX_LENGTH = "max-length"
    HANGUP = "hangup"


@dataclass(frozen=True, slots=True)
class RecordTake:
    """One recording's shape: ``length`` seconds recorded in all, the caller's speech from
    ``speech_start`` for ``speech_length`` seconds (0 when silent), why it ended, and the
    ``Digits`` parameter (the key, ``hangup``, or None)."""

    length: float
    end: RecordEnd
    speech_start: float = 0.0
    speech_length: float = 0.0
    digits: str | None = None

    @property
    def has_speech(self) -> bool:
        return self.speech_length > 0

    def cut(self, at: float) -> RecordTake:
        """The take of a caller who hangs up ``at`` seconds in: what was said by then, ended by
        the hang-up (``Digits=hangup``)."""
        length = min(max(at, 0.0), self.length)
        spoken = min(self.speech_length, max(0.0, length - self.speech_start))
        return RecordTake(length, RecordEnd.HANGUP, self.speech_start, spoken, "hangup")


def record_take(
    action: CallerAction,
    *,
    speech_seconds: float = 0.0,
    timeout: float = 5.0,
    max_length: float = 3600.0,
    finish_on_key: str = "1234567890*#",
    then: CallerAction | None = None,
    then_speech_seconds: float = 0.0,
) -> RecordTake:
    """Apply Twilio's end rules to what the caller does.

    ``action`` happens after the beep and ``then`` (if any) after the caller's speech ends:
    hanging up or pressing a key then ends a spoken message. ``speech_seconds`` and
    ``then_speech_seconds`` are how long each ``Speak`` lasts. Silence before the caller starts
    counts towards ``timeout`` like any other silence.
    """
    rules = _Rules(timeout if timeout > 0 else math.inf, max_length, finish_on_key)
    return rules.during_silence(0.0, action, speech_seconds, (then, then_speech_seconds))


@dataclass(frozen=True, slots=True)
class _Rules:
    silence: float
    max_length: float
    finish_on_key: str

    def silent_end(self, origin: float, speech: tuple[float, float]) -> RecordTake:
        if origin + self.silence >= self.max_length:
            start, length = speech
            return RecordTake(self.max_length, RecordEnd.MAX_LENGTH, start, length)
        return RecordTake(origin + self.silence, RecordEnd.SILENCE, *speech)

    def during_silence(
        self,
        origin: float,
        action: CallerAction | None,
        seconds: float,
        then: tuple[CallerAction | None, float] | None,
        speech: tuple[float, float] = (0.0, 0.0),
    ) -> RecordTake:
        """Silence runs from ``origin`` (seconds into the recording) and ``action`` happens in it."""
        window_end = min(origin + self.silence, self.max_length)
        if action is None:
            return self.silent_end(origin, speech)
        at = origin + max(action.after, 0.0) if not isinstance(action, Silence) else window_end
        if isinstance(action, Speak) and action.text.strip() and seconds > 0:
            if at >= window_end:
                return self.silent_end(origin, speech)
            first = speech[0] if speech[1] > 0 else at
            spoken_end = at + seconds
            if spoken_end >= self.max_length:
                return RecordTake(
                    self.max_length, RecordEnd.MAX_LENGTH, first, self.max_length - first
                )
            following, following_seconds = then or (None, 0.0)
            return self.during_silence(
                spoken_end, following, following_seconds, None, (first, spoken_end - first)
            )
        if isinstance(action, Press):
            for press in key_presses(action.digits, at):
                if press.at >= window_end:
                    break
                if press.key in self.finish_on_key:
                    return RecordTake(press.at, RecordEnd.FINISH_ON_KEY, *speech, digits=press.key)
        if isinstance(action, HangUp) and at < window_end:
            return RecordTake(at, RecordEnd.HANGUP, *speech, digits="hangup")
        return self.silent_end(origin, speech)
