"""callbox's lint rules: checks beyond the schema, each reporting one registered code.

Rules are grouped by family in the modules of this package; ``RULES`` lists them all, in the
order they run. A rule sees a ``LintContext`` (tree, positions, dialect, base URL) and returns
diagnostics; it never raises for a bad document.
"""

from __future__ import annotations

from collections.abc import Iterable
from functools import lru_cache
from typing import Protocol

from callbox.codes import Code
from callbox.diagnostics import Diagnostic
from callbox.markup.dialect import Dialect
from callbox.markup.lint import dial, gather, messaging, numbers, say, structure, urls
from callbox.markup.lint.context import Element, LintContext
from callbox.markup.source import Source


class Rule(Protocol):
    """A check that reports one code."""

    @property
    def code(self) -> Code: ...

    @property
    def tags(self) -> frozenset[str] | None:
        """The rule runs only when one of these tags occurs or facts holds (None: always)."""

    def check(self, context: LintContext) -> Iterable[Diagnostic]: ...


RULES: tuple[Rule, ...] = (
    structure.byte_order_mark,
    structure.invalid_version,
    structure.dialect_mismatch,
    structure.unreachable_verb,
    structure.reject_not_first,
    structure.empty_redirect,
    gather.gather_without_action,
    gather.record_without_action,
    gather.prompt_outside_gather,
    gather.finish_on_key_ineffective,
    dial.conference_mixed,
    dial.too_many_dial_nouns,
    dial.dial_timeout_out_of_range,
    numbers.phone_number_not_e164,
    messaging.message_body_too_long,
    messaging.message_too_many_media,
    messaging.message_too_many_replies,
    messaging.sms_verb_deprecated,
    say.say_too_long,
    urls.relative_url_without_base,
    urls.unfetchable_url,
    urls.play_non_audio_url,
    urls.redirect_to_self,
)
"""Every lint rule, in the order they run."""

RULE_CODES: frozenset[str] = frozenset(rule.code.id for rule in RULES)
"""The codes the lint rules report."""

RUNTIME_ONLY: dict[str, str] = {
    "11200": "needs an HTTP fetch: the application's server failed to answer",
    "11205": "needs an HTTP fetch: the connection to the application failed",
    "11206": "needs an HTTP fetch: the server broke the HTTP protocol",
    "11210": "needs an HTTP fetch: the host name does not resolve",
    "11215": "needs an HTTP fetch: the server redirected too many times",
    "11217": "needs an HTTP fetch: the server answered 4xx or 5xx",
    "11230": "needs an HTTP fetch: the host is outside what callbox may fetch",
    "11770": "needs an HTTP fetch: an empty body (an empty file is a 12100 parse failure)",
    "12300": "needs an HTTP response: it is about the Content-Type header, which files lack",
    "12400": "reports a bug inside callbox itself, never a property of a document",
    "13201": "depends on the call: a document is a <Dial> segment only when run as a whisper URL",
    "13238": "needs the wait document: it is fetched from the waitUrl only while a call waits "
    "for the conference to start",
    "13325": "needs the audio: the Content-Type of a <Play> URL nested in <Gather> is known "
    "only after fetching it",
    "13420": "needs the audio: the Content-Type of a <Play> URL is known only after fetching it",
    "13750": "depends on the engine that runs the call, not on the document",
    "14106": "counts documents fetched during one SMS reply session",
    "14107": "counts the replies between a number pair over 30 seconds, across messages",
    "14207": "depends on how many calls wait in the queue while the call runs",
    "14110": "the runtime's refusal of a voice verb in an SMS reply; lint reports the same "
    "mistake as CF003 with the verb's position",
    "15003": "needs an HTTP fetch: a status callback URL answered 4xx or 5xx",
    "CF301": "counts the documents one call fetches: a loop shows only while the call runs",
    "21211": "reported when a message is created: it is about a message being sent, not a document",
    "21212": "reported when a message is created: it is about a message being sent, not a document",
    "21408": "reported when a message is created: it is about a message being sent, not a document",
    "21602": "reported when a message is created: it is about a message being sent, not a document",
    "21603": "reported when a message is created: it is about a message being sent, not a document",
    "21604": "reported when a message is created: it is about a message being sent, not a document",
    "21606": "reported when a message is created: it is about a message being sent, not a document",
    "21610": "reported when a message is created: it is about a message being sent, not a document",
    "21611": "reported when a message is created: it is about a message being sent, not a document",
    "21612": "reported when a message is created: it is about a message being sent, not a document",
    "21614": "reported when a message is created: it is about a message being sent, not a document",
    "21701": "reported when a message is created: it is about a message being sent, not a document",
    "30001": "reported at delivery: it is about a message being sent, not a document",
    "30003": "reported at delivery: it is about a message being sent, not a document",
    "30004": "reported at delivery: it is about a message being sent, not a document",
    "30005": "reported at delivery: it is about a message being sent, not a document",
    "30006": "reported at delivery: it is about a message being sent, not a document",
    "30007": "reported at delivery: it is about a message being sent, not a document",
    "30008": "reported at delivery: it is about a message being sent, not a document",
    "CF302": "needs the hold document: it is fetched only while a call waits in a queue or is "
    "dequeued",
    "CF303": "depends on how many calls are in the conference while the call runs",
    "CF601": "callbox serve's answer to an HTTP request over its size or time limit",
    "CF602": "callbox serve's answer to an HTTP request without the credentials it requires",
    "CF603": "callbox serve's answer to a webhook whose X-Twilio-Signature does not verify",
    "CF604": "callbox serve's answer when a hosted template fails or goes past a limit",
}
"""Codes no single document can produce, with the reason: they need a call, a fetch or an engine."""


def run_rules(
    root: Element,
    source: Source,
    dialect: Dialect,
    base_url: str | None,
    rules: Iterable[Rule] = RULES,
) -> list[Diagnostic]:
    """Every finding of the rules on one parsed document."""
    return run_rules_in(LintContext(root, source, dialect, base_url), rules)


def run_rules_in(context: LintContext, rules: Iterable[Rule] = RULES) -> list[Diagnostic]:
    """Every finding of the rules in a context built beforehand (``markup.check`` builds it
    first, so that the elements it indexes are wrapped for Python once for every layer)."""
    selected = (
        _rules_for(context.triggers())
        if rules is RULES
        else tuple(r for r in rules if r.tags is None or context.has_any(r.tags))
    )
    found: list[Diagnostic] = []
    for rule in selected:
        found.extend(rule.check(context))
    return found


@lru_cache(maxsize=1024)
def _rules_for(tags: frozenset[str]) -> tuple[Rule, ...]:
    """The rules that can report something on a document with these tags and facts."""
    return tuple(rule for rule in RULES if rule.tags is None or not rule.tags.isdisjoint(tags))


__all__ = [
    "RULES",
    "RULE_CODES",
    "RUNTIME_ONLY",
    "LintContext",
    "Rule",
    "run_rules",
    "run_rules_in",
]
