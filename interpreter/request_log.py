"""The requests a call sends the application for documents and media: each is kept with what came
back (``RequestLog.sent``) and put on the timeline at the call time it was sent."""

from __future__ import annotations

from typing import Any

from callbox.interpreter.call_result import WebhookExchange
from callbox.interpreter.clock import Clock
from callbox.interpreter.timeline import DerivedEvent, Timeline
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
        *,
        document: bool = False,
    ) -> None:
        """Keep a request the call sent (``kind`` as in ``WebhookExchange``) and put it on the
        timeline at ``at``, its time of sending; ``url`` is the one to show (after redirects);
        a ``document`` request's entry also says the content type and how long it took."""
        exchange = WebhookExchange(kind, request, result, at)
        self.sent.append(exchange)
        self.timeline.append(RequestEvent(self.timeline.stamp(at), exchange, url, note, document))


class RequestEvent(DerivedEvent):
    """A request on the timeline (kind ``request``), written from its exchange when read."""

    __slots__ = ("_document", "_note", "_url", "exchange")
    exchange: WebhookExchange
    _url: str
    _note: str
    _document: bool

    def __init__(
        self, at: float, exchange: WebhookExchange, url: str, note: str, document: bool
    ) -> None:
        super().__init__(at, "request")
        object.__setattr__(self, "exchange", exchange)
        object.__setattr__(self, "_url", url)
        object.__setattr__(self, "_note", note)
        object.__setattr__(self, "_document", document)

    @property
    def text(self) -> str:
        exchange = self.exchange
        result = exchange.result
        assert result is not None
        return f"{exchange.request.method} {self._url} → {_status_text(result)}{self._note}"

    @property
    def data(self) -> dict[str, Any]:
        exchange = self.exchange
        result = exchange.result
        assert result is not None
        data: dict[str, Any] = {
            "purpose": exchange.kind,
            "method": exchange.request.method,
            "url": self._url,
            "status_code": result.status_code,
            "error_code": result.error_code,
        }
        if self._document:
            data["content_type"] = result.content_type
            data["elapsed"] = round(result.elapsed, 6)
        return data


def _status_text(result: FetchResult) -> str:
    if result.ok:
        return f"{result.status_code} {result.content_type}".strip()
    status = f"HTTP {result.status_code}, " if result.status_code else ""
    return f"{status}error {result.error_code}: {result.message}"
