"""Routing decisions per second on the shipped ~100,000-prefix deck, beside a bare dict lookup.

Builds the sample config's route table, draws destination numbers from its prefixes (each
padded with random digits to a full number), then times in the same run (each figure the best of repeated passes over
the same numbers): a bare ``dict.get``
of a fixed-length slice (the floor any lookup pays), the longest-prefix match alone, and the
whole decision (``SoftSwitch.decide``: number parsing, match, quality, capacity, scoring,
ranking) for calls and for messages. Target: >= 200,000 decisions/s on one core.
Run: ``.venv/bin/python bench/bench_routing.py [--numbers N] [--seconds S]``.
"""

from __future__ import annotations

import argparse
import random
import sys
import time
from collections.abc import Callable
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from callbox.network import Service, SoftSwitch, load_config
from callbox.network.config import default_config_path

TARGET = 200_000


def rate(function: Callable[[str], object], numbers: list[str], seconds: float) -> float:
    """Calls of ``function`` per second in its best pass over ``numbers``, passes repeated for
    about ``seconds`` (best of N, as timeit reports: a pass slowed by another process on the
    machine says nothing about the code)."""
    best, started = 0.0, time.perf_counter()
    while True:
        begun = time.perf_counter()
        for number in numbers:
            function(number)
        finished = time.perf_counter()
        best = max(best, len(numbers) / (finished - begun))
        if finished - started >= seconds:
            return best


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--numbers", type=int, default=20_000)
    parser.add_argument("--seconds", type=float, default=2.0)
    options = parser.parse_args()

    started = time.perf_counter()
    switch = SoftSwitch(load_config(default_config_path()))
    print(f"deck: {len(switch.routes):,} prefixes built in {time.perf_counter() - started:.2f} s")
    rng = random.Random(7)
    prefixes = list(switch.routes)
    numbers = []
    for prefix in rng.sample(prefixes, options.numbers):
        digits = prefix + "".join(rng.choice("0123456789") for _ in range(max(0, 12 - len(prefix))))
        numbers.append("+" + digits)
    bare = {prefix: prefix for prefix in prefixes}
    now = time.time()

    def bare_lookup(number: str) -> object:
        return bare.get(number[1:7])

    def longest(number: str) -> object:
        return switch.routes.longest(number[1:])

    def decide_call(number: str) -> object:
        return switch.decide(number, Service.VOICE, now)

    def decide_message(number: str) -> object:
        return switch.decide(number, Service.MESSAGING, now)

    baseline = rate(bare_lookup, numbers, options.seconds)
    print(f"bare dict lookup          {baseline:>12,.0f} /s")
    slowest = float("inf")
    for name, function in [
        ("longest-prefix match", longest),
        ("decision, voice", decide_call),
        ("decision, messaging", decide_message),
    ]:
        measured = rate(function, numbers, options.seconds)
        if name.startswith("decision"):
            slowest = min(slowest, measured)
        print(
            f"{name:<25} {measured:>12,.0f} /s   {baseline / measured:5.1f}x the bare lookup's time"
        )
    # Not a decision alone: the whole of routing one call (attempts on the simulated far end,
    # failover, learning from the outcome, pricing), shown for scale; no target applies.
    placing = SoftSwitch(load_config(default_config_path()), switch.routes, seed=7)
    clock = iter(range(10**12))

    def place_call(number: str) -> object:
        return placing.place_call(number, now + next(clock) / 1000)

    placed = rate(place_call, numbers, options.seconds)
    print(
        f"{'routed call, end to end':<25} {placed:>12,.0f} /s   (decision, attempts, learning, price)"
    )
    verdict = "PASS" if slowest >= TARGET else "FAIL"
    print(f"target: >= {TARGET:,} decisions/s on one core: {verdict} ({slowest:,.0f} /s)")


if __name__ == "__main__":
    main()
