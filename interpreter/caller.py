"""The caller's side of a call: what the call asks of the caller, and what the caller does.

A ``Caller`` is asked to respond each time the call waits for input (``<Gather>``, ``<Record>``,
a ``<Dial>`` with ``hangupOnStar``). Scripted callers answer from a list or a script file; a driven
caller lets a test answer step by step.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Protocol

from callbox.interpreter.quick_init import quick_init


@quick_init
@dataclass(frozen=True, slots=True)
class InputPrompt:
    """The call is waiting for the caller.

    ``kind`` is ``gather``, ``record`` or ``dial``; ``heard`` is what the caller heard since the
    last input (text of prompts, in order); ``inputs`` is a subset of ``{"dtmf", "speech"}``;
    ``timeout`` is seconds of silence the call waits; ``index`` counts prompts from 0.
    """

    kind: str
    index: int
    heard: tuple[str, ...] = ()
    inputs: frozenset[str] = field(default_factory=lambda: frozenset({"dtmf"}))
    timeout: float = 5.0
    num_digits: int | None = None
    finish_on_key: str = "#"
    at: float = 0.0
    heard_until: tuple[float, ...] = ()
    """Call time at which each entry of ``heard`` ends. A ``<Gather>`` asks before it plays its
    prompts, so that input can barge in: ``at`` is when the prompts end and the wait starts, and
    ``after`` in the answer counts from ``at``. A caller acting right after ``heard[i]`` answers
    with ``after = heard_until[i] - at`` (zero or negative: during the prompts)."""


@dataclass(frozen=True, slots=True)
class Press:
    """Press keys (DTMF) ``after`` seconds into the wait."""

    digits: str
    after: float = 0.0


@dataclass(frozen=True, slots=True)
class Speak:
    """Say ``text`` (a speech result for ``<Gather>``, the audio of a ``<Record>``)."""

    text: str
    after: float = 0.0
    confidence: float = 0.92


@dataclass(frozen=True, slots=True)
class Silence:
    """Do nothing: the call's timeout runs out."""


@dataclass(frozen=True, slots=True)
class HangUp:
    """Hang up ``after`` seconds into the wait."""

    after: float = 0.0


CallerAction = Press | Speak | Silence | HangUp


class Caller(Protocol):
    async def respond(self, prompt: InputPrompt) -> CallerAction:
        """What the caller does at this prompt."""
        ...

    def hangs_up_at(self) -> float | None:
        """Call time at which the caller hangs up regardless of prompts (``--hangup-after``)."""
        ...
