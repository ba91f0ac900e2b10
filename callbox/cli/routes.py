"""``callbox routes DESTINATION``: how the soft-switch routes a call (or a message) there: the
deck prefix that matched, every candidate carrier with its cost, quality and score, the choice,
and with ``--simulate N`` the outcome of N simulated calls or messages: carriers' shares,
answer or delivery rate, failovers and the expected cost.
Exit status: 0 when a carrier can take the traffic, 1 when none serves the destination or every
one is blocked, 2 for usage errors (a bad number, a bad carrier config).
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from datetime import UTC, datetime
from decimal import Decimal
from pathlib import Path
from typing import TextIO

from callbox.billing.pricing import PRICE_UNIT
from callbox.network.carriers import Service
from callbox.network.config import CARRIERS_VARIABLE, default_config_path, load_config
from callbox.network.errors import CarrierConfigError, NoRouteError, NumberError
from callbox.network.routing import Decision
from callbox.network.switch import SoftSwitch
from callbox.network.traffic import TrafficSummary, simulate_traffic

HELP = "Show how a call or message to a number is routed: candidates, scores, choice, costs."
MAX_SIMULATE = 1_000_000


def _count(text: str) -> int:
    if not text.isascii() or not text.isdigit() or not 1 <= int(text) <= MAX_SIMULATE:
        raise argparse.ArgumentTypeError(
            f"{text!r}: give a number of calls from 1 to {MAX_SIMULATE}"
        )
    return int(text)


def _moment(text: str) -> float:
    try:
        moment = datetime.fromisoformat(text.replace("Z", "+00:00"))
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not an ISO 8601 date-time") from None
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=UTC)
    return moment.timestamp()


def _rate(text: str) -> float:
    try:
        rate = float(text)
    except ValueError:
        rate = 0.0
    if not 0.001 <= rate <= 100_000:
        raise argparse.ArgumentTypeError(f"{text!r}: give a rate from 0.001 to 100000 per second")
    return rate


def _segments(text: str) -> int:
    if not text.isascii() or not text.isdigit() or not 1 <= int(text) <= 10:
        raise argparse.ArgumentTypeError(f"{text!r}: a message has 1 to 10 segments")
    return int(text)


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "destination", metavar="DESTINATION", help="an E.164 number, e.g. +447700900123"
    )
    parser.add_argument(
        "--simulate",
        type=_count,
        metavar="N",
        help="simulate N calls (or messages) and summarise them",
    )
    parser.add_argument(
        "--messages", action="store_true", help="route SMS messages instead of voice calls"
    )
    parser.add_argument(
        "--segments",
        type=_segments,
        default=1,
        metavar="N",
        help="segments per simulated message (1)",
    )
    parser.add_argument(
        "--carriers",
        metavar="PATH",
        help=f"the carrier config (default ${CARRIERS_VARIABLE}, else the shipped sample)",
    )
    parser.add_argument(
        "--at", type=_moment, metavar="TIME", help="route as of this ISO 8601 time (default now)"
    )
    parser.add_argument(
        "--rate",
        type=_rate,
        default=10.0,
        metavar="PER_SECOND",
        help="simulated calls per second (10)",
    )
    parser.add_argument("--seed", type=int, default=0, help="seed of the simulation (0)")
    parser.add_argument(
        "--json", action="store_true", help="print one JSON object instead of tables"
    )


def _print_decision(decision: Decision, out: TextIO) -> None:
    unit = "1-min call" if decision.service is Service.VOICE else "per segment"
    print(
        f"+{decision.destination}  {decision.name}  (prefix {decision.prefix}, {decision.service})",
        file=out,
    )
    header = f"  {'#':>2}  {'carrier':<12} {'cost ' + unit:>16} {'score':>7}  adequate  quality"
    print(header, file=out)
    for position, candidate in enumerate(decision.candidates, start=1):
        quality = candidate.assessment.quality
        if decision.service is Service.VOICE:
            figures = f"ASR {quality.asr:.2f} CCR {quality.ccr:.2f} PDD {quality.pdd:.1f}s ACD {quality.acd:.0f}s"
        else:
            figures = (
                f"delivered {quality.deliverability:.3f} latency {quality.delivery_latency:.1f}s"
            )
        notes = list(candidate.assessment.reasons)
        if candidate.blocked:
            notes.insert(0, candidate.blocked)
        if candidate.probe:
            notes.insert(0, "probe")
        note = f"  [{'; '.join(notes)}]" if notes else ""
        adequate = "yes" if candidate.adequate else "no"
        print(
            f"  {position:>2}  {candidate.carrier:<12} {candidate.cost:>16} {candidate.score:>7.3f}  "
            f"{adequate:<8}  {figures}{note}",
            file=out,
        )
    order = decision.order
    choice = order[0].carrier if order else "none (every carrier is blocked)"
    print(f"choice: {choice}", file=out)


def _print_summary(summary: TrafficSummary, seed: int, out: TextIO) -> None:
    what = "calls" if summary.service is Service.VOICE else "messages"
    success = "answered" if summary.service is Service.VOICE else "delivered"
    print("", file=out)
    print(f"simulated {summary.count} {what} (seed {seed}):", file=out)
    print(
        f"  {success} {summary.success_rate:.1%}, failovers {summary.failovers}, "
        + ", ".join(f"{status} {n}" for status, n in sorted(summary.statuses.items())),
        file=out,
    )
    print(
        f"  {'carrier':<12} {'first tries':>11} {'carried':>8} {'cost ' + PRICE_UNIT:>14}", file=out
    )
    for carrier, carried in summary.carried.most_common():
        print(
            f"  {carrier:<12} {summary.first_attempts[carrier]:>11} {carried:>8} "
            f"{summary.cost_by_carrier[carrier]:>14}",
            file=out,
        )
    per = summary.cost_per_item.quantize(Decimal("0.00001"))
    print(
        f"  expected cost: {summary.total_cost} {PRICE_UNIT} in all, {per} per {what[:-1]}",
        file=out,
    )


def run(args: argparse.Namespace, out: TextIO | None = None, err: TextIO | None = None) -> int:
    out = out or sys.stdout
    err = err or sys.stderr
    path = Path(args.carriers) if args.carriers else default_config_path()
    now = args.at if args.at is not None else time.time()
    service = Service.MESSAGING if args.messages else Service.VOICE
    try:
        config = load_config(path)
        switch = SoftSwitch(config, seed=args.seed)
        decision = switch.decide(args.destination, service, now)
    except (CarrierConfigError, NumberError) as exc:
        code = f" ({exc.code})" if exc.code else ""
        print(f"callbox routes: {exc.message}{code}", file=err)
        return 2
    except NoRouteError as exc:
        print(f"callbox routes: {exc.message} ({exc.code})", file=err)
        return 1
    summary = None
    if args.simulate:
        summary = simulate_traffic(
            switch,
            args.destination,
            service,
            args.simulate,
            start=now,
            rate=args.rate,
            segments=args.segments,
        )
    if args.json:
        document = {
            "decision": decision.explain(),
            "choice": decision.order[0].carrier if decision.order else None,
        }
        if summary is not None:
            document["simulation"] = {"seed": args.seed, **summary.explain()}
        json.dump(document, out, indent=2)
        print(file=out)
    else:
        _print_decision(decision, out)
        if summary is not None:
            _print_summary(summary, args.seed, out)
    return 0 if decision.order else 1
