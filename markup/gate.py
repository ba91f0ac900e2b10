"""The clean-document gate: a second, stricter XSD that tells ``callbox lint`` a document has
nothing for the Python checks to find.

After the schema, ``check()`` walks the tree in Python twice: the model's value checks
(``build.diagnose``) and the lint rules. On a clean document both find nothing, and together they
cost more than parsing and validating it. The *clean schema* accepts only documents on which no
model check and no lint rule can report anything: it is generated here from the coercers'
``Shape``\\ s (each attribute and text gets a type that takes only values its coercer accepts, and
that lint's URL rules accept) and from content models that leave out whatever a rule could report
on (a verb after one that ends the document, a ``<Gather>`` without children or ``action``, more
than ten ``<Number>``\\ s...). An element, attribute or shape the gate knows nothing about is not in
it. Every clean type is also one the main schema's type accepts, so a clean document is valid.
libxml2 checks it in one pass, about as fast as the main schema; the few conditions XSD 1.0
cannot state (a ``<Redirect>`` to the document's own URL, a ``<Message>`` with no body, a comment
that splits a text, a blank only Python strips) are checked on the bytes or on the few elements
concerned, without a walk.

When the clean schema accepts a document, ``check()`` returns no findings without the main schema
and the walks (they would find none); any other document takes the full pipeline, as before.
tests/markup/test_gate.py checks each clean type against its coercer and the main schema, that
every lint rule is accounted for (``RULES_COVERED``), and the gate against the whole pipeline on
the suite's documents and thousands made one change away from clean.
"""

from __future__ import annotations

import re
import threading
from collections.abc import Mapping
from dataclasses import dataclass, field
from functools import cache, lru_cache
from xml.sax.saxutils import quoteattr

from lxml import etree

from callbox.markup import attributes as a
from callbox.markup.build import ATTRIBUTE_RULES
from callbox.markup.build.common import AttributeRule
from callbox.markup.build.dial import DIAL_RULES
from callbox.markup.build.voice import MAX_TRANSCRIBED_SECONDS
from callbox.markup.dialect import Dialect
from callbox.markup.limits import MAX_SAY_CHARACTERS
from callbox.markup.lint.dial import DIAL_TIMEOUT_RANGE, MAX_PARALLEL_NOUNS
from callbox.markup.lint.messaging import MAX_BODY_CHARACTERS, MAX_MEDIA, MAX_REPLIES
from callbox.markup.lint.urls import URL_ATTRIBUTES_BY_TAG, is_url_attribute
from callbox.markup.source import Source

AUDIO_EXTENSIONS = ("mp3", "wav", "ogg", "aiff", "aif", "gsm", "ulaw", "flac", "m4a")
"""Extensions a clean ``<Play>`` URL ends in (none is in lint's ``NON_AUDIO_EXTENSIONS``)."""


# --- Simple types from shapes ----------------------------------------------------------------


@dataclass(frozen=True)
class SimpleType:
    """An XSD simple type as text: a restriction of ``base`` with ``facets``."""

    base: str
    facets: tuple[tuple[str, str], ...] = ()
    item_values: tuple[str, ...] = ()
    """For a list type: the enumeration of its items (``facets`` then apply to the list)."""
    union: tuple[tuple[str, str, str], ...] = ()
    """For a union: its members, each a pattern of ``xs:string`` and a maxLength."""

    def xsd(self) -> str:
        if self.union:
            members = "".join(
                f'<xs:simpleType><xs:restriction base="xs:string"><xs:{name} value={quoteattr(value)}/>'
                f'<xs:maxLength value="{length}"/></xs:restriction></xs:simpleType>'
                for name, value, length in self.union
            )
            return f"<xs:simpleType><xs:union>{members}</xs:union></xs:simpleType>"
        facets = "".join(f"<xs:{name} value={quoteattr(value)}/>" for name, value in self.facets)
        if self.item_values or self.base == "list":
            items = "".join(f"<xs:enumeration value={quoteattr(v)}/>" for v in self.item_values)
            item = f'<xs:simpleType><xs:restriction base="xs:string">{items}</xs:restriction></xs:simpleType>'
            listed = f"<xs:simpleType><xs:list>{item}</xs:list></xs:simpleType>"
            return (
                f"<xs:simpleType><xs:restriction>{listed}{facets}</xs:restriction></xs:simpleType>"
            )
        return f'<xs:simpleType><xs:restriction base="{self.base}">{facets}</xs:restriction></xs:simpleType>'


