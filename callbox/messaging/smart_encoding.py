"""Twilio's smart encoding: characters that look like GSM-7 ones (curly quotes, dashes, full-width
letters, odd spaces...) are replaced by them before a body is counted and sent, so that one stray
character does not turn a GSM-7 message into UCS-2. The table is Twilio's calculator's."""

from __future__ import annotations

from callbox.messaging.tables import SMART_ENCODING

REPLACEMENTS: dict[str, str] = SMART_ENCODING
"""Each replaced character and what replaces it (possibly several characters, or none)."""


def smart_encode(body: str) -> str:
    """``body`` with every character that has a GSM-7 look-alike replaced by it."""
    return "".join(REPLACEMENTS.get(char, char) for char in body)
