"""Rule about phone numbers: Twilio wants E.164 (``+14155550100``) wherever a number is dialled
or texted (13223): ``<Dial>`` text, ``<Number>``, and ``to``/``from`` of ``<Message>`` and ``<Sms>``.

Values that are not phone numbers are left alone: SIP and client addresses, alphanumeric sender
IDs, SIM SIDs, template placeholders, and short codes in messaging.
"""

from __future__ import annotations

import re

from lxml import etree

from callbox import codes
from callbox.diagnostics import Diagnostic
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
    return not E164.fullmatch(value)


def _suggestion(value: str) -> str:
    digits = re.sub(r"[^0-9]", "", value)
    if value.strip().startswith("+") and digits:
        return f"Write it as +{digits}."
    return "Write it as + country code + number, without spaces or dashes, e.g. +14155550100."


def _report_text(context: LintContext, element: Element, where: str) -> Diagnostic:
    value = text_of(element)
    return context.report(
        codes.NUMBER_FORMAT,
        element,
        f"{where} '{value}' is not an E.164 phone number",
        text=True,
        hint=_suggestion(value),
    )


@rule(codes.NUMBER_FORMAT, tags=("Dial", "Number", "Message", "Sms"))
def number_not_e164(context: LintContext) -> list[Diagnostic]:
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
                        codes.NUMBER_FORMAT,
                        element,
                        f"<{element.tag} {attribute}='{value}'> is not an E.164 phone number",
                        attribute=attribute,
                        hint=_suggestion(value),
                    )
                )
    return found
