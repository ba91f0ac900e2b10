"""Messages in the store get their price and routing record as messaging sends them: charged
when a carrier takes them, not when they fail first; inbound ones at the inbound rate."""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from decimal import Decimal

import pytest

from callbox.network import NetworkConfig, SoftSwitch
from callbox.network.charges import Charges
from callbox.network.message_charges import MessageCharging
from callbox.records import Message, MessageDirection, MessageStatus
from callbox.store import MemoryStore

ConfigMaker = Callable[..., NetworkConfig]
Carrier = Callable[..., str]
DECKS = {"cheap": "44,GB,0.0050,,,0.0200,0.0500", "middle": "44,GB,0.0080,,,0.0250,"}
WHEN = datetime(2026, 3, 2, tzinfo=UTC)


@dataclass
class Sending:
    sid: str
    to: str
    status: MessageStatus
    num_segments: int = 2
    media: tuple[str, ...] = ()


@pytest.fixture
def store() -> MemoryStore:
    return MemoryStore()


@pytest.fixture
def charging(make_config: ConfigMaker, carrier: Carrier, store: MemoryStore) -> MessageCharging:
    config = make_config(carrier("cheap") + carrier("middle"), decks=DECKS)
    return MessageCharging(store, Charges(SoftSwitch(config)))


def stored(store: MemoryStore, sid: str, direction: MessageDirection) -> None:
    store.create(
        Message(
            sid=sid, account_sid="AC" + "1" * 32, to="+447700900123", from_="+15550100001",
            body="hello", status=MessageStatus.QUEUED, direction=direction,
            date_created=WHEN, date_updated=WHEN, num_segments=2,
        )
    )  # fmt: skip


def test_sent_message_is_priced_once_with_its_routing_record(
    charging: MessageCharging, store: MemoryStore
) -> None:
    sid = "SM" + "1" * 32
    stored(store, sid, MessageDirection.OUTBOUND_API)
    charging.observe(Sending(sid, "+447700900123", MessageStatus.QUEUED))
    assert store.get(Message, sid).price is None  # type: ignore[union-attr]
    charging.observe(Sending(sid, "+447700900123", MessageStatus.SENT))
    charging.observe(Sending(sid, "+447700900123", MessageStatus.DELIVERED))
    record = store.get(Message, sid)
    assert record is not None and record.price == Decimal("-0.04000")  # 2 segments at 0.0200
    routing = json.loads(record.routing or "")
    assert routing["carrier"] == "cheap"
    assert [c["carrier"] for c in routing["candidates"]] == ["cheap", "middle"]


def test_mms_is_one_charge_and_a_failed_message_none(
    charging: MessageCharging, store: MemoryStore
) -> None:
    mms, failed = "MM" + "2" * 32, "SM" + "3" * 32
    stored(store, mms, MessageDirection.OUTBOUND_API)
    stored(store, failed, MessageDirection.OUTBOUND_API)
    charging.observe(Sending(mms, "+447700900123", MessageStatus.SENT, 1, ("https://x/a.png",)))
    charging.observe(Sending(failed, "+447700900123", MessageStatus.FAILED))
    assert store.get(Message, mms).price == Decimal("-0.05000")  # type: ignore[union-attr]
    assert str(store.get(Message, failed).price) == "0.00000"  # type: ignore[union-attr]


def test_inbound_message_is_priced_at_the_inbound_rate(
    charging: MessageCharging, store: MemoryStore
) -> None:
    sid = "SM" + "4" * 32
    stored(store, sid, MessageDirection.INBOUND)
    charging.record_inbound(Sending(sid, "+15550100001", MessageStatus.RECEIVED))
    assert store.get(Message, sid).price == Decimal("-0.01580")  # type: ignore[union-attr]
