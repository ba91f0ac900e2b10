"""What the switch has measured about a carrier: ASR, CCR, PDD and ACD of its call attempts and
the deliverability and delivery latency of its messages, over a sliding window of recent
samples. Below ``min_samples`` in the window, the config's own figures (the prior) stand.
"""

from __future__ import annotations

from collections import deque
from typing import NamedTuple

from callbox.network.carriers import Carrier
from callbox.network.failover import FAULTS
from callbox.network.policy import Learning


class Quality(NamedTuple):
    asr: float
    ccr: float
    pdd: float  # mean seconds
    acd: float  # mean seconds of answered calls
    deliverability: float
    delivery_latency: float  # mean seconds
    call_samples: int  # samples in the window (0: the figures are the config's)
    message_samples: int
    measured_calls: bool
    measured_messages: bool


def prior_quality(carrier: Carrier) -> Quality:
    """The figures the config gives (or implies) for a carrier, before anything is measured."""
    return Quality(
        asr=carrier.asr,
        ccr=carrier.prior_ccr(FAULTS),
        pdd=carrier.pdd.mean,
        acd=carrier.acd,
        deliverability=carrier.deliverability,
        delivery_latency=carrier.delivery_latency.mean,
        call_samples=0,
        message_samples=0,
        measured_calls=False,
        measured_messages=False,
    )


class QualityWindow:
    """Samples of one carrier over the last ``learning.window`` seconds (at most
    ``learning.max_samples`` of each kind), with running sums so updates cost O(1)."""

    __slots__ = (
        "_answered",
        "_calls",
        "_delivered",
        "_duration",
        "_estimate",
        "_faults",
        "_latency",
        "_learning",
        "_messages",
        "_pdd",
        "prior",
        "version",
    )

    def __init__(self, prior: Quality, learning: Learning) -> None:
        self.prior = prior
        self._learning = learning
        self._calls: deque[tuple[float, int, int, float, float]] = deque()
        self._messages: deque[tuple[float, int, float]] = deque()
        self._answered = 0
        self._faults = 0
        self._pdd = 0.0
        self._duration = 0.0
        self._delivered = 0
        self._latency = 0.0
        self._estimate: Quality | None = prior
        self.version = 0

    def add_call(
        self, now: float, *, answered: bool, fault: bool, pdd: float, duration: float
    ) -> None:
        sample = (now, int(answered), int(fault), pdd, duration if answered else 0.0)
        self._calls.append(sample)
        self._answered += sample[1]
        self._faults += sample[2]
        self._pdd += pdd
        self._duration += sample[4]
        if len(self._calls) > self._learning.max_samples:
            self._drop_call()
        self._changed()

    def add_message(self, now: float, *, delivered: bool, latency: float) -> None:
        self._messages.append((now, int(delivered), latency))
        self._delivered += int(delivered)
        self._latency += latency
        if len(self._messages) > self._learning.max_samples:
            self._drop_message()
        self._changed()

    def _drop_call(self) -> None:
        _, answered, fault, pdd, duration = self._calls.popleft()
        self._answered -= answered
        self._faults -= fault
        self._pdd -= pdd
        self._duration -= duration

    def _drop_message(self) -> None:
        _, delivered, latency = self._messages.popleft()
        self._delivered -= delivered
        self._latency -= latency

    def _changed(self) -> None:
        self._estimate = None
        self.version += 1

    def expire(self, now: float) -> bool:
        """Drop samples older than the window; True when any were dropped."""
        horizon = now - self._learning.window
        dropped = False
        while self._calls and self._calls[0][0] <= horizon:
            self._drop_call()
            dropped = True
        while self._messages and self._messages[0][0] <= horizon:
            self._drop_message()
            dropped = True
        if dropped:
            self._changed()
        return dropped

    def next_expiry(self) -> float:
        """When the oldest sample leaves the window (infinity when there are none)."""
        oldest = min(
            self._calls[0][0] if self._calls else float("inf"),
            self._messages[0][0] if self._messages else float("inf"),
        )
        return oldest + self._learning.window

    def estimate(self) -> Quality:
        """The current figures: measured where the window holds ``min_samples``, else the prior."""
        if self._estimate is not None:
            return self._estimate
        prior, minimum = self.prior, self._learning.min_samples
        calls, messages = len(self._calls), len(self._messages)
        asr, ccr, pdd, acd = prior.asr, prior.ccr, prior.pdd, prior.acd
        deliverability, latency = prior.deliverability, prior.delivery_latency
        if calls >= minimum:
            asr = self._answered / calls
            ccr = 1.0 - self._faults / calls
            pdd = self._pdd / calls
            if self._answered:
                acd = self._duration / self._answered
        if messages >= minimum:
            deliverability = self._delivered / messages
            latency = self._latency / messages
        self._estimate = Quality(
            asr, ccr, pdd, acd, deliverability, latency,
            calls, messages, calls >= minimum, messages >= minimum,
        )  # fmt: skip
        return self._estimate
