"""The messaging package's errors: one base, ``MessagingError``; a message Twilio would refuse at
creation is a ``MessageRefusedError`` carrying Twilio's code (21211, 21610, 21617...)."""

from __future__ import annotations


class MessagingError(Exception):
    """Something messaging cannot do."""


class MessageRefusedError(MessagingError):
    """A message refused when it is created, with Twilio's error ``code`` and HTTP ``status``."""

    def __init__(self, code: int, message: str, status: int = 400) -> None:
        super().__init__(message)
        self.code = code
        self.message = message
        self.status = status


class MessagingServiceError(MessagingError, ValueError):
    """A Messaging Service that cannot send: an empty pool, or a sender that is no address."""


class UnknownDeliveryCodeError(MessagingError, ValueError):
    """A delivery error asked of the simulated network that is not one of Twilio's 30003-30008."""
