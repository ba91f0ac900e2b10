"""What a carrier charges: per-minute voice rates with billing increments and a connect fee,
per-segment message rates, and volume tiers that discount a month's traffic past a threshold.
Every amount is a ``Decimal`` parsed from text; floats never enter.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation

from callbox.billing.errors import RateError

ZERO = Decimal(0)


def parse_amount(text: object, *, what: str) -> Decimal:
    """An amount of money from a string or an int (never a float: 0.1 is not exact)."""
    if isinstance(text, bool) or not isinstance(text, str | int | Decimal):
        raise RateError(f'{what}: write amounts as strings such as "0.0130", not {text!r}')
    try:
        amount = Decimal(text)
    except InvalidOperation:
        raise RateError(f"{what}: {text!r} is not a decimal amount") from None
    if not amount.is_finite() or amount < 0:
        raise RateError(f"{what}: {text!r} must be a finite amount of 0 or more")
    return amount


@dataclass(frozen=True, slots=True)
class Increment:
    """Billing increments in seconds: ``60/60`` bills whole minutes, ``6/6`` tenths of a minute,
    ``1/1`` seconds; ``30/6`` bills 30 seconds at least, then in steps of 6."""

    first: int
    next: int

    @classmethod
    def parse(cls, text: str) -> Increment:
        first, slash, step = text.partition("/")
        if not slash or not first.isdigit() or not step.isdigit() or not first.isascii():
            raise RateError(f"increment {text!r}: write it as FIRST/NEXT seconds, e.g. 60/60")
        if int(first) < 1 or int(step) < 1 or int(first) > 3600 or int(step) > 3600:
            raise RateError(f"increment {text!r}: both parts are 1 to 3600 seconds")
        return cls(int(first), int(step))

    def __str__(self) -> str:
        return f"{self.first}/{self.next}"


MINUTE = Increment(60, 60)


@dataclass(frozen=True, slots=True)
class Tier:
    """From ``from_units`` billed units in a calendar month on, rates are discounted by
    ``discount`` (a fraction: ``0.10`` is 10 % off)."""

    from_units: int
    discount: Decimal


def tier_discount(tiers: Sequence[Tier], units_so_far: int) -> Decimal:
    """The discount of the tier that ``units_so_far`` (this month's volume before this one) is in."""
    discount = ZERO
    for tier in tiers:
        if units_so_far >= tier.from_units:
            discount = tier.discount
    return discount


@dataclass(frozen=True, slots=True)
class VoiceRate:
    """A voice destination's rate: per minute, a connect fee on answered calls, increments."""

    per_minute: Decimal
    connect_fee: Decimal = ZERO
    increment: Increment = MINUTE

    def cost_of_one_minute(self) -> Decimal:
        """What a one-minute answered call costs: the figure routing compares carriers by."""
        return self.per_minute + self.connect_fee


@dataclass(frozen=True, slots=True)
class MessageRate:
    """A messaging destination's rate: per SMS segment, and per MMS message."""

    per_segment: Decimal
    per_mms: Decimal = ZERO
