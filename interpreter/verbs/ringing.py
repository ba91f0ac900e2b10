"""Who answers a ``<Dial>``, as pure functions of the far ends' behaviour and the ring timeout.

Parallel ringing: every leg rings at once, the first to answer wins and the others are canceled.
Sequential: each leg rings in turn for the full timeout until one answers. Times are seconds from
the start of the dial.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from enum import StrEnum
from typing import Protocol


class DialCallStatus(StrEnum):
    """``DialCallStatus`` of a ``<Dial>`` action, and the final status of each dialed leg."""

    COMPLETED = "completed"
    BUSY = "busy"
    NO_ANSWER = "no-answer"
    FAILED = "failed"
    CANCELED = "canceled"


class FarEndBehaviour(Protocol):
    """What ringing needs of a far end (``interpreter.context.FarEnd`` has these)."""

    @property
    def outcome(self) -> str: ...
    @property
    def answer_after(self) -> float: ...


@dataclass(frozen=True, slots=True)
class Leg:
    """How one dialed leg ended its ringing: ``status`` is ``completed`` for the winner,
    ``started`` when it began to ring and ``ended`` when it answered, gave up or was canceled."""

    index: int
    status: DialCallStatus
    started: float
    ended: float

    @property
    def answered(self) -> bool:
        return self.status is DialCallStatus.COMPLETED


@dataclass(frozen=True, slots=True)
class Ringing:
    """The outcome of ringing: the winning leg (if any), every leg that was dialed, the time the
    ringing took, and the ``DialCallStatus`` when nobody answered."""

    legs: tuple[Leg, ...]
    elapsed: float
    status: DialCallStatus
    winner: Leg | None = None


NO_WINNER_PRECEDENCE = (DialCallStatus.NO_ANSWER, DialCallStatus.BUSY, DialCallStatus.FAILED)
"""With nobody answering, the status reported is the first of these any leg had: a leg that rang
out says more than a busy one, and a busy one more than a failure."""


def _settle(far_end: FarEndBehaviour, timeout: float) -> tuple[DialCallStatus, float]:
    """How one leg ends on its own, and after how many seconds of ringing."""
    wait = max(far_end.answer_after, 0.0)
    outcome = far_end.outcome
    if outcome == "answer":
        if wait < timeout:
            return DialCallStatus.COMPLETED, wait
        return DialCallStatus.NO_ANSWER, timeout
    if outcome == "busy":
        return DialCallStatus.BUSY, min(wait, timeout)
    if outcome in ("failed", "fail"):
        return DialCallStatus.FAILED, min(wait, timeout)
    if outcome == "declined":  # refused unanswered (a <Reject>), neither busy nor failing
        return DialCallStatus.NO_ANSWER, min(wait, timeout)
    return DialCallStatus.NO_ANSWER, timeout


def _settled_before(status: DialCallStatus, ended: float, won_at: float) -> bool:
    """Whether a losing leg had its own outcome before the winner answered (else it is canceled)."""
    return ended < won_at or (ended == won_at and status is not DialCallStatus.COMPLETED)


def _status_without_winner(legs: Sequence[Leg]) -> DialCallStatus:
    statuses = {leg.status for leg in legs}
    for status in NO_WINNER_PRECEDENCE:
        if status in statuses:
            return status
    return DialCallStatus.FAILED


def ring_parallel(far_ends: Sequence[FarEndBehaviour], timeout: float) -> Ringing:
    """Ring every far end at once; the earliest answer wins (document order breaks ties)."""
    settled = [_settle(far_end, timeout) for far_end in far_ends]
    answers = [
        (ended, index)
        for index, (status, ended) in enumerate(settled)
        if status is DialCallStatus.COMPLETED
    ]
    if answers:
        won_at, won = min(answers)
        legs = tuple(
            Leg(index, status, 0.0, ended)
            if index == won or _settled_before(status, ended, won_at)
            else Leg(index, DialCallStatus.CANCELED, 0.0, won_at)
            for index, (status, ended) in enumerate(settled)
        )
        return Ringing(legs, won_at, DialCallStatus.COMPLETED, legs[won])
    legs = tuple(Leg(index, status, 0.0, ended) for index, (status, ended) in enumerate(settled))
    elapsed = max((leg.ended for leg in legs), default=0.0)
    return Ringing(legs, elapsed, _status_without_winner(legs))


def ring_sequential(far_ends: Sequence[FarEndBehaviour], timeout: float) -> Ringing:
    """Ring the far ends one after another, each for up to ``timeout``, until one answers."""
    legs: list[Leg] = []
    clock = 0.0
    for index, far_end in enumerate(far_ends):
        status, rang = _settle(far_end, timeout)
        leg = Leg(index, status, clock, clock + rang)
        legs.append(leg)
        clock += rang
        if leg.answered:
            return Ringing(tuple(legs), clock, DialCallStatus.COMPLETED, leg)
    return Ringing(tuple(legs), clock, _status_without_winner(legs))
