"""The soft-switch: the thin stateful runner around the pure routing core. It holds what was
measured (a quality window per carrier) and what is in use (capacity), asks ``routing.choose``
for each call or message, walks the ranked carriers with failover by the code table, feeds
every attempt's outcome back, and prices the result.
"""

from __future__ import annotations

import random
from collections.abc import Callable
from dataclasses import dataclass, replace
from datetime import UTC, datetime
from decimal import Decimal
from typing import Any

from callbox.billing.pricing import billed_seconds, price_call, price_messages
from callbox.billing.rates import MessageRate, VoiceRate, tier_discount
from callbox.network.capacity import CapacityState
from callbox.network.carriers import Carrier, Service
from callbox.network.config import NetworkConfig
from callbox.network.deck import Route, cached_routes
from callbox.network.errors import NoRouteError
from callbox.network.failover import fails_over, rule_for
from callbox.network.numbers import e164_digits
from callbox.network.prefixes import PrefixTable
from callbox.network.quality import QualityWindow, prior_quality
from callbox.network.routing import Assessment, Decision, assess, choose
from callbox.network.simulation import (
    SUBMIT_REFUSED,
    CallOutcome,
    MessageOutcome,
    simulate_call_attempt,
    simulate_message_attempt,
)

NO_CHARGE = Decimal("0.00000")
CallFarEnd = Callable[[Carrier, float, random.Random], CallOutcome]
MessageFarEnd = Callable[[Carrier, float, random.Random], MessageOutcome]


@dataclass(frozen=True, slots=True)
class CallAttempt:
    carrier: str
    code: int
    status: str
    pdd: float
    early_media: bool
    duration: int
    fault: bool
    failed_over: bool
    probe: bool

    def explain(self) -> dict[str, Any]:
        return {
            "carrier": self.carrier,
            "sip_code": self.code,
            "status": self.status,
            "pdd": round(self.pdd, 3),
            "early_media": self.early_media,
            "duration": self.duration,
            "fault": self.fault,
            "failed_over": self.failed_over,
            "probe": self.probe,
        }


@dataclass(frozen=True, slots=True)
class CallRouting:
    """How one outbound call was routed and how it ended: the record stored on the call."""

    decision: Decision
    attempts: tuple[CallAttempt, ...]
    carrier: str | None  # the carrier of the last attempt
    status: str  # Twilio's call status: completed, busy, no-answer, failed, canceled
    sip_code: int
    duration: int
    billed_seconds: int
    price: Decimal  # the positive charge
    rate: VoiceRate | None = None  # the carrier's rate (None when no carrier was tried)
    carrier_index: int | None = None

    def explain(self) -> dict[str, Any]:
        return {
            **self.decision.explain(),
            "attempts": [attempt.explain() for attempt in self.attempts],
            "carrier": self.carrier,
            "status": self.status,
            "sip_code": self.sip_code,
            "price": str(self.price),
        }


@dataclass(frozen=True, slots=True)
class MessageAttempt:
    carrier: str
    accepted: bool
    delivered: bool
    error_code: int | None
    latency: float
    failed_over: bool
    probe: bool

    def explain(self) -> dict[str, Any]:
        return {
            "carrier": self.carrier,
            "accepted": self.accepted,
            "delivered": self.delivered,
            "error_code": self.error_code,
            "latency": round(self.latency, 3),
            "failed_over": self.failed_over,
            "probe": self.probe,
        }


@dataclass(frozen=True, slots=True)
class MessageRouting:
    decision: Decision
    attempts: tuple[MessageAttempt, ...]
    carrier: str | None  # the carrier that accepted it
    status: str  # delivered, undelivered, failed
    error_code: int | None
    segments: int
    price: Decimal

    def explain(self) -> dict[str, Any]:
        return {
            **self.decision.explain(),
            "attempts": [attempt.explain() for attempt in self.attempts],
            "carrier": self.carrier,
            "status": self.status,
            "error_code": self.error_code,
            "price": str(self.price),
        }


def _month(now: float) -> tuple[int, int]:
    moment = datetime.fromtimestamp(now, tz=UTC)
    return moment.year, moment.month


