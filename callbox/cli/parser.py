"""The argument parser of every ``callbox`` command: argparse, plus "did you mean" suggestions
for a mistyped subcommand, choice or option (``callbox lnt`` -> ``did you mean 'lint'?``).

Python 3.14's argparse suggests on its own; this does the same on every supported version.
"""

from __future__ import annotations

import argparse
import difflib
from collections.abc import Iterable, Sequence
from typing import Any, NoReturn


def closest(word: str, candidates: Iterable[str]) -> str | None:
    """The candidate most like ``word`` (a typo of it), or None when none is close."""
    matches = difflib.get_close_matches(word, list(candidates), n=1, cutoff=0.6)
    return matches[0] if matches else None


def _did_you_mean(word: str, candidates: Iterable[str]) -> str:
    match = closest(word, candidates)
    return f"; did you mean {match!r}?" if match else ""


class CommandParser(argparse.ArgumentParser):
    """An ``ArgumentParser`` whose errors suggest the nearest choice or option."""

    def _check_value(self, action: argparse.Action, value: Any) -> None:
        choices = action.choices
        if choices is None or value in choices or not isinstance(value, str):
            super()._check_value(action, value)
            return
        names = [str(choice) for choice in choices]
        listed = ", ".join(repr(name) for name in names)
        raise argparse.ArgumentError(
            action, f"invalid choice: {value!r} (choose from {listed}){_did_you_mean(value, names)}"
        )

    def option_strings(self) -> list[str]:
        """Every ``--option`` this parser accepts."""
        return [name for action in self._actions for name in action.option_strings]

    def reject_unrecognized(self, extras: Sequence[str]) -> NoReturn:
        """Exit with a usage error for arguments nothing accepted, suggesting options for typos."""
        options = [extra for extra in extras if extra.startswith("-") and extra != "-"]
        if not options:  # leftover values: say which, as argparse does
            self.error(f"unrecognized arguments: {' '.join(extras)}")
        messages = []
        for option in options:  # the values after a mistyped option are its own: not listed
            word = option.split("=", 1)[0]
            messages.append(
                f"unrecognized option: {word}{_did_you_mean(word, self.option_strings())}"
            )
        self.error("\n".join(messages))

    def subcommand_parser(self, name: str | None) -> CommandParser:
        """The parser of subcommand ``name`` (this parser when there is none)."""
        for action in self._actions:
            if isinstance(action, argparse._SubParsersAction) and name in action.choices:
                chosen = action.choices[name]
                assert isinstance(chosen, CommandParser)
                return chosen
        return self
