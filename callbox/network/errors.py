"""The network package's errors: one base; a carrier config that cannot be used; a destination
that is no phone number; a destination no carrier serves; a call the exchange cannot place. ``code`` is Twilio's number for the
same failure where there is one.
"""

from __future__ import annotations


class NetworkError(Exception):
    """Base of every network error."""

    code: int = 0

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


class CarrierConfigError(NetworkError, ValueError):
    """The carrier config (or a rate deck it names) is missing, malformed or inconsistent.
    The message starts with the file and the key: ``carriers.toml: carriers.atlas.asr: ...``."""


class NumberError(NetworkError, ValueError):
    """A destination that is not an E.164 number (Twilio's 21211, invalid 'To' number)."""

    code = 21211


class NoRouteError(NetworkError):
    """No carrier in the config serves the destination for this service (Twilio answers
    21215 for calls and 21408 for messages to a region the account may not reach)."""

    def __init__(self, message: str, *, code: int) -> None:
        super().__init__(message)
        self.code = code


class ExchangeError(NetworkError):
    """A call the exchange cannot place (it is not running, or nowhere to send the call)."""


class UnservedNumberError(ExchangeError):
    """A call to a number the platform does not serve, or one with nothing to run (Twilio's
    21214, 'To' phone number cannot be reached)."""

    code = 21214
