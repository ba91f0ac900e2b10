"""One inbound message's exchange with the app, run by the interpreter's shared document loop:
the number's SmsUrl is fetched with Twilio's parameters (signed, with the cookies of that
number pair), and the reply document runs: each ``<Message>`` is sent (10 per inbound message:
14109; 15 per number pair in 30 s: 14107), ``<Redirect>`` fetches the next document (50 per
exchange: 14106), a ``text/plain`` body is sent as one message. A document that cannot be
fetched or used falls back to the fallback URL once, and otherwise ends the exchange."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from contextlib import AbstractContextManager
from dataclasses import dataclass, field, replace
from typing import TYPE_CHECKING, Any, cast
from urllib.parse import urljoin

from callbox import codes
from callbox.diagnostics import Diagnostic, Severity
from callbox.interpreter.call_result import WebhookExchange
from callbox.interpreter.document_loop import UNGUARDED, DocumentLoop, LoopLimits, Target
from callbox.interpreter.documents import used_as_written, verb_name
from callbox.interpreter.outcomes import Continue, EndCall, Navigate, Outcome
from callbox.interpreter.request_log import RequestLog
from callbox.interpreter.timeline import Timeline
from callbox.interpreter.webhook import Fetcher
from callbox.markup.dialect import Dialect
from callbox.markup.model.messaging import Message
from callbox.markup.model.voice import Redirect
from callbox.markup.source import Position
from callbox.messaging import params as p
from callbox.messaging.errors import MessageRefusedError
from callbox.messaging.outbound import OutboundMessage, Sender
from callbox.messaging.rates import RunawayGuard
from callbox.records import MessageDirection

if TYPE_CHECKING:
    from callbox.interpreter.verbs import Runner


MAX_REPLIES = 10
MAX_DOCUMENTS = 50


async def _run_message(verb: Message, exchange: InboundExchange) -> Outcome:
    return exchange.send_reply(verb)


async def _run_redirect(verb: Redirect, exchange: InboundExchange) -> Outcome:
    return Navigate(verb.url, verb.method.value)


RUNNERS: dict[type, object] = {Message: _run_message, Redirect: _run_redirect}
"""The verbs a messaging document runs, on its exchange; every other verb is a warning and is
skipped."""


@dataclass(frozen=True, slots=True)
class Route:
    """Where a number's messages go: its SmsUrl, method and fallback."""

    url: str
    method: str = "POST"
    fallback_url: str | None = None
    fallback_method: str = "POST"


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


class ExchangeTimeline(Timeline):
    """A timeline stamped from the moment its exchange began (``origin`` on the platform's
    messaging clock), so a message texted to a server that has run for hours reads from 0.00s
    as a local exchange does."""

    __slots__ = ("origin",)

    def __init__(self, origin: float = 0.0) -> None:
        super().__init__()
        self.origin = origin

    def stamp(self, at: float) -> float:
        return max(0.0, at - self.origin)


