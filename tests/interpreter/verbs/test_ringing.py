"""Who answers a <Dial>: parallel and sequential ringing against scripted far ends."""

from __future__ import annotations

from dataclasses import dataclass

from callbox.interpreter.verbs.ringing import DialCallStatus, ring_parallel, ring_sequential


@dataclass
class End:
    outcome: str
    answer_after: float = 0.0


def test_parallel_first_answer_wins_and_others_are_canceled() -> None:
    ringing = ring_parallel([End("answer", 8), End("answer", 3), End("no-answer")], timeout=30)
    assert ringing.winner is not None and ringing.winner.index == 1
    assert ringing.elapsed == 3
    assert [leg.status for leg in ringing.legs] == [
        DialCallStatus.CANCELED,
        DialCallStatus.COMPLETED,
        DialCallStatus.CANCELED,
    ]


def test_parallel_busy_before_the_answer_keeps_its_status() -> None:
    ringing = ring_parallel([End("busy", 1), End("answer", 4)], timeout=30)
    assert ringing.legs[0].status is DialCallStatus.BUSY


def test_answer_after_the_timeout_is_no_answer() -> None:
    ringing = ring_parallel([End("answer", 40)], timeout=30)
    assert ringing.winner is None
    assert (ringing.status, ringing.elapsed) == (DialCallStatus.NO_ANSWER, 30)


def test_busy_alone_reports_busy_without_waiting_for_the_timeout() -> None:
    ringing = ring_parallel([End("busy", 2)], timeout=30)
    assert (ringing.status, ringing.elapsed) == (DialCallStatus.BUSY, 2)


def test_no_answer_outranks_busy_and_failed_when_nobody_answers() -> None:
    ringing = ring_parallel([End("failed"), End("busy"), End("no-answer")], timeout=10)
    assert ringing.status is DialCallStatus.NO_ANSWER


def test_sequential_rings_each_leg_in_turn_until_one_answers() -> None:
    ringing = ring_sequential([End("no-answer"), End("busy", 1), End("answer", 2)], timeout=10)
    assert ringing.winner is not None and ringing.winner.index == 2
    assert [(leg.started, leg.ended) for leg in ringing.legs] == [(0, 10), (10, 11), (11, 13)]
    assert ringing.elapsed == 13


def test_sequential_stops_dialing_after_the_answer() -> None:
    ringing = ring_sequential([End("answer", 1), End("answer", 1)], timeout=10)
    assert len(ringing.legs) == 1


def test_no_legs_is_a_failure() -> None:
    assert ring_parallel([], timeout=30).status is DialCallStatus.FAILED
