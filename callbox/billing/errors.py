"""The billing package's errors: one base, and the bad usage query a REST client can send."""

from __future__ import annotations


class BillingError(Exception):
    """Base of every billing error. ``code`` is Twilio's error number where one applies."""

    code: int = 0

    def __init__(self, message: str, *, code: int | None = None) -> None:
        super().__init__(message)
        self.message = message
        if code is not None:
            self.code = code


class RateError(BillingError, ValueError):
    """A rate that cannot be used: negative, not a decimal, an increment of zero seconds."""


class UsageQueryError(BillingError, ValueError):
    """A usage query Twilio would refuse with a 400 (a date that does not parse, a bad category)."""

    code = 20001
