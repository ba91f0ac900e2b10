"""The store's ``Message`` records kept in step with messaging: every inbound message, every
reply and every message the REST API created is a record, updated at each status it takes
(``date_sent`` when it is sent, ``error_code`` and ``error_message`` when it fails), so that
``GET .../Messages/{Sid}.json`` shows what the messenger did."""

from __future__ import annotations

import dataclasses
from datetime import UTC, datetime

from callbox.messaging.messenger import Messenger
from callbox.messaging.outbound import OutboundMessage
from callbox.messaging.params import InboundMessage
from callbox.records import Message, MessageDirection, MessageStatus
from callbox.store import Store


def _now() -> datetime:
    return datetime.now(UTC).replace(microsecond=0)


class MessageRecorder:
    """Records ``messenger``'s messages in ``store``; ``send`` is the REST API's message hook."""

    def __init__(self, store: Store, messenger: Messenger) -> None:
        self.store = store
        self.messenger = messenger
        messenger.sender.observers.append(self.observe)
        messenger.inbound_observers.append(self.record_inbound)

    def send(self, message: Message) -> None:
        """Send a message the REST API is creating (the API's message hook). It is recorded as
        it is queued; ``MessageRefusedError`` when the sender refuses it (an opted-out
        recipient: 21610), and then nothing is recorded."""
        self.messenger.send(
            message.to,
            message.from_ or None,
            message.body,
            message.media_urls,
            messaging_service_sid=message.messaging_service_sid,
            status_callback=message.status_callback,
            sid=message.sid,
            direction=message.direction,
        )

    def observe(self, message: OutboundMessage) -> None:
        """A status of a message being sent: its record follows (made when it has none)."""
        changes: dict[str, object] = {
            "status": message.status,
            "error_code": message.error_code,
            "error_message": message.error_message,
            "num_segments": message.num_segments,
            "from_": message.from_,
        }
        if message.date_sent is not None:
            changes["date_sent"] = message.date_sent.replace(microsecond=0)
        if self.store.get(Message, message.sid) is None:
            now = _now()
            self.store.create(
                Message(
                    sid=message.sid,
                    account_sid=message.account_sid,
                    to=message.to,
                    from_=message.from_,
                    body=message.body,
                    status=message.status,
                    direction=message.direction,
                    date_created=now,
                    date_updated=now,
                    messaging_service_sid=message.messaging_service_sid,
                    num_segments=message.num_segments,
                    num_media=len(message.media),
                    media_urls=message.media,
                    status_callback=message.status_callback,
                )
            )
            return
        self._update(message.sid, **changes)

    def record_inbound(self, inbound: InboundMessage) -> None:
        """Record an inbound message (``received``)."""
        now = _now()
        self.store.create(
            Message(
                sid=inbound.sid,
                account_sid=inbound.account_sid,
                to=inbound.to,
                from_=inbound.from_,
                body=inbound.body,
                status=MessageStatus.RECEIVED,
                direction=MessageDirection.INBOUND,
                date_created=now,
                date_updated=now,
                date_sent=now,
                messaging_service_sid=inbound.messaging_service_sid,
                num_segments=inbound.num_segments,
                num_media=len(inbound.media),
                media_urls=tuple(inbound.media),
            )
        )

    def _update(self, sid: str, **changes: object) -> None:
        record = self.store.get(Message, sid)
        if record is None:
            return
        self.store.update(dataclasses.replace(record, date_updated=_now(), **changes))  # type: ignore[arg-type]
