"""The caller's input as the verbs see it: how prompts are numbered and what input came to.

The session records each answer of the caller (an ``input`` event, at the call time the caller
acts); the verb records what the answer came to, when it came to it: one event of the verb's kind
(``gather``, ``record``, ``echo``) such as ``Digits=12 (finish-on-key)``.
"""

from __future__ import annotations

from typing import Any

from callbox.interpreter.caller import CallerAction, HangUp, Press, Speak
from callbox.interpreter.context import CallContext


def prompt_index(call: CallContext) -> int:
    """The index of the next input prompt: the inputs recorded so far (the session renumbers)."""
    return len(call.timeline.of_kind("input"))


def action_name(action: CallerAction) -> str:
    if isinstance(action, Press):
        return "press"
    if isinstance(action, Speak):
        return "speak"
    if isinstance(action, HangUp):
        return "hangup"
    return "silence"


def note_input(
    call: CallContext, action: CallerAction, *, verb: str, outcome: str, **data: Any
) -> None:
    """Record, at the current call time, what the caller's ``action`` came to in ``verb``."""
    call.timeline.add(call.clock.now(), verb, outcome, action=action_name(action), **data)
