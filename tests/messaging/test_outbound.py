"""Outbound messages as Twilio sends them: refused at creation with Twilio's codes, queued at
the sender's rate, failed past their validity period, delivered or undelivered by the network,
each status after the first posted to the status callback in order; Messaging Services pick a
sender by stickiness, area code and country."""

from __future__ import annotations

from collections.abc import Awaitable, Callable

import anyio
import pytest

from callbox.interpreter.webhook import FetchResult, WebhookRequest
from callbox.messaging.errors import MessageRefusedError, UnknownDeliveryCodeError
from callbox.messaging.messenger import Messenger
from callbox.messaging.outbound import OutboundMessage
from callbox.messaging.rates import SendingRates
from callbox.messaging.services import MessagingService
from callbox.messaging.time import MessagingTime
from callbox.records import MessageStatus
from callbox.switchboard import Scheduler

LONG_CODE = "+14155550100"
PHONE = "+14155550123"


class RecordingFetcher:
    """Answers every request with 204 and keeps the callbacks it was asked to send."""

    def __init__(self) -> None:
        self.callbacks: list[WebhookRequest] = []

    async def fetch_document(self, request: WebhookRequest) -> FetchResult:
        return FetchResult(request.url, request.method, 200, "text/xml", b"<Response/>")

    async def fetch_media(self, url: str) -> FetchResult:
        return FetchResult(url, "GET", 404, error_code="11200")

    async def send_callback(self, request: WebhookRequest) -> FetchResult:
        self.callbacks.append(request)
        return FetchResult(request.url, request.method, 204)


def run(
    body: Callable[[Messenger], Awaitable[None]],
    *,
    rates: SendingRates | None = None,
    fetcher: RecordingFetcher | None = None,
) -> Messenger:
    """Run ``body`` with a messenger on virtual time, then let every delivery finish."""
    made = fetcher or RecordingFetcher()
    messenger = Messenger(
        account_sid="AC" + "0" * 32,
        new_fetcher=lambda url: made,
        time=MessagingTime(Scheduler()),
        rates=rates,
    )

    async def main() -> None:
        async with messenger:
            await body(messenger)
            await messenger.drain()

    anyio.run(main)
    return messenger


def statuses(message: OutboundMessage) -> list[str]:
    return [status.value for _, status in message.history]


def test_a_message_goes_queued_sending_sent_delivered_with_callbacks_after_the_first() -> None:
    fetcher = RecordingFetcher()

    async def send(messenger: Messenger) -> None:
        messenger.send(PHONE, LONG_CODE, "hi", status_callback="http://app/status")

    messenger = run(send, fetcher=fetcher)
    message = messenger.sender.sent[0]
    assert statuses(message) == ["queued", "sending", "sent", "delivered"]
    assert [c.params["MessageStatus"] for c in fetcher.callbacks] == [
        "sending",
        "sent",
        "delivered",
    ]
    assert all(c.params["SmsStatus"] == c.params["MessageStatus"] for c in fetcher.callbacks)
    assert fetcher.callbacks[0].params["MessageSid"] == message.sid


def test_a_long_code_sends_one_segment_a_second_and_a_toll_free_number_three() -> None:
    async def send(messenger: Messenger) -> None:
        for _ in range(3):
            messenger.send(PHONE, LONG_CODE, "hi")
            messenger.send(PHONE, "+18005550100", "hi")

    sent = run(send).sender.sent

    def sending_at(message: OutboundMessage) -> float:
        return next(at for at, status in message.history if status is MessageStatus.SENDING)

    assert [sending_at(m) for m in sent if m.from_ == LONG_CODE] == pytest.approx([0, 1, 2])
    assert [sending_at(m) for m in sent if m.from_ != LONG_CODE] == pytest.approx([0, 1 / 3, 2 / 3])


def test_a_message_that_waits_beyond_its_validity_period_fails_with_30001() -> None:
    async def send(messenger: Messenger) -> None:
        messenger.send(PHONE, LONG_CODE, "a" * 1600)  # 11 segments: 11 s of sending
        messenger.send(PHONE, LONG_CODE, "late", validity_period=5)

    late = run(send).sender.sent[1]
    assert statuses(late) == ["queued", "failed"]
    assert late.error_code == 30001


def test_a_full_sender_queue_refuses_new_messages_with_21611() -> None:
    async def send(messenger: Messenger) -> None:
        messenger.send(PHONE, LONG_CODE, "first")
        messenger.send(PHONE, LONG_CODE, "second")
        with pytest.raises(MessageRefusedError) as refused:
            messenger.send(PHONE, LONG_CODE, "third")
        assert refused.value.code == 21611

    run(send, rates=SendingRates(queue_seconds=2))


