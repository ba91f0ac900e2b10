"""What the caller hears from a verb: pieces in order, the one playing at a barge-in cut short."""

from __future__ import annotations

from typing import Any

import anyio
import pytest

from callbox.interpreter.media.plane import Rendered
from callbox.interpreter.status import CallStatus
from callbox.interpreter.verbs.hearing import (
    LOOP_CAP,
    Piece,
    hear_pieces,
    loop_count,
    sleep_until,
    total_duration,
)


def pieces() -> list[Piece]:
    return [
        Piece(Rendered(2.0), "say", "Welcome"),
        Piece(Rendered(3.0), "play", "music.wav"),
        Piece(Rendered(1.0), "say", "Goodbye"),
    ]


def hear(call: Any, until: float | None = None) -> int:
    async def main() -> int:
        return await hear_pieces(call, pieces(), until=until)

    return anyio.run(main)


def test_total_duration_adds_the_pieces() -> None:
    assert total_duration(pieces()) == 6.0
    assert total_duration([]) == 0.0


def test_caller_hears_every_piece_in_order(call: Any) -> None:
    assert hear(call) == 3
    assert [(h.at, h.text, h.duration) for h in call.heard] == [
        (0.0, "Welcome", 2.0),
        (2.0, "music.wav", 3.0),
        (5.0, "Goodbye", 1.0),
    ]
    assert call.clock.now() == 6.0


def test_barge_in_cuts_the_piece_playing_short(call: Any) -> None:
    assert hear(call, until=3.5) == 1
    assert [(h.text, h.duration) for h in call.heard] == [("Welcome", 2.0), ("music.wav", 1.5)]
    assert call.clock.now() == pytest.approx(3.5)


def test_barge_in_between_pieces_plays_nothing_more(call: Any) -> None:
    assert hear(call, until=2.0) == 1
    assert call.heard_texts() == ["Welcome"]


def test_barge_in_before_anything_plays_nothing(call: Any) -> None:
    assert hear(call, until=0.0) == 0
    assert call.heard == []


def test_call_that_ended_hears_nothing(call: Any) -> None:
    call.status = CallStatus.COMPLETED
    assert hear(call) == 0
    assert call.heard == []


def test_sleep_until_runs_call_time_to_a_moment(call: Any) -> None:
    anyio.run(sleep_until, call, 4.0)
    assert call.clock.now() == 4.0
    anyio.run(sleep_until, call, 1.0)  # already past
    assert call.clock.now() == 4.0


def test_loop_count_zero_means_the_cap_and_is_capped() -> None:
    assert loop_count(3) == 3
    assert loop_count(0) == LOOP_CAP
    assert loop_count(-2) == LOOP_CAP
    assert loop_count(LOOP_CAP + 5) == LOOP_CAP
