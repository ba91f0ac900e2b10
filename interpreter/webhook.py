"""The contract between a call and the application's web server: requests out, documents back.

A ``WebhookRequest`` is what the call wants fetched (URL, method, Twilio's parameters); a
``Fetcher`` sends it (signed, with cookies, limits and timeouts) and returns a ``FetchResult``:
either a body the call can use, or a failure carrying Twilio's error code.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Protocol

from callbox.interpreter.quick_init import quick_init

WEBHOOK_BUDGET = 15.0
"""Seconds Twilio gives one webhook in all, connecting included: the fetch's total timeout, and
the bound on parsing what came back."""

_METHODS = {name: name for name in ("GET", "POST", "PUT", "DELETE", "PATCH", "HEAD")}


def http_method(text: str) -> str:
    """A TwiML ``method`` attribute as the request's method: upper-case, ``POST`` when empty.
    The usual methods come back as shared strings (a call keeps the method of every request it
    made, and ``upper()`` makes a new string each time)."""
    upper = text.upper() or "POST"
    return _METHODS.get(upper, upper)


@quick_init
@dataclass(frozen=True, slots=True)
class WebhookRequest:
    """One request to the application. ``params`` keep Twilio's names (``CallSid``, ``Digits``)."""

    url: str
    method: str = "POST"
    params: Mapping[str, str | list[str]] = field(default_factory=dict)


@quick_init
@dataclass(frozen=True, slots=True)
class FetchResult:
    """The outcome of one fetch.

    On success ``error_code`` is None, ``body`` holds at most the size cap, ``content_type`` is the
    media type without parameters (``text/xml``), and ``url`` is the final URL after HTTP redirects
    (relative URLs in the document resolve against it). On failure ``error_code`` is Twilio's
    (``11200``, ``11205``, ``11210``, ``11215``, ``11750``, ``11770``, ``12300``, ``11100``...),
    ``message`` says what happened, and ``status_code`` is the HTTP status if one was received.
    """

    url: str
    method: str
    status_code: int | None = None
    content_type: str = ""
    body: bytes = b""
    error_code: str | None = None
    message: str = ""
    elapsed: float = 0.0

    @property
    def ok(self) -> bool:
        return self.error_code is None


class Fetcher(Protocol):
    async def fetch_document(self, request: WebhookRequest) -> FetchResult:
        """Fetch TwiML (or text/plain, or audio): content types Twilio accepts for a document."""
        ...

    async def fetch_media(self, url: str) -> FetchResult:
        """GET an audio file for ``<Play>`` (same limits, larger size cap)."""
        ...

    async def send_callback(self, request: WebhookRequest) -> FetchResult:
        """Fire a status callback; the body is ignored, a non-2xx gives ``15003``."""
        ...