def _pattern(regex: str, *facets: tuple[str, str]) -> SimpleType:
    return SimpleType("xs:string", (("pattern", regex), *facets))


def _bounded(minimum: float | None, maximum: float | None, base: str = "xs:integer") -> SimpleType:
    """A whole number (``xs:integer``: optional sign, blanks around) of at most 15 digits, or a
    decimal (``xs:decimal``), within bounds: what ``attributes.integer``/``decimal`` accept."""
    facets = [("totalDigits", str(a.MAX_INTEGER_DIGITS))] if base == "xs:integer" else []
    if minimum is not None:
        facets.append(("minInclusive", _number(minimum)))
    if maximum is not None:
        facets.append(("maxInclusive", _number(maximum)))
    return SimpleType(base, tuple(facets))


def _number(value: float) -> str:
    return str(int(value)) if float(value).is_integer() else repr(float(value))


WORDS = SimpleType("list", (("minLength", "1"),))
"""Text with something besides XML's blanks: a list of at least one word, the cheapest way an
XSD says so (a document with other blanks Python strips, as a no-break space, takes the full
check: ``passes``)."""
PHONE = SimpleType(
    "",
    (),
    union=(
        ("pattern", "\\+[0-9][0-9][0-9]+", "16"),
        ("pattern", "[0-9][0-9][0-9]+", "15"),
    ),
)
"""An optional ``+`` and 3 to 15 digits: what ``attributes.phone_number`` takes unformatted."""
E164_TYPE = _pattern("\\+[1-9][0-9][0-9]+", ("maxLength", "16"))
"""``+`` and 3 to 15 digits, the first not 0: lint's CF112 E.164 and the model's 13223 both pass it."""


def url_type(*, relative: bool, audio: bool = False, optional: bool = False) -> SimpleType:
    """An http(s) URL (or, when ``relative``, one starting with ``/``) without XML blanks around
    or inside (``passes`` refuses the other blanks): what ``attributes.url`` accepts and lint's
    URL rules pass."""
    start = "(https?://|/)" if relative else "https?://"
    body = "\\S*"
    if audio:  # <Play>: ends in an audio extension, no query or fragment (the path's own)
        body = f"[^\\s?#]*\\.({'|'.join(AUDIO_EXTENSIONS)})"
    regex = f"{start}{body}"
    return _pattern(f"({regex})?" if optional else regex)


def simple_type(shape: a.Shape, coerce: object, *, relative: bool) -> SimpleType | None:
    """A type that takes only values the coercer of ``shape`` accepts (not all of them: the rest
    go to the full check); None when the gate knows no such type."""
    kind = shape.kind
    if kind == "text":
        return SimpleType("xs:string")
    if kind == "non_empty":
        return WORDS
    if kind == "boolean":
        return SimpleType("xs:string", (("enumeration", "true"), ("enumeration", "false")))
    if kind == "integer":
        return _bounded(shape.minimum, shape.maximum)
    if kind == "decimal":
        return _bounded(shape.minimum, shape.maximum, "xs:decimal")
    if kind == "auto_or_seconds":
        return _pattern("auto|[0-9]+", ("maxLength", "15")) if not shape.minimum else None
    if kind == "choice":
        return SimpleType("xs:string", tuple(("enumeration", value) for value in shape.values))
    if kind == "choices":
        return SimpleType("list", (("minLength", "1"),), item_values=shape.values)
    if kind == "digits":
        keys = "".join("\\" + c if c in "\\-[]^" else c for c in shape.alphabet)
        facets = [("minLength", str(int(shape.minimum or 0)))]
        if shape.maximum is not None:
            facets.append(("maxLength", str(int(shape.maximum))))
        return _pattern(f"[{keys}]*", *facets)
    if kind == "url":
        if not {"http", "https"} <= set(shape.schemes):
            return None
        return url_type(relative=relative and not shape.absolute)
    if kind == "phone_number":
        return PHONE
    if kind == "pattern":
        if coerce is a.voice_name or coerce is a.language_tag:
            return _pattern(shape.values[0])  # the coercer's own regex, without its strip
        return None
    return None


# --- The clean elements -------------------------------------------------------------------------


@dataclass(frozen=True)
class CleanElement:
    """One element of the clean schema: its attributes come from its builder's ``table`` (less
    ``leave_out``, with ``narrow`` types where a check needs more than the coercer), its content
    is ``content`` (an XSD particle, or None for text of type ``text``)."""

    table: Mapping[str, AttributeRule]
    content: str | None = None
    text: SimpleType | None = None
    mixed: bool = False
    required: tuple[str, ...] = ()
    leave_out: frozenset[str] = frozenset()
    narrow: Mapping[str, SimpleType] = field(default_factory=dict)


