"""The prompts a call puts to its caller: each carries what the caller heard since the one before
(``PromptLog``), and the caller's answer goes on the timeline at the call time it happens
(``action_time``, ``describe_action``)."""

from __future__ import annotations

from dataclasses import replace

from callbox.interpreter.caller import CallerAction, HangUp, InputPrompt, Press, Silence, Speak


class PromptLog:
    """The prompts the caller was asked (``asked``, in order), and what they heard since the
    last one."""

    __slots__ = ("_announced", "_heard", "asked")

    def __init__(self) -> None:
        self.asked: list[InputPrompt] = []
        self._heard: list[tuple[str, float]] | None = None  # made when first needed
        """What the caller heard since the last prompt, and the call time each ended."""
        self._announced: tuple[str, ...] = ()
        """What the last prompt told the caller it would play (not heard twice)."""

    def heard(self, text: str, until: float) -> None:
        """The caller heard ``text``, which ended at call time ``until``."""
        if self._announced and self._announced[0] == text:
            self._announced = self._announced[1:]  # already told to the caller with the prompt
        else:
            if self._heard is None:
                self._heard = []
            self._heard.append((text, until))

    def cut_short(self) -> None:
        """A new verb starts: what a prompt of an earlier verb announced was cut short."""
        self._announced = ()

    def ask(self, prompt: InputPrompt, at: float) -> InputPrompt:
        """``prompt`` as the caller is asked it at call time ``at``: numbered, and with what they
        heard before it, then what it announces itself."""
        own = prompt.heard
        own_until = prompt.heard_until
        if len(own_until) != len(own):
            own_until = (at,) * len(own)
        heard, until = own, own_until  # nothing heard before: the prompt's own, not copied
        if self._heard:
            heard = (*(text for text, _ in self._heard), *own)
            until = (*(end for _, end in self._heard), *own_until)
        prompt = InputPrompt(
            kind=prompt.kind,
            index=len(self.asked),
            heard=heard,
            inputs=prompt.inputs,
            timeout=prompt.timeout,
            num_digits=prompt.num_digits,
            finish_on_key=prompt.finish_on_key,
            at=at,
            heard_until=until,
        )  # every field (``dataclasses.replace`` is slow); a test checks none is left out
        self.asked.append(prompt)
        self._heard = None
        self._announced = own
        return prompt


def action_time(action: CallerAction, wait_starts: float, now: float) -> float:
    """The call time of the caller's ``action``: when it begins (silence: when the wait starts),
    never before the caller was asked."""
    after = 0.0 if isinstance(action, Silence) else action.after
    return max(wait_starts + after, now)


def answered_late(
    action: CallerAction, prompt: InputPrompt, asked: float, answered: float
) -> CallerAction:
    """The caller's ``action`` as it happens when call time passed while the caller decided (on
    a clock shared with other calls, the caller waited for one of them): not before ``answered``."""
    if answered <= asked or isinstance(action, Silence):
        return action
    return replace(action, after=max(action.after, answered - prompt.at))


def describe_action(action: CallerAction, wait_starts: float) -> str:
    """What the caller does, and at what call time (``after`` counts from the wait's start)."""
    after = ""
    if not isinstance(action, Silence):
        after = f" at {max(wait_starts + action.after, 0.0):.2f} s"
    if isinstance(action, Press):
        return f"caller presses {action.digits}{after}"
    if isinstance(action, Speak):
        return f"caller says {action.text!r}{after}"
    if isinstance(action, HangUp):
        return f"caller hangs up{after}"
    return "caller stays silent"
