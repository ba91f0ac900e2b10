"""PromptLog, action_time and describe_action: each prompt carries what the caller heard since the
one before, and the caller's answer happens at the call time it says."""

from __future__ import annotations

from dataclasses import fields

from callbox.interpreter.caller import HangUp, InputPrompt, Press, Silence, Speak
from callbox.interpreter.prompts import PromptLog, action_time, describe_action


def test_prompt_carries_what_the_caller_heard_since_the_last_one() -> None:
    log = PromptLog()
    log.heard("Welcome", until=2.0)
    log.heard("Press 1", until=4.0)
    first = log.ask(InputPrompt("gather", 99), at=4.0)
    log.heard("Goodbye", until=6.0)
    second = log.ask(InputPrompt("record", 99), at=6.0)
    assert (first.index, first.heard, first.heard_until, first.at) == (
        0,
        ("Welcome", "Press 1"),
        (2.0, 4.0),
        4.0,
    )
    assert (second.index, second.heard, second.heard_until) == (1, ("Goodbye",), (6.0,))
    assert log.asked == [first, second]


def test_the_asked_prompt_keeps_what_the_verb_asked_for() -> None:
    own = InputPrompt(
        "record",
        7,
        inputs=frozenset({"speech"}),
        timeout=12.5,
        num_digits=4,
        finish_on_key="*",
        at=1.0,
    )
    asked = PromptLog().ask(own, at=3.0)
    changed = {"index": 0, "at": 3.0}
    expected = {f.name: changed.get(f.name, getattr(own, f.name)) for f in fields(InputPrompt)}
    assert {f.name: getattr(asked, f.name) for f in fields(InputPrompt)} == expected


def test_prompt_announces_its_own_prompts_after_what_was_heard() -> None:
    log = PromptLog()
    log.heard("Welcome", until=1.0)
    own = InputPrompt("gather", 0, heard=("Menu",), heard_until=(3.0,))
    asked = log.ask(own, at=1.0)
    assert asked.heard == ("Welcome", "Menu")
    assert asked.heard_until == (1.0, 3.0)


def test_own_prompts_without_end_times_end_when_asked() -> None:
    asked = PromptLog().ask(InputPrompt("gather", 0, heard=("A", "B")), at=7.0)
    assert asked.heard_until == (7.0, 7.0)


def test_announced_prompt_is_not_heard_twice() -> None:
    log = PromptLog()
    log.ask(InputPrompt("gather", 0, heard=("Menu",), heard_until=(2.0,)), at=0.0)
    log.heard("Menu", until=2.0)  # the gather plays what it announced
    log.heard("Sorry", until=3.0)
    assert log.ask(InputPrompt("gather", 0), at=3.0).heard == ("Sorry",)


def test_announced_prompt_cut_short_is_heard_when_played_again() -> None:
    log = PromptLog()
    log.ask(InputPrompt("gather", 0, heard=("Menu",)), at=0.0)
    log.cut_short()  # the caller pressed early: a new verb starts
    log.heard("Menu", until=2.0)
    assert log.ask(InputPrompt("gather", 0), at=2.0).heard == ("Menu",)


def test_action_time_counts_from_the_wait_start() -> None:
    assert action_time(Press("1", after=2.5), wait_starts=10.0, now=10.0) == 12.5
    assert action_time(HangUp(1.0), wait_starts=10.0, now=0.0) == 11.0


def test_action_time_of_silence_is_the_wait_start() -> None:
    assert action_time(Silence(), wait_starts=10.0, now=8.0) == 10.0


def test_action_is_never_before_the_caller_was_asked() -> None:
    assert action_time(Speak("hi", after=-3.0), wait_starts=10.0, now=9.0) == 9.0


def test_describe_action_says_what_the_caller_does_and_when() -> None:
    assert describe_action(Press("12#", after=1.5), 10.0) == "caller presses 12# at 11.50 s"
    assert describe_action(Speak("sales", after=0.25), 2.0) == "caller says 'sales' at 2.25 s"
    assert describe_action(HangUp(3.0), 0.0) == "caller hangs up at 3.00 s"
    assert describe_action(Silence(), 5.0) == "caller stays silent"


def test_describe_action_never_says_a_negative_time() -> None:
    assert describe_action(Press("1", after=-4.0), 1.0) == "caller presses 1 at 0.00 s"
