"""Prices and routing records on the store's ``Message`` records, kept by observing messaging:
an outbound message is routed by the soft-switch and priced per segment (an MMS once) when a
carrier takes it (``sent``); a message that fails before is not charged; an inbound message is
priced at the inbound rate. Register ``observe`` and ``record_inbound`` after the recorder that
creates the records (``callbox.messaging.recorder.MessageRecorder``).
"""

from __future__ import annotations

import dataclasses
import time
from collections.abc import Sequence
from typing import Protocol

from callbox.network.charges import NO_PRICE, Charges, record_price, routing_json
from callbox.records import Message, MessageStatus
from callbox.store import Store

CARRIED = frozenset({MessageStatus.SENT, MessageStatus.DELIVERED, MessageStatus.UNDELIVERED})


class OutboundLike(Protocol):
    """What an outbound message being sent shows its observers."""

    @property
    def sid(self) -> str: ...
    @property
    def to(self) -> str: ...
    @property
    def status(self) -> MessageStatus: ...
    @property
    def num_segments(self) -> int: ...
    @property
    def media(self) -> Sequence[str]: ...


class InboundLike(Protocol):
    @property
    def sid(self) -> str: ...
    @property
    def num_segments(self) -> int: ...
    @property
    def media(self) -> Sequence[str]: ...


class MessageCharging:
    """Keeps ``price`` and ``routing`` of ``store``'s Message records."""

    def __init__(self, store: Store, charges: Charges) -> None:
        self.store = store
        self.charges = charges

    def observe(self, message: OutboundLike) -> None:
        record = self.store.get(Message, message.sid)
        if record is None or record.price is not None:
            return
        if message.status is MessageStatus.FAILED:
            self.store.update(dataclasses.replace(record, price=NO_PRICE))
            return
        if message.status not in CARRIED:
            return
        mms = bool(message.media)
        routing = self.charges.route_message(
            message.to, time.time(), segments=message.num_segments, mms=mms, error_code=None
        )
        if routing is None:
            return
        price = record_price(routing.price)
        self.store.update(dataclasses.replace(record, price=price, routing=routing_json(routing)))

    def record_inbound(self, inbound: InboundLike) -> None:
        record = self.store.get(Message, inbound.sid)
        if record is None or record.price is not None:
            return
        price = self.charges.inbound_message_price(inbound.num_segments, mms=bool(inbound.media))
        self.store.update(dataclasses.replace(record, price=price))
