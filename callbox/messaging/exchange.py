"""One inbound message's exchange with the app: the number's SmsUrl is fetched with Twilio's
parameters (signed, with the cookies of that number pair), and the reply document runs:
each ``<Message>`` is sent (10 at most: 14109), ``<Redirect>`` fetches the next document (50
per exchange: 14106; 15 per number pair in 30 s: 14107), a ``text/plain`` body is sent as one
message. A document that cannot be
fetched or used falls back to the fallback URL once, and otherwise ends the exchange."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urljoin

from callbox import codes
from callbox.interpreter.call_result import WebhookExchange
from callbox.interpreter.documents import compile_off_loop, used_as_written
from callbox.interpreter.timeline import Timeline
from callbox.interpreter.webhook import Fetcher, FetchResult, WebhookRequest
from callbox.markup.dialect import Dialect
from callbox.markup.model.messaging import Message
from callbox.markup.model.voice import Redirect
from callbox.messaging import params as p
from callbox.messaging.errors import MessageRefusedError
from callbox.messaging.outbound import OutboundMessage, Sender
from callbox.messaging.rates import RunawayGuard
from callbox.records import MessageDirection

MAX_REPLIES = 10
MAX_DOCUMENTS = 50
XML_TYPES = frozenset({"text/xml", "application/xml", "text/html"})


@dataclass(frozen=True, slots=True)
class Route:
    """Where a number's messages go: its SmsUrl, method and fallback."""

    url: str
    method: str = "POST"
    fallback_url: str | None = None
    fallback_method: str = "POST"


@dataclass(frozen=True, slots=True)
class _Next:
    """The next document to fetch."""

    url: str
    method: str = "POST"


@dataclass(frozen=True, slots=True)
class _Failed:
    """A document that could not be fetched or used."""

    code: str
    message: str


@dataclass(frozen=True, slots=True)
class Problem:
    """Something that went wrong in an exchange: Twilio's code and what happened."""

    code: str
    message: str
    severity: str = "error"
    url: str | None = None

    def as_dict(self) -> dict[str, Any]:
        return {
            "code": self.code,
            "severity": self.severity,
            "message": self.message,
            "url": self.url,
        }


@dataclass
class ExchangeResult:
    """What one inbound message led to: the documents fetched, the replies sent, the problems."""

    inbound: p.InboundMessage
    requests: list[WebhookExchange] = field(default_factory=list)
    replies: list[OutboundMessage] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)
    error_code: str | None = None
    """The code that ended the exchange early, if any."""
    timeline: Timeline = field(default_factory=Timeline)
    """What happened, in time order: requests, replies, their statuses and callbacks, problems."""

    def as_dict(self) -> dict[str, Any]:
        inbound = self.inbound
        return {
            "sid": inbound.sid,
            "from": inbound.from_,
            "to": inbound.to,
            "body": inbound.body,
            "media": list(inbound.media),
            "error_code": self.error_code,
            "requests": [request.as_dict() for request in self.requests],
            "replies": [reply_dict(reply) for reply in self.replies],
            "problems": [problem.as_dict() for problem in self.problems],
            "timeline": [event.as_dict() for event in self.timeline.events],
        }


def reply_dict(reply: OutboundMessage) -> dict[str, Any]:
    """A reply as data: what was sent, how, and the statuses it went through."""
    return {
        "sid": reply.sid,
        "to": reply.to,
        "from": reply.from_,
        "body": reply.body,
        "media": list(reply.media),
        "num_segments": reply.num_segments,
        "encoding": reply.segmentation.encoding.value,
        "status": reply.status.value,
        "error_code": reply.error_code,
        "history": [{"at": at, "status": status.value} for at, status in reply.history],
        "callbacks": [callback.as_dict() for callback in reply.callbacks],
    }


