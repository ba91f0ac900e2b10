"""Carriers as the config describes them: what they serve, how they behave (answer-seizure
ratio, post-dial delay, final-code mix, deliverability), what they can carry (CPS, concurrent
calls, MPS), when they are out, and how their prices derive from the rate deck.
"""

from __future__ import annotations

import enum
import math
import random
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path

from callbox.billing.rates import MINUTE, ZERO, Increment, Tier


class Service(enum.StrEnum):
    VOICE = "voice"
    MESSAGING = "messaging"


@dataclass(frozen=True, slots=True)
class Delay:
    """A delay in seconds, log-normally distributed with the given median and 95th percentile."""

    median: float
    p95: float

    @property
    def sigma(self) -> float:
        return math.log(self.p95 / self.median) / 1.6448536269514722

    @property
    def mean(self) -> float:
        return self.median * math.exp(self.sigma**2 / 2)

    def sample(self, rng: random.Random) -> float:
        return rng.lognormvariate(math.log(self.median), self.sigma)


@dataclass(frozen=True, slots=True)
class Outage:
    """From ``start`` to ``end`` (epoch seconds) every call attempt fails with ``code`` and every
    message is refused. An announced outage is known to the router, which skips the carrier; an
    unannounced one it has to learn from the failures."""

    start: float
    end: float
    code: int = 503
    announced: bool = False

    def covers(self, now: float) -> bool:
        return self.start <= now < self.end


@dataclass(frozen=True, slots=True)
class Capacity:
    """Calls per second, concurrent calls, messages per second; None is unlimited."""

    cps: float | None = None
    concurrent: int | None = None
    mps: float | None = None


@dataclass(frozen=True, slots=True)
class CodeMix:
    """Relative weights of outcomes (SIP final codes, or messaging error codes), drawn by index."""

    codes: tuple[int, ...]
    cumulative: tuple[float, ...]

    @classmethod
    def of(cls, weights: dict[int, float]) -> CodeMix:
        total = sum(weights.values())
        codes = tuple(sorted(weights))
        running, cumulative = 0.0, []
        for code in codes:
            running += weights[code] / total
            cumulative.append(running)
        return cls(codes, tuple(cumulative))

    def share(self, predicate: set[int] | frozenset[int]) -> float:
        previous, share = 0.0, 0.0
        for code, bound in zip(self.codes, self.cumulative, strict=True):
            if code in predicate:
                share += bound - previous
            previous = bound
        return share

    def draw(self, rng: random.Random) -> int:
        u = rng.random()
        for code, bound in zip(self.codes, self.cumulative, strict=True):
            if u < bound:
                return code
        return self.codes[-1]


@dataclass(frozen=True, slots=True)
class Pricing:
    """How a carrier's rates derive from the deck's base rates (or come from its own CSV deck)."""

    price_factor: Decimal = Decimal(1)
    sms_factor: Decimal = Decimal(1)
    spread: Decimal = ZERO
    increment: Increment = MINUTE
    connect_fee: Decimal = ZERO
    tiers: tuple[Tier, ...] = ()
    deck: Path | None = None


@dataclass(frozen=True, slots=True)
class Carrier:
    name: str
    description: str = ""
    services: frozenset[Service] = frozenset({Service.VOICE, Service.MESSAGING})
    prefixes: tuple[str, ...] = ("",)
    exclude: tuple[str, ...] = ()
    asr: float = 0.5
    acd: float = 120.0
    pdd: Delay = Delay(2.0, 6.0)
    early_media: float = 0.0
    final_codes: CodeMix = field(default_factory=lambda: CodeMix.of({480: 1.0}))
    deliverability: float = 0.98
    delivery_latency: Delay = Delay(2.0, 8.0)
    message_errors: CodeMix = field(default_factory=lambda: CodeMix.of({30008: 1.0}))
    capacity: Capacity = Capacity()
    outages: tuple[Outage, ...] = ()
    pricing: Pricing = Pricing()

    def serves(self, prefix: str) -> bool:
        """Whether deck prefix ``prefix`` is in this carrier's coverage."""
        if any(prefix.startswith(excluded) for excluded in self.exclude):
            return False
        return any(prefix.startswith(covered) for covered in self.prefixes)

    def outage_at(self, now: float) -> Outage | None:
        for outage in self.outages:
            if outage.covers(now):
                return outage
        return None

    def prior_ccr(self, faults: frozenset[int]) -> float:
        """Completion ratio the config implies: 1 minus the share of seizures ending in a fault."""
        return 1.0 - (1.0 - self.asr) * self.final_codes.share(faults)
