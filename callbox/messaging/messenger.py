"""The messaging platform in one object: the numbers and where their messages go, Messaging
Services, the opt-out list, the sender with its queues and simulated network, and the cookies
of each number pair (kept four hours after the pair's last message, as Twilio keeps them).
``receive`` runs an inbound message's exchange; ``send`` creates an outbound message."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from types import TracebackType

import anyio
import anyio.abc

from callbox.interpreter.webhook import Fetcher
from callbox.messaging.exchange import ExchangeResult, ExchangeTimeline, InboundExchange, Route
from callbox.messaging.network import SimulatedNetwork
from callbox.messaging.opt_out import OptOutList
from callbox.messaging.outbound import OutboundMessage, Sender
from callbox.messaging.params import InboundMessage
from callbox.messaging.rates import RunawayGuard, SenderQueues, SendingRates
from callbox.messaging.segments import segment_count
from callbox.messaging.services import MessagingService
from callbox.messaging.time import MessagingTime
from callbox.records import MessageDirection, SidPrefix, new_sid

COOKIE_LIFETIME = 4 * 3600
"""Seconds a number pair's cookies are kept after its last message."""


@dataclass
class _PairSession:
    fetcher: Fetcher
    last_used: float


class Messenger:
    """Messaging for one account. Use it as an async context manager: deliveries run in its task
    group, and leaving it waits for them to finish. ``new_fetcher(url)`` makes a fetcher for
    requests that start at ``url`` (its policy may depend on it: an app on loopback may be
    fetched on loopback): one per number pair, which keeps the pair's cookies, and one per status
    callback, unless ``callback_fetcher`` is given for those."""

    def __init__(
        self,
        *,
        account_sid: str,
        new_fetcher: Callable[[str], Fetcher],
        callback_fetcher: Callable[[str], Fetcher] | None = None,
        time: MessagingTime | None = None,
        network: SimulatedNetwork | None = None,
        rates: SendingRates | None = None,
        opt_outs: OptOutList | None = None,
        auto_replies: bool = True,
        find_route: Callable[[str], Route | None] | None = None,
    ) -> None:
        self.account_sid = account_sid
        self.new_fetcher = new_fetcher
        self.time = time or MessagingTime()
        self.routes: dict[str, Route] = {}
        """Where messages to each number go (``route``); ``find_route`` answers for the rest."""
        self.find_route = find_route
        self.inbound_observers: list[Callable[[InboundMessage], None]] = []
        """Told of every inbound message before its exchange runs (the store records it)."""
        self.services: dict[str, MessagingService] = {}
        self.number_services: dict[str, str] = {}
        self.opt_outs = opt_outs or OptOutList()
        self.auto_replies = auto_replies
        self.sender = Sender(
            account_sid=account_sid,
            fetcher_for=callback_fetcher or new_fetcher,
            time=self.time,
            network=network,
            queues=SenderQueues(rates),
            opt_outs=self.opt_outs,
            services=self.services,
        )
        self.runaway = RunawayGuard()
        """Twilio's runaway protection of replies between a number pair (14107)."""
        self.exchanges: list[ExchangeResult] = []
        self._pairs: dict[tuple[str, str], _PairSession] = {}
        self._group: anyio.abc.TaskGroup | None = None

    # --- configuration ------------------------------------------------------------------------
    def route(
        self,
        number: str,
        url: str,
        method: str = "POST",
        *,
        fallback_url: str | None = None,
        fallback_method: str = "POST",
    ) -> None:
        """Messages to ``number`` go to ``url`` (the number's SmsUrl)."""
        self.routes[number] = Route(url, method.upper(), fallback_url, fallback_method.upper())

    def add_service(self, service: MessagingService) -> None:
        """A Messaging Service; its senders' inbound messages carry its SID."""
        self.services[service.sid] = service
        for sender in service.senders:
            self.number_services[sender] = service.sid

    @property
    def network(self) -> SimulatedNetwork:
        return self.sender.network

    # --- lifecycle ----------------------------------------------------------------------------
    async def __aenter__(self) -> Messenger:
        self._group = await anyio.create_task_group().__aenter__()
        self.sender.task_group = self._group
        return self

    async def __aexit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        traceback: TracebackType | None,
    ) -> bool | None:
        group, self._group = self._group, None
        self.sender.task_group = None
        assert group is not None
        return await group.__aexit__(exc_type, exc, traceback)

    def cancel_deliveries(self) -> None:
        """Stop delivering: messages not delivered yet keep the status they have."""
        if self._group is not None:
            self._group.cancel_scope.cancel()

    async def drain(self) -> None:
        """Wait until every message sent so far has its final status."""
        for message in list(self.sender.sent):
            await message.finished.wait()

    # --- messages -----------------------------------------------------------------------------
    def send(
        self,
        to: str | None,
        from_: str | None,
        body: str | None = "",
        media: Sequence[str] = (),
        **options: object,
    ) -> OutboundMessage:
        """Create an outbound message (REST ``Messages.create``); ``MessageRefusedError`` with
        Twilio's code when it is refused. ``options`` as for ``Sender.create``."""
        return self.sender.create(to, from_, body, media, **options)  # type: ignore[arg-type]

    async def receive(
        self, from_: str, to: str, body: str, media: Sequence[str] = (), *, url: str | None = None
    ) -> ExchangeResult:
        """An inbound message from ``from_`` to the number ``to``: opt-out keywords are applied
        (and answered), then the number's SmsUrl (or ``url``) runs. Its replies are queued."""
        service_sid = self.number_services.get(to)
        route = Route(url) if url is not None else self._route_of(to, service_sid)
        event = self.opt_outs.receive(from_, service_sid or to, body)
        inbound = InboundMessage(
            sid=new_sid(SidPrefix.MMS if media else SidPrefix.SMS),
            account_sid=self.account_sid,
            from_=from_,
            to=to,
            body=body,
            media=tuple(media),
            num_segments=segment_count(body),
            messaging_service_sid=service_sid,
            opt_out_type=event.keyword.value if event else None,
        )
        for observer in self.inbound_observers:
            observer(inbound)
        with self.time.participant():
            result = ExchangeResult(inbound, timeline=ExchangeTimeline(self.time.now()))
            if event is not None:
                change = "" if event.changed else " (no change)"
                result.timeline.add(
                    self.time.now(), "note", f"opt-out keyword {event.keyword.value}{change}"
                )
            if event is not None and event.reply and self.auto_replies:
                answer = self.sender.create(
                    from_,
                    to,
                    event.reply,
                    direction=MessageDirection.OUTBOUND_REPLY,
                    opt_out_reply=True,
                )
                InboundExchange.add_reply(result, answer, self.time.now())
            if route is not None:
                fetcher = self._fetcher(from_, to, route.url)
                exchange = InboundExchange(
                    inbound,
                    route,
                    fetcher=fetcher,
                    sender=self.sender,
                    result=result,
                    runaway=self.runaway,
                )
                result = await exchange.run()
        self.exchanges.append(result)
        return result

    def _route_of(self, number: str, service_sid: str | None) -> Route | None:
        """Where a message to ``number`` goes: its service's inbound URL when the service has
        one (Twilio's "send to webhook" setting), else the number's own SmsUrl."""
        service = self.services.get(service_sid) if service_sid else None
        if service is not None and service.inbound_request_url:
            return Route(
                service.inbound_request_url,
                service.inbound_method,
                service.fallback_url,
                service.fallback_method,
            )
        route = self.routes.get(number)
        if route is None and self.find_route is not None:
            route = self.find_route(number)
        return route

    def _fetcher(self, from_: str, to: str, url: str) -> Fetcher:
        """The pair's fetcher: its cookies, unless four hours passed since its last message."""
        now = self.time.now()
        pair = self._pairs.get((from_, to))
        if pair is None or now - pair.last_used > COOKIE_LIFETIME:
            pair = _PairSession(self.new_fetcher(url), now)
            self._pairs[(from_, to)] = pair
        pair.last_used = now
        return pair.fetcher
