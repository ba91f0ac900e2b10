"""The property the invoice rests on: over 10,000 simulated calls and messages (with recordings
and inbound traffic), every usage total equals the sum of the priced records to the last
decimal, whatever the billing mode, markup and seed, and however the period splits them."""

from __future__ import annotations

import random
from datetime import UTC, date, datetime
from decimal import Decimal
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from callbox.billing import (
    Period,
    UsageItem,
    call_usage,
    message_usage,
    price_call,
    price_messages,
    price_recording,
    recording_usage,
    usage_records,
)
from callbox.billing.rates import MessageRate, VoiceRate
from callbox.network import SoftSwitch, parse_config

ITEMS = 10_000
DAYS = 70
START = datetime(2026, 1, 20, tzinfo=UTC).timestamp()
TODAY = date(2026, 3, 31)
DECKS = {
    "alpha": "1,US,0.0040,0.0010,6/6,0.0040,0.0100\n44,GB,0.0117,,60/60,0.0330,0.0700",
    "beta": "1,US,0.0043,,1/1,0.0038,0.0110\n44,GB,0.0163,0.0010,60/1,0.0290,",
}
CARRIERS = """
[[carriers]]
name = "{name}"
deck = "{name}.csv"
asr = {asr}
final_codes = {{ 480 = 5, 486 = 3, 503 = 1, 408 = 1 }}
deliverability = 0.95
tiers = [{{ from_units = 500, discount = "0.05" }}]
"""


def switch_for(tmp: Path, mode: str, markup: str, seed: int) -> SoftSwitch:
    for name, rows in DECKS.items():
        header = "prefix,destination,per_minute,connect_fee,increment,per_segment,per_mms\n"
        (tmp / f"{name}.csv").write_text(header + rows + "\n")
    billing = f'[billing]\nmode = "{mode}"\nmarkup = "{markup}"\n'
    text = billing + CARRIERS.format(name="alpha", asr=0.6) + CARRIERS.format(name="beta", asr=0.5)
    return SoftSwitch(parse_config(text, tmp / "carriers.toml"), seed=seed)


@settings(max_examples=3)
@given(
    seed=st.integers(0, 2**16),
    mode=st.sampled_from(["twilio", "carrier"]),
    markup=st.sampled_from(["0", "0.15", "0.333"]),
)
def test_usage_totals_equal_the_sum_of_record_prices(
    tmp_path_factory: pytest.TempPathFactory, seed: int, mode: str, markup: str
) -> None:
    tmp = tmp_path_factory.mktemp("usage")
    switch = switch_for(tmp, mode, markup, seed)
    billing = switch.config.billing
    rng = random.Random(seed)
    items: list[UsageItem] = []
    expected: dict[str, Decimal] = {}
    counts: dict[str, int] = {}

    def add(item: UsageItem, *categories: str) -> None:
        items.append(item)
        for category in (*categories, "totalprice"):
            expected[category] = expected.get(category, Decimal(0)) + item.price
            counts[category] = counts.get(category, 0) + item.count

    for number in range(ITEMS):
        now = START + number * DAYS * 86400 / ITEMS
        day = datetime.fromtimestamp(now, tz=UTC).date()
        destination = rng.choice(["+14155550100", "+447700900123"])
        kind = rng.random()
        if kind < 0.35:
            call = switch.place_call(destination, now)
            add(
                call_usage("outbound", day, call.billed_seconds, call.price),
                "calls",
                "calls-outbound",
            )
            if call.duration and rng.random() < 0.3:
                price = price_recording(call.duration, billing.recording_per_minute)
                add(recording_usage(day, call.duration, price), "recordings")
        elif kind < 0.45:
            duration = rng.randint(1, 900)
            voice = VoiceRate(billing.inbound_per_minute)
            price = price_call(voice, duration, mode=billing.mode, markup=billing.markup)
            add(
                call_usage("inbound", day, -(-duration // 60) * 60, price), "calls", "calls-inbound"
            )
        elif kind < 0.85:
            segments = rng.randint(1, 4)
            message = switch.send_message(destination, now, segments=segments)
            add(message_usage("outbound", day, segments, message.price), "sms", "sms-outbound")
        elif kind < 0.95:
            segments = rng.randint(1, 3)
            rate = MessageRate(billing.inbound_per_segment)
            price = price_messages(rate, segments, markup=billing.markup)
            add(message_usage("inbound", day, segments, price), "sms", "sms-inbound")
        else:
            rate = MessageRate(Decimal(0), billing.inbound_per_mms)
            price = price_messages(rate, 1, mms=True, markup=billing.markup)
            add(message_usage("inbound", day, 1, price, mms=True), "mms", "mms-inbound")

    all_time = {r.category: r for r in usage_records(items, period=Period.ALL_TIME, today=TODAY)}
    for category, total in expected.items():
        assert all_time[category].price == total, category
        exponent = all_time[category].price.as_tuple().exponent
        assert isinstance(exponent, int) and exponent >= -5  # never below the 5th decimal
        if category != "totalprice":
            assert all_time[category].count == counts[category], category
    for period in (Period.DAILY, Period.MONTHLY, Period.YEARLY):
        records = usage_records(items, period=period, today=TODAY)
        for category, total in expected.items():
            assert sum((r.price for r in records if r.category == category), Decimal(0)) == total
    assert sum(expected[c] for c in ("calls", "sms", "mms", "recordings")) == expected["totalprice"]
