"""Dialects of TwiML: voice documents and messaging documents share a root but not a vocabulary."""

from __future__ import annotations

from enum import StrEnum

from lxml import etree

MESSAGING_VERBS = ("Message",)
"""Verbs that exist only in messaging documents (``Redirect`` is in both)."""


class Dialect(StrEnum):
    VOICE = "voice"
    MESSAGING = "messaging"
    AUTO = "auto"

    def __str__(self) -> str:
        return self.value


def detect_dialect(root: etree._Element | None) -> Dialect:
    """Messaging when the document's verbs include ``<Message>``, voice otherwise."""
    if root is not None and next(root.iterchildren(MESSAGING_VERBS), None) is not None:
        return Dialect.MESSAGING
    return Dialect.VOICE
