"""Simulated callers: answer the call's input prompts from a list, from a script, or not at all.

``ScriptedCaller`` answers ``<Gather>`` and ``<Record>`` prompts with its ordered steps (from
``--press``/``--say`` or a script), earlier prompts first; when the steps run out it stays silent.
Phrase rules (``when "main menu" press 2``) and timed actions (``at 30 press 1``) come first;
``<Dial>`` prompts (``hangupOnStar``) are answered only by those rules. ``--hangup-after``
becomes ``hangs_up_at``.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from callbox.interpreter.caller import CallerAction, HangUp, InputPrompt, Press, Silence, Speak
from callbox.interpreter.script import Script, TimedRule, WhenRule

ORDERED_KINDS = frozenset({"gather", "record"})
"""Prompt kinds that the ordered steps answer."""


class ScriptedCaller:
    """A caller that follows a script. Rules are used once each, in the order written."""

    def __init__(
        self,
        steps: Iterable[CallerAction] = (),
        *,
        when: Iterable[WhenRule] = (),
        timed: Iterable[TimedRule] = (),
        hangup_after: float | None = None,
    ) -> None:
        if hangup_after is not None and hangup_after < 0:
            raise ValueError("hangup_after cannot be negative")
        self._steps = list(steps)
        # None when there are none (most callers): no empty list for each of thousands of calls
        self._when: list[WhenRule] | None = list(when) or None
        self._timed: list[TimedRule] | None = sorted(timed, key=lambda rule: rule.at) or None
        self._hangup_after = hangup_after
        self.prompts: list[InputPrompt] = []
        """Every prompt this caller was asked, in order."""
        self.answers: list[CallerAction] = []
        """What it answered, one per prompt."""

    @classmethod
    def from_script(cls, script: Script, *, hangup_after: float | None = None) -> ScriptedCaller:
        """A caller doing what ``script`` says; ``hangup_after`` wins when earlier."""
        times = [t for t in (script.hangup_at, hangup_after) if t is not None]
        return cls(
            script.steps,
            when=script.when,
            timed=script.timed,
            hangup_after=min(times) if times else None,
        )

    @classmethod
    def from_answers(
        cls,
        answers: Sequence[tuple[str, str]] = (),
        *,
        hangup_after: float | None = None,
    ) -> ScriptedCaller:
        """From command-line answers in the order given: ``("press", "12")``, ``("say", "yes")``."""
        steps: list[CallerAction] = []
        for kind, value in answers:
            if kind == "press":
                steps.append(Press(value))
            elif kind == "say":
                steps.append(Speak(value))
            else:
                raise ValueError(f"an answer is 'press' or 'say', not {kind!r}")
        return cls(steps, hangup_after=hangup_after)

    def hangs_up_at(self) -> float | None:
        return self._hangup_after

    @property
    def remaining(self) -> int:
        """Ordered steps not used yet."""
        return len(self._steps)

    async def respond(self, prompt: InputPrompt) -> CallerAction:
        action = self._choose(prompt)
        self.prompts.append(prompt)
        self.answers.append(action)
        return action

    def _choose(self, prompt: InputPrompt) -> CallerAction:
        rules = self._when or []
        for index, rule in enumerate(rules):
            if _heard_index(prompt, rule.phrase) is not None:
                del rules[index]
                return rule.action  # once the prompts end, like an ordered answer
        timed_rules = self._timed or []
        for index, timed in enumerate(timed_rules):
            if timed.at <= prompt.at + prompt.timeout:
                del timed_rules[index]
                return _delayed(timed.action, max(0.0, timed.at - prompt.at))
        if prompt.kind in ORDERED_KINDS and self._steps:
            return self._steps.pop(0)
        return Silence()


def _heard_index(prompt: InputPrompt, phrase: str) -> int | None:
    """The first thing heard that contains ``phrase`` (case-insensitive)."""
    wanted = phrase.casefold()
    for index, text in enumerate(prompt.heard):
        if wanted in text.casefold():
            return index
    return None


def _delayed(action: CallerAction, after: float) -> CallerAction:
    """``action`` happening ``after`` seconds into the wait."""
    if isinstance(action, Press):
        return Press(action.digits, after)
    if isinstance(action, Speak):
        return Speak(action.text, after, action.confidence)
    if isinstance(action, HangUp):
        return HangUp(after)
    return action


class SilentCaller(ScriptedCaller):
    """A caller who never presses or says anything (and hangs up only if told when)."""

    def __init__(self, *, hangup_after: float | None = None) -> None:
        super().__init__(hangup_after=hangup_after)
