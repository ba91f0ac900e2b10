"""Rule about ``<Say>`` text: Twilio speaks at most 4,096 characters per ``<Say>`` (13521)."""

from __future__ import annotations

from callbox import codes
from callbox.diagnostics import Diagnostic
from callbox.markup.limits import MAX_SAY_CHARACTERS
from callbox.markup.lint.context import LintContext, rule


@rule(codes.SAY_TOO_LONG, tags=("Say",))
def say_too_long(context: LintContext) -> list[Diagnostic]:
    if len(context.source.data) <= MAX_SAY_CHARACTERS:
        return []  # no text can be longer than the document that holds it
    found: list[Diagnostic] = []
    for say in context.elements("Say"):
        length = len("".join(str(part) for part in say.itertext()).strip())
        if length > MAX_SAY_CHARACTERS:
            found.append(
                context.report(
                    codes.SAY_TOO_LONG,
                    say,
                    f"<Say> holds {length:,} characters; Twilio speaks at most {MAX_SAY_CHARACTERS:,}",
                    text=True,
                    hint="Split the text across several <Say> verbs.",
                )
            )
    return found
