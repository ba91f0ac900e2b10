"""Prices are exact decimals: billing increments, connect fees, tiers and markup, Twilio's
whole-minute rounding, and the negative five-decimal strings Twilio's JSON shows."""

from __future__ import annotations

from decimal import Decimal

import pytest

from callbox.billing import (
    BillingMode,
    Increment,
    MessageRate,
    Tier,
    VoiceRate,
    billable_seconds,
    price_call,
    price_messages,
    price_recording,
    tier_discount,
    twilio_price,
)
from callbox.billing.errors import RateError

CARRIER = BillingMode.CARRIER


@pytest.mark.parametrize(
    ("increment", "duration", "billed"),
    [
        ("60/60", 1, 60), ("60/60", 60, 60), ("60/60", 61, 120),
        ("6/6", 1, 6), ("6/6", 61, 66), ("6/6", 66, 66),
        ("1/1", 61, 61), ("30/6", 10, 30), ("30/6", 31, 36),
        ("60/1", 61, 61), ("60/60", 0, 0),
    ],
)  # fmt: skip
def test_billable_seconds_follow_the_increments(increment: str, duration: int, billed: int) -> None:
    step = Increment.parse(increment)
    assert billable_seconds(duration, step.first, step.next) == billed


def test_twilio_mode_rounds_each_call_up_to_the_minute_without_connect_fee() -> None:
    rate = VoiceRate(Decimal("0.0130"), Decimal("0.0050"), Increment.parse("1/1"))
    assert price_call(rate, 61) == Decimal("0.02600")
    assert price_call(rate, 60) == Decimal("0.01300")
    assert twilio_price(price_call(rate, 1)) == "-0.01300"


def test_carrier_mode_bills_its_increments_and_the_connect_fee() -> None:
    rate = VoiceRate(Decimal("0.0130"), Decimal("0.0050"), Increment.parse("6/6"))
    # 66 billed seconds at 0.013 a minute is 0.0143, plus the 0.005 connect fee
    assert price_call(rate, 61, mode=CARRIER) == Decimal("0.01930")
    per_second = VoiceRate(Decimal("0.0100"), increment=Increment.parse("1/1"))
    assert price_call(per_second, 7, mode=CARRIER) == Decimal("0.00117")  # 0.0011666.. rounded up


def test_unanswered_calls_cost_nothing_not_even_the_connect_fee() -> None:
    rate = VoiceRate(Decimal("0.0130"), Decimal("0.0050"), Increment.parse("6/6"))
    assert price_call(rate, 0, mode=CARRIER) == 0
    assert twilio_price(price_call(rate, 0)) == "0.00000"


def test_tiers_and_markup_apply_exactly() -> None:
    tiers = (Tier(0, Decimal(0)), Tier(1000, Decimal("0.10")), Tier(5000, Decimal("0.20")))
    assert tier_discount(tiers, 999) == 0
    assert tier_discount(tiers, 1000) == Decimal("0.10")
    assert tier_discount(tiers, 10**9) == Decimal("0.20")
    rate = VoiceRate(Decimal("0.0100"))
    assert price_call(rate, 120, discount=Decimal("0.10"), markup=Decimal("0.15")) == Decimal(
        "0.02070"
    )


def test_messages_cost_per_segment_and_mms_per_message() -> None:
    rate = MessageRate(Decimal("0.0079"), Decimal("0.0200"))
    assert price_messages(rate, 3) == Decimal("0.02370")
    assert price_messages(rate, 3, mms=True) == Decimal("0.02000")
    assert twilio_price(price_messages(rate, 1)) == "-0.00790"


def test_recordings_cost_per_started_minute() -> None:
    assert price_recording(61, Decimal("0.0025")) == Decimal("0.00500")
    assert price_recording(0, Decimal("0.0025")) == 0


def test_no_price_is_null() -> None:
    assert twilio_price(None) is None


@pytest.mark.parametrize("text", ["60", "0/60", "60/0", "a/b", "60/60/60", "9999/1", "٦٠/٦٠"])
def test_bad_increments_are_rate_errors(text: str) -> None:
    with pytest.raises(RateError):
        Increment.parse(text)
