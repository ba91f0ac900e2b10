"""When a ``<Record>`` stops, as a pure function of what the caller does after the beep.

Times are seconds from the end of the beep. A recording ends on ``timeout`` seconds of silence
(``0`` disables it), on any key of ``finishOnKey``, at ``maxLength``, or when the caller hangs up.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

from interpreter.caller import CallerAction, HangUp, Press, Speak
from interpreter.verbs.digits import key_presses


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


def record_take(
    action: CallerAction,
    *,
    speech_seconds: float = 0.0,
    timeout: float = 5.0,
    max_length: float = 3600.0,
    finish_on_key: str = "1234567890*#",
) -> RecordTake:
    """Apply Twilio's end rules to one caller action.

    ``speech_seconds`` is how long the caller's ``Speak`` lasts. Silence before the caller starts
    counts towards ``timeout`` like any other silence.
    """
    silence_end = timeout if timeout > 0 else max_length
    if isinstance(action, Speak) and action.text.strip() and speech_seconds > 0:
        start = max(action.after, 0.0)
        if start >= min(silence_end, max_length):
            return _silent(silence_end, max_length)
        end = start + speech_seconds + (timeout if timeout > 0 else max_length)
        if end >= max_length:
            spoken = min(speech_seconds, max_length - start)
            return RecordTake(max_length, RecordEnd.MAX_LENGTH, start, spoken)
        return RecordTake(end, RecordEnd.SILENCE, start, speech_seconds)
    if isinstance(action, Press):
        for press in key_presses(action.digits, max(action.after, 0.0)):
            if press.at >= min(silence_end, max_length):
                break
            if press.key in finish_on_key:
                return RecordTake(press.at, RecordEnd.FINISH_ON_KEY, digits=press.key)
    if isinstance(action, HangUp):
        at = max(action.after, 0.0)
        if at < min(silence_end, max_length):
            return RecordTake(at, RecordEnd.HANGUP, digits="hangup")
    return _silent(silence_end, max_length)


def _silent(silence_end: float, max_length: float) -> RecordTake:
    if silence_end >= max_length:
        return RecordTake(max_length, RecordEnd.MAX_LENGTH)
    return RecordTake(silence_end, RecordEnd.SILENCE)
