"""Speech recognition timing of <Gather>: speechTimeout, maxSpeechTime, partial results."""

from __future__ import annotations

import pytest

from callbox.interpreter.verbs.digits import GatherEnd
from callbox.interpreter.verbs.speech import (
    AUTO_SPEECH_TIMEOUT,
    partial_results,
    recognize,
    speech_timeout_seconds,
)


@pytest.mark.parametrize(
    ("value", "expected"),
    [(None, 5.0), ("", 5.0), ("auto", AUTO_SPEECH_TIMEOUT), ("3", 3.0), (2, 2.0), ("x", 5.0)],
    ids=["unset", "empty", "auto", "text", "number", "invalid"],
)
def test_speech_timeout_defaults_to_the_gather_timeout(
    value: str | int | None, expected: float
) -> None:
    assert speech_timeout_seconds(value, timeout=5.0) == expected


def test_result_comes_speech_timeout_after_the_speech_ends() -> None:
    entry = recognize("sales please", after=1.0, duration=2.0, timeout=5, speech_timeout=3)
    assert (entry.text, entry.end, entry.stopped_at) == ("sales please", GatherEnd.SPEECH_END, 6.0)


def test_speech_starting_after_the_timeout_is_not_heard() -> None:
    entry = recognize("hello", after=6.0, duration=1.0, timeout=5, speech_timeout=1)
    assert entry.empty and entry.stopped_at == 5


def test_long_speech_is_cut_at_max_speech_time() -> None:
    entry = recognize("word " * 100, after=0, duration=80, timeout=5, speech_timeout=1)
    assert entry.end is GatherEnd.MAX_SPEECH_TIME
    assert entry.spoken == 60 and entry.stopped_at == 60


def test_partial_results_grow_word_by_word_and_the_last_word_is_unstable() -> None:
    partials = partial_results("I want sales", 3.0)
    assert [(p.sequence, p.stable, p.unstable) for p in partials] == [
        (0, "", "I"),
        (1, "I", "I want"),
        (2, "I want", "I want sales"),
    ]
    assert partials[-1].at == 3.0
