"""Routing: the longest deck prefix decides the rates, the cheapest carrier good enough wins,
carriers that miss a threshold or are out of capacity fall behind, and every decision says why."""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

import pytest

from callbox.network import NetworkConfig, NoRouteError, NumberError, Service, SoftSwitch

ConfigMaker = Callable[..., NetworkConfig]
Carrier = Callable[..., str]

DECKS = {
    "cheap": "44,GB,0.0050,,,0.0200,",
    "middle": "44,GB,0.0080,,,0.0250,",
    "premium": "44,GB,0.0120,,,0.0300,",
}


def test_cheapest_adequate_carrier_wins(make_config: ConfigMaker, carrier: Carrier) -> None:
    config = make_config(
        carrier("premium") + carrier("cheap", extra="asr = 0.10") + carrier("middle"), decks=DECKS
    )
    decision = SoftSwitch(config).decide("+447700900123", Service.VOICE, 1000.0)
    assert [c.carrier for c in decision.order] == ["middle", "premium", "cheap"]
    cheap = decision.order[-1]
    assert not cheap.adequate
    assert cheap.assessment.reasons == ("ASR 0.10 below 0.30",)


def test_cheapest_carrier_wins_when_every_one_is_good_enough(
    make_config: ConfigMaker, carrier: Carrier
) -> None:
    config = make_config(carrier("premium") + carrier("middle") + carrier("cheap"), decks=DECKS)
    decision = SoftSwitch(config).decide("+447700900123", Service.VOICE, 1000.0)
    assert decision.order[0].carrier == "cheap"
    assert decision.order[0].score < decision.order[1].score < decision.order[2].score


def test_undeliverable_carrier_loses_messages_to_a_dearer_one(
    make_config: ConfigMaker, carrier: Carrier
) -> None:
    config = make_config(
        carrier("cheap", extra="deliverability = 0.70") + carrier("middle"), decks=DECKS
    )
    decision = SoftSwitch(config).decide("+447700900123", Service.MESSAGING, 1000.0)
    assert [c.carrier for c in decision.order] == ["middle", "cheap"]
    assert str(decision.order[0].cost) == "0.0250"


def test_longest_prefix_sets_the_rate(make_config: ConfigMaker, carrier: Carrier) -> None:
    decks = {"one": "44,GB,0.0100,,,,\n447,GB mobile,0.0300,,,,\n4477,GB mobile X,0.0200,,,,"}
    switch = SoftSwitch(make_config(carrier("one"), decks=decks))
    assert switch.decide("+442079460958", Service.VOICE, 0.0).prefix == "44"
    mobile = switch.decide("+447912345678", Service.VOICE, 0.0)
    assert (mobile.prefix, mobile.name, str(mobile.order[0].cost)) == ("447", "GB mobile", "0.0300")
    assert switch.decide("+447712345678", Service.VOICE, 0.0).name == "GB mobile X"


def test_carrier_without_a_rate_for_the_service_is_no_candidate(
    make_config: ConfigMaker, carrier: Carrier
) -> None:
    decks = {"voice": "44,GB,0.0100,,,,", "sms": "44,GB,,,,0.0300,"}
    switch = SoftSwitch(make_config(carrier("voice") + carrier("sms"), decks=decks))
    assert [c.carrier for c in switch.decide("+447700900123", Service.VOICE, 0).order] == ["voice"]
    assert [c.carrier for c in switch.decide("+447700900123", Service.MESSAGING, 0).order] == [
        "sms"
    ]


def test_destination_no_carrier_serves_is_refused_with_twilios_codes(
    make_config: ConfigMaker, carrier: Carrier
) -> None:
    switch = SoftSwitch(make_config(carrier("cheap"), decks=DECKS))
    with pytest.raises(NoRouteError) as call:
        switch.decide("+33612345678", Service.VOICE, 0.0)
    assert call.value.code == 21215
    with pytest.raises(NoRouteError) as message:
        switch.decide("+33612345678", Service.MESSAGING, 0.0)
    assert message.value.code == 21408


