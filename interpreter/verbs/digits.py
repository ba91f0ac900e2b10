"""DTMF entry as a pure function: which keys a ``<Gather>`` keeps, and when it stops listening.

Times are seconds from the start of the wait (the end of the Gather's prompts); a negative time is
a key pressed while the prompts were still playing. ``w`` in what the caller presses waits 0.5 s,
``W`` one second, as in ``<Play digits>``; characters that are not keys are ignored.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

from callbox.interpreter.quick_init import quick_init

DTMF_KEYS = frozenset("0123456789*#ABCD")
PAUSES = {"w": 0.5, "W": 1.0}


class GatherEnd(StrEnum):
    """Why a ``<Gather>`` stopped listening."""

    FINISH_ON_KEY = "finish-on-key"
    NUM_DIGITS = "num-digits"
    INTER_DIGIT_TIMEOUT = "inter-digit-timeout"
    TIMEOUT = "timeout"
    SPEECH_END = "speech-end"
    MAX_SPEECH_TIME = "max-speech-time"
    HANGUP = "hangup"


@quick_init
@dataclass(frozen=True, slots=True)
class KeyPress:
    """One key and the time it was pressed (seconds from the start of the wait)."""

    key: str
    at: float


def key_presses(pressed: str, after: float = 0.0) -> list[KeyPress]:
    """The keys in ``pressed`` with their times: the first at ``after``, ``w``/``W`` wait between."""
    presses: list[KeyPress] = []
    at = after
    for char in pressed:
        if char in PAUSES:
            at += PAUSES[char]
        elif char in DTMF_KEYS:
            presses.append(KeyPress(char, at))
    return presses


@quick_init
@dataclass(frozen=True, slots=True)
class DigitEntry:
    """What a ``<Gather>`` collected from key presses.

    ``digits`` excludes the finish key; ``end`` says why listening stopped and ``stopped_at`` when
    (seconds from the start of the wait); ``first_key_at`` is when the first key counted (None when
    no key did), the moment barge-in stops the prompts.
    """

    digits: str
    end: GatherEnd
    stopped_at: float
    first_key_at: float | None = None

    @property
    def empty(self) -> bool:
        return not self.digits


def collect_digits(
    presses: list[KeyPress],
    *,
    timeout: float,
    finish_on_key: str = "#",
    num_digits: int | None = None,
    listening_from: float | None = None,
) -> DigitEntry:
    """Run Twilio's DTMF rules over ``presses``.

    The entry ends on the finish key (not included; alone, it gives an empty result), when
    ``num_digits`` keys are in (later keys are ignored, as on a real line), or ``timeout`` seconds
    after the last key; with no key at all, ``timeout`` seconds after the wait starts. Keys before
    ``listening_from`` (prompts without barge-in still playing) are not heard.
    """
    finish_keys = set(finish_on_key)
    digits = ""
    first: float | None = None
    last = 0.0
    for press in presses:
        if listening_from is not None and press.at < listening_from:
            continue
        deadline = last + timeout if digits else max(timeout, 0.0)
        if press.at > deadline:
            break
        if first is None:
            first = press.at
        if press.key in finish_keys:
            return DigitEntry(digits, GatherEnd.FINISH_ON_KEY, press.at, first)
        digits += press.key
        last = press.at
        if num_digits is not None and len(digits) >= num_digits:
            return DigitEntry(digits, GatherEnd.NUM_DIGITS, press.at, first)
    if digits:
        return DigitEntry(digits, GatherEnd.INTER_DIGIT_TIMEOUT, last + timeout, first)
    return DigitEntry("", GatherEnd.TIMEOUT, max(timeout, 0.0), None)
