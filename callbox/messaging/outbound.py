"""Outbound messages, from creation to their final status: refused at once with Twilio's code,
or queued (``accepted`` through a Messaging Service) and then, at the sender's rate, ``sending``
-> ``sent`` -> ``delivered`` | ``undelivered`` (a delivery error from the network), or
``failed`` (30001, when it waited in the queue beyond its validity period). Each status after
the first is posted to the message's status callback, in order."""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime

import anyio
import anyio.abc

from callbox.interpreter.call_result import WebhookExchange
from callbox.interpreter.timeline import Timeline
from callbox.interpreter.webhook import Fetcher, WebhookRequest
from callbox.messaging import params as p
from callbox.messaging.errors import MessageRefusedError, MessagingError
from callbox.messaging.network import DELIVERY_ERRORS, SimulatedNetwork
from callbox.messaging.opt_out import OptOutList
from callbox.messaging.rates import QueueFullError, SenderQueues
from callbox.messaging.segments import Segmentation, segment
from callbox.messaging.services import DEFAULT_VALIDITY_PERIOD, MessagingService
from callbox.messaging.time import MessagingTime
from callbox.messaging.validation import check_new_message
from callbox.records import MessageDirection, MessageStatus, SidPrefix, new_sid

QUEUE_OVERFLOW = 30001
FINAL_STATUSES = frozenset(
    {MessageStatus.DELIVERED, MessageStatus.UNDELIVERED, MessageStatus.FAILED}
)


@dataclass
class OutboundMessage:
    """A message being sent: what it is, and the statuses it went through (``history``: call
    time and status, the first one included)."""

    sid: str
    account_sid: str
    to: str
    from_: str
    body: str
    media: tuple[str, ...]
    segmentation: Segmentation
    direction: MessageDirection
    status: MessageStatus
    created_at: float
    validity_period: float
    messaging_service_sid: str | None = None
    status_callback: str | None = None
    status_callback_method: str = "POST"
    error_code: int | None = None
    error_message: str | None = None
    date_created: datetime = field(default_factory=lambda: datetime.now(UTC))
    date_sent: datetime | None = None
    history: list[tuple[float, MessageStatus]] = field(default_factory=list)
    callbacks: list[WebhookExchange] = field(default_factory=list)
    timeline: Timeline | None = field(default=None, repr=False)
    """Where its statuses and callbacks are written as they happen (its exchange's, if any)."""
    finished: anyio.Event = field(default_factory=anyio.Event, repr=False)

    @property
    def num_segments(self) -> int:
        return self.segmentation.num_segments

    @property
    def is_final(self) -> bool:
        return self.status in FINAL_STATUSES


StatusObserver = Callable[[OutboundMessage], None]
"""Told of every status a message takes, the first one included (the store keeps the record)."""


