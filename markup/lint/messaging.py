"""Rules about messaging: the body limit (21617), media per message (21623), replies per response
(14109), and the deprecated ``<Sms>`` verb (CF111).
"""

from __future__ import annotations

from lxml import etree

from callbox import codes
from callbox.diagnostics import Diagnostic
from callbox.markup.dialect import Dialect
from callbox.markup.lint.context import Element, LintContext, name_of, rule

MAX_BODY_CHARACTERS = 1600
MAX_MEDIA = 10
MAX_REPLIES = 10
SHARED_VERBS = frozenset({"Redirect", "Sms"})
"""Verbs of both dialects: a document made only of them may be an SMS reply or a call."""


def message_body(message: Element) -> str:
    """The text sent: the message's own text plus every ``<Body>``, as Twilio concatenates them."""
    parts = [message.text or ""]
    for child in message.iterchildren(etree.Element):
        if name_of(child) == "Body":
            parts.append(child.text or "")
        parts.append(child.tail or "")
    return "".join(parts).strip()


@rule(codes.MESSAGE_BODY_TOO_LONG, tags=("Message",))
def message_body_too_long(context: LintContext) -> list[Diagnostic]:
    if len(context.source.data) <= MAX_BODY_CHARACTERS:
        return []  # no body can be longer than the document that holds it
    found: list[Diagnostic] = []
    for message in context.elements("Message"):
        body = message_body(message)
        if len(body) <= MAX_BODY_CHARACTERS:
            continue
        bodies = [c for c in message.iterchildren(etree.Element) if name_of(c) == "Body"]
        at = bodies[0] if bodies else message
        found.append(
            context.report(
                codes.MESSAGE_BODY_TOO_LONG,
                at,
                f"The message body is {len(body):,} characters; Twilio sends at most "
                f"{MAX_BODY_CHARACTERS:,}",
                text=True,
                hint="Shorten the text, or send it as several <Message> verbs.",
            )
        )
    return found


@rule(codes.MESSAGE_TOO_MANY_MEDIA, tags=("Media",))
def message_too_many_media(context: LintContext) -> list[Diagnostic]:
    if context.count("Media") <= MAX_MEDIA:
        return []  # not even all of the document's <Media> together are too many
    found: list[Diagnostic] = []
    for message in context.elements("Message"):
        media = [c for c in message.iterchildren(etree.Element) if name_of(c) == "Media"]
        if len(media) > MAX_MEDIA:
            found.append(
                context.report(
                    codes.MESSAGE_TOO_MANY_MEDIA,
                    media[MAX_MEDIA],
                    f"<Message> carries {len(media)} <Media>; the limit is {MAX_MEDIA}",
                    hint="Send the rest in a second <Message>.",
                )
            )
    return found


@rule(codes.MESSAGE_TOO_MANY_REPLIES, tags=("Message",))
def message_too_many_replies(context: LintContext) -> list[Diagnostic]:
    if context.count("Message") <= MAX_REPLIES:
        return []
    found: list[Diagnostic] = []
    messages = [verb for verb in context.verbs if name_of(verb) == "Message"]
    if len(messages) > MAX_REPLIES:
        found.append(
            context.report(
                codes.MESSAGE_TOO_MANY_REPLIES,
                messages[MAX_REPLIES],
                f"The response sends {len(messages)} <Message> replies; Twilio sends at most "
                f"{MAX_REPLIES} per incoming message",
                hint="Combine replies, or continue with <Redirect> after a later incoming message.",
            )
        )
    return found


@rule(codes.SMS_VERB_DEPRECATED, tags=("Sms",))
def sms_verb_deprecated(context: LintContext) -> list[Diagnostic]:
    found: list[Diagnostic] = []
    reply = "Reply with <Message> instead: same text, same to/from/action/statusCallback."
    api = (
        "Send the text from your application with the Messages API "
        "(POST /2010-04-01/Accounts/{AccountSid}/Messages.json) when it serves this document."
    )
    if context.dialect is Dialect.MESSAGING:
        hint = reply
    elif any(name_of(verb) not in SHARED_VERBS for verb in context.verbs):
        hint = api  # a voice document
    else:  # nothing tells an SMS reply from a call
        hint = (
            "In a reply to an SMS, use <Message>; during a call, send the text from your "
            "application with the Messages API."
        )
    for sms in context.elements("Sms"):
        found.append(
            context.report(
                codes.SMS_VERB_DEPRECATED,
                sms,
                "<Sms> is deprecated by Twilio and may stop working",
                hint=hint,
            )
        )
    return found