def _rules(name: str) -> Mapping[str, AttributeRule]:
    return next(table for cls, table in ATTRIBUTE_RULES.items() if cls.__name__ == name)


def _refs(*tags: str) -> str:
    return "".join(f'<xs:element ref="{tag}"/>' for tag in tags)


def _voice_elements(relative: bool) -> dict[str, CleanElement]:
    low, high = DIAL_TIMEOUT_RANGE
    ends = _refs("Hangup", "Redirect", "Dial")
    # A verb after one that ends the document is unreachable (CF101): the clean <Response> has
    # <Hangup>, <Redirect> or <Dial> (with or without action) last, if at all.
    response = (
        f'<xs:sequence><xs:choice minOccurs="0" maxOccurs="unbounded">'
        f"{_refs('Say', 'Play', 'Pause', 'Gather', 'Record')}</xs:choice>"
        f'<xs:choice minOccurs="0">{ends}</xs:choice></xs:sequence>'
    )
    return {
        "Response": CleanElement({}, response),
        "Say": CleanElement(_rules("Say"), text=WORDS),  # text only: SSML takes the full check
        "Play": CleanElement(
            _rules("Play"), text=url_type(relative=relative, audio=True, optional=True)
        ),
        "Pause": CleanElement(_rules("Pause"), "<xs:sequence/>"),
        "Gather": CleanElement(
            _rules("Gather"),
            f'<xs:choice maxOccurs="unbounded">{_refs("Say", "Play", "Pause")}</xs:choice>',
            required=("action",),
            # actionOnEmptyResult ends the document (CF101); speechModel may meet
            # speechTimeout="auto" (13335); finishOnKey may meet numDigits="1" (CF107)
            leave_out=frozenset({"actionOnEmptyResult", "speechModel"}),
            narrow={"finishOnKey": SimpleType("xs:string", (("maxLength", "0"),))},
        ),
        "Redirect": CleanElement(_rules("Redirect"), text=url_type(relative=relative)),
        "Hangup": CleanElement(_rules("Hangup"), "<xs:sequence/>"),
        "Dial": CleanElement(
            DIAL_RULES,
            f'<xs:sequence><xs:element ref="Number" maxOccurs="{MAX_PARALLEL_NOUNS}"/></xs:sequence>',
            narrow={
                "timeout": _bounded(low, high),
                "callerId": PHONE,
            },
        ),
        "Number": CleanElement(_rules("Number"), text=E164_TYPE),
        "Record": CleanElement(
            _rules("Record"),
            "<xs:sequence/>",
            required=("action",),
            # transcribe="true" with maxLength over 120 s (13615)
            narrow={"maxLength": _bounded(1, MAX_TRANSCRIBED_SECONDS)},
        ),
    }


def _messaging_elements(relative: bool) -> dict[str, CleanElement]:
    phone = E164_TYPE
    body = WORDS
    return {
        "Response": CleanElement(
            {},
            f'<xs:sequence><xs:element ref="Message" minOccurs="0" maxOccurs="{MAX_REPLIES}"/>'
            '<xs:element ref="Redirect" minOccurs="0"/></xs:sequence>',
        ),
        "Message": CleanElement(
            _rules("Message"),
            f'<xs:sequence><xs:element ref="Body" minOccurs="0" maxOccurs="unbounded"/>'
            f'<xs:element ref="Media" minOccurs="0" maxOccurs="{MAX_MEDIA}"/></xs:sequence>',
            mixed=True,
            narrow={"to": phone, "from": phone},
        ),
        "Body": CleanElement({}, text=body),
        "Media": CleanElement({}, text=url_type(relative=relative)),
        "Redirect": CleanElement(_rules("Redirect"), text=url_type(relative=relative)),
    }


