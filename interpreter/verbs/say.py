"""``<Say>``: text to speech, with its voice, language, ``loop`` and SSML children.

The media plane renders the text (or, when the Say has SSML children, its inner markup rebuilt
from the model) and the caller hears it ``loop`` times.
"""

from __future__ import annotations

from dataclasses import fields
from xml.sax.saxutils import escape, quoteattr

from callbox import codes
from callbox.interpreter.context import CallContext
from callbox.interpreter.outcomes import Continue, Outcome
from callbox.interpreter.verbs.hearing import Piece, hear_pieces, loop_count
from callbox.markup.limits import MAX_SAY_CHARACTERS
from callbox.markup.model import MODEL_CLASSES, Say, SayContent, Unknown

SSML_TAGS: dict[type, str] = {cls: tag for tag, cls in MODEL_CLASSES.items() if tag[:1].islower()}
"""Model class -> SSML tag (``SsmlSayAs`` -> ``say-as``)."""
SSML_ATTRIBUTES = {
    "xml_lang": "xml:lang",
    "interpret_as": "interpret-as",
    "vocal_tract_length": "vocal-tract-length",
}
"""Model field -> SSML attribute, where the two differ."""


def ssml_markup(children: tuple[SayContent, ...]) -> str:
    """The inner markup of a ``<Say>`` rebuilt from its model: text escaped, SSML elements with
    their attributes as written (elements the model does not know are dropped)."""
    out: list[str] = []
    for child in children:
        if isinstance(child, str):
            out.append(escape(child))
            continue
        if isinstance(child, Unknown):
            continue
        tag = SSML_TAGS.get(type(child))
        if tag is None:
            continue
        attributes = ""
        inner: tuple[SayContent, ...] = ()
        for item in fields(child):
            value = getattr(child, item.name)
            if item.name == "children":
                inner = value
            elif item.name != "position" and value is not None:
                name = SSML_ATTRIBUTES.get(item.name, item.name)
                attributes += f" {name}={quoteattr(str(value))}"
        body = ssml_markup(inner)
        out.append(f"<{tag}{attributes}>{body}</{tag}>" if body else f"<{tag}{attributes}/>")
    return "".join(out)


def has_ssml(say: Say) -> bool:
    return any(not isinstance(child, str) for child in say.children)


async def render_say(say: Say, call: CallContext) -> list[Piece]:
    """The pieces a ``<Say>`` plays: its speech, ``loop`` times (none for empty text)."""
    text = say.text
    if not text.strip():
        call.warn(codes.SAY_EMPTY, "<Say> has no text to speak: nothing is said", say.position)
        return []
    if len(text) > MAX_SAY_CHARACTERS:
        call.warn(
            codes.SAY_TOO_LONG,
            f"<Say> text is {len(text)} characters, over Twilio's {MAX_SAY_CHARACTERS}",
            say.position,
        )
    ssml = ssml_markup(say.children) if has_ssml(say) else None
    rendered = await call.media.speech(text, voice=say.voice, language=say.language, ssml=ssml)
    return [Piece(rendered, "say", text)] * loop_count(say.loop)


async def run_say(say: Say, call: CallContext) -> Outcome:
    await hear_pieces(call, await render_say(say, call))
    return Continue()
