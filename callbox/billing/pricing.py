"""The price of one call, one message or one recording, as exact decimals, and the strings
Twilio shows for them: ``price`` is the charge negated with five decimals (``"-0.01300"``) and
``price_unit`` is ``"USD"``.

Two billing modes: ``twilio`` rounds every answered call up to whole minutes and charges no
connect fee (what Twilio's invoices do); ``carrier`` bills the carrier's own increments (6/6,
1/1, ...) plus its connect fee. Charges are rounded up to the 5th decimal, never down.
"""

from __future__ import annotations

import enum
from decimal import ROUND_UP, Decimal

from callbox.billing.rates import ZERO, MessageRate, VoiceRate

PRICE_UNIT = "USD"
PLACES = Decimal("0.00001")
SIXTY = Decimal(60)


class BillingMode(enum.StrEnum):
    TWILIO = "twilio"
    CARRIER = "carrier"


def charge(amount: Decimal) -> Decimal:
    """An amount rounded up to five decimals: the precision of every price Twilio shows."""
    return amount.quantize(PLACES, rounding=ROUND_UP)


def billable_seconds(duration: int, first: int, step: int) -> int:
    """Seconds billed for ``duration`` answered seconds with increments ``first/step``."""
    if duration <= 0:
        return 0
    if duration <= first:
        return first
    extra = duration - first
    return first + -(-extra // step) * step


def billed_seconds(rate: VoiceRate, duration: int, mode: BillingMode) -> int:
    """Seconds a call of ``duration`` answered seconds is billed for in ``mode``."""
    if mode is BillingMode.TWILIO:
        return billable_seconds(duration, 60, 60)
    return billable_seconds(duration, rate.increment.first, rate.increment.next)


def price_call(
    rate: VoiceRate,
    duration: int,
    *,
    mode: BillingMode = BillingMode.TWILIO,
    discount: Decimal = ZERO,
    markup: Decimal = ZERO,
) -> Decimal:
    """What a call of ``duration`` answered seconds costs (0 when it was never answered)."""
    seconds = billed_seconds(rate, duration, mode)
    if seconds == 0:
        return charge(ZERO)
    amount = rate.per_minute * seconds / SIXTY
    if mode is BillingMode.CARRIER:
        amount += rate.connect_fee
    return charge(amount * (1 - discount) * (1 + markup))


def price_messages(
    rate: MessageRate,
    segments: int,
    *,
    mms: bool = False,
    discount: Decimal = ZERO,
    markup: Decimal = ZERO,
) -> Decimal:
    """What one message of ``segments`` SMS segments costs (an MMS is one charge)."""
    amount = rate.per_mms if mms else rate.per_segment * max(segments, 0)
    return charge(amount * (1 - discount) * (1 + markup))


def price_recording(duration: int, per_minute: Decimal) -> Decimal:
    """A recording is charged per started minute of audio, as Twilio does."""
    minutes = -(-max(duration, 0) // 60)
    return charge(per_minute * minutes)


def twilio_price(amount: Decimal | None) -> str | None:
    """``price`` as Twilio's JSON shows it: a charge of 0.013 is ``"-0.01300"``; no price, null."""
    if amount is None:
        return None
    if amount == 0:
        return "0.00000"
    return f"{-charge(amount):.5f}"
