"""What a carrier does with one attempt, drawn from its config with a seeded random generator:
the post-dial delay, early media, the SIP final code (200 at the answer-seizure ratio, else
from the final-code mix; the outage's code during an outage) and the answered duration; for a
message, whether the carrier accepts it, delivers it, and how long that takes.
"""

from __future__ import annotations

import random
from typing import NamedTuple

from callbox.network.carriers import Carrier

SUBMIT_REFUSED = 30008  # Twilio's "Unknown error": no carrier took the message


class CallOutcome(NamedTuple):
    code: int
    pdd: float  # seconds from INVITE to the final response (or the answer)
    early_media: bool
    duration: int  # answered seconds (0 unless code 200)


class MessageOutcome(NamedTuple):
    accepted: bool  # False: the carrier refused the submission (the switch fails over)
    delivered: bool
    error_code: int | None
    latency: float  # seconds to the delivery receipt


def simulate_call_attempt(carrier: Carrier, now: float, rng: random.Random) -> CallOutcome:
    pdd = carrier.pdd.sample(rng)
    outage = carrier.outage_at(now)
    if outage is not None:
        return CallOutcome(outage.code, min(pdd, 0.5), False, 0)
    early_media = rng.random() < carrier.early_media
    if rng.random() < carrier.asr:
        duration = max(1, round(rng.expovariate(1.0 / carrier.acd)))
        return CallOutcome(200, pdd, early_media, duration)
    return CallOutcome(carrier.final_codes.draw(rng), pdd, early_media, 0)


def simulate_message_attempt(carrier: Carrier, now: float, rng: random.Random) -> MessageOutcome:
    if carrier.outage_at(now) is not None:
        return MessageOutcome(False, False, SUBMIT_REFUSED, 0.0)
    latency = carrier.delivery_latency.sample(rng)
    if rng.random() < carrier.deliverability:
        return MessageOutcome(True, True, None, latency)
    return MessageOutcome(True, False, carrier.message_errors.draw(rng), latency)
