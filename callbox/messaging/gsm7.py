"""The GSM-7 alphabet (3GPP TS 23.038) as Twilio counts it: the basic set costs one septet a
character, the extension set (``^ { } [ ] ~ \\ | €`` and form feed) two, an escape and the
character, which are never split across segments."""

from __future__ import annotations

from callbox.messaging.tables import GSM_BASIC, GSM_EXTENSION

BASIC = frozenset(GSM_BASIC)
"""Characters of the basic set: one septet each."""
EXTENSION = frozenset(GSM_EXTENSION)
"""Characters of the extension table: an escape septet and the character's own."""


def septets(char: str) -> int:
    """What ``char`` costs in GSM-7: 1 or 2 septets, 0 when GSM-7 cannot carry it."""
    if char in BASIC:
        return 1
    if char in EXTENSION:
        return 2
    return 0


def is_gsm7(text: str) -> bool:
    """Whether every character of ``text`` is in the GSM-7 alphabet."""
    return all(char in BASIC or char in EXTENSION for char in text)
