"""The platform's records as usage: each priced call, message and recording becomes the
``UsageItem`` Usage Records sum. A record's price is Twilio's wire value (negative); its charge
is the opposite. Records without a price (not yet priced) count with a charge of 0.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime
from decimal import Decimal

from callbox.billing.rates import ZERO
from callbox.billing.usage import UsageItem, call_usage, message_usage, recording_usage
from callbox.records import Call, CallDirection, Message, MessageDirection, Recording


def _charge(price: Decimal | None) -> Decimal:
    return ZERO if price is None else -price


def _day(moment: datetime | None, fallback: datetime) -> datetime:
    return moment if moment is not None else fallback


def call_item(call: Call) -> UsageItem:
    direction = "inbound" if call.direction is CallDirection.INBOUND else "outbound"
    day = _day(call.start_time, call.date_created).date()
    return call_usage(direction, day, call.duration or 0, _charge(call.price))


def message_item(message: Message) -> UsageItem:
    direction = "inbound" if message.direction is MessageDirection.INBOUND else "outbound"
    day = _day(message.date_sent, message.date_created).date()
    mms = message.num_media > 0
    return message_usage(direction, day, message.num_segments, _charge(message.price), mms=mms)


def recording_item(recording: Recording) -> UsageItem:
    day = _day(recording.start_time, recording.date_created).date()
    return recording_usage(day, max(recording.duration or 0, 0), _charge(recording.price))


def usage_items(
    calls: Iterable[Call], messages: Iterable[Message], recordings: Iterable[Recording]
) -> list[UsageItem]:
    """Usage of every call that was answered or priced, every message, every recording."""
    items = [call_item(call) for call in calls if call.duration or call.price]
    items += [message_item(message) for message in messages]
    items += [recording_item(recording) for recording in recordings]
    return items
