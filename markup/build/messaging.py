"""The builder of the messaging dialect's ``<Message>`` (its ``<Body>`` and ``<Media>``)."""

from __future__ import annotations

from typing import Any

from lxml import etree

from callbox import codes
from callbox.markup import attributes as a
from callbox.markup import model as m
from callbox.markup.build.common import (
    METHOD,
    URL,
    BuildContext,
    TextRule,
    attribute_values,
    element_builder,
    fast_constructor,
    node_position,
    register,
    report_attributes,
    text_content,
)

_new_message = fast_constructor(m.Message)


build_body = element_builder(m.Body, register(m.Body, {}), text=TextRule("text"))
build_media = element_builder(m.Media, register(m.Media, {}), text=TextRule("url", URL))
MESSAGE_RULES = register(
    m.Message,
    {
        "to": (a.pattern(r"\S.*", "a phone number or channel address"), codes.MESSAGE_TO),
        "from": (a.pattern(r"\S.*", "a phone number or sender ID"), codes.MESSAGE_FROM),
        "action": URL,
        "method": (METHOD, codes.MESSAGE_METHOD),
        "statusCallback": (URL, codes.MESSAGE_STATUS_CALLBACK),
    },
)


def build_message(element: etree._Element, context: BuildContext) -> m.Message | None:
    """``<Message>``: its own text and its ``<Body>`` texts make the body; ``<Media>`` the URLs."""
    values: dict[str, Any] = {}
    if context.model:
        values = attribute_values(element, MESSAGE_RULES, context)
    else:
        report_attributes(element, MESSAGE_RULES, context)
    body = [element.text or ""]
    media: list[str] = []
    for child in element:
        if child.tag == "Body":
            build_body(child, context)
            body.append(text_content(child))
        elif child.tag == "Media":
            build_media(child, context)
            media.append(text_content(child))
        if child.tail:
            body.append(child.tail)
    text = "".join(body).strip()
    if not text and not media:
        context.report(
            codes.MESSAGE_BODY,
            "<Message> has no body and no media",
            context.source.element_position(element),
            "Put the reply text inside <Message> (or a <Body>), or add a <Media> URL.",
        )
    if not context.model:
        return None
    return _new_message(
        body=text,
        media=tuple(media),
        position=node_position(element),
        **values,
    )
