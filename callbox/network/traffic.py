"""Simulated traffic to one destination: N calls or messages through a soft-switch, spaced
evenly in time, summarised as what a user plans with: the share each carrier carried, the
answer (or delivery) rate, failovers, and the expected cost.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from callbox.network.carriers import Service
from callbox.network.switch import SoftSwitch


@dataclass(slots=True)
class TrafficSummary:
    destination: str
    service: Service
    count: int
    first_attempts: Counter[str] = field(default_factory=Counter)
    carried: Counter[str] = field(default_factory=Counter)
    cost_by_carrier: dict[str, Decimal] = field(default_factory=dict)
    statuses: Counter[str] = field(default_factory=Counter)
    failovers: int = 0
    total_cost: Decimal = Decimal(0)
    billed_units: int = 0  # billed minutes, or segments

    @property
    def success(self) -> int:
        """Answered calls, or delivered messages."""
        return self.statuses["completed" if self.service is Service.VOICE else "delivered"]

    @property
    def success_rate(self) -> float:
        return self.success / self.count if self.count else 0.0

    @property
    def cost_per_item(self) -> Decimal:
        return self.total_cost / self.count if self.count else Decimal(0)

    def explain(self) -> dict[str, Any]:
        return {
            "destination": self.destination,
            "service": str(self.service),
            "count": self.count,
            "success_rate": round(self.success_rate, 4),
            "statuses": dict(sorted(self.statuses.items())),
            "failovers": self.failovers,
            "first_attempts": dict(self.first_attempts.most_common()),
            "carried": dict(self.carried.most_common()),
            "cost_by_carrier": {name: str(cost) for name, cost in self.cost_by_carrier.items()},
            "total_cost": str(self.total_cost),
            "cost_per_item": str(self.cost_per_item.quantize(Decimal("0.00001"))),
        }


def simulate_traffic(
    switch: SoftSwitch,
    destination: str,
    service: Service,
    count: int,
    *,
    start: float,
    rate: float = 10.0,
    segments: int = 1,
) -> TrafficSummary:
    """Send ``count`` calls or messages to ``destination``, ``rate`` per second from ``start``."""
    summary = TrafficSummary(destination, service, count)
    for number in range(count):
        now = start + number / rate
        if service is Service.VOICE:
            call = switch.place_call(destination, now)
            attempts = [attempt.carrier for attempt in call.attempts]
            summary.failovers += sum(attempt.failed_over for attempt in call.attempts)
            summary.statuses[call.status] += 1
            carrier, price = call.carrier, call.price
            summary.billed_units += -(-call.billed_seconds // 60)
        else:
            message = switch.send_message(destination, now, segments=segments)
            attempts = [attempt.carrier for attempt in message.attempts]
            summary.failovers += sum(attempt.failed_over for attempt in message.attempts)
            summary.statuses[message.status] += 1
            carrier, price = message.carrier, message.price
            summary.billed_units += segments if carrier else 0
        if attempts:
            summary.first_attempts[attempts[0]] += 1
        if carrier:
            summary.carried[carrier] += 1
            summary.cost_by_carrier[carrier] = (
                summary.cost_by_carrier.get(carrier, Decimal(0)) + price
            )
        summary.total_cost += price
    return summary
