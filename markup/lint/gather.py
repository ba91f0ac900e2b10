"""Rules about verbs that wait for the caller: ``<Gather>`` and ``<Record>``.

Missing ``action`` (CF102, CF103: the input is posted back to the same document, a loop risk),
a prompt placed after an empty ``<Gather>`` instead of inside it (CF106), and a ``finishOnKey``
that can never end an entry (CF107).
"""

from __future__ import annotations

from itertools import pairwise

from lxml import etree

from markup import codes
from markup.diagnostics import Diagnostic
from markup.lint.context import LintContext, name_of, rule

PROMPT_VERBS = frozenset({"Say", "Play"})


@rule(codes.GATHER_WITHOUT_ACTION, tags=("Gather",))
def gather_without_action(context: LintContext) -> list[Diagnostic]:
    found: list[Diagnostic] = []
    for gather in context.elements("Gather"):
        if gather.get("action") is None:
            found.append(
                context.report(
                    codes.GATHER_WITHOUT_ACTION,
                    gather,
                    "<Gather> has no action: the digits are posted to this same document, "
                    "which plays the menu again",
                    hint='Add action="/menu/choice" pointing at the code that handles the input.',
                )
            )
    return found


@rule(codes.RECORD_WITHOUT_ACTION, tags=("Record",))
def record_without_action(context: LintContext) -> list[Diagnostic]:
    found: list[Diagnostic] = []
    for record in context.elements("Record"):
        if record.get("action") is None:
            found.append(
                context.report(
                    codes.RECORD_WITHOUT_ACTION,
                    record,
                    "<Record> has no action: the recording is posted to this same document, "
                    "which records again",
                    hint='Add action="/voicemail/saved" that answers with <Say>Thanks</Say><Hangup/>.',
                )
            )
    return found


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