@pytest.mark.parametrize(
    "text", ["", "+", "447700", "+0447700900123", "+44 77x", "+4477009001234567", "+٤٤٧٧"]
)
def test_what_is_not_an_e164_number_is_21211(
    make_config: ConfigMaker, carrier: Carrier, text: str
) -> None:
    switch = SoftSwitch(make_config(carrier("cheap"), decks=DECKS))
    if text == "447700":  # digits without + are read as E.164 too
        assert switch.decide(text, Service.VOICE, 0.0).destination == "447700"
        return
    with pytest.raises(NumberError) as error:
        switch.decide(text, Service.VOICE, 0.0)
    assert error.value.code == 21211


def test_spaces_dashes_and_tel_uris_are_read_as_the_same_number(
    make_config: ConfigMaker, carrier: Carrier
) -> None:
    switch = SoftSwitch(make_config(carrier("cheap"), decks=DECKS))
    for text in ["+44 7700 900123", "tel:+44-7700-900123", "0044 (7700) 900.123"]:
        assert switch.decide(text, Service.VOICE, 0.0).destination == "447700900123"


def test_carrier_at_its_calls_per_second_limit_is_passed_over(
    make_config: ConfigMaker, carrier: Carrier
) -> None:
    config = make_config(
        carrier("cheap", extra="capacity = { cps = 1 }") + carrier("middle"), decks=DECKS
    )
    switch = SoftSwitch(config)
    first = switch.place_call("+447700900123", 100.0)
    second = switch.place_call("+447700900123", 100.2)
    later = switch.place_call("+447700900123", 101.5)
    assert [first.attempts[0].carrier, second.attempts[0].carrier, later.attempts[0].carrier] == [
        "cheap",
        "middle",
        "cheap",
    ]
    assert switch.decide("+447700900123", Service.VOICE, 101.6).candidates[-1].blocked == (
        "at its limit of 1 calls per second"
    )


def test_concurrent_call_limit_holds_until_a_call_ends(
    make_config: ConfigMaker, carrier: Carrier
) -> None:
    config = make_config(
        carrier("cheap", extra="asr = 1.0\nacd = 60\ncapacity = { concurrent = 1 }")
        + carrier("middle"),
        decks=DECKS,
    )
    switch = SoftSwitch(config, seed=3)
    first = switch.place_call("+447700900123", 0.0)
    during = switch.decide("+447700900123", Service.VOICE, 0.5)
    assert during.order[0].carrier == "middle"
    assert during.candidates[-1].blocked == "at its limit of 1 concurrent calls"
    ended = first.attempts[0].pdd + first.duration + 1
    assert switch.decide("+447700900123", Service.VOICE, ended).order[0].carrier == "cheap"


def test_announced_outage_takes_the_carrier_out_of_rotation(
    make_config: ConfigMaker, carrier: Carrier
) -> None:
    outage = """
[[carriers.outages]]
start = 1970-01-01T01:00:00Z
end = 1970-01-01T02:00:00Z
announced = true
"""
    switch = SoftSwitch(
        make_config(carrier("cheap", extra=outage) + carrier("middle"), decks=DECKS)
    )
    assert switch.decide("+447700900123", Service.VOICE, 3599).order[0].carrier == "cheap"
    during = switch.decide("+447700900123", Service.VOICE, 3600)
    assert [c.carrier for c in during.order] == ["middle"]
    assert during.candidates[-1].blocked == "announced outage until 1970-01-01T02:00:00Z"
    assert switch.decide("+447700900123", Service.VOICE, 7200).order[0].carrier == "cheap"


def test_routing_record_explains_candidates_scores_and_attempts(
    make_config: ConfigMaker, carrier: Carrier
) -> None:
    config = make_config(carrier("cheap", extra="asr = 0.10") + carrier("middle"), decks=DECKS)
    record: dict[str, Any] = json.loads(
        json.dumps(SoftSwitch(config, seed=1).place_call("+447700900123", 0.0).explain())
    )
    assert record["destination"] == "+447700900123"
    assert record["prefix"] == "44"
    assert [c["carrier"] for c in record["candidates"]] == ["middle", "cheap"]
    assert record["candidates"][1]["reasons"] == ["ASR 0.10 below 0.30"]
    assert [c["adequate"] for c in record["candidates"]] == [True, False]
    assert record["candidates"][1]["score"] < record["candidates"][0]["score"]  # cheaper, not good
    assert record["attempts"][0]["carrier"] == "middle"
    assert record["carrier"] == record["attempts"][-1]["carrier"]
    assert record["status"] in {"completed", "busy", "no-answer"}