RULES_COVERED: dict[str, str] = {
    "byte_order_mark": "a document with a byte-order mark takes the full check (passes)",
    "invalid_version": "the clean <Response> has no attributes",
    "dialect_mismatch": "each dialect's clean schema has only its own verbs",
    "unreachable_verb": "the clean <Response> ends with <Hangup>, <Redirect> or <Dial>, if at all",
    "reject_not_first": "<Reject> is not in the clean schema",
    "empty_redirect": "the clean <Redirect> holds a URL",
    "gather_without_action": "the clean <Gather> requires action",
    "record_without_action": "the clean <Record> requires action",
    "prompt_outside_gather": "the clean <Gather> has at least one child",
    "finish_on_key_ineffective": "the clean <Gather finishOnKey> is empty",
    "conference_mixed": "<Conference> is not in the clean schema",
    "too_many_dial_nouns": "the clean <Dial> has at most MAX_PARALLEL_NOUNS <Number>s",
    "dial_timeout_out_of_range": "the clean <Dial timeout> is within DIAL_TIMEOUT_RANGE",
    "phone_number_not_e164": "<Number> text and <Message to/from> are E.164; <Dial> has no text",
    "message_body_too_long": "a messaging document over MAX_BODY_CHARACTERS bytes takes the full check",
    "message_too_many_media": "the clean <Message> has at most MAX_MEDIA <Media>",
    "message_too_many_replies": "the clean <Response> has at most MAX_REPLIES <Message>",
    "sms_verb_deprecated": "<Sms> is not in the clean schema",
    "say_too_long": "a voice document over MAX_SAY_CHARACTERS bytes takes the full check",
    "relative_url_without_base": "without a base URL, the clean URLs are absolute http(s)",
    "unfetchable_url": "clean URL attributes and texts start with http://, https:// or /",
    "play_non_audio_url": "the clean <Play> URL ends in an audio extension",
    "redirect_to_self": "a <Redirect> that may lead to the document's own URL (passes)",
}
"""How the gate covers each lint rule (by the rule's function name): a rule missing here fails
tests/markup/test_gate.py, so that a new rule gets its condition."""


# --- The schema --------------------------------------------------------------------------------


def attribute_types(
    tag: str, element: CleanElement, relative: bool, declared: Mapping[str, str]
) -> dict[str, tuple[SimpleType, AttributeRule]]:
    """The clean type of each attribute the clean element has: those the main schema declares,
    the builder reads and the gate has a type for (any other attribute makes a document unclean).
    A URL that lint's URL rules read takes the URL type, when its coercer is the URL or the text
    one."""
    url_names = URL_ATTRIBUTES_BY_TAG.get(tag)
    found: dict[str, tuple[SimpleType, AttributeRule]] = {}
    for name in sorted(set(declared) & set(element.table) - element.leave_out):
        if "{" in name or ":" in name:
            continue
        rule = element.table[name]
        shape = a.SHAPES.get(rule.coerce)
        kind: SimpleType | None
        if name in element.narrow:
            kind = element.narrow[name]
        elif shape is None:
            kind = None
        elif name in url_names if url_names is not None else is_url_attribute(name):
            kind = url_type(relative=relative) if shape.kind in ("url", "text") else None
        else:
            kind = simple_type(shape, rule.coerce, relative=relative)
        if kind is not None:
            found[name] = (kind, rule)
    return found


def clean_elements(dialect: Dialect, relative: bool) -> dict[str, CleanElement]:
    """The elements of a dialect's clean schema."""
    return _voice_elements(relative) if dialect is Dialect.VOICE else _messaging_elements(relative)


def _attributes(
    tag: str, element: CleanElement, relative: bool, declared: Mapping[str, str]
) -> str:
    found = []
    for name, (kind, _) in attribute_types(tag, element, relative, declared).items():
        use = ' use="required"' if name in element.required else ""
        found.append(f'<xs:attribute name="{name}"{use}>{kind.xsd()}</xs:attribute>')
    return "".join(found)


def _element(tag: str, element: CleanElement, relative: bool, declared: Mapping[str, str]) -> str:
    attributes = _attributes(tag, element, relative, declared)
    if element.content is None:  # text: an extension of its (named, so extensible) simple type
        text = element.text or SimpleType("xs:string")
        named = f"{tag}Text"
        declaration = text.xsd().replace("<xs:simpleType>", f'<xs:simpleType name="{named}">', 1)
        return (
            f"{declaration}"
            f'<xs:element name="{tag}"><xs:complexType><xs:simpleContent>'
            f'<xs:extension base="{named}">{attributes}</xs:extension>'
            "</xs:simpleContent></xs:complexType></xs:element>"
        )
    mixed = ' mixed="true"' if element.mixed else ""
    return (
        f'<xs:element name="{tag}"><xs:complexType{mixed}>{element.content}{attributes}'
        "</xs:complexType></xs:element>"
    )


def schema_text(dialect: Dialect, relative: bool) -> str:
    """The clean schema of a dialect, for documents with (``relative``) or without a base URL."""
    from callbox.markup.schema import compiled

    vocabulary = compiled(dialect).vocabulary
    elements = clean_elements(dialect, relative)
    parts = ['<xs:schema xmlns:xs="http://www.w3.org/2001/XMLSchema">']
    for tag, element in elements.items():
        parts.append(_element(tag, element, relative, vocabulary.attributes.get(tag, {})))
    parts.append("</xs:schema>")
    return "".join(parts)


