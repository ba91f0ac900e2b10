"""Opt-out as Twilio handles it by default: an inbound body that is only a STOP, START or HELP
keyword (any case, surrounding spaces ignored) opts the sender out of, back into, or asks for
help with messages from that number; Twilio answers with its default reply, and sending to an
opted-out recipient is refused with error 21610."""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum


class Keyword(StrEnum):
    """The kind of opt-out keyword a body is (Twilio's ``OptOutType`` parameter)."""

    STOP = "STOP"
    START = "START"
    HELP = "HELP"


KEYWORDS: dict[Keyword, frozenset[str]] = {
    Keyword.STOP: frozenset(
        {"STOP", "STOPALL", "UNSUBSCRIBE", "CANCEL", "END", "QUIT", "OPTOUT", "REVOKE"}
    ),
    Keyword.START: frozenset({"START", "YES", "UNSTOP"}),
    Keyword.HELP: frozenset({"HELP", "INFO"}),
}
"""Twilio's default keyword sets."""

DEFAULT_REPLIES: dict[Keyword, str] = {
    Keyword.STOP: (
        "You have successfully been unsubscribed. You will not receive any more messages "
        "from this number. Reply START to resubscribe."
    ),
    Keyword.START: (
        "You have successfully been re-subscribed to messages from this number. Reply HELP "
        "for help. Reply STOP to unsubscribe. Msg&Data Rates May Apply."
    ),
    Keyword.HELP: "Reply STOP to unsubscribe. Msg&Data Rates May Apply.",
}
"""What Twilio answers to each keyword when the number has no custom replies."""


def keyword_of(body: str) -> Keyword | None:
    """The opt-out keyword ``body`` is, when it is nothing but one."""
    word = body.strip().upper()
    for keyword, words in KEYWORDS.items():
        if word in words:
            return keyword
    return None


@dataclass(frozen=True, slots=True)
class OptOutEvent:
    """What an inbound keyword did: the keyword, whether it changed the pair's state, and the
    auto-reply Twilio sends (None when replies are turned off)."""

    keyword: Keyword
    changed: bool
    reply: str | None


class OptOutList:
    """Who opted out of messages from which sender: pairs of (recipient, sender scope), the
    scope being the number, or the Messaging Service whose pool sent the message."""

    def __init__(self, replies: dict[Keyword, str] | None = None) -> None:
        self.replies: dict[Keyword, str] = dict(DEFAULT_REPLIES if replies is None else replies)
        self._blocked: set[tuple[str, str]] = set()

    def is_blocked(self, recipient: str, sender: str) -> bool:
        """Whether ``recipient`` opted out of messages from ``sender`` (a number or a service)."""
        return (recipient, sender) in self._blocked

    def block(self, recipient: str, sender: str) -> None:
        self._blocked.add((recipient, sender))

    def unblock(self, recipient: str, sender: str) -> None:
        self._blocked.discard((recipient, sender))

    def receive(self, from_: str, scope: str, body: str) -> OptOutEvent | None:
        """Apply an inbound message from ``from_`` to ``scope`` (the number it was sent to, or its
        Messaging Service): the event when its body is a keyword, else None."""
        keyword = keyword_of(body)
        if keyword is None:
            return None
        was_blocked = self.is_blocked(from_, scope)
        if keyword is Keyword.STOP:
            self.block(from_, scope)
        elif keyword is Keyword.START:
            self.unblock(from_, scope)
        changed = was_blocked != self.is_blocked(from_, scope)
        return OptOutEvent(keyword, changed, self.replies.get(keyword))

    @property
    def pairs(self) -> frozenset[tuple[str, str]]:
        """The blocked (recipient, sender) pairs."""
        return frozenset(self._blocked)
