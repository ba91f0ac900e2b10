"""Billing: rate decks as exact decimals, the price of a call, a message or a recording, and the
Usage Records that sum them per category and period the way Twilio reports them.
"""

from __future__ import annotations

from callbox.billing.errors import BillingError, UsageQueryError
from callbox.billing.pricing import (
    PRICE_UNIT,
    BillingMode,
    billable_seconds,
    price_call,
    price_messages,
    price_recording,
    twilio_price,
)
from callbox.billing.rates import Increment, MessageRate, Tier, VoiceRate, tier_discount
from callbox.billing.usage import (
    CATEGORIES,
    Period,
    UsageItem,
    UsageKind,
    UsageRecord,
    call_usage,
    message_usage,
    recording_usage,
    usage_page,
    usage_records,
)

__all__ = [
    "CATEGORIES",
    "PRICE_UNIT",
    "BillingError",
    "BillingMode",
    "Increment",
    "MessageRate",
    "Period",
    "Tier",
    "UsageItem",
    "UsageKind",
    "UsageQueryError",
    "UsageRecord",
    "VoiceRate",
    "billable_seconds",
    "call_usage",
    "message_usage",
    "price_call",
    "price_messages",
    "price_recording",
    "recording_usage",
    "tier_discount",
    "twilio_price",
    "usage_page",
    "usage_records",
]
