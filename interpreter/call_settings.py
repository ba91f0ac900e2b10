"""What describes one call before it starts: ``CallSettings``, its defaults, and ``SettingsError``
for settings that cannot describe a call (under ``CallSessionError``, the base of the call
session's errors)."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field

from callbox.interpreter import params as p

DEFAULT_ACCOUNT_SID = "AC" + "0123456789abcdef" * 2
"""A test account SID (``AC`` + 32 hex) used when none is given."""
DEFAULT_AUTH_TOKEN = "0123456789abcdef" * 2
"""A test auth token used to sign requests when none is given."""
DEFAULT_FROM = "+15005550006"
DEFAULT_TO = "+15005551234"
DEFAULT_MAX_DOCUMENTS = 100
DEFAULT_MAX_REDIRECTS_WITHOUT_INPUT = 20
DEFAULT_TIME_LIMIT = 4 * 3600.0


class CallSessionError(Exception):
    """Base of the call session's errors (misuse, never a bad application)."""


class SettingsError(CallSessionError, ValueError):
    """Call settings that cannot describe a call."""


@dataclass(frozen=True, slots=True)
class CallSettings:
    """Everything that describes one call before it starts.

    Either ``url`` (the voice URL, fetched with ``method``) or ``twiml`` (an inline document, as
    the REST ``Twiml`` parameter; it has no URL, so relative URLs in it are errors, 15004).
    ``max_documents`` caps the documents one call may fetch; ``max_redirects_without_input``
    caps consecutive navigations (redirects, empty actions) while the caller does nothing; either
    cap ends the call with error ``CF301``. ``time_limit`` is the call's longest duration (Twilio's
    ``TimeLimit``, 4 hours). ``extra_params`` go into every request (``ForwardedFrom``, geo...).
    """

    url: str | None = None
    method: str = "POST"
    from_: str = DEFAULT_FROM
    to: str = DEFAULT_TO
    account_sid: str = DEFAULT_ACCOUNT_SID
    auth_token: str = DEFAULT_AUTH_TOKEN
    direction: str = "inbound"
    fallback_url: str | None = None
    fallback_method: str = "POST"
    status_callback: str | None = None
    status_callback_method: str = "POST"
    status_callback_events: frozenset[str] = frozenset({"completed"})
    max_documents: int = DEFAULT_MAX_DOCUMENTS
    max_redirects_without_input: int = DEFAULT_MAX_REDIRECTS_WITHOUT_INPUT
    twiml: bytes | None = None
    time_limit: float = DEFAULT_TIME_LIMIT
    call_sid: str | None = None
    extra_params: Mapping[str, str] = field(default_factory=dict)
    api_base_url: str | None = None
    """Base URL of the server that serves this call's recordings (``RecordingUrl``'s host);
    None for Twilio's own, ``https://api.twilio.com``."""

    def __post_init__(self) -> None:
        if self.url is None and self.twiml is None:
            raise SettingsError("a call needs a voice URL or inline TwiML")
        if self.direction not in p.DIRECTIONS:
            raise SettingsError(f"direction must be one of {', '.join(p.DIRECTIONS)}")
        unknown = set(self.status_callback_events) - set(p.STATUS_CALLBACK_EVENTS)
        if unknown:
            raise SettingsError(
                f"unknown status callback events: {', '.join(sorted(unknown))} "
                f"(use {', '.join(p.STATUS_CALLBACK_EVENTS)})"
            )
        if self.max_documents < 1 or self.max_redirects_without_input < 0:
            raise SettingsError("the document caps must be positive")
        if self.time_limit <= 0:
            raise SettingsError("the time limit must be positive")
