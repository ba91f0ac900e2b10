"""Learning from outcomes: an unannounced outage moves a carrier's traffic away within two
sampling windows and back within two windows of its end; too few samples leave the config's
figures in force; the same seed gives the same traffic."""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable

from callbox.network import NetworkConfig, Service, SoftSwitch

ConfigMaker = Callable[..., NetworkConfig]
Carrier = Callable[..., str]
DECKS = {"alpha": "44,GB,0.0100,,,0.0300,", "beta": "44,GB,0.0150,,,0.0400,"}
WINDOW = 60.0
OUTAGE = """
[[carriers.outages]]
start = 1970-01-01T00:10:00Z
end = 1970-01-01T00:20:00Z
code = 503
"""
START, END = 600.0, 1200.0
RATE = 10  # calls or messages per second


def share_of_alpha(firsts: list[tuple[float, str]], start: float, end: float) -> float:
    picked = Counter(carrier for moment, carrier in firsts if start <= moment < end)
    return picked["alpha"] / sum(picked.values())


def run(switch: SoftSwitch, service: Service, seconds: float) -> list[tuple[float, str]]:
    firsts = []
    for step in range(int(seconds * RATE)):
        now = step / RATE
        if service is Service.VOICE:
            first = switch.place_call("+447700900123", now).attempts[0].carrier
        else:
            first = switch.send_message("+447700900123", now).attempts[0].carrier
        firsts.append((now, first))
    return firsts


def outage_switch(make_config: ConfigMaker, carrier: Carrier) -> SoftSwitch:
    routing = f"[routing]\nwindow = {WINDOW}\nmin_samples = 20"
    config = make_config(
        carrier("alpha", extra=OUTAGE) + carrier("beta"), routing=routing, decks=DECKS
    )
    return SoftSwitch(config, seed=11)


def test_outage_moves_calls_away_within_two_windows_and_back_after_recovery(
    make_config: ConfigMaker, carrier: Carrier
) -> None:
    firsts = run(outage_switch(make_config, carrier), Service.VOICE, 1800)
    before = share_of_alpha(firsts, 0, START)
    assert before == 1.0
    during = share_of_alpha(firsts, START + 2 * WINDOW, END)
    assert during <= 0.05 * before  # >= 95 % of its traffic moved to beta
    after = share_of_alpha(firsts, END + 2 * WINDOW, 1800)
    assert after >= 0.95 * before


def test_outage_moves_messages_away_and_back(make_config: ConfigMaker, carrier: Carrier) -> None:
    firsts = run(outage_switch(make_config, carrier), Service.MESSAGING, 1800)
    assert share_of_alpha(firsts, 0, START) == 1.0
    assert share_of_alpha(firsts, START + 2 * WINDOW, END) <= 0.05
    assert share_of_alpha(firsts, END + 2 * WINDOW, 1800) >= 0.95


def test_calls_of_a_failing_carrier_still_complete_through_failover(
    make_config: ConfigMaker, carrier: Carrier
) -> None:
    switch = outage_switch(make_config, carrier)
    calls = [switch.place_call("+447700900123", START + step / RATE) for step in range(100)]
    assert all(call.carrier == "beta" for call in calls)
    assert all(call.attempts[-1].code != 503 for call in calls)


def test_fewer_samples_than_the_minimum_leave_the_configured_quality(
    make_config: ConfigMaker, carrier: Carrier
) -> None:
    routing = "[routing]\nwindow = 60\nmin_samples = 50"
    switch = SoftSwitch(
        make_config(carrier("alpha", extra=OUTAGE) + carrier("beta"), routing=routing, decks=DECKS)
    )
    for step in range(49):
        switch.place_call("+447700900123", START + step / RATE)
    alpha = next(
        c
        for c in switch.decide("+447700900123", Service.VOICE, START + 5).candidates
        if c.carrier == "alpha"
    )
    assert alpha.adequate
    assert alpha.assessment.quality.ccr > 0.99 and not alpha.assessment.quality.measured_calls
    switch.place_call("+447700900123", START + 5)
    alpha = next(
        c
        for c in switch.decide("+447700900123", Service.VOICE, START + 5).candidates
        if c.carrier == "alpha"
    )
    assert alpha.assessment.quality.measured_calls and alpha.assessment.quality.ccr == 0.0
    assert not alpha.adequate


def test_same_seed_same_traffic_and_another_seed_other_traffic(
    make_config: ConfigMaker, carrier: Carrier
) -> None:
    def outcomes(seed: int) -> list[tuple[str, int, int]]:
        config = make_config(carrier("alpha") + carrier("beta"), decks=DECKS)
        switch = SoftSwitch(config, seed=seed)
        calls = [switch.place_call("+447700900123", step / RATE) for step in range(300)]
        return [(call.status, call.duration, call.sip_code) for call in calls]

    assert outcomes(5) == outcomes(5)
    assert outcomes(5) != outcomes(6)
