"""Rules about the document as a whole and the order of its verbs.

Verbs that can never run (CF101), ``<Reject>`` that is not first (CF105), an empty
``<Redirect/>`` (CF104), a byte-order mark (CF002) and verbs of the wrong dialect (CF003).
"""

from __future__ import annotations

from callbox import codes
from callbox.diagnostics import Diagnostic
from callbox.markup.dialect import VOICE_VERBS, Dialect
from callbox.markup.lint.context import (
    HAS_BYTE_ORDER_MARK,
    HAS_VERSION,
    MESSAGING_DIALECT,
    UTF8_BYTE_ORDER_MARK,
    Element,
    LintContext,
    name_of,
    rule,
    text_of,
)

BYTE_ORDER_MARK = UTF8_BYTE_ORDER_MARK

MESSAGING_ONLY_VERBS = frozenset({"Message"})
"""Verbs that only a messaging document may hold."""


def _is_true(element: Element, attribute: str) -> bool:
    return (element.get(attribute) or "").strip().lower() == "true"


def ends_the_document(verb: Element) -> str | None:
    """Why no verb after this one can run, or None when later verbs may run.

    ``<Gather>`` without ``actionOnEmptyResult`` and ``<Record>`` fall through to the next verb
    when the caller gives no input (or records nothing): later verbs are a legitimate fallback.
    """
    tag = name_of(verb)
    if tag == "Hangup":
        return "<Hangup> ends the call"
    if tag == "Reject":
        return "<Reject> ends the call"
    if tag == "Redirect":
        return "<Redirect> always moves to another document"
    if tag == "Gather" and _is_true(verb, "actionOnEmptyResult"):
        return "<Gather actionOnEmptyResult='true'> always requests its action"
    if tag in ("Dial", "Enqueue", "Connect") and verb.get("action"):
        return f"<{tag}> has an action, which is requested when it ends"
    return None


ENDING_VERBS = frozenset({"Hangup", "Reject", "Redirect", "Gather", "Dial", "Enqueue", "Connect"})
"""The verbs after which ``ends_the_document`` may find that nothing more runs."""


@rule(codes.UNREACHABLE_VERB, tags=ENDING_VERBS)
def unreachable_verb(context: LintContext) -> list[Diagnostic]:
    found: list[Diagnostic] = []
    verbs = context.verbs
    for index, verb in enumerate(verbs[:-1]):
        tag: str = verb.tag  # elements only: always a str
        if tag not in ENDING_VERBS and not tag.startswith("{"):
            continue  # a plain verb that never ends the document
        reason = ends_the_document(verb)
        if reason is None:
            continue
        first = verbs[index + 1]
        more = len(verbs) - index - 2
        after = f" (and {more} more verb{'s' if more != 1 else ''} after it)" if more else ""
        line = context.source.element_position(verb).line
        found.append(
            context.report(
                codes.UNREACHABLE_VERB,
                first,
                f"<{name_of(first)}> can never run{after}: {reason} on line {line}",
                hint=f"Move the verbs before <{name_of(verb)}>, or into the document it leads to.",
            )
        )
        return found
    return found


@rule(codes.REJECT_NOT_FIRST, tags=("Reject",))
def reject_not_first(context: LintContext) -> list[Diagnostic]:
    found: list[Diagnostic] = []
    for index, verb in enumerate(context.verbs):
        if index > 0 and name_of(verb) == "Reject":
            found.append(
                context.report(
                    codes.REJECT_NOT_FIRST,
                    verb,
                    f"<Reject> is verb {index + 1}, not the first: "
                    f"<{name_of(context.verbs[0])}> already answered the call, so it is billed",
                    hint="Put <Reject> first to refuse the call without answering it, or use <Hangup>.",
                )
            )
    return found


@rule(codes.EMPTY_REDIRECT, tags=("Redirect",))
def empty_redirect(context: LintContext) -> list[Diagnostic]:
    found: list[Diagnostic] = []
    for redirect in context.elements("Redirect"):
        if not text_of(redirect):
            found.append(
                context.report(
                    codes.EMPTY_REDIRECT,
                    redirect,
                    "<Redirect> has no URL: it requests this same URL again, which may loop "
                    "forever",
                    hint="Intended when the code behind this URL answers differently the next "
                    "time (after a <Dial><Queue>, to take the next caller); otherwise put the "
                    "URL of the next document inside: <Redirect>/next</Redirect>.",
                )
            )
    return found


@rule(codes.BYTE_ORDER_MARK, tags=(HAS_BYTE_ORDER_MARK,))
def byte_order_mark(context: LintContext) -> list[Diagnostic]:
    found: list[Diagnostic] = []
    if context.source.data.startswith(BYTE_ORDER_MARK):
        found.append(
            codes.BYTE_ORDER_MARK.diagnostic(
                "The document starts with a UTF-8 byte-order mark",
                line=1,
                column=1,
                path=context.source.path,
                hint="Save the file as UTF-8 without BOM; some servers and proxies choke on it.",
            )
        )
    return found


@rule(codes.DIALECT_MISMATCH, tags=("Message", MESSAGING_DIALECT))
def dialect_mismatch(context: LintContext) -> list[Diagnostic]:
    """A voice verb in a messaging document, or ``<Message>`` in a voice one. Auto-detection
    makes a document that mixes them voice (``detect_dialect``), so the ``<Message>`` is named;
    an element that is no verb at all is the schema's unknown element (12200), not this."""
    messaging = context.dialect is Dialect.MESSAGING
    if not messaging and not context.has("Message"):
        return []  # a voice document without messaging verbs
    found: list[Diagnostic] = []
    voice_verb = next((name_of(v) for v in context.verbs if name_of(v) in VOICE_VERBS), None)
    for verb in context.verbs:
        tag = name_of(verb)
        if messaging and tag in VOICE_VERBS:
            found.append(
                context.report(
                    codes.DIALECT_MISMATCH,
                    verb,
                    f"<{tag}> is a voice verb, but this is a messaging document",
                    hint="A reply to an SMS may hold only <Message> and <Redirect>; "
                    "split voice and messaging flows into separate documents.",
                )
            )
        elif not messaging and tag in MESSAGING_ONLY_VERBS:
            because = f" (it has <{voice_verb}>)" if voice_verb else ""
            found.append(
                context.report(
                    codes.DIALECT_MISMATCH,
                    verb,
                    f"<{tag}> is a messaging verb, but this is a voice document{because}",
                    hint="Voice TwiML has no <Message>: to text the caller during a call, send the "
                    "message from your application with the Messages API when it serves this "
                    "document.",
                )
            )
    return found


KNOWN_VERSIONS = frozenset({"2008-08-01", "2010-04-01"})
"""The API versions Twilio's legacy ``<Response version>`` attribute names."""


@rule(codes.INVALID_VERSION, tags=(HAS_VERSION,))
def invalid_version(context: LintContext) -> list[Diagnostic]:
    found: list[Diagnostic] = []
    version = context.root.get("version")
    if version is not None and version.strip() not in KNOWN_VERSIONS:
        found.append(
            context.report(
                codes.INVALID_VERSION,
                context.root,
                f"<Response version='{version}'> is not a TwiML version "
                f"({', '.join(sorted(KNOWN_VERSIONS))})",
                attribute="version",
                hint="Remove the version attribute: it is legacy and nothing needs it.",
            )
        )
    return found
