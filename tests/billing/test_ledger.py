"""The platform's records as usage: calls, messages and recordings count in their categories
with their charges, which are the opposite of the negative prices records keep."""

from __future__ import annotations

from datetime import UTC, date, datetime
from decimal import Decimal

from callbox.billing import usage_records
from callbox.billing.ledger import usage_items
from callbox.records import (
    Call,
    CallDirection,
    CallStatus,
    Message,
    MessageDirection,
    MessageStatus,
    Recording,
    RecordingSource,
    RecordingStatus,
)

WHEN = datetime(2026, 3, 2, 10, 0, tzinfo=UTC)


def call(direction: CallDirection, duration: int, price: str | None) -> Call:
    return Call(
        sid="CA" + "0" * 32, account_sid="AC" + "0" * 32, to="+447700900123", from_="+15550100001",
        status=CallStatus.COMPLETED, direction=direction, date_created=WHEN, date_updated=WHEN,
        start_time=WHEN, duration=duration, price=None if price is None else Decimal(price),
    )  # fmt: skip


def message(direction: MessageDirection, segments: int, media: int, price: str) -> Message:
    return Message(
        sid="SM" + "0" * 32, account_sid="AC" + "0" * 32, to="+447700900123", from_="+15550100001",
        body="hi", status=MessageStatus.DELIVERED, direction=direction, date_created=WHEN,
        date_updated=WHEN, num_segments=segments, num_media=media, price=Decimal(price),
    )  # fmt: skip


def test_records_count_in_their_categories_with_their_charges() -> None:
    calls = [
        call(CallDirection.OUTBOUND_API, 61, "-0.02600"),
        call(CallDirection.INBOUND, 30, "-0.00850"),
        call(CallDirection.OUTBOUND_DIAL, 0, "0.00000"),  # never answered: not billed
    ]
    messages = [
        message(MessageDirection.OUTBOUND_API, 2, 0, "-0.01580"),
        message(MessageDirection.INBOUND, 1, 2, "-0.02000"),
    ]
    recording = Recording(
        sid="RE" + "0" * 32, account_sid="AC" + "0" * 32, call_sid="CA" + "0" * 32,
        status=RecordingStatus.COMPLETED, source=RecordingSource.RECORD_VERB,
        date_created=WHEN, date_updated=WHEN, duration=90, price=Decimal("-0.00500"),
    )  # fmt: skip
    records = {
        r.category: r
        for r in usage_records(usage_items(calls, messages, [recording]), today=date(2026, 3, 31))
    }
    assert (records["calls"].count, records["calls"].usage, records["calls"].price) == (
        2,
        Decimal(3),
        Decimal("0.03450"),
    )
    assert records["calls-outbound"].price == Decimal("0.02600")
    assert (records["sms-outbound"].count, records["sms-outbound"].usage) == (1, Decimal(2))
    assert (records["mms-inbound"].count, records["mms-inbound"].price) == (1, Decimal("0.02000"))
    assert records["recordings"].usage == Decimal(2)
    assert records["totalprice"].price == Decimal("0.07530")