class InboundExchange:
    """Runs one inbound message's documents through ``fetcher`` and sends replies with ``sender``."""

    def __init__(
        self,
        inbound: p.InboundMessage,
        route: Route,
        *,
        fetcher: Fetcher,
        sender: Sender,
        result: ExchangeResult | None = None,
        guard: RunawayGuard | None = None,
    ) -> None:
        self.inbound = inbound
        self.guard = guard
        self.route = route
        self.fetcher = fetcher
        self.sender = sender
        self.result = result or ExchangeResult(inbound)
        self._base = p.inbound_params(inbound)

    async def run(self) -> ExchangeResult:
        """Fetch and run the documents until the exchange is over."""
        step: _Next | _Failed | None = _Next(self.route.url, self.route.method)
        fallback = False
        error: tuple[str, str] | None = None
        while isinstance(step, _Next):
            if len(self.result.requests) >= MAX_DOCUMENTS:
                self._end(
                    codes.MESSAGE_RETRIEVAL_LIMIT.id,
                    f"more than {MAX_DOCUMENTS} documents for one inbound message",
                    step.url,
                )
                return self.result
            params = dict(self._base)
            if error is not None:
                params[p.ERROR_CODE], params[p.ERROR_URL] = error
            kind = "fallback" if fallback else "document"
            fetched = await self._fetch(step.url, step.method, params, kind)
            if fetched.ok:
                outcome = await self._run_document(fetched)
            else:
                outcome = _Failed(
                    fetched.error_code or codes.HTTP_RETRIEVAL_FAILURE.id,
                    fetched.message or "the document could not be fetched",
                )
            if isinstance(outcome, _Failed):
                if fallback or not self.route.fallback_url:
                    self._end(outcome.code, outcome.message, step.url)
                    return self.result
                self._problem(Problem(outcome.code, outcome.message, "error", step.url))
                error = (outcome.code, step.url)
                fallback = True
                outcome = _Next(self.route.fallback_url, self.route.fallback_method)
            step = outcome
        return self.result

    async def _fetch(
        self, url: str, method: str, params: Mapping[str, str], kind: str
    ) -> FetchResult:
        request = WebhookRequest(url, method.upper() or "POST", dict(params))
        at = self.sender.time.now()
        result = await self.fetcher.fetch_document(request)
        self.result.requests.append(WebhookExchange(kind, request, result, at))
        answer = (
            f"{result.status_code} {result.content_type}".strip()
            if result.ok
            else f"{result.error_code} {result.message}"
        )
        self.result.timeline.add(
            at,
            "request",
            f"{request.method} {request.url} -> {answer}",
            document=kind,
            url=request.url,
            status_code=result.status_code,
        )
        return result

    async def _run_document(self, fetched: FetchResult) -> _Next | _Failed | None:
        """Run a fetched document: the next document to fetch, a failure, or None when the
        exchange is over."""
        if fetched.content_type == "text/plain":
            text = fetched.body.decode("utf-8", "replace").strip()
            if text:
                self._reply(Message(body=text), fetched.url)
            return None
        if fetched.content_type not in XML_TYPES:
            return _Failed(
                codes.INVALID_CONTENT_TYPE.id,
                f"Content-Type {fetched.content_type or '(none)'!r} is not one Twilio accepts "
                "for a reply",
            )
        if not fetched.body.strip():
            return None
        # parsed in a worker thread within a bound, as a call's documents are
        verbs, diagnostics = await compile_off_loop(
            fetched.body, fetched.url, dialect=Dialect.MESSAGING
        )
        for found in diagnostics:
            if not found.is_error or found.code == codes.SCHEMA_VALIDATION.id:
                self._problem(Problem(found.code, found.message, found.severity.value, fetched.url))
        fatal = [d for d in diagnostics if d.is_error and d.code != codes.SCHEMA_VALIDATION.id]
        if fatal:
            return _Failed(fatal[0].code, fatal[0].message)
        replies = 0
        for verb in verbs:
            if isinstance(verb, Message):
                replies += 1
                if replies > MAX_REPLIES:
                    self._end(
                        codes.MESSAGE_TOO_MANY_REPLIES.id,
                        f"more than {MAX_REPLIES} <Message> replies to one inbound message",
                        fetched.url,
                    )
                    return None
                self._reply(verb, fetched.url)
            elif isinstance(verb, Redirect):
                target = self._resolve(verb.url, fetched.url)
                return _Next(target, verb.method.value) if target else None
            else:
                name = getattr(verb, "tag", type(verb).__name__)
                self._problem(
                    Problem(
                        codes.MESSAGE_INVALID_VERB.id,
                        f"<{name}> is not a messaging verb: skipped",
                        "warning",
                        fetched.url,
                    )
                )
        return None

    def _resolve(self, url: str | None, base: str) -> str | None:
        if url is None or not url.strip():
            return base
        url = url.strip()
        return url if used_as_written(url) else urljoin(base, url)

    def _reply(self, verb: Message, base: str) -> None:
        """Send one reply: ``verb``'s body and media, to the sender unless it says otherwise,
        from the number texted, with its status callbacks at ``action`` (or ``statusCallback``)."""
        to = verb.to
        if to and not to.startswith("+") and to.isdigit() and len(to) > 8:
            to = "+" + to  # an international number written without its plus
        callback = verb.action or verb.status_callback
        recipient, sender = to or self.inbound.from_, verb.from_ or self.inbound.to
        if self.guard is not None and not self.guard.allow(
            recipient, sender, self.sender.time.now()
        ):
            limit, window = self.guard.limit, self.guard.window
            self._problem(
                Problem(
                    codes.MESSAGE_SEND_RATE.id,
                    f"more than {limit} replies from {sender} to {recipient} in {window:g} s: "
                    "not sent (runaway protection)",
                    "error",
                    base,
                )
            )
            return
        try:
            message = self.sender.create(
                recipient,
                sender,
                verb.body,
                [self._resolve(m, base) or m for m in verb.media],
                status_callback=self._resolve(callback, base) if callback else None,
                status_callback_method=verb.method.value,
                direction=MessageDirection.OUTBOUND_REPLY,
            )
        except MessageRefusedError as exc:
            self._problem(Problem(str(exc.code), exc.message, "error", base))
            return
        self.add_reply(self.result, message, self.sender.time.now())

    @staticmethod
    def add_reply(result: ExchangeResult, message: OutboundMessage, at: float) -> None:
        """Count ``message`` as a reply of ``result``; its statuses go on the timeline."""
        result.replies.append(message)
        message.timeline = result.timeline
        shown = message.body if len(message.body) <= 80 else message.body[:77] + "..."
        segments = message.num_segments
        result.timeline.add(
            at,
            "message",
            f"{message.sid} to {message.to} from {message.from_}: {shown!r} "
            f"({segments} segment{'s' if segments != 1 else ''}, "
            f"{message.segmentation.encoding.value}"
            + (f", {len(message.media)} media" if message.media else "")
            + ")",
            sid=message.sid,
        )

    def _problem(self, problem: Problem) -> None:
        self.result.problems.append(problem)
        self.result.timeline.add(
            self.sender.time.now(),
            problem.severity,
            f"{problem.code} {problem.message}",
            code=problem.code,
        )

    def _end(self, code: str, message: str, url: str | None = None) -> None:
        self._problem(Problem(code, message, "error", url))
        self.result.error_code = self.result.error_code or code
