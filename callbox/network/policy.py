"""How the router judges carriers: thresholds a carrier must meet to be "good enough", weights
that score the good-enough ones (lower wins, cost first), and how quality is learned (the
sliding window, the minimum sample count, the probe interval for a demoted carrier).
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class Thresholds:
    min_asr: float = 0.30
    min_ccr: float = 0.90
    max_pdd: float = 8.0  # seconds
    min_acd: float = 20.0  # seconds
    min_deliverability: float = 0.90
    max_delivery_latency: float = 30.0  # seconds


@dataclass(frozen=True, slots=True)
class Weights:
    """Score = cost * (cost / cheapest) + the quality penalties below; the lowest score wins."""

    cost: float = 1.0
    asr: float = 0.5  # per unit of (1 - ASR)
    ccr: float = 2.0  # per unit of (1 - CCR)
    pdd: float = 0.02  # per second of mean post-dial delay
    acd: float = 0.2  # per unit of (1 - ACD / acd_target), when ACD is short
    acd_target: float = 120.0  # seconds
    deliverability: float = 2.0  # per unit of (1 - deliverability)
    delivery_latency: float = 0.005  # per second of mean delivery latency


@dataclass(frozen=True, slots=True)
class Learning:
    window: float = 300.0  # seconds of samples a quality estimate looks at
    max_samples: int = 1000  # per carrier and service, newest kept
    min_samples: int = 20  # fewer than this in the window: the config's figures stand
    probe_interval: float = 15.0  # seconds between probe attempts on a demoted carrier


@dataclass(frozen=True, slots=True)
class RoutingPolicy:
    thresholds: Thresholds = Thresholds()
    weights: Weights = Weights()
    learning: Learning = Learning()
    max_attempts: int = 3  # carriers tried per call or message
