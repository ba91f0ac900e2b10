"""What a call leaves behind: how it ended (``CallResult``) and each request it sent the
application on the way, with what came back (``WebhookExchange``)."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from callbox.interpreter.media.plane import Recording
from callbox.interpreter.quick_init import quick_init
from callbox.interpreter.status import CallStatus
from callbox.interpreter.timeline import Timeline
from callbox.interpreter.webhook import FetchResult, WebhookRequest


@quick_init
@dataclass(frozen=True, slots=True)
class WebhookExchange:
    """One request the call sent to the application, and what came back (None while in flight)."""

    kind: str
    """``document``, ``fallback``, ``whisper``, ``media`` or ``callback``."""
    request: WebhookRequest
    result: FetchResult | None
    at: float

    @property
    def url(self) -> str:
        return self.request.url

    @property
    def method(self) -> str:
        return self.request.method

    @property
    def params(self) -> Mapping[str, str | list[str]]:
        return self.request.params

    @property
    def status_code(self) -> int | None:
        return self.result.status_code if self.result else None

    @property
    def error_code(self) -> str | None:
        return self.result.error_code if self.result else None

    def as_dict(self) -> dict[str, Any]:
        return {
            "kind": self.kind,
            "at": self.at,
            "method": self.method,
            "url": self.url,
            "params": dict(self.params),
            "status_code": self.status_code,
            "error_code": self.error_code,
        }


@dataclass(frozen=True)
class CallResult:
    """How a call ended and what happened on it."""

    sid: str
    status: CallStatus
    duration: float
    """Seconds of call time from the answer to the end (0 when never answered)."""
    timeline: Timeline
    error_code: str | None = None
    """The error that ended the call (fetch or parse failure, loop cap...), None otherwise."""
    recordings: tuple[Recording, ...] = ()
    requests: tuple[WebhookExchange, ...] = ()
    """Documents fetched (voice URL, actions, redirects, fallback), in order."""
    callbacks: tuple[WebhookExchange, ...] = ()
    reason: str = ""

    @property
    def ended_on_error(self) -> bool:
        return self.error_code is not None

    def heard(self) -> list[str]:
        return self.timeline.heard()

    def as_dict(self) -> dict[str, Any]:
        return {
            "sid": self.sid,
            "status": self.status.value,
            "duration": self.duration,
            "error_code": self.error_code,
            "reason": self.reason,
            "recordings": [
                {"sid": r.sid, "duration": r.duration, "path": str(r.path) if r.path else None}
                for r in self.recordings
            ],
            "requests": [exchange.as_dict() for exchange in self.requests],
            "callbacks": [exchange.as_dict() for exchange in self.callbacks],
            "timeline": [event.as_dict() for event in self.timeline.events],
        }
