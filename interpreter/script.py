"""The ``--script`` file format: a line-based description of a simulated caller and its far ends.

One instruction per line; ``#`` at the start of a word starts a comment; text goes in double quotes. See
``docs/testing.md`` for the full format. Example::

    press 1                        # answers the first input prompt
    say "sales please" after 2     # answers the second, 2 s into the wait
    when "main menu" press 9       # answers the first prompt after hearing "main menu"
    at 90 hangup                   # hangs up 90 s into the call, wherever it is
    dial +15551234567 answer after 5 talk 60
    dial +15557654321 answer press 1       # screens the call in its whisper: presses 1
    dial client:alice no-answer

``parse_script`` returns a ``Script``; a bad line raises ``ScriptError`` naming its line number.
"""

from __future__ import annotations

import re
import shlex
from dataclasses import dataclass, field
from pathlib import Path

from callbox.interpreter.caller import CallerAction, HangUp, Press, Silence, Speak
from callbox.interpreter.far_ends import ScriptedFarEnd

DTMF = re.compile(r"^[0-9*#wW]+$")
COMMANDS = ("press", "say", "silence", "hangup", "when", "at", "dial")


class ScriptError(ValueError):
    """A script line that cannot be understood; ``line`` is 1-based."""

    def __init__(self, message: str, line: int, path: str = "<script>") -> None:
        super().__init__(f"{path}:{line}: {message}")
        self.line = line
        self.path = path
        self.reason = message


@dataclass(frozen=True, slots=True)
class WhenRule:
    """Answer the first prompt after hearing ``phrase`` (case-insensitive) with ``action``."""

    phrase: str
    action: CallerAction


@dataclass(frozen=True, slots=True)
class TimedRule:
    """Do ``action`` at call time ``at`` (seconds from the start of the call)."""

    at: float
    action: CallerAction


@dataclass(frozen=True)
class Script:
    """A parsed script: ordered answers, phrase rules, timed actions, a hang-up time, far ends."""

    steps: tuple[CallerAction, ...] = ()
    when: tuple[WhenRule, ...] = ()
    timed: tuple[TimedRule, ...] = ()
    hangup_at: float | None = None
    far_ends: dict[str, ScriptedFarEnd] = field(default_factory=dict)


class _Line:
    """The words of one line, consumed left to right with errors that name the line."""

    def __init__(self, words: list[str], number: int, path: str) -> None:
        self.words = words
        self.number = number
        self.path = path

    def fail(self, message: str) -> ScriptError:
        return ScriptError(message, self.number, self.path)

    def take(self, what: str) -> str:
        if not self.words:
            raise self.fail(f"expected {what} at the end of the line")
        return self.words.pop(0)

    def peek(self) -> str | None:
        return self.words[0] if self.words else None

    def seconds(self, what: str) -> float:
        word = self.take(what)
        try:
            value = float(word)
        except ValueError:
            raise self.fail(f"expected {what} in seconds, got {word!r}") from None
        if value < 0 or value != value or value == float("inf"):
            raise self.fail(f"{what} must be a non-negative number of seconds, got {word!r}")
        return value

    def optional_after(self) -> float:
        if self.peek() == "after":
            self.words.pop(0)
            return self.seconds("a delay after 'after'")
        return 0.0

    def done(self) -> None:
        if self.words:
            raise self.fail(f"unexpected {self.words[0]!r}")


def _action(line: _Line) -> CallerAction:
    """``press D [after N]``, ``say "T" [after N] [confidence C]``, ``silence``, ``hangup [after N]``."""
    verb = line.take("an action (press, say, silence, hangup)")
    if verb == "press":
        digits = line.take("the digits to press")
        if not DTMF.match(digits):
            raise line.fail(f"digits may be 0-9, *, # (and w/W pauses), got {digits!r}")
        return Press(digits, line.optional_after())
    if verb == "say":
        text = line.take('the text to say, in quotes ("...")')
        if not text.strip():
            raise line.fail("say needs some text")
        after = line.optional_after()
        confidence = 0.92
        if line.peek() == "confidence":
            line.words.pop(0)
            word = line.take("a confidence between 0 and 1")
            try:
                confidence = float(word)
            except ValueError:
                raise line.fail(f"expected a confidence between 0 and 1, got {word!r}") from None
            if not 0.0 <= confidence <= 1.0:
                raise line.fail(f"confidence must be between 0 and 1, got {word!r}")
        return Speak(text, after, confidence)
    if verb == "silence":
        return Silence()
    if verb == "hangup":
        return HangUp(line.optional_after())
    raise line.fail(f"unknown action {verb!r} (expected press, say, silence or hangup)")


