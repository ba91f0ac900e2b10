"""The platform's charges: an outbound call or message is routed (failing over around a carrier
in an outage) and priced at the carrier's rate; inbound traffic and recordings at the billing
rates; prices as records keep them, Twilio's negative five-decimal values."""

from __future__ import annotations

import json
from collections.abc import Callable
from decimal import Decimal

from callbox.network import NetworkConfig, SoftSwitch
from callbox.network.charges import Charges, routing_json

ConfigMaker = Callable[..., NetworkConfig]
Carrier = Callable[..., str]
DECKS = {"cheap": "44,GB,0.0050,,,0.0200,0.0500", "middle": "44,GB,0.0080,,,0.0250,"}
OUTAGE = """
[[carriers.outages]]
start = 1970-01-01T01:00:00Z
end = 1970-01-01T02:00:00Z
"""


def charges(make_config: ConfigMaker, carrier: Carrier, extra: str = "") -> Charges:
    billing = '[billing]\nmarkup = "0.10"\ninbound_per_minute = "0.0085"\n'
    config = make_config(
        carrier("cheap", extra=extra) + carrier("middle"), routing=billing, decks=DECKS
    )
    return Charges(SoftSwitch(config))


def test_outbound_call_is_priced_at_the_chosen_carriers_rate(
    make_config: ConfigMaker, carrier: Carrier
) -> None:
    platform = charges(make_config, carrier)
    routing = platform.route_call("+447700900123", 0.0, "completed")
    assert routing is not None and routing.carrier == "cheap"
    assert (routing.status, routing.sip_code) == ("completed", 200)
    # 61 s is two minutes at 0.0050, plus 10 %
    assert platform.outbound_call_price(routing, 61, 0.0) == Decimal("-0.01100")
    assert str(platform.outbound_call_price(routing, 0, 0.0)) == "0.00000"


def test_far_ends_status_is_the_calls_outcome_on_the_first_carrier(
    make_config: ConfigMaker, carrier: Carrier
) -> None:
    routing = charges(make_config, carrier).route_call("+447700900123", 0.0, "busy")
    assert routing is not None
    assert [(a.carrier, a.code) for a in routing.attempts] == [("cheap", 486)]
    assert routing.status == "busy"


def test_call_during_an_outage_fails_over_and_the_record_says_so(
    make_config: ConfigMaker, carrier: Carrier
) -> None:
    routing = charges(make_config, carrier, OUTAGE).route_call("+447700900123", 3600.0, "completed")
    assert routing is not None and routing.carrier == "middle"
    record = json.loads(routing_json(routing))
    assert [(a["carrier"], a["sip_code"], a["failed_over"]) for a in record["attempts"]] == [
        ("cheap", 503, True),
        ("middle", 200, False),
    ]
    assert [c["carrier"] for c in record["candidates"]] == ["cheap", "middle"]


def test_outbound_messages_are_priced_per_segment_and_refused_ones_fail_over(
    make_config: ConfigMaker, carrier: Carrier
) -> None:
    platform = charges(make_config, carrier, OUTAGE)
    sms = platform.route_message("+447700900123", 0.0, segments=2, mms=False, error_code=None)
    assert sms is not None and (sms.carrier, sms.status, str(sms.price)) == (
        "cheap",
        "delivered",
        "0.04400",
    )
    mms = platform.route_message("+447700900123", 0.0, segments=1, mms=True, error_code=30003)
    assert mms is not None and (mms.status, mms.error_code, str(mms.price)) == (
        "undelivered",
        30003,
        "0.05500",
    )
    moved = platform.route_message("+447700900123", 3600.0, segments=1, mms=False, error_code=None)
    assert moved is not None and [a.carrier for a in moved.attempts] == ["cheap", "middle"]


def test_inbound_traffic_and_recordings_use_the_billing_rates(
    make_config: ConfigMaker, carrier: Carrier
) -> None:
    platform = charges(make_config, carrier)
    assert platform.inbound_call_price(125) == Decimal("-0.02805")  # 3 min x 0.0085 x 1.1
    assert platform.inbound_message_price(2, mms=False) == Decimal("-0.01738")
    assert platform.recording_price(61) == Decimal("-0.00500")


def test_numbers_no_carrier_serves_are_not_routed(
    make_config: ConfigMaker, carrier: Carrier
) -> None:
    platform = charges(make_config, carrier)
    assert platform.route_call("+33612345678", 0.0, "completed") is None
    assert platform.route_call("client:alice", 0.0, "completed") is None
    assert (
        platform.route_message("+33612345678", 0.0, segments=1, mms=False, error_code=None) is None
    )
