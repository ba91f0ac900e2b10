"""Dialects of TwiML: voice documents and messaging documents share a root but not a vocabulary."""

from __future__ import annotations

from enum import StrEnum

from lxml import etree

MESSAGING_VERBS = ("Message",)
"""Verbs that exist only in messaging documents (``Redirect`` is in both)."""

VOICE_VERBS = frozenset(
    {
        "Connect",
        "Dial",
        "Echo",
        "Enqueue",
        "Gather",
        "Hangup",
        "Leave",
        "Pause",
        "Pay",
        "Play",
        "Record",
        "Refer",
        "Reject",
        "Say",
        "Start",
        "Stop",
    }
)
"""Verbs that exist only in voice documents (the voice XSD's ``<Response>`` children but the
shared ``<Redirect>`` and ``<Sms>``)."""


class Dialect(StrEnum):
    VOICE = "voice"
    MESSAGING = "messaging"
    AUTO = "auto"

    def __str__(self) -> str:
        return self.value


def detect_dialect(root: etree._Element | None) -> Dialect:
    """Messaging when the document's verbs include ``<Message>`` and no voice-only verb, voice
    otherwise: ``<Say>`` next to ``<Message>`` is a voice reply with a misplaced ``<Message>``."""
    if root is None or next(root.iterchildren(MESSAGING_VERBS), None) is None:
        return Dialect.VOICE
    if any(child.tag in VOICE_VERBS for child in root):
        return Dialect.VOICE
    return Dialect.MESSAGING
