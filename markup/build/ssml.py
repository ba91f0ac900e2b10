"""The SSML inside ``<Say>``: its attribute rules and the mixed content of text and SSML nodes."""

from __future__ import annotations

from collections.abc import Callable

from lxml import etree

from callbox.markup import attributes as a
from callbox.markup import model as m
from callbox.markup.build.common import (
    AMAZON_NAMESPACE,
    TEXT,
    BuildContext,
    Rules,
    attribute_values,
    fast_constructor,
    node_position,
    register,
    unknown,
)

SSML_CLASSES: dict[str, type] = {
    "break": m.SsmlBreak,
    "emphasis": m.SsmlEmphasis,
    "lang": m.SsmlLang,
    "p": m.SsmlP,
    "s": m.SsmlS,
    "phoneme": m.SsmlPhoneme,
    "prosody": m.SsmlProsody,
    "say-as": m.SsmlSayAs,
    "sub": m.SsmlSub,
    "w": m.SsmlW,
    AMAZON_NAMESPACE + "effect": m.SsmlAmazonEffect,
    AMAZON_NAMESPACE + "domain": m.SsmlAmazonDomain,
}
SSML_NEW: dict[str, Callable[..., m.SsmlNode]] = {
    tag: fast_constructor(cls) for tag, cls in SSML_CLASSES.items()
}
SSML_RULES: dict[str, Rules] = {
    "break": register(
        m.SsmlBreak,
        {
            "strength": a.choice(m.BreakStrength),
            "time": a.pattern(r"[0-9]+(\.[0-9]+)?(ms|s)", "a duration such as 500ms or 2s"),
        },
    ),
    "emphasis": register(m.SsmlEmphasis, {"level": a.choice(m.EmphasisLevel)}),
    "lang": register(m.SsmlLang, {"xml:lang": a.language_tag}),
    "p": register(m.SsmlP, {}),
    "s": register(m.SsmlS, {}),
    "phoneme": register(m.SsmlPhoneme, {"alphabet": a.choice(m.PhonemeAlphabet), "ph": TEXT}),
    "prosody": register(m.SsmlProsody, {"volume": TEXT, "rate": TEXT, "pitch": TEXT}),
    "say-as": register(
        m.SsmlSayAs, {"interpret-as": a.choice(m.InterpretAs), "format": a.choice(m.SayAsFormat)}
    ),
    "sub": register(m.SsmlSub, {"alias": TEXT}),
    "w": register(m.SsmlW, {"role": TEXT}),
    AMAZON_NAMESPACE + "effect": register(
        m.SsmlAmazonEffect, {"name": TEXT, "phonation": TEXT, "vocal-tract-length": TEXT}
    ),
    AMAZON_NAMESPACE + "domain": register(m.SsmlAmazonDomain, {"name": TEXT}),
}


def mixed_content(element: etree._Element, context: BuildContext) -> tuple[m.SayContent, ...]:
    """Text and SSML nodes of ``<Say>`` or an SSML container, in document order."""
    head = element.text
    if not len(element):
        return (head,) if head else ()
    content: list[m.SayContent] = [head] if head else []
    for child in element:
        tag = child.tag
        if isinstance(tag, str):
            content.append(build_ssml(child, context) if tag in SSML_CLASSES else unknown(child))
        tail = child.tail
        if tail:
            if content and isinstance(content[-1], str):
                content[-1] += tail  # text around a comment is one run of text
            else:
                content.append(tail)
    return tuple(content)


def build_ssml(element: etree._Element, context: BuildContext) -> m.SsmlNode:
    tag = str(element.tag)
    values = attribute_values(element, SSML_RULES[tag], context)
    if tag != "break":
        values["children"] = mixed_content(element, context)
    node: m.SsmlNode = SSML_NEW[tag](position=node_position(element), **values)
    return node
