"""The requests a call sends the application for documents and media: each is kept with what came
back (``RequestLog.sent``) and put on the timeline at the call time it was sent."""

from __future__ import annotations

from typing import Any

from callbox.interpreter.call_result import WebhookExchange
from callbox.interpreter.clock import Clock
from callbox.interpreter.timeline import Timeline
from callbox.interpreter.webhook import Fetcher, FetchResult, WebhookRequest


class RequestLog:
    """One call's requests for documents (the voice URL, actions, redirects, the fallback, whisper
    documents) and media, in the order they were sent."""

    __slots__ = ("clock", "fetcher", "sent", "timeline")

    def __init__(self, fetcher: Fetcher, clock: Clock, timeline: Timeline) -> None:
        self.fetcher = fetcher
        self.clock = clock
        self.timeline = timeline
        self.sent: list[WebhookExchange] = []

    async def fetch_media(self, url: str) -> FetchResult:
        """GET an audio file (``<Play>``) and record the request."""
        at = self.clock.now()
        request = WebhookRequest(url, "GET", {})
        result = await self.fetcher.fetch_media(url)
        self.record("media", request, result, at, result.url)
        return result

    def record(
        self,
        kind: str,
        request: WebhookRequest,
        result: FetchResult,
        at: float,
        url: str,
        note: str = "",
        **data: Any,
    ) -> None:
        """Keep a request the call sent (``kind`` as in ``WebhookExchange``) and put it on the
        timeline at ``at``, its time of sending; ``url`` is the one to show (after redirects)."""
        self.sent.append(WebhookExchange(kind, request, result, at))
        self.timeline.add(
            at,
            "request",
            f"{request.method} {url} → {_status_text(result)}{note}",
            purpose=kind,
            method=request.method,
            url=url,
            status_code=result.status_code,
            error_code=result.error_code,
            **data,
        )


def _status_text(result: FetchResult) -> str:
    if result.ok:
        return f"{result.status_code} {result.content_type}".strip()
    status = f"HTTP {result.status_code}, " if result.status_code else ""
    return f"{status}error {result.error_code}: {result.message}"