@dataclass
class _Compiled:
    xsd: etree.XMLSchema
    lock: threading.Lock


@cache
def _compiled(dialect: Dialect, relative: bool) -> _Compiled:
    document = etree.fromstring(schema_text(dialect, relative).encode())
    return _Compiled(etree.XMLSchema(document), threading.Lock())


# --- The gate ------------------------------------------------------------------------------------


@lru_cache(maxsize=256)
def _last_segment(base_url: str) -> str:
    """The base URL's last path segment (after its last ``/``, before any query or fragment)."""
    return base_url.split("#", 1)[0].split("?", 1)[0].rpartition("/")[2]


def _may_redirect_to_itself(root: etree._Element, base_url: str) -> bool:
    """Whether a ``<Redirect>`` may lead to the base URL (lint's CF108 looks closer): a clean URL
    is absolute or ``/``-rooted, so it resolves to the base URL only if it holds the base URL's
    last path segment (dot-segment removal never changes the other segments)."""
    last = _last_segment(base_url)
    for redirect in root.iterchildren("Redirect"):
        target = redirect.text or ""
        if not last or last in target or "#" in target:
            return True
    return False


def _message_without_body(root: etree._Element) -> bool:
    """A ``<Message>`` with no children and blank text: the model's "no body and no media"."""
    return any(
        not len(message) and not (message.text or "").strip()
        for message in root.iterchildren("Message")
    )


_UNCLEAN_BYTES = re.compile(
    rb"\xc2[\x85\xa0]|\xe1\x9a\x80|\xe2\x80[\x80-\x8a\xa8\xa9\xaf]|\xe2\x81\x9f|\xe3\x80\x80"
)
"""The blanks Python strips and XML does not (NEL, no-break space and Unicode's other spaces), in
UTF-8: the clean schema's types read only XML's blanks as blank."""
_UTF8_DECLARATION = re.compile(rb"<\?xml[^>]*?encoding\s*=\s*[\"'](utf-?8)[\"']", re.IGNORECASE)


@lru_cache(maxsize=64)
def _utf8(declaration: bytes) -> bool:
    """Whether an XML declaration leaves the document in UTF-8 (no encoding, or UTF-8)."""
    return b"encoding" not in declaration or _UTF8_DECLARATION.match(declaration) is not None


def _plain(data: bytes, limit: int) -> bool:
    """UTF-8 (no byte-order mark, no other declared encoding), at most ``limit`` bytes (past it a
    text may be too long), with no character reference and none of ``_UNCLEAN_BYTES``."""
    if len(data) > limit or data[:1] != b"<":
        return False
    start = 0
    if data.startswith(b"<?xml"):
        start = data.find(b"?>") + 2
        if not _utf8(data[:start]):
            return False
    if data.find(b"&") != -1 and b"&#" in data:
        return False  # a character reference may write a blank Python strips and XML does not
    # ASCII (the common case) holds none of those blanks; else look for one (in UTF-8)
    return data.isascii() or _UNCLEAN_BYTES.search(data, start) is None


_SIZE_LIMITS = {Dialect.VOICE: MAX_SAY_CHARACTERS, Dialect.MESSAGING: MAX_BODY_CHARACTERS}
"""Past this size a ``<Say>`` or a message body may be too long (the clean schema counts neither)."""


def passes(root: etree._Element, source: Source, dialect: Dialect, base_url: str | None) -> bool:
    """True when the document is valid against the main schema and no model check or lint rule
    can report anything on it; False means the full check must run (not that it finds anything).
    """
    if dialect is Dialect.AUTO or not _plain(source.data, _SIZE_LIMITS[dialect]):
        return False
    if next(root.iter(etree.Comment, etree.ProcessingInstruction), None) is not None:
        return False  # it splits the text the checks read (up to it, or around it)
    clean = _compiled(dialect, base_url is not None)
    with clean.lock:
        if not clean.xsd.validate(root):
            return False
    if base_url is not None and _may_redirect_to_itself(root, base_url):
        return False
    return dialect is not Dialect.MESSAGING or not _message_without_body(root)


__all__ = [
    "RULES_COVERED",
    "CleanElement",
    "SimpleType",
    "attribute_types",
    "clean_elements",
    "passes",
    "schema_text",
    "simple_type",
    "url_type",
]
