"""The store's Message records follow messaging: a message the REST API creates is recorded as
it is queued and its record goes on to delivered (date_sent set), one the sender refuses is
refused with its code and not recorded, and inbound messages and their replies are recorded."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from datetime import UTC, datetime

import anyio
import pytest

from callbox.interpreter.webhook import FetchResult, WebhookRequest
from callbox.messaging.errors import MessageRefusedError
from callbox.messaging.messenger import Messenger
from callbox.messaging.recorder import MessageRecorder
from callbox.messaging.time import MessagingTime
from callbox.records import Message, MessageDirection, MessageStatus, SidPrefix, new_sid
from callbox.store import MemoryStore, Query
from callbox.switchboard import Scheduler

ACCOUNT = "AC" + "3" * 32
NUMBER = "+14155550100"
PHONE = "+14155550123"


class NoApp:
    async def fetch_document(self, request: WebhookRequest) -> FetchResult:
        return FetchResult(request.url, request.method, 404, error_code="11200")

    async def fetch_media(self, url: str) -> FetchResult:
        return FetchResult(url, "GET", 404, error_code="11200")

    async def send_callback(self, request: WebhookRequest) -> FetchResult:
        return FetchResult(request.url, request.method, 204)


def stored(to: str = PHONE) -> Message:
    now = datetime.now(UTC).replace(microsecond=0)
    return Message(
        sid=new_sid(SidPrefix.SMS),
        account_sid=ACCOUNT,
        to=to,
        from_=NUMBER,
        body="Your code is 1234",
        status=MessageStatus.QUEUED,
        direction=MessageDirection.OUTBOUND_API,
        date_created=now,
        date_updated=now,
    )


def running(store: MemoryStore, work: Callable[[MessageRecorder], Awaitable[None]]) -> None:
    fetcher = NoApp()
    messenger = Messenger(
        account_sid=ACCOUNT, new_fetcher=lambda url: fetcher, time=MessagingTime(Scheduler())
    )
    recorder = MessageRecorder(store, messenger)

    async def main() -> None:
        async with messenger:
            await work(recorder)
            await messenger.drain()

    anyio.run(main)


def test_a_message_is_recorded_as_it_is_queued_and_its_record_follows_to_delivered() -> None:
    store = MemoryStore()
    message = stored()

    async def work(recorder: MessageRecorder) -> None:
        recorder.send(message)

    running(store, work)
    record = store.get(Message, message.sid)
    assert record is not None
    assert record.status is MessageStatus.DELIVERED
    assert record.date_sent is not None
    assert record.num_segments == 1


def test_a_message_to_an_opted_out_phone_is_refused_with_21610_and_not_recorded() -> None:
    store = MemoryStore()
    message = stored()

    async def work(recorder: MessageRecorder) -> None:
        await recorder.messenger.receive(PHONE, NUMBER, "STOP")
        with pytest.raises(MessageRefusedError) as refused:
            recorder.send(message)
        assert refused.value.code == 21610

    running(store, work)
    assert store.get(Message, message.sid) is None


def test_inbound_messages_and_their_replies_are_recorded() -> None:
    store = MemoryStore()

    async def work(recorder: MessageRecorder) -> None:
        await recorder.messenger.receive(PHONE, NUMBER, "HELP")

    running(store, work)
    records = store.list(Query(Message)).records
    by_direction = {record.direction: record for record in records}
    assert by_direction[MessageDirection.INBOUND].status is MessageStatus.RECEIVED
    assert by_direction[MessageDirection.INBOUND].body == "HELP"
    reply = by_direction[MessageDirection.OUTBOUND_REPLY]
    assert reply.status is MessageStatus.DELIVERED
    assert reply.body.startswith("Reply STOP to unsubscribe")
