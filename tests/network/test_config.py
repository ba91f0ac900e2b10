"""The carrier config: the shipped sample loads with its ~100,000-prefix deck of real E.164 data,
and every mistake in a config is a CarrierConfigError naming the file and the key."""

from __future__ import annotations

from collections.abc import Callable
from decimal import Decimal
from pathlib import Path

import pytest

from callbox.network import CarrierConfigError, NetworkConfig, Service, SoftSwitch, load_config
from callbox.network.deck import Route, _GeneratedRates, phonenumbers_destinations
from callbox.network.prefixes import PrefixTable

ConfigMaker = Callable[..., NetworkConfig]
Carrier = Callable[..., str]
Sample = tuple[NetworkConfig, PrefixTable[Route]]


def test_sample_config_has_several_carriers_over_a_100k_prefix_deck(sample: Sample) -> None:
    config, routes = sample
    assert len(config.carriers) >= 5
    assert 90_000 <= len(routes) <= 120_000
    assert {c.name for c in config.carriers} >= {"atlas", "bluewave", "corvus", "delta", "equinox"}


@pytest.mark.parametrize(
    ("number", "name"),
    [
        ("+12423571234", "BS mobile BaTelCo"),  # a Caribbean member of +1
        ("+447700900123", "GB mobile"),
        ("+14155550100", "US fixed"),
        ("+33612345678", "FR mobile"),
    ],
)
def test_sample_deck_names_destinations_from_real_prefix_data(
    sample: Sample, number: str, name: str
) -> None:
    config, routes = sample
    decision = SoftSwitch(config, routes).decide(number, Service.VOICE, 0.0)
    assert decision.name.startswith(name)
    assert number[1:].startswith(decision.prefix) and len(decision.prefix) >= 2


def test_sample_deck_prices_mobile_and_far_zones_above_domestic_fixed(sample: Sample) -> None:
    config, routes = sample
    switch = SoftSwitch(config, routes)

    def cheapest(number: str) -> Decimal:
        return min(c.cost for c in switch.decide(number, Service.VOICE, 0.0).candidates)

    assert cheapest("+14155550100") < cheapest("+447700900123") < cheapest("+2348031234567")
    assert cheapest("+14155550100") < cheapest("+12423571234")  # the Bahamas cost more than the US


def test_specialist_carriers_serve_only_their_prefixes(sample: Sample) -> None:
    config, routes = sample
    switch = SoftSwitch(config, routes)
    us = {c.carrier for c in switch.decide("+14155550100", Service.VOICE, 0.0).candidates}
    fr = {c.carrier for c in switch.decide("+33612345678", Service.VOICE, 0.0).candidates}
    assert "corvus" in us and "corvus" not in fr
    assert "delta" in fr and "delta" not in us
    assert "bluewave" in fr and "bluewave" not in us  # excluded from +1
    sms = {c.carrier for c in switch.decide("+33612345678", Service.MESSAGING, 0.0).candidates}
    assert "equinox" in sms and "delta" not in sms  # delta carries voice only


def test_generated_rates_are_deterministic_and_spread_per_carrier(sample: Sample) -> None:
    config, _ = sample
    destinations = phonenumbers_destinations(4)
    atlas, bluewave = config.carrier("atlas"), config.carrier("bluewave")
    for prefix, destination in list(destinations.items())[:200]:
        once = _GeneratedRates(atlas, config.deck)(prefix, destination)
        again = _GeneratedRates(atlas, config.deck)(prefix, destination)
        assert once == again
    some = next(d for p, d in destinations.items() if p.startswith("44"))
    assert _GeneratedRates(atlas, config.deck)("44", some) != _GeneratedRates(
        bluewave, config.deck
    )("44", some)


@pytest.mark.parametrize(
    ("extra", "message"),
    [
        ("asr = 1.5", "carriers[0].asr: 1.5 is outside 0..1"),
        ("colour = 'red'", "carriers[0].colour: unknown key"),
        ("increment = '60'", "carriers[0].increment: increment '60': write it as FIRST/NEXT"),
        ("connect_fee = 0.01", "carriers[0].connect_fee: write amounts as strings"),
        ("connect_fee = '-1'", "carriers[0].connect_fee: '-1' must be a finite amount"),
        ("final_codes = { 200 = 1 }", "carriers[0].final_codes: lists the codes of unanswered"),
        ("final_codes = { abc = 1 }", "carriers[0].final_codes.abc: codes are numbers"),
        ("pdd = { median = 5, p95 = 2 }", "carriers[0].pdd.p95: 2 is below the median 5"),
        ("services = ['fax']", 'carriers[0].services: [\'fax\']: use "voice" and/or "messaging"'),
        ("prefixes = ['44x']", "carriers[0].prefixes: '44x' is not a digit prefix"),
        ("capacity = { cps = 0 }", "carriers[0].capacity.cps: 0 is outside"),
        (
            "outages = [{ start = 2026-01-01T00:00:00Z, end = 2025-01-01T00:00:00Z }]",
            "carriers[0].outages[0].end: must be after start",
        ),
    ],
)
def test_config_mistakes_name_the_file_and_key(
    make_config: ConfigMaker, carrier: Carrier, extra: str, message: str
) -> None:
    with pytest.raises(CarrierConfigError) as error:
        make_config(carrier("one", extra=extra), decks={"one": "44,GB,0.01,,,,"})
    assert str(error.value).startswith("carriers.toml: ")
    assert message in str(error.value)


def test_routing_mistakes_name_the_key(make_config: ConfigMaker, carrier: Carrier) -> None:
    with pytest.raises(CarrierConfigError, match=r"routing.thresholds.min_asr: 2 is outside 0..1"):
        make_config(carrier("one"), routing="[routing.thresholds]\nmin_asr = 2")
    with pytest.raises(CarrierConfigError, match=r"billing.mode: 'monthly': use"):
        make_config(carrier("one"), routing="[billing]\nmode = 'monthly'")


def test_two_carriers_with_one_name_are_refused(make_config: ConfigMaker, carrier: Carrier) -> None:
    with pytest.raises(CarrierConfigError, match="two carriers are named 'one'"):
        make_config(carrier("one") + carrier("one"), decks={"one": "44,GB,0.01,,,,"})


def test_unreadable_or_broken_files_are_config_errors(tmp_path: Path) -> None:
    with pytest.raises(CarrierConfigError, match="cannot read the carrier config"):
        load_config(tmp_path / "missing.toml")
    (tmp_path / "bad.toml").write_text("[[carriers]\n")
    with pytest.raises(CarrierConfigError, match=r"bad\.toml: not valid TOML"):
        load_config(tmp_path / "bad.toml")
    (tmp_path / "binary.toml").write_bytes(b"\xff\xfe")
    with pytest.raises(CarrierConfigError, match="not UTF-8"):
        load_config(tmp_path / "binary.toml")


def test_csv_deck_mistakes_name_the_line(make_config: ConfigMaker, carrier: Carrier) -> None:
    config = make_config(carrier("one"), decks={"one": "44,GB,0.01,,,,\n33,FR,lots,,,,"})
    with pytest.raises(CarrierConfigError, match=r"one.csv:3: per_minute: 'lots' is not a decimal"):
        SoftSwitch(config)
