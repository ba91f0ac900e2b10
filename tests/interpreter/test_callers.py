"""Scripted callers answer prompts in order, by phrase and by time; far ends behave as scripted."""

from __future__ import annotations

import anyio
import pytest

from callbox.interpreter.caller import CallerAction, HangUp, InputPrompt, Press, Silence, Speak
from callbox.interpreter.callers import ScriptedCaller, SilentCaller
from callbox.interpreter.far_ends import DEFAULT_FAR_END, FarEnds, ScriptedFarEnd, normalize_address
from callbox.interpreter.script import parse_script


def ask(caller: ScriptedCaller, prompt: InputPrompt) -> CallerAction:
    async def go() -> CallerAction:
        return await caller.respond(prompt)

    return anyio.run(go)


def gather(index: int, *heard: str, at: float = 0.0, timeout: float = 5.0) -> InputPrompt:
    return InputPrompt("gather", index, heard=heard, at=at, timeout=timeout)


def test_answers_prompts_in_order_then_stays_silent() -> None:
    caller = ScriptedCaller.from_answers([("press", "1"), ("say", "billing")])
    assert ask(caller, gather(0)) == Press("1")
    assert ask(caller, gather(1)) == Speak("billing")
    assert ask(caller, gather(2)) == Silence()
    assert caller.remaining == 0
    assert len(caller.prompts) == 3


def test_dial_prompts_do_not_use_the_ordered_answers() -> None:
    caller = ScriptedCaller([Press("1")])
    assert ask(caller, InputPrompt("dial", 0)) == Silence()
    assert ask(caller, InputPrompt("record", 1)) == Press("1")


def test_when_rule_answers_after_hearing_its_phrase_once() -> None:
    script = parse_script('press 1\nwhen "Main Menu" press 9\n')
    caller = ScriptedCaller.from_script(script)
    assert ask(caller, gather(0, "Welcome.")) == Press("1")
    assert ask(caller, gather(1, "You are in the main menu.")) == Press("9")
    assert ask(caller, gather(2, "You are in the main menu.")) == Silence()


def test_timed_action_lands_in_the_prompt_whose_wait_covers_it() -> None:
    caller = ScriptedCaller(timed=parse_script("at 12 press 5\n").timed)
    assert ask(caller, gather(0, at=0.0, timeout=5.0)) == Silence()
    assert ask(caller, gather(1, at=10.0, timeout=5.0)) == Press("5", 2.0)
    assert ask(caller, gather(2, at=20.0)) == Silence()


def test_hangup_time_comes_from_the_script_or_the_option_whichever_is_first() -> None:
    script = parse_script("at 30 hangup\n")
    assert ScriptedCaller.from_script(script).hangs_up_at() == 30.0
    assert ScriptedCaller.from_script(script, hangup_after=10).hangs_up_at() == 10.0
    assert SilentCaller().hangs_up_at() is None
    with pytest.raises(ValueError):
        ScriptedCaller(hangup_after=-1)


def test_unknown_answer_kind_is_refused() -> None:
    with pytest.raises(ValueError, match="press"):
        ScriptedCaller.from_answers([("shout", "1")])


def test_hangup_step_is_an_answer_like_any_other() -> None:
    caller = ScriptedCaller.from_script(parse_script("hangup after 2\n"))
    assert ask(caller, gather(0)) == HangUp(2.0)


def test_far_ends_default_to_answering_after_two_seconds() -> None:
    far_end = FarEnds().for_address("+15551234567")
    assert far_end == DEFAULT_FAR_END
    assert (far_end.outcome, far_end.answer_after, far_end.talk_for) == ("answer", 2.0, 30.0)


def test_twilio_magic_numbers_fail_and_the_valid_one_answers() -> None:
    far_ends = FarEnds()
    assert far_ends.for_address("+15005550001").outcome == "failed"
    assert far_ends.for_address("+1 (500) 555-0004").outcome == "failed"
    assert far_ends.for_address("+15005550006").outcome == "answer"
    assert FarEnds(magic_numbers=False).for_address("+15005550001").outcome == "answer"


def test_scripted_far_ends_match_any_spelling_of_the_address() -> None:
    far_ends = FarEnds(
        {"415-555-1234": ScriptedFarEnd("busy"), "client:Alice": ScriptedFarEnd("no-answer")}
    )
    assert far_ends.for_address("+14155551234").outcome == "busy"
    assert far_ends.for_address("Client:Alice").outcome == "no-answer"
    assert far_ends.for_address("Alice").outcome == "no-answer"
    assert "+1 415 555 1234" in far_ends


def test_normalize_address() -> None:
    assert normalize_address(" 4155551234 ") == "+14155551234"
    assert normalize_address("+44 20 7946 0958") == "+442079460958"
    assert normalize_address("SIP:bob@Example.com") == "sip:bob@Example.com"


def test_far_end_refuses_unknown_outcomes() -> None:
    with pytest.raises(ValueError):
        ScriptedFarEnd("explode")
    with pytest.raises(ValueError):
        ScriptedFarEnd("answer", -1)
