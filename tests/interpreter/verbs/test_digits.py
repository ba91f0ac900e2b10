"""DTMF entry rules of <Gather>: finish key, numDigits, timeouts, pauses, barge-in timing."""

from __future__ import annotations

from callbox.interpreter.verbs.digits import GatherEnd, KeyPress, collect_digits, key_presses


def test_key_presses_space_keys_with_w_and_big_w_pauses() -> None:
    presses = key_presses("1w2W3", after=2.0)
    assert presses == [KeyPress("1", 2.0), KeyPress("2", 2.5), KeyPress("3", 3.5)]


def test_key_presses_ignore_characters_that_are_not_keys() -> None:
    assert [press.key for press in key_presses("1-2 x#")] == ["1", "2", "#"]


def test_finish_key_is_not_part_of_the_digits() -> None:
    entry = collect_digits(key_presses("12#", after=1.0), timeout=5)
    assert (entry.digits, entry.end, entry.stopped_at) == ("12", GatherEnd.FINISH_ON_KEY, 1.0)


def test_finish_key_alone_gives_an_empty_entry() -> None:
    entry = collect_digits(key_presses("#"), timeout=5)
    assert entry.empty
    assert entry.end is GatherEnd.FINISH_ON_KEY


def test_num_digits_submits_at_the_last_needed_key_and_drops_the_rest() -> None:
    entry = collect_digits(key_presses("12"), timeout=5, num_digits=1)
    assert (entry.digits, entry.end) == ("1", GatherEnd.NUM_DIGITS)


def test_digits_without_terminator_submit_timeout_seconds_after_the_last_key() -> None:
    entry = collect_digits(key_presses("42", after=2.0), timeout=3)
    assert (entry.digits, entry.end, entry.stopped_at) == ("42", GatherEnd.INTER_DIGIT_TIMEOUT, 5.0)


def test_no_key_times_out_after_timeout() -> None:
    entry = collect_digits([], timeout=7)
    assert (entry.digits, entry.end, entry.stopped_at) == ("", GatherEnd.TIMEOUT, 7)


def test_a_key_after_the_timeout_comes_too_late() -> None:
    entry = collect_digits(key_presses("1", after=6.0), timeout=5)
    assert entry.empty and entry.end is GatherEnd.TIMEOUT


def test_a_long_pause_between_keys_ends_the_entry_at_the_inter_digit_timeout() -> None:
    entry = collect_digits(key_presses("1WWW2"), timeout=2)
    assert (entry.digits, entry.stopped_at) == ("1", 2.0)


def test_empty_finish_on_key_makes_hash_an_ordinary_digit() -> None:
    entry = collect_digits(key_presses("1#"), timeout=5, finish_on_key="")
    assert entry.digits == "1#"


def test_keys_during_prompts_count_only_when_listening() -> None:
    presses = key_presses("1", after=-2.0)
    assert collect_digits(presses, timeout=5).digits == "1"
    assert collect_digits(presses, timeout=5, listening_from=0.0).empty
