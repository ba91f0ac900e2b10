"""Rules about ``<Dial>`` and its nouns.

``<Conference>`` mixed with other nouns (13000), more than 10 nouns ringing in parallel (CF201)
and a ring ``timeout`` outside what Twilio accepts (CF108).
"""

from __future__ import annotations

from lxml import etree

from callbox import codes
from callbox.diagnostics import Diagnostic
from callbox.markup.attributes import MAX_INTEGER_DIGITS
from callbox.markup.lint.context import LintContext, name_of, rule

MAX_PARALLEL_NOUNS = 10
PARALLEL_NOUNS = frozenset({"Number", "Client", "Sip", "Sim", "Application", "WhatsApp"})
DIAL_TIMEOUT_RANGE = (5, 600)


@rule(codes.CONFERENCE_MIXED, tags=("Conference",))
def conference_mixed(context: LintContext) -> list[Diagnostic]:
    found: list[Diagnostic] = []
    for dial in context.elements("Dial"):
        nouns = list(dial.iterchildren(etree.Element))
        conferences = [noun for noun in nouns if name_of(noun) == "Conference"]
        if not conferences or len(nouns) == 1:
            continue
        others = sorted({name_of(noun) for noun in nouns if name_of(noun) != "Conference"})
        if not others and len(conferences) > 1:
            others = ["another <Conference>"]
        described = ", ".join(f"<{name}>" if "<" not in name else name for name in others)
        found.append(
            context.report(
                codes.CONFERENCE_MIXED,
                conferences[0],
                f"<Conference> shares its <Dial> with {described}",
                hint="Put the <Conference> in a <Dial> of its own.",
            )
        )
    return found


@rule(codes.TOO_MANY_DIAL_NOUNS, tags=("Dial",))
def too_many_dial_nouns(context: LintContext) -> list[Diagnostic]:
    if context.count(*PARALLEL_NOUNS) <= MAX_PARALLEL_NOUNS:
        return []  # not even all of the document's nouns together are too many
    found: list[Diagnostic] = []
    for dial in context.elements("Dial"):
        if (dial.get("sequential") or "").strip().lower() == "true":
            continue
        nouns = [n for n in dial.iterchildren(etree.Element) if name_of(n) in PARALLEL_NOUNS]
        if len(nouns) > MAX_PARALLEL_NOUNS:
            found.append(
                context.report(
                    codes.TOO_MANY_DIAL_NOUNS,
                    nouns[MAX_PARALLEL_NOUNS],
                    f"<Dial> rings {len(nouns)} nouns at once; Twilio rings at most "
                    f"{MAX_PARALLEL_NOUNS} in parallel",
                    hint='Split them across several <Dial>s, or ring them in turn with sequential="true".',
                )
            )
    return found


@rule(codes.DIAL_TIMEOUT_OUT_OF_RANGE, tags=("Dial",))
def dial_timeout_out_of_range(context: LintContext) -> list[Diagnostic]:
    found: list[Diagnostic] = []
    low, high = DIAL_TIMEOUT_RANGE
    for dial in context.elements("Dial"):
        value = (dial.get("timeout") or "").strip()
        if not (value.isascii() and value.isdigit()) or len(value) > MAX_INTEGER_DIGITS:
            continue  # not a number Twilio reads ('²', 5,000 digits): 13212 from the attributes
        seconds = int(value)
        if low <= seconds <= high:
            continue
        clamped = low if seconds < low else high
        found.append(
            context.report(
                codes.DIAL_TIMEOUT_OUT_OF_RANGE,
                dial,
                f"<Dial timeout='{value}'> is outside the {low}-{high} seconds Twilio accepts",
                attribute="timeout",
                hint=f'Use a timeout between {low} and {high}, e.g. timeout="{clamped}".',
            )
        )
    return found