@dataclass
class ExchangeResult:
    """What one inbound message led to: the documents fetched, the replies sent, the problems."""

    inbound: p.InboundMessage
    requests: list[WebhookExchange] = field(default_factory=list)
    replies: list[OutboundMessage] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)
    error_code: str | None = None
    """The code that ended the exchange early, if any."""
    timeline: Timeline = field(default_factory=ExchangeTimeline)
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
    """One inbound message's exchange, a ``Leg`` of the interpreter's shared document loop: it
    fetches with the message's parameters, checks documents as messaging TwiML, sends each
    ``<Message>`` with ``sender`` and follows ``<Redirect>``."""

    dialect = Dialect.MESSAGING

    def __init__(
        self,
        inbound: p.InboundMessage,
        route: Route,
        *,
        fetcher: Fetcher,
        sender: Sender,
        result: ExchangeResult | None = None,
        runaway: RunawayGuard | None = None,
    ) -> None:
        self.inbound = inbound
        self.route = route
        self.fetcher = fetcher
        self.sender = sender
        self.runaway = runaway
        self.result = result or ExchangeResult(inbound)
        self.clock = sender.time
        self.request_log = RequestLog(fetcher, self.clock, self.result.timeline)
        self._base = p.inbound_params(inbound)
        self._document_url: str | None = None
        self._ended = False
        self._replies = 0

    async def run(self) -> ExchangeResult:
        """Fetch and run the documents until the exchange is over."""
        loop = DocumentLoop(
            self,
            fetcher=self.fetcher,
            request_log=self.request_log,
            clock=self.clock,
            runners=cast("Mapping[type, Runner]", RUNNERS),
            limits=LoopLimits(max_documents=MAX_DOCUMENTS, max_without_input=MAX_DOCUMENTS),
        )
        await loop.run(Target(self.route.url, self.route.method.upper() or "POST"))
        origin = getattr(self.result.timeline, "origin", 0.0)  # the timeline's own zero
        self.result.requests = [
            replace(sent, at=sent.at - origin) for sent in self.request_log.sent
        ]
        return self.result

    # --- Leg: the loop's questions -----------------------------------------------------------
    def ended(self) -> bool:
        return self._ended

    def interrupted(self) -> bool:
        return self._ended

    def redirected(self) -> Target | None:
        return None  # an exchange is never redirected from outside

    def fetch_params(self, target: Target) -> dict[str, str]:
        params = {**self._base, **target.params}
        if target.error is not None:
            params[p.ERROR_CODE], params[p.ERROR_URL] = target.error
        return params

    def fetch_kind(self, target: Target) -> tuple[str, str]:
        return ("fallback" if target.fallback else "document", "")

    def opened(self, url: str | None) -> None:
        self._document_url = url

    def record_diagnostic(self, diagnostic: Diagnostic) -> None:
        severity = "error" if diagnostic.severity is Severity.ERROR else "warning"
        self._problem(Problem(diagnostic.code, diagnostic.message, severity, self._document_url))

    async def unusable(
        self, code: str, message: str, target: Target, position: Position | None = None
    ) -> Target | None:
        if self.route.fallback_url and not target.fallback and target.url is not None:
            self._problem(Problem(code, message, "error", target.url))
            return Target(
                self.route.fallback_url,
                self.route.fallback_method.upper() or "POST",
                fallback=True,
                error=(code, target.url),
            )
        self._end(code, message, target.url)
        return None

    async def not_twiml(
        self, body: bytes, content_type: str, url: str | None, target: Target
    ) -> Target | None:
        if content_type == "text/plain":
            text = body.decode("utf-8", "replace").strip()
            if text:
                self._reply(Message(body=text), url)
            self._ended = True
            return None
        return await self.unusable(
            codes.INVALID_CONTENT_TYPE.id,
            f"Content-Type {content_type or '(none)'!r} is not one Twilio accepts for a reply",
            target,
        )

    def starts(self, verbs: Sequence[object]) -> None:
        if not verbs:
            return  # <Response/>: no reply

    def admit(self, verb: object, runner: Runner | None) -> Runner | Outcome | None:
        if runner is None:
            self._problem(
                Problem(
                    codes.MESSAGE_INVALID_VERB.id,
                    f"<{verb_name(verb)}> is not a messaging verb: skipped",
                    "warning",
                    self._document_url,
                )
            )
        return runner

    def verb_ended(self, outcome: Outcome | None) -> Outcome | None:
        return outcome

    def guard(self) -> AbstractContextManager[object]:
        return UNGUARDED

    def ending(self, outcome: EndCall) -> None:
        self._ended = True
        if outcome.error_code:
            self.result.error_code = self.result.error_code or outcome.error_code

    async def declines(self, outcome: Navigate, loop: DocumentLoop) -> bool:
        return False

    def resolve_url(self, url: str | None) -> str | None:
        base = self._document_url or self.route.url
        if url is None or not url.strip():
            return base
        url = url.strip()
        return url if used_as_written(url) else urljoin(base, url)

    def end_at_loop_limit(self, message: str) -> None:
        self._end(
            codes.MESSAGE_RETRIEVAL_LIMIT.id,
            f"more than {MAX_DOCUMENTS} documents for one inbound message",
            self._document_url,
        )

    # --- the verbs -------------------------------------------------------------------------------
    def send_reply(self, verb: Message) -> Outcome:
        """A ``<Message>`` of the document: the reply is sent (up to ``MAX_REPLIES``)."""
        self._replies += 1
        if self._replies > MAX_REPLIES:
            self._end(
                codes.MESSAGE_TOO_MANY_REPLIES.id,
                f"more than {MAX_REPLIES} <Message> replies to one inbound message",
                self._document_url,
            )
            return EndCall(reason="reply limit", error_code=codes.MESSAGE_TOO_MANY_REPLIES.id)
        self._reply(verb, self._document_url)
        return Continue()

    def _reply(self, verb: Message, base: str | None) -> None:
        """Send one reply: ``verb``'s body and media, to the sender unless it says otherwise,
        from the number texted, with its status callbacks at ``action`` (or ``statusCallback``)."""
        to = verb.to
        if to and not to.startswith("+") and to.isdigit() and len(to) > 8:
            to = "+" + to  # an international number written without its plus
        callback = verb.action or verb.status_callback
        recipient, sender = to or self.inbound.from_, verb.from_ or self.inbound.to
        if self.runaway is not None and not self.runaway.allow(
            recipient, sender, self.sender.time.now()
        ):
            limit, window = self.runaway.limit, self.runaway.window
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
                [self.resolve_url(m) or m for m in verb.media],
                status_callback=self.resolve_url(callback) if callback else None,
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