class Sender:
    """Creates outbound messages and delivers them in ``task_group`` (set while the platform
    runs); ``fetcher_for(url)`` gives the fetcher that posts a status callback to ``url``."""

    def __init__(
        self,
        *,
        account_sid: str,
        fetcher_for: Callable[[str], Fetcher],
        time: MessagingTime,
        network: SimulatedNetwork | None = None,
        queues: SenderQueues | None = None,
        opt_outs: OptOutList | None = None,
        services: Mapping[str, MessagingService] | None = None,
    ) -> None:
        self.account_sid = account_sid
        self.fetcher_for = fetcher_for
        self.time = time
        self.network = network or SimulatedNetwork()
        self.queues = queues or SenderQueues()
        self.opt_outs = opt_outs or OptOutList()
        self.services: Mapping[str, MessagingService] = services if services is not None else {}
        self.observers: list[StatusObserver] = []
        self.task_group: anyio.abc.TaskGroup | None = None
        self.sent: list[OutboundMessage] = []

    def create(
        self,
        to: str | None,
        from_: str | None,
        body: str | None = "",
        media: Sequence[str] = (),
        *,
        messaging_service_sid: str | None = None,
        status_callback: str | None = None,
        status_callback_method: str = "POST",
        validity_period: float | None = None,
        smart_encoding: bool | None = None,
        direction: MessageDirection = MessageDirection.OUTBOUND_API,
        sid: str | None = None,
        opt_out_reply: bool = False,
    ) -> OutboundMessage:
        """A new message, queued for delivery; ``MessageRefusedError`` when Twilio would refuse it.
        ``opt_out_reply`` is Twilio's own answer to a keyword, which goes out even after STOP."""
        check_new_message(to, from_, body, media, messaging_service_sid=messaging_service_sid)
        assert to is not None
        service = self._service(messaging_service_sid)
        sender = from_ or (service.choose_sender(to) if service else "")
        scopes = [sender] + ([service.sid] if service else [])
        if not opt_out_reply and any(self.opt_outs.is_blocked(to, s) for s in scopes):
            raise MessageRefusedError(21610, f"Attempt to send to unsubscribed recipient {to}")
        smart = (
            smart_encoding
            if smart_encoding is not None
            else bool(service and service.smart_encoding)
        )
        segmentation = segment(body or "", smart_encoding=smart)
        now = self.time.now()
        try:
            start = self.queues.reserve(sender, segmentation.num_segments, now)
        except QueueFullError:
            raise MessageRefusedError(
                21611,
                f"The 'From' number {sender} has exceeded the maximum number of queued messages",
            ) from None
        validity = validity_period or (
            service.validity_period if service else DEFAULT_VALIDITY_PERIOD
        )
        message = OutboundMessage(
            sid=sid or new_sid(SidPrefix.MMS if media else SidPrefix.SMS),
            account_sid=self.account_sid,
            to=to,
            from_=sender,
            body=segmentation.body,
            media=tuple(media),
            segmentation=segmentation,
            direction=direction,
            status=MessageStatus.ACCEPTED if service else MessageStatus.QUEUED,
            created_at=now,
            validity_period=validity,
            messaging_service_sid=service.sid if service else None,
            status_callback=status_callback or (service.status_callback if service else None),
            status_callback_method=status_callback_method.upper() or "POST",
        )
        message.history.append((now, message.status))
        self.sent.append(message)
        self._tell(message)
        if self.task_group is None:
            raise MessagingError("the messaging platform is not running: nothing can send")
        self.time.begin()
        self.task_group.start_soon(self._deliver, message, start)
        return message

    def _service(self, sid: str | None) -> MessagingService | None:
        if not sid:
            return None
        service = self.services.get(sid)
        if service is None:
            raise MessageRefusedError(21701, f"The Messaging Service {sid} does not exist", 404)
        return service

    async def _deliver(self, message: OutboundMessage, start: float) -> None:
        try:
            if message.status is MessageStatus.ACCEPTED:
                await self._become(message, MessageStatus.QUEUED)
            await self.time.sleep_until(start)
            if self.time.now() - message.created_at > message.validity_period:
                await self._become(
                    message,
                    MessageStatus.FAILED,
                    QUEUE_OVERFLOW,
                    "Queue overflow: the message waited longer than its validity period",
                )
                return
            await self._become(message, MessageStatus.SENDING)
            await self.time.sleep_until(self.time.now() + self.network.sending_delay)
            message.date_sent = datetime.now(UTC)
            await self._become(message, MessageStatus.SENT)
            await self.time.sleep_until(self.time.now() + self.network.delivery_delay)
            failure = self.network.outcome(message.to)
            if failure is None:
                await self._become(message, MessageStatus.DELIVERED)
            else:
                await self._become(
                    message, MessageStatus.UNDELIVERED, failure, DELIVERY_ERRORS[failure]
                )
        finally:
            message.finished.set()
            self.time.end()

    async def _become(
        self,
        message: OutboundMessage,
        status: MessageStatus,
        error_code: int | None = None,
        error_message: str | None = None,
    ) -> None:
        message.status = status
        message.error_code = error_code
        message.error_message = error_message
        at = self.time.now()
        message.history.append((at, status))
        self._tell(message)
        if message.timeline is not None:
            failure = f" ({error_code} {error_message})" if error_code else ""
            message.timeline.add(
                at,
                "status",
                f"{message.sid} {status.value}{failure}",
                sid=message.sid,
                status=status.value,
            )
        if not message.status_callback:
            return
        params = p.status_params(
            sid=message.sid,
            account_sid=message.account_sid,
            from_=message.from_,
            to=message.to,
            status=status.value,
            messaging_service_sid=message.messaging_service_sid,
            error_code=error_code,
        )
        request = WebhookRequest(message.status_callback, message.status_callback_method, params)
        exchange = WebhookExchange("callback", request, None, at)
        message.callbacks.append(exchange)
        result = await self.fetcher_for(request.url).send_callback(request)
        message.callbacks[-1] = WebhookExchange("callback", request, result, at)
        if message.timeline is not None:
            answer = result.error_code or str(result.status_code)
            message.timeline.add(
                self.time.now(),
                "callback",
                f"{request.method} {request.url} (MessageStatus={status.value}) -> {answer}",
                url=request.url,
                status_code=result.status_code,
            )

    def _tell(self, message: OutboundMessage) -> None:
        for observer in self.observers:
            observer(message)
