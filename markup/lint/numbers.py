"""A style rule about phone numbers, off by default (CF112): numbers written in E.164
(``+14155550100``) wherever one is dialled or texted: ``<Dial>`` text, ``<Number>``, and
``to``/``from`` of ``<Message>`` and ``<Sms>``.

Twilio accepts US numbers unformatted (``415-555-1212``, ``(415) 555-1212``, ``4155551212``), so
this is a nudge, not a mistake: ``lint`` reports it only when selected. Values that are not phone
numbers are left alone: SIP and client addresses, alphanumeric sender IDs, SIM SIDs, template
placeholders, and short codes in messaging. A value that is no phone number at all is the
model's 13223.
"""

from __future__ import annotations

import re

from lxml import etree

from callbox import codes
from callbox.diagnostics import Diagnostic
from callbox.markup.attributes import Problem, phone_number
from callbox.markup.lint.context import Element, LintContext, rule, text_of

E164 = re.compile(r"\+[1-9][0-9]{1,14}")
PHONE_LIKE = re.compile(r"[0-9+()\-. ]+")
CHANNEL_PREFIX = re.compile(r"(whatsapp|sms|mms|rcs):", re.IGNORECASE)
SHORT_CODE = re.compile(r"[0-9]{3,8}")
TEMPLATE_MARKERS = ("{{", "{%", "${")


def not_e164(value: str, *, short_codes: bool) -> bool:
    """True when the value is meant as a phone number but is not written in E.164."""
    if E164.fullmatch(value):
        return False
    value = CHANNEL_PREFIX.sub("", value.strip(), count=1)
    if not value or any(marker in value for marker in TEMPLATE_MARKERS):
        return False
    if not PHONE_LIKE.fullmatch(value):
        return False  # client:alice, sip:..., an alphanumeric sender ID, a SIM SID
    if short_codes and SHORT_CODE.fullmatch(value):
        return False
    if isinstance(phone_number(value), Problem):
        return False  # no phone number at all: the model's 13223
    return not E164.fullmatch(value)


def _suggestion(value: str) -> str:
    digits = re.sub(r"[^0-9]", "", value)
    if value.strip().startswith("+") and digits:
        return f"Write it as +{digits}."
    return "Write it as + country code + number, without spaces or dashes, e.g. +14155550100."


def _report_text(context: LintContext, element: Element, where: str) -> Diagnostic:
    value = text_of(element)
    return context.report(
        codes.PHONE_NUMBER_NOT_E164,
        element,
        f"{where} '{value}' is not written in E.164",
        text=True,
        hint=_suggestion(value),
    )


@rule(codes.PHONE_NUMBER_NOT_E164, tags=("Dial", "Number", "Message", "Sms"))
def phone_number_not_e164(context: LintContext) -> list[Diagnostic]:
    found: list[Diagnostic] = []
    for dial in context.elements("Dial"):
        if next(dial.iterchildren(etree.Element), None) is None and not_e164(
            text_of(dial), short_codes=False
        ):
            found.append(_report_text(context, dial, "<Dial> number"))
    for number in context.elements("Number"):
        if not_e164(text_of(number), short_codes=False):
            found.append(_report_text(context, number, "<Number>"))
    for element in context.elements("Message", "Sms"):
        for attribute in ("to", "from"):
            value = element.get(attribute)
            if value is not None and not_e164(value, short_codes=True):
                found.append(
                    context.report(
                        codes.PHONE_NUMBER_NOT_E164,
                        element,
                        f"<{element.tag} {attribute}='{value}'> is not written in E.164",
                        attribute=attribute,
                        hint=_suggestion(value),
                    )
                )
    return found
