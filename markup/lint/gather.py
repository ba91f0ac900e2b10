"""Rules about verbs that wait for the caller: ``<Gather>`` and ``<Record>``.

Missing ``action`` (CF102, CF103: the input is posted back to the same document, a loop risk),
a prompt placed after an empty ``<Gather>`` instead of inside it (CF106), and a ``finishOnKey``
that can never end an entry (CF107).
"""

from __future__ import annotations

from itertools import pairwise

from lxml import etree

from callbox import codes
from callbox.codes import Code
from callbox.diagnostics import Diagnostic
from callbox.markup.lint.context import FunctionRule, LintContext, name_of, rule

PROMPT_VERBS = frozenset({"Say", "Play"})


def _without_action(tag: str, code: Code, message: str, hint: str) -> FunctionRule:
    """The rule that a ``tag`` without ``action`` posts back to its own document (loop risk)."""

    def check(context: LintContext) -> list[Diagnostic]:
        return [
            context.report(code, element, message, hint=hint)
            for element in context.elements(tag)
            if element.get("action") is None
        ]

    check.__name__ = f"{tag.lower()}_without_action"
    return rule(code, tags=(tag,))(check)


gather_without_action = _without_action(
    "Gather",
    codes.GATHER_WITHOUT_ACTION,
    "<Gather> has no action: the input is posted to this same URL, which may play the menu again",
    "Intended when the code behind this URL also handles the input (it reads Digits or "
    'SpeechResult); otherwise add action="/menu/choice" pointing at the code that does.',
)
record_without_action = _without_action(
    "Record",
    codes.RECORD_WITHOUT_ACTION,
    "<Record> has no action: the recording is posted to this same URL, which may record again",
    "Intended when the code behind this URL also handles the recording (it reads "
    'RecordingUrl); otherwise add action="/voicemail/saved" that answers with '
    "<Say>Thanks</Say><Hangup/>.",
)


@rule(codes.PROMPT_OUTSIDE_GATHER, tags=("Gather",))
def prompt_outside_gather(context: LintContext) -> list[Diagnostic]:
    found: list[Diagnostic] = []
    verbs = context.verbs
    for gather, following in pairwise(verbs):
        if name_of(gather) != "Gather" or name_of(following) not in PROMPT_VERBS:
            continue
        if next(gather.iterchildren(etree.Element), None) is not None:
            continue
        found.append(
            context.report(
                codes.PROMPT_OUTSIDE_GATHER,
                following,
                f"<{name_of(following)}> follows an empty <Gather>: the caller hears silence, "
                "and this prompt plays only after the Gather timed out",
                hint=f"Nest the prompt inside: <Gather ...><{name_of(following)}>...</"
                f"{name_of(following)}></Gather>.",
            )
        )
    return found


@rule(codes.FINISH_ON_KEY_INEFFECTIVE, tags=("Gather",))
def finish_on_key_ineffective(context: LintContext) -> list[Diagnostic]:
    found: list[Diagnostic] = []
    for gather in context.elements("Gather"):
        key = gather.get("finishOnKey")
        if not key or (gather.get("numDigits") or "").strip() != "1":
            continue
        found.append(
            context.report(
                codes.FINISH_ON_KEY_INEFFECTIVE,
                gather,
                f"numDigits='1' submits on the first key, so finishOnKey='{key}' never ends an "
                "entry (pressed first, it counts as no input)",
                attribute="finishOnKey",
                hint="Drop finishOnKey, or raise numDigits if callers type several digits.",
            )
        )
    return found