class SoftSwitch:
    """Routes calls and messages over the configured carriers, learning from every outcome."""

    def __init__(
        self,
        config: NetworkConfig,
        routes: PrefixTable[Route] | None = None,
        *,
        seed: int = 0,
    ) -> None:
        self.config = config
        self.routes = routes if routes is not None else cached_routes(config)
        self.policy = config.policy
        self.rng = random.Random(seed)
        carriers = config.carriers
        self.names = tuple(carrier.name for carrier in carriers)
        self.windows = [QualityWindow(prior_quality(c), self.policy.learning) for c in carriers]
        self.capacity = [CapacityState(carrier.capacity) for carrier in carriers]
        self.next_probe = [float("-inf")] * len(carriers)
        self._announced = [tuple(o for o in c.outages if o.announced) for c in carriers]
        self._assessments: dict[Service, list[Assessment]] = {service: [] for service in Service}
        for service in Service:
            self._assessments[service] = [
                assess(window.estimate(), service, self.policy) for window in self.windows
            ]
        self._next_expiry = float("-inf")
        self._now = 0.0
        self._next_boundary = float("-inf")
        self._free_since = {service: [float("inf")] * len(carriers) for service in Service}
        self._volume: dict[tuple[int, tuple[int, int], Service], int] = {}

    # -- decisions -------------------------------------------------------------------------

    def route(self, digits: str, service: Service) -> Route:
        found = self.routes.longest(digits)
        if found is None or not found[1].options(service):
            code = 21215 if service is Service.VOICE else 21408
            raise NoRouteError(f"no carrier serves +{digits} for {service}", code=code)
        return found[1]

    def decide(self, destination: str, service: Service, now: float) -> Decision:
        """The ranked candidates for a destination now (nothing is attempted)."""
        digits = e164_digits(destination)
        found = self.routes.longest(digits)
        route = found[1] if found is not None else self.route(digits, service)
        if now >= self._next_expiry:
            self._expire(now)
        self._now = now
        voice = service is Service.VOICE
        return choose(
            digits,
            route,
            service,
            self.names,
            self._assessments[service],
            now,
            self._free_since[service],
            self._blocked_call if voice else self._blocked_message,
            self._probe_due,
            self.policy,
        )

    def _blocked_call(self, index: int) -> str | None:
        return self._blocked(index, Service.VOICE, self._now)

    def _blocked_message(self, index: int) -> str | None:
        return self._blocked(index, Service.MESSAGING, self._now)

    def _blocked(self, index: int, service: Service, now: float) -> str | None:
        for outage in self._announced[index]:
            if outage.covers(now):
                end = datetime.fromtimestamp(outage.end, tz=UTC)
                return f"announced outage until {end:%Y-%m-%dT%H:%M:%SZ}"
        reason = self.capacity[index].blocked(service, now)
        if reason is None:
            self._free_since[service][index] = now  # room only grows until the next take
        return reason

    def _taken(self, index: int, service: Service) -> None:
        self._free_since[service][index] = float("inf")

    def _probe_due(self, index: int) -> bool:
        """Whether demoted carrier ``index`` is due a probe; the first time a carrier is seen
        demoted, its first probe is scheduled one probe interval later."""
        now = self._now
        due = self.next_probe[index]
        if due == float("-inf"):
            self.next_probe[index] = now + self.policy.learning.probe_interval
            return False
        return due <= now

    def _refresh(self, index: int) -> None:
        estimate = self.windows[index].estimate()
        for service in Service:
            self._assessments[service][index] = assess(estimate, service, self.policy)
        self._next_expiry = min(self._next_expiry, self.windows[index].next_expiry())

    def _expire(self, now: float) -> None:
        """Drop samples that left the window; past an announced outage's start or end, forget
        which carriers were known to have room."""
        if now >= self._next_boundary:
            for service in Service:
                self._free_since[service] = [float("inf")] * len(self.names)
            self._next_boundary = self._boundary_after(now)
        for index, window in enumerate(self.windows):
            if window.expire(now):
                estimate = window.estimate()
                for service in Service:
                    self._assessments[service][index] = assess(estimate, service, self.policy)
        self._next_expiry = min(
            self._next_boundary, *(window.next_expiry() for window in self.windows)
        )

    def _boundary_after(self, now: float) -> float:
        """The next start or end of an announced outage after ``now``."""
        times = [t for outages in self._announced for o in outages for t in (o.start, o.end)]
        return min((t for t in times if t > now), default=float("inf"))

    def _discount(self, index: int, now: float, service: Service) -> Decimal:
        volume = self._volume.get((index, _month(now), service), 0)
        return tier_discount(self.config.carriers[index].pricing.tiers, volume)

    def _add_volume(self, index: int, now: float, service: Service, units: int) -> None:
        key = (index, _month(now), service)
        self._volume[key] = self._volume.get(key, 0) + units

    # -- calls -----------------------------------------------------------------------------

    def place_call(
        self, destination: str, now: float, *, far_end: CallFarEnd = simulate_call_attempt
    ) -> CallRouting:
        """Route one outbound call: try carriers in rank order, failing over on faults."""
        decision = self.decide(destination, Service.VOICE, now)
        order = decision.order[: self.policy.max_attempts]
        if not order:  # every carrier is blocked (capacity, announced outage)
            return CallRouting(decision, (), None, "failed", 503, 0, 0, NO_CHARGE)
        attempts: list[CallAttempt] = []
        chosen = order[-1]
        outcome = CallOutcome(503, 0.0, False, 0)
        for position, candidate in enumerate(order):
            index = candidate.carrier_index
            outcome = far_end(self.config.carriers[index], now, self.rng)
            rule = rule_for(outcome.code)
            self.capacity[index].take_call(now, now + outcome.pdd + outcome.duration)
            self._taken(index, Service.VOICE)
            self.windows[index].add_call(
                now,
                answered=outcome.code == 200,
                fault=rule.fault,
                pdd=outcome.pdd,
                duration=outcome.duration,
            )
            self._refresh(index)
            self.next_probe[index] = now + self.policy.learning.probe_interval
            retry = fails_over(outcome.code, early_media=outcome.early_media)
            more = position + 1 < len(order)
            attempts.append(
                CallAttempt(
                    candidate.carrier,
                    outcome.code,
                    rule.status,
                    outcome.pdd,
                    outcome.early_media,
                    outcome.duration,
                    rule.fault,
                    retry and more,
                    candidate.probe,
                )
            )
            chosen = candidate
            if not retry:
                break
        last = attempts[-1]
        rate = chosen.rate
        assert isinstance(rate, VoiceRate)
        routing = CallRouting(
            decision,
            tuple(attempts),
            chosen.carrier,
            last.status,
            last.code,
            0,
            0,
            NO_CHARGE,
            rate,
            chosen.carrier_index,
        )
        return self.charge_call(routing, outcome.duration, now)

    def charge_call(self, routing: CallRouting, duration: int, now: float) -> CallRouting:
        """``routing`` priced for ``duration`` answered seconds on the carrier that carried it
        (its rate, this month's volume tier on it, the billing mode and markup)."""
        if routing.rate is None or routing.carrier_index is None:
            return routing
        billing = self.config.billing
        index = routing.carrier_index
        seconds = billed_seconds(routing.rate, duration, billing.mode)
        price = price_call(
            routing.rate,
            duration,
            mode=billing.mode,
            discount=self._discount(index, now, Service.VOICE),
            markup=billing.markup,
        )
        self._add_volume(index, now, Service.VOICE, -(-seconds // 60))
        return replace(routing, duration=duration, billed_seconds=seconds, price=price)

    # -- messages --------------------------------------------------------------------------

    def send_message(
        self,
        destination: str,
        now: float,
        *,
        segments: int = 1,
        mms: bool = False,
        far_end: MessageFarEnd = simulate_message_attempt,
    ) -> MessageRouting:
        """Route one outbound message: fail over while carriers refuse it; a delivery failure
        (30003, 30005, ...) is the message's outcome."""
        decision = self.decide(destination, Service.MESSAGING, now)
        order = decision.order[: self.policy.max_attempts]
        attempts: list[MessageAttempt] = []
        for position, candidate in enumerate(order):
            index = candidate.carrier_index
            outcome = far_end(self.config.carriers[index], now, self.rng)
            self.capacity[index].take_message(now)
            self._taken(index, Service.MESSAGING)
            self.windows[index].add_message(
                now, delivered=outcome.delivered, latency=outcome.latency
            )
            self._refresh(index)
            self.next_probe[index] = now + self.policy.learning.probe_interval
            more = position + 1 < len(order)
            attempts.append(
                MessageAttempt(
                    candidate.carrier,
                    outcome.accepted,
                    outcome.delivered,
                    outcome.error_code,
                    outcome.latency,
                    not outcome.accepted and more,
                    candidate.probe,
                )
            )
            if outcome.accepted:
                rate = candidate.rate
                assert isinstance(rate, MessageRate)
                price = price_messages(
                    rate,
                    segments,
                    mms=mms,
                    discount=self._discount(index, now, Service.MESSAGING),
                    markup=self.config.billing.markup,
                )
                self._add_volume(index, now, Service.MESSAGING, 1 if mms else segments)
                status = "delivered" if outcome.delivered else "undelivered"
                return MessageRouting(
                    decision,
                    tuple(attempts),
                    candidate.carrier,
                    status,
                    outcome.error_code,
                    segments,
                    price,
                )
        return MessageRouting(
            decision, tuple(attempts), None, "failed", SUBMIT_REFUSED, segments, NO_CHARGE
        )
