"""DTMF: the dual tones of ``<Play digits>`` and ``sendDigits``, with the keypad's timings.

Frequencies are ITU-T Q.23's (a low "row" tone plus a high "column" tone). Each key sounds for
100 ms followed by 100 ms of silence (Q.24 asks for at least 40 ms of each); ``w`` is a 0.5 s
pause and ``W`` a 1 s pause, as in Twilio's ``digits`` attribute.
"""

from __future__ import annotations

import array
import math
import sys
from functools import cache
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from pydub import AudioSegment

SAMPLE_RATE = 8000
TONE_SECONDS = 0.100
GAP_SECONDS = 0.100
PAUSES = {"w": 0.5, "W": 1.0}
AMPLITUDE = 0.35
"""Peak of each of the two tones as a fraction of full scale (together ~-3 dBFS peak)."""

ROWS = (697, 770, 852, 941)
COLUMNS = (1209, 1336, 1477, 1633)
KEYPAD = ("123A", "456B", "789C", "*0#D")
FREQUENCIES: dict[str, tuple[int, int]] = {
    key: (ROWS[r], COLUMNS[c]) for r, keys in enumerate(KEYPAD) for c, key in enumerate(keys)
}
"""Key -> (low, high) frequency in Hz, per ITU-T Q.23."""


class InvalidDigitsError(ValueError):
    """A ``digits`` string with a character that is neither a key nor a pause."""


def validate(digits: str) -> None:
    """Raise ``InvalidDigitsError`` unless every character is a key (``0-9A-D*#``) or ``w``/``W``."""
    bad = sorted({ch for ch in digits if ch not in FREQUENCIES and ch not in PAUSES})
    if bad:
        raise InvalidDigitsError(f"invalid DTMF characters: {''.join(bad)!r}")


def duration(digits: str) -> float:
    """Seconds ``digits`` take to play (keys, gaps and pauses)."""
    validate(digits)
    return sum(PAUSES.get(ch, TONE_SECONDS + GAP_SECONDS) for ch in digits)


@cache
def _key_samples(key: str) -> bytes:
    low, high = FREQUENCIES[key]
    count = round(TONE_SECONDS * SAMPLE_RATE)
    peak = AMPLITUDE * 32767
    samples = array.array(
        "h",
        (
            round(
                peak * math.sin(2 * math.pi * low * n / SAMPLE_RATE)
                + peak * math.sin(2 * math.pi * high * n / SAMPLE_RATE)
            )
            for n in range(count)
        ),
    )
    if sys.byteorder == "big":
        samples.byteswap()
    return samples.tobytes() + bytes(2 * round(GAP_SECONDS * SAMPLE_RATE))


def pcm(digits: str) -> bytes:
    """16-bit little-endian mono PCM at 8 kHz for ``digits``."""
    validate(digits)
    parts = []
    for ch in digits:
        if ch in PAUSES:
            parts.append(bytes(2 * round(PAUSES[ch] * SAMPLE_RATE)))
        else:
            parts.append(_key_samples(ch))
    return b"".join(parts)


def render(digits: str) -> AudioSegment:
    """``digits`` as a pydub segment (8 kHz mono 16-bit)."""
    from pydub import AudioSegment

    return AudioSegment(data=pcm(digits), sample_width=2, frame_rate=SAMPLE_RATE, channels=1)
