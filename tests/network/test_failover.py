"""Failover follows the code table: faults (408, 5xx) go to the next carrier, unless early media
was heard; busy, no-answer, a caller's cancel (487) and a wrong number are the call's outcome."""

from __future__ import annotations

import random
from collections.abc import Callable

import pytest

from callbox.network import NetworkConfig, SoftSwitch
from callbox.network.carriers import Carrier
from callbox.network.failover import CODE_TABLE, fails_over
from callbox.network.simulation import CallOutcome, MessageOutcome

ConfigMaker = Callable[..., NetworkConfig]
Carrier_ = Callable[..., str]
DECKS = {
    "first": "44,GB,0.0050,,,0.0200,",
    "second": "44,GB,0.0080,,,0.0250,",
    "third": "44,GB,0.0090,,,0.0260,",
}


def scripted(
    codes: dict[str, CallOutcome],
) -> Callable[[Carrier, float, random.Random], CallOutcome]:
    """A far end where each carrier ends its attempt as given (answered by default)."""

    def far_end(carrier: Carrier, now: float, rng: random.Random) -> CallOutcome:
        return codes.get(carrier.name, CallOutcome(200, 1.0, False, 30))

    return far_end


@pytest.fixture
def switch(make_config: ConfigMaker, carrier: Carrier_) -> SoftSwitch:
    return SoftSwitch(
        make_config(carrier("first") + carrier("second") + carrier("third"), decks=DECKS)
    )


FAILS_OVER = [408, 500, 502, 503, 504, 580]
STAYS = {
    486: "busy",
    600: "busy",
    603: "busy",
    480: "no-answer",
    487: "canceled",
    404: "failed",
    484: "failed",
    403: "failed",
}


@pytest.mark.parametrize("code", FAILS_OVER)
def test_fault_fails_over_to_the_next_carrier(switch: SoftSwitch, code: int) -> None:
    call = switch.place_call(
        "+447700900123", 0.0, far_end=scripted({"first": CallOutcome(code, 0.5, False, 0)})
    )
    assert [(a.carrier, a.code, a.failed_over) for a in call.attempts] == [
        ("first", code, True),
        ("second", 200, False),
    ]
    assert (call.carrier, call.status, call.duration) == ("second", "completed", 30)


@pytest.mark.parametrize(("code", "status"), sorted(STAYS.items()))
def test_outcome_codes_end_the_call_on_the_first_carrier(
    switch: SoftSwitch, code: int, status: str
) -> None:
    call = switch.place_call(
        "+447700900123", 0.0, far_end=scripted({"first": CallOutcome(code, 3.0, False, 0)})
    )
    assert [(a.carrier, a.code) for a in call.attempts] == [("first", code)]
    assert (call.status, call.sip_code, str(call.price)) == (status, code, "0.00000")


def test_no_failover_after_early_media(switch: SoftSwitch) -> None:
    call = switch.place_call(
        "+447700900123", 0.0, far_end=scripted({"first": CallOutcome(503, 4.0, True, 0)})
    )
    assert [(a.carrier, a.early_media, a.failed_over) for a in call.attempts] == [
        ("first", True, False)
    ]
    assert call.status == "failed"


def test_failover_stops_at_the_last_carrier_with_its_fault(switch: SoftSwitch) -> None:
    down = CallOutcome(503, 0.5, False, 0)
    timeout = CallOutcome(408, 0.5, False, 0)
    call = switch.place_call(
        "+447700900123", 0.0, far_end=scripted({"first": down, "second": down, "third": timeout})
    )
    assert [a.carrier for a in call.attempts] == ["first", "second", "third"]
    assert [a.failed_over for a in call.attempts] == [True, True, False]
    assert (call.status, call.sip_code) == ("no-answer", 408)


def test_max_attempts_limits_the_carriers_tried(
    make_config: ConfigMaker, carrier: Carrier_
) -> None:
    config = make_config(
        carrier("first") + carrier("second") + carrier("third"),
        routing="[routing]\nmax_attempts = 2",
        decks=DECKS,
    )
    down = CallOutcome(503, 0.5, False, 0)
    call = SoftSwitch(config).place_call(
        "+447700900123", 0.0, far_end=scripted({"first": down, "second": down})
    )
    assert [a.carrier for a in call.attempts] == ["first", "second"]
    assert call.status == "failed"


def test_table_and_rule_agree_on_what_fails_over() -> None:
    for code, rule in CODE_TABLE.items():
        assert fails_over(code, early_media=False) is rule.fault, code
        assert not fails_over(code, early_media=True)


def test_refused_message_fails_over_but_an_undelivered_one_does_not(switch: SoftSwitch) -> None:
    def refusing_first(carrier: Carrier, now: float, rng: random.Random) -> MessageOutcome:
        if carrier.name == "first":
            return MessageOutcome(False, False, 30008, 0.0)
        return MessageOutcome(True, False, 30003, 2.0)

    message = switch.send_message("+447700900123", 0.0, far_end=refusing_first)
    assert [(a.carrier, a.accepted, a.failed_over) for a in message.attempts] == [
        ("first", False, True),
        ("second", True, False),
    ]
    assert (message.carrier, message.status, message.error_code) == ("second", "undelivered", 30003)
    assert str(message.price) == "0.02500"  # an accepted message is charged, delivered or not