def test_a_network_delivery_error_leaves_the_message_undelivered_with_its_code() -> None:
    fetcher = RecordingFetcher()

    async def send(messenger: Messenger) -> None:
        messenger.network.fail(PHONE, 30003)
        messenger.send(PHONE, LONG_CODE, "hi", status_callback="http://app/status")

    message = run(send, fetcher=fetcher).sender.sent[0]
    assert statuses(message) == ["queued", "sending", "sent", "undelivered"]
    assert fetcher.callbacks[-1].params["ErrorCode"] == "30003"


def test_only_twilios_delivery_errors_can_be_simulated() -> None:
    async def send(messenger: Messenger) -> None:
        with pytest.raises(UnknownDeliveryCodeError):
            messenger.network.fail(PHONE, 21610)

    run(send)


@pytest.mark.parametrize(
    ("to", "from_", "body", "code"),
    [
        ("not a number", LONG_CODE, "hi", 21211),
        (PHONE, LONG_CODE, "x" * 1601, 21617),
        (PHONE, LONG_CODE, "", 21602),
        ("", LONG_CODE, "hi", 21604),
        ("+15005550001", LONG_CODE, "hi", 21211),
        ("+15005550002", LONG_CODE, "hi", 21612),
        ("+15005550003", LONG_CODE, "hi", 21408),
        ("+15005550004", LONG_CODE, "hi", 21610),
        ("+15005550009", LONG_CODE, "hi", 21614),
        (PHONE, "+15005550001", "hi", 21212),
        (PHONE, "+15005550007", "hi", 21606),
        (PHONE, "+15005550008", "hi", 21611),
    ],
)
def test_messages_twilio_refuses_are_refused_with_its_code(
    to: str, from_: str, body: str, code: int
) -> None:
    async def send(messenger: Messenger) -> None:
        with pytest.raises(MessageRefusedError) as refused:
            messenger.send(to, from_, body)
        assert refused.value.code == code

    run(send)


def test_the_magic_sender_15005550006_sends() -> None:
    async def send(messenger: Messenger) -> None:
        messenger.send(PHONE, "+15005550006", "hi")

    assert run(send).sender.sent[0].status is MessageStatus.DELIVERED


def test_a_recipient_who_texted_stop_is_refused_with_21610_until_start() -> None:
    async def send(messenger: Messenger) -> None:
        await messenger.receive(PHONE, LONG_CODE, "Stop ")
        with pytest.raises(MessageRefusedError) as refused:
            messenger.send(PHONE, LONG_CODE, "promo")
        assert refused.value.code == 21610
        messenger.send(PHONE, "+14155550111", "another sender may still text")
        await messenger.receive(PHONE, LONG_CODE, "UNSTOP")
        messenger.send(PHONE, LONG_CODE, "welcome back")

    sent = run(send).sender.sent
    assert [m.body for m in sent][-1] == "welcome back"


def test_a_service_sends_from_a_sender_with_the_recipients_area_code_and_sticks_to_it() -> None:
    service = MessagingService("MG" + "1" * 32, ["+12125550100", "+14155550100", "+442071838750"])

    async def send(messenger: Messenger) -> None:
        messenger.add_service(service)
        first = messenger.send(PHONE, None, "hi", messaging_service_sid=service.sid)
        uk = messenger.send("+447700900123", None, "hi", messaging_service_sid=service.sid)
        nyc = messenger.send("+12125559999", None, "hi", messaging_service_sid=service.sid)
        assert (first.from_, uk.from_, nyc.from_) == (
            "+14155550100",
            "+442071838750",
            "+12125550100",
        )
        assert first.status is MessageStatus.ACCEPTED
        service.senders = ["+12125550100", "+14155550100"]
        again = messenger.send("+447700900123", None, "again", messaging_service_sid=service.sid)
        assert again.from_ == "+12125550100"  # its sticky sender left the pool

    sent = run(send).sender.sent
    assert statuses(sent[0]) == ["accepted", "queued", "sending", "sent", "delivered"]


def test_a_service_smart_encodes_its_bodies() -> None:
    service = MessagingService("MG" + "2" * 32, [LONG_CODE])

    async def send(messenger: Messenger) -> None:
        messenger.add_service(service)
        message = messenger.send(PHONE, None, "It’s “fine”", messaging_service_sid=service.sid)
        assert message.body == 'It\'s "fine"'
        assert messenger.send(PHONE, LONG_CODE, "It’s").body == "It’s"

    run(send)
