"""The --script format: each instruction, and errors that name the line."""

from __future__ import annotations

from pathlib import Path

import pytest

from callbox.interpreter.caller import HangUp, Press, Silence, Speak
from callbox.interpreter.far_ends import ScriptedFarEnd
from callbox.interpreter.script import ScriptError, load_script, parse_script


def test_ordered_answers_with_delays_and_comments() -> None:
    script = parse_script(
        """
        # the menu
        press 1
        press 23# after 2.5   # digits with the finish key
        say "sales please" after 1 confidence 0.5
        silence
        hangup after 4
        """
    )
    assert script.steps == (
        Press("1"),
        Press("23#", 2.5),
        Speak("sales please", 1.0, 0.5),
        Silence(),
        HangUp(4.0),
    )


def test_when_rules_and_timed_actions() -> None:
    script = parse_script('when "main menu" press 9\nat 12 say "hello"\nat 90 hangup\n')
    assert script.when[0].phrase == "main menu"
    assert script.when[0].action == Press("9")
    assert script.timed[0].at == 12.0
    assert script.timed[0].action == Speak("hello")
    assert script.hangup_at == 90.0
    assert script.steps == ()


@pytest.mark.parametrize(
    "text",
    ["at 5 hangup\nat 3 hangup after 10\n", "at 3 hangup after 10\nat 5 hangup\n"],
)
def test_the_earliest_of_several_timed_hang_ups_counts_its_delay(text: str) -> None:
    assert parse_script(text).hangup_at == 5.0


def test_far_end_lines() -> None:
    script = parse_script(
        "dial +15551234567 answer after 5 talk 60\n"
        "dial client:alice no-answer\n"
        "dial sip:bob@example.com fail\n"
        "dial +15550000000 busy\n"
        "dial +15550000001 answer talk forever\n"
    )
    assert script.far_ends["+15551234567"] == ScriptedFarEnd("answer", 5.0, 60.0)
    assert script.far_ends["client:alice"].outcome == "no-answer"
    assert script.far_ends["sip:bob@example.com"].outcome == "failed"
    assert script.far_ends["+15550000000"].outcome == "busy"
    assert script.far_ends["+15550000001"].talk_for is None


@pytest.mark.parametrize(
    ("text", "line", "words"),
    [
        ("press 1\nprss 2\n", 2, "unknown instruction 'prss'"),
        ("press 1x\n", 1, "digits may be"),
        ('say "unclosed\n', 1, "cannot read the line"),
        ("press 1 after soon\n", 1, "expected a delay"),
        ("\n\npress 1 after -2\n", 3, "non-negative"),
        ('when "menu"\n', 1, "expected an action"),
        ("at 5 dance\n", 1, "unknown action 'dance'"),
        ("dial +1555 answer after 2 talk\n", 1, "expected a talk time"),
        ("dial +1555 explode\n", 1, "unknown far-end outcome"),
        ("silence please\n", 1, "unexpected 'please'"),
        ('say "x" confidence 2\n', 1, "between 0 and 1"),
    ],
)
def test_bad_lines_are_errors_with_line_numbers(text: str, line: int, words: str) -> None:
    with pytest.raises(ScriptError) as caught:
        parse_script(text, "caller.txt")
    assert caught.value.line == line
    assert str(caught.value).startswith(f"caller.txt:{line}: ")
    assert words in str(caught.value)


def test_load_script_reads_a_file(tmp_path: Path) -> None:
    path = tmp_path / "caller.txt"
    path.write_text('press 1\nsay "yes"\n', encoding="utf-8")
    assert load_script(path).steps == (Press("1"), Speak("yes"))


def test_load_script_refuses_binary(tmp_path: Path) -> None:
    path = tmp_path / "caller.txt"
    path.write_bytes(b"\xff\xfe\x00press")
    with pytest.raises(ScriptError, match="not UTF-8"):
        load_script(path)


def test_load_script_stops_reading_beyond_a_megabyte(tmp_path: Path) -> None:
    path = tmp_path / "caller.txt"
    path.write_bytes(b"# a comment line\n" * 70_000)
    with pytest.raises(ScriptError, match="over 1,048,576 bytes"):
        load_script(path)


def test_a_far_end_can_press_keys_in_its_whisper() -> None:
    script = parse_script("dial +15550100200 answer after 3 talk 20 press 1 press 42#\n")
    far_end = script.far_ends["+15550100200"]
    assert far_end.presses == ("1", "42#")
    assert (far_end.answer_after, far_end.talk_for) == (3.0, 20.0)


def test_far_end_keys_must_be_dtmf() -> None:
    with pytest.raises(ScriptError, match="digits"):
        parse_script("dial +15550100200 answer press yes\n")
