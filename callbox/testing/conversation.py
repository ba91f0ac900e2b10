"""Driving an SMS conversation from synchronous test code: each ``send`` is one inbound message
to the app (its SmsUrl fetched and its reply run, with the pair's cookies kept between
messages); ``expect_reply`` checks the replies in the order they were sent."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from anyio.from_thread import BlockingPortal

from callbox.interpreter.call_result import WebhookExchange
from callbox.messaging.exchange import ExchangeResult, Problem
from callbox.messaging.messenger import Messenger
from callbox.messaging.outbound import OutboundMessage


class NoReplyError(AssertionError):
    """The test expected a reply that the app did not send."""


class Conversation:
    """Messages between one phone (``from_``) and one of the app's numbers (``to``)."""

    def __init__(
        self, messenger: Messenger, portal: BlockingPortal, url: str, from_: str, to: str
    ) -> None:
        self.messenger = messenger
        self.portal = portal
        self.url: str | None = url
        """The SmsUrl to text; None for the number's route (``messenger.route``)."""
        self.from_ = from_
        self.to = to
        self.exchanges: list[ExchangeResult] = []
        self._read = 0

    def send(self, body: str = "", media: Sequence[str] = ()) -> Conversation:
        """Text ``body`` (and ``media`` URLs) to the app and run its reply."""
        result = self.portal.call(self._receive, body, tuple(media))
        self.exchanges.append(result)
        return self

    async def _receive(self, body: str, media: tuple[str, ...]) -> ExchangeResult:
        return await self.messenger.receive(self.from_, self.to, body, media, url=self.url)

    # --- what came back -----------------------------------------------------------------------
    @property
    def replies(self) -> list[OutboundMessage]:
        """Every reply so far (the app's and Twilio's opt-out answers), in order."""
        return [reply for exchange in self.exchanges for reply in exchange.replies]

    @property
    def requests(self) -> list[WebhookExchange]:
        """Every document request so far, in order."""
        return [request for exchange in self.exchanges for request in exchange.requests]

    @property
    def problems(self) -> list[Problem]:
        """Every warning and error so far (their Twilio codes), in order."""
        return [problem for exchange in self.exchanges for problem in exchange.problems]

    def expect_reply(
        self, body: str | None = None, *, contains: str | None = None
    ) -> OutboundMessage:
        """The next reply not checked yet; fails unless its body is ``body`` (or contains
        ``contains``)."""
        replies = self.replies
        if self._read >= len(replies):
            raise NoReplyError(
                f"expected a reply {body or contains!r}, but the app sent no more replies"
                + self._problems_text()
            )
        reply = replies[self._read]
        self._read += 1
        if body is not None and reply.body != body:
            raise AssertionError(f"expected the reply {body!r}, got {reply.body!r}")
        if contains is not None and contains not in reply.body:
            raise AssertionError(f"expected a reply containing {contains!r}, got {reply.body!r}")
        return reply

    def expect_no_reply(self) -> None:
        """Fails when a reply is left that the test has not checked."""
        left = self.replies[self._read :]
        if left:
            raise AssertionError(f"expected no more replies, got {[r.body for r in left]!r}")

    def wait_for_delivery(self) -> Conversation:
        """Run virtual time on until every reply has its final status (and its callbacks)."""
        self.portal.call(self.messenger.drain)
        return self

    def _problems_text(self) -> str:
        if not self.problems:
            return ""
        return "; problems: " + "; ".join(f"{p.code} {p.message}" for p in self.problems)

    def as_dict(self) -> dict[str, Any]:
        return {
            "from": self.from_,
            "to": self.to,
            "replies": [reply.body for reply in self.replies],
            "problems": [problem.as_dict() for problem in self.problems],
        }