def _far_end(line: _Line) -> tuple[str, ScriptedFarEnd]:
    """``dial ADDRESS answer [after N] [talk N|talk forever] [press DIGITS]...``, ``busy``,
    ``no-answer``, ``fail``."""
    address = line.take("the dialed number, client:NAME or sip:URI")
    outcome = line.take("what the far end does (answer, busy, no-answer, fail)")
    if outcome in ("fail", "failed"):
        line.done()
        return address, ScriptedFarEnd("failed")
    if outcome in ("busy", "no-answer"):
        line.done()
        return address, ScriptedFarEnd(outcome)
    if outcome != "answer":
        raise line.fail(
            f"unknown far-end outcome {outcome!r} (expected answer, busy, no-answer, fail)"
        )
    answer_after = line.optional_after() if line.peek() == "after" else 2.0
    talk_for: float | None = 30.0
    if line.peek() == "talk":
        line.words.pop(0)
        if line.peek() == "forever":
            line.words.pop(0)
            talk_for = None
        else:
            talk_for = line.seconds("a talk time")
    presses: list[str] = []
    while line.peek() == "press":
        line.words.pop(0)
        keys = line.take("the keys the far end presses in its whisper")
        if not DTMF.match(keys):
            raise line.fail(f"far-end keys must be digits, * or # (got {keys!r})")
        presses.append(keys)
    line.done()
    return address, ScriptedFarEnd("answer", answer_after, talk_for, tuple(presses))


def _without_comment(line: str) -> str:
    """The line up to a ``#`` that starts a word outside quotes (``press 1#`` keeps its key)."""
    quoted = False
    for index, char in enumerate(line):
        if char == '"':
            quoted = not quoted
        elif char == "#" and not quoted and (index == 0 or line[index - 1].isspace()):
            return line[:index]
    return line


def parse_script(text: str, path: str = "<script>") -> Script:
    """Parse a caller script; raises ``ScriptError`` with the line number of the first bad line."""
    steps: list[CallerAction] = []
    when: list[WhenRule] = []
    timed: list[TimedRule] = []
    hangup_at: float | None = None
    far_ends: dict[str, ScriptedFarEnd] = {}
    for number, raw in enumerate(text.splitlines(), start=1):
        try:
            words = shlex.split(_without_comment(raw))
        except ValueError as error:
            raise ScriptError(f"cannot read the line: {error}", number, path) from None
        if not words:
            continue
        line = _Line(words, number, path)
        command = line.peek()
        if command == "when":
            line.take("when")
            phrase = line.take('a phrase in quotes ("main menu")')
            if not phrase.strip():
                raise line.fail("when needs a phrase to listen for")
            when.append(WhenRule(phrase, _action(line)))
        elif command == "at":
            line.take("at")
            at = line.seconds("a call time")
            action = _action(line)
            if isinstance(action, HangUp):
                when_done = at + action.after
                hangup_at = when_done if hangup_at is None else min(hangup_at, when_done)
            else:
                timed.append(TimedRule(at, action))
        elif command == "dial":
            line.take("dial")
            address, far_end = _far_end(line)
            far_ends[address] = far_end
            continue
        elif command in ("press", "say", "silence", "hangup"):
            steps.append(_action(line))
        else:
            raise line.fail(
                f"unknown instruction {command!r} (expected one of {', '.join(COMMANDS)})"
            )
        line.done()
    return Script(tuple(steps), tuple(when), tuple(timed), hangup_at, far_ends)


MAX_SCRIPT_BYTES = 1024 * 1024
"""A caller script is a few lines; reading stops beyond this (``--script /dev/zero`` ends)."""


def load_script(path: str | Path) -> Script:
    """Read and parse a script file (UTF-8, at most ``MAX_SCRIPT_BYTES``)."""
    file = Path(path)
    with file.open("rb") as stream:
        data = stream.read(MAX_SCRIPT_BYTES + 1)
    if len(data) > MAX_SCRIPT_BYTES:
        raise ScriptError(f"the script is over {MAX_SCRIPT_BYTES:,} bytes", 1, str(file))
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as error:
        raise ScriptError(f"the script is not UTF-8 text ({error.reason})", 1, str(file)) from None
    return parse_script(text, str(file))
