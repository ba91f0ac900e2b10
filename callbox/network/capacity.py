"""A carrier's capacity in use: calls per second and messages per second as token buckets
(a second's worth of burst), and concurrent calls as the end times of the calls it carries.
"""

from __future__ import annotations

import heapq

from callbox.network.carriers import Capacity, Service


class _Bucket:
    __slots__ = ("at", "burst", "rate", "tokens")

    def __init__(self, rate: float) -> None:
        self.rate = rate
        self.burst = max(1.0, rate)
        self.tokens = self.burst
        self.at = float("-inf")

    def available(self, now: float) -> float:
        if now <= self.at:
            return self.tokens
        return min(self.burst, self.tokens + (now - self.at) * self.rate)

    def take(self, now: float) -> None:
        self.tokens = self.available(now) - 1.0
        self.at = max(now, self.at)


class CapacityState:
    """What one carrier is carrying now; ``blocked`` says why it cannot take more."""

    __slots__ = ("_cps", "_ends", "_free_calls", "_free_messages", "_mps", "limits")

    def __init__(self, limits: Capacity) -> None:
        self.limits = limits
        self._cps = _Bucket(limits.cps) if limits.cps else None
        self._mps = _Bucket(limits.mps) if limits.mps else None
        self._ends: list[float] = []
        # Since when the carrier is known to have room: room only grows as time passes
        # (tokens refill, calls end) until the next take, so a check can be skipped.
        self._free_calls = float("inf")
        self._free_messages = float("inf")

    def in_flight(self, now: float) -> int:
        ends = self._ends
        while ends and ends[0] <= now:
            heapq.heappop(ends)
        return len(ends)

    def blocked(self, service: Service, now: float) -> str | None:
        limits = self.limits
        if service is Service.VOICE:
            if now >= self._free_calls:
                return None
            if limits.concurrent is not None and self.in_flight(now) >= limits.concurrent:
                return f"at its limit of {limits.concurrent} concurrent calls"
            if self._cps is not None and self._cps.available(now) < 1.0:
                return f"at its limit of {limits.cps:g} calls per second"
            self._free_calls = now
            return None
        if now >= self._free_messages:
            return None
        if self._mps is not None and self._mps.available(now) < 1.0:
            return f"at its limit of {limits.mps:g} messages per second"
        self._free_messages = now
        return None

    def take_call(self, now: float, until: float) -> None:
        self._free_calls = float("inf")
        if self._cps is not None:
            self._cps.take(now)
        if self.limits.concurrent is not None:
            heapq.heappush(self._ends, until)

    def take_message(self, now: float) -> None:
        self._free_messages = float("inf")
        if self._mps is not None:
            self._mps.take(now)
