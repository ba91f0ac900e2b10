"""Routing decisions as pure functions: judge each carrier's measured quality against the
policy's thresholds, score the candidates for a destination (relative cost plus quality
penalties), and rank them: carriers that can take the traffic first, good-enough ones before
the rest, lowest score first. A demoted carrier due for a probe goes first, once.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from decimal import Decimal
from typing import Any, NamedTuple

from callbox.billing.rates import MessageRate, VoiceRate
from callbox.network.carriers import Service
from callbox.network.deck import Route
from callbox.network.policy import RoutingPolicy
from callbox.network.quality import Quality


class Assessment(NamedTuple):
    """A carrier's quality as routing sees it for one service."""

    quality: Quality
    adequate: bool
    penalty: float
    reasons: tuple[str, ...]  # the thresholds it misses


def assess(quality: Quality, service: Service, policy: RoutingPolicy) -> Assessment:
    limits, weights = policy.thresholds, policy.weights
    reasons: list[str] = []
    if service is Service.VOICE:
        if quality.asr < limits.min_asr:
            reasons.append(f"ASR {quality.asr:.2f} below {limits.min_asr:.2f}")
        if quality.ccr < limits.min_ccr:
            reasons.append(f"CCR {quality.ccr:.2f} below {limits.min_ccr:.2f}")
        if quality.pdd > limits.max_pdd:
            reasons.append(f"PDD {quality.pdd:.1f}s above {limits.max_pdd:.1f}s")
        if quality.acd < limits.min_acd:
            reasons.append(f"ACD {quality.acd:.0f}s below {limits.min_acd:.0f}s")
        penalty = (
            weights.asr * (1 - quality.asr)
            + weights.ccr * (1 - quality.ccr)
            + weights.pdd * quality.pdd
            + weights.acd * max(0.0, 1 - quality.acd / weights.acd_target)
        )
    else:
        if quality.deliverability < limits.min_deliverability:
            reasons.append(
                f"deliverability {quality.deliverability:.2f} below {limits.min_deliverability:.2f}"
            )
        if quality.delivery_latency > limits.max_delivery_latency:
            reasons.append(
                f"delivery latency {quality.delivery_latency:.1f}s above "
                f"{limits.max_delivery_latency:.1f}s"
            )
        penalty = (
            weights.deliverability * (1 - quality.deliverability)
            + weights.delivery_latency * quality.delivery_latency
        )
    return Assessment(quality, not reasons, penalty, tuple(reasons))


class Candidate(NamedTuple):
    carrier: str
    carrier_index: int
    rate: VoiceRate | MessageRate
    cost: Decimal
    score: float
    adequate: bool
    blocked: str | None  # why the carrier cannot take this now (capacity, announced outage)
    probe: bool
    assessment: Assessment

    def explain(self) -> dict[str, Any]:
        quality = self.assessment.quality
        return {
            "carrier": self.carrier,
            "cost": str(self.cost),
            "score": round(self.score, 4),
            "adequate": self.adequate,
            "blocked": self.blocked,
            "probe": self.probe,
            "reasons": list(self.assessment.reasons),
            "quality": {
                "asr": round(quality.asr, 4),
                "ccr": round(quality.ccr, 4),
                "pdd": round(quality.pdd, 3),
                "acd": round(quality.acd, 1),
                "deliverability": round(quality.deliverability, 4),
                "delivery_latency": round(quality.delivery_latency, 3),
                "call_samples": quality.call_samples,
                "message_samples": quality.message_samples,
                "measured": quality.measured_calls or quality.measured_messages,
            },
        }


Ranked = tuple[bool, bool, bool, float, int, Assessment, Any, str | None, bool]
"""How ``choose`` ranks one option: (blocked, not probe, not adequate, score, carrier index,
assessment, option, blocked reason, probe). Plain tuples sort natively, which keeps a decision
at a few microseconds; the carrier index is unique, so comparison never reaches the rest."""


class Decision(NamedTuple):
    destination: str  # E.164 digits
    service: Service
    route: Route  # the deck entry that matched
    names: Sequence[str]  # carrier names by index
    ranked: tuple[Ranked, ...]  # in the order they would be tried; blocked ones last

    @property
    def prefix(self) -> str:
        return self.route.prefix

    @property
    def name(self) -> str:
        return self.route.destination

    @property
    def candidates(self) -> tuple[Candidate, ...]:
        names = self.names
        return tuple(
            Candidate(
                names[index],
                index,
                option.rate,
                option.cost,
                score,
                not inadequate,
                reason,
                probe,
                assessment,
            )
            for _, _, inadequate, score, index, assessment, option, reason, probe in self.ranked
        )

    @property
    def order(self) -> tuple[Candidate, ...]:
        """The candidates that can be tried, in order."""
        return tuple(candidate for candidate in self.candidates if candidate.blocked is None)

    def explain(self) -> dict[str, Any]:
        return {
            "destination": "+" + self.destination,
            "service": str(self.service),
            "prefix": self.prefix,
            "name": self.name,
            "candidates": [candidate.explain() for candidate in self.candidates],
        }


def choose(
    digits: str,
    route: Route,
    service: Service,
    names: Sequence[str],
    assessments: Sequence[Assessment],
    now: float,
    free_since: Sequence[float],
    blocked: Callable[[int], str | None],
    probe_due: Callable[[int], bool],
    policy: RoutingPolicy,
) -> Decision:
    """The ranked candidates for ``route`` at time ``now``: ``assessments[i]`` judges carrier
    i; ``free_since[i]`` is a time since which carrier i is known to have room (so ``blocked``
    need not be asked when ``now`` is past it); ``blocked(i)`` says why carrier i cannot take
    traffic now (None when it can); ``probe_due(i)`` whether a demoted carrier i is due a probe."""
    cost_weight = policy.weights.cost
    ranked: list[Ranked] = []
    probing = False
    for option in route.voice if service is Service.VOICE else route.messaging:
        index = option.carrier
        assessment = assessments[index]
        reason = None if now >= free_since[index] else blocked(index)
        adequate = assessment.adequate
        probe = False
        if not adequate and reason is None and not probing and probe_due(index):
            probe = probing = True
        score = cost_weight * option.relative + assessment.penalty
        ranked.append(
            (
                reason is not None,
                not probe,
                not adequate,
                score,
                index,
                assessment,
                option,
                reason,
                probe,
            )
        )
    ranked.sort()
    return Decision(digits, service, route, names, tuple(ranked))
