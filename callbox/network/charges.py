"""What the platform charges for its records. An outbound call or message is routed by the
soft-switch (which carrier carries it, the routing record kept on it, failover when a carrier is
out), the far end's own behaviour deciding how it ends; it is then priced at that carrier's rate.
Inbound calls and messages, and recordings, are priced at the billing settings' rates. Prices
come back as records keep them: Twilio's wire value, negative, five decimals (``-0.01300``).
"""

from __future__ import annotations

import json
import random
from collections.abc import Callable
from decimal import Decimal
from pathlib import Path

from callbox.billing.pricing import charge, price_call, price_messages, price_recording
from callbox.billing.rates import MessageRate, VoiceRate
from callbox.network.carriers import Carrier
from callbox.network.config import default_config_path, load_config
from callbox.network.errors import NoRouteError, NumberError
from callbox.network.simulation import CallOutcome, MessageOutcome
from callbox.network.switch import CallRouting, MessageRouting, SoftSwitch

NO_PRICE = Decimal("0.00000")

SIP_CODE_OF_STATUS = {
    "completed": 200,
    "in-progress": 200,
    "busy": 486,
    "no-answer": 480,
    "canceled": 487,
    "failed": 404,
}
"""The SIP final code a far end answers with, by the call status the platform's far end gives."""


def record_price(amount: Decimal) -> Decimal:
    """A charge as records keep it: negated, five decimals; no charge is ``0.00000``."""
    return -charge(amount) if amount else NO_PRICE


def routing_json(routing: CallRouting | MessageRouting) -> str:
    """The routing record as JSON text, to keep on the call or message."""
    return json.dumps(routing.explain(), separators=(",", ":"))


def far_end_answering(code: int) -> Callable[[Carrier, float, random.Random], CallOutcome]:
    """A far end that ends every attempt with ``code`` (the platform's far-end table decides
    it), unless the carrier is in an outage, which fails the attempt with the outage's code."""

    def attempt(carrier: Carrier, now: float, rng: random.Random) -> CallOutcome:
        outage = carrier.outage_at(now)
        if outage is not None:
            return CallOutcome(outage.code, 0.5, False, 0)
        return CallOutcome(code, carrier.pdd.median, False, 0)

    return attempt


def far_end_receiving(
    error_code: int | None,
) -> Callable[[Carrier, float, random.Random], MessageOutcome]:
    """A far end that receives a message (or fails it with ``error_code``), through any carrier
    not in an outage; one in an outage refuses it."""

    def attempt(carrier: Carrier, now: float, rng: random.Random) -> MessageOutcome:
        if carrier.outage_at(now) is not None:
            return MessageOutcome(False, False, 30008, 0.0)
        return MessageOutcome(True, error_code is None, error_code, carrier.delivery_latency.median)

    return attempt


class Charges:
    """Routes and prices the platform's calls, messages and recordings over one soft-switch."""

    def __init__(self, switch: SoftSwitch) -> None:
        self.switch = switch
        self.billing = switch.config.billing

    @classmethod
    def from_config(cls, path: str | Path | None = None, *, seed: int = 0) -> Charges:
        """Charges over the carrier config at ``path`` (default ``$CALLBOX_CARRIERS`` or the sample)."""
        return cls(SoftSwitch(load_config(path or default_config_path()), seed=seed))

    def route_call(self, to: str, now: float, status: str) -> CallRouting | None:
        """Route an outbound call whose far end ends it with ``status`` (``completed`` when it
        answers); None when the number is not E.164 or no carrier serves it."""
        code = SIP_CODE_OF_STATUS.get(status, 404)
        try:
            return self.switch.place_call(to, now, far_end=far_end_answering(code))
        except (NumberError, NoRouteError):
            return None

    def outbound_call_price(self, routing: CallRouting, duration: int, now: float) -> Decimal:
        """The price of an outbound call that lasted ``duration`` answered seconds."""
        return record_price(self.switch.charge_call(routing, duration, now).price)

    def inbound_call_price(self, duration: int) -> Decimal:
        rate = VoiceRate(self.billing.inbound_per_minute)
        amount = price_call(rate, duration, mode=self.billing.mode, markup=self.billing.markup)
        return record_price(amount)

    def route_message(
        self, to: str, now: float, *, segments: int, mms: bool, error_code: int | None
    ) -> MessageRouting | None:
        """Route and price an outbound message the far end receives (or fails with
        ``error_code``); None when the number is not E.164 or no carrier serves it."""
        try:
            return self.switch.send_message(
                to, now, segments=segments, mms=mms, far_end=far_end_receiving(error_code)
            )
        except (NumberError, NoRouteError):
            return None

    def inbound_message_price(self, segments: int, *, mms: bool) -> Decimal:
        rate = MessageRate(self.billing.inbound_per_segment, self.billing.inbound_per_mms)
        return record_price(price_messages(rate, segments, mms=mms, markup=self.billing.markup))

    def recording_price(self, duration: int) -> Decimal:
        return record_price(price_recording(duration, self.billing.recording_per_minute))
