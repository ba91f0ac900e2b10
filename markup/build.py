"""From a parsed lxml tree to the typed model (``markup.model``), with a diagnostic per bad value.

One walk over the tree, dispatched through ``BUILDERS`` (tag -> builder). A value that does not
coerce is reported with Twilio's 13xxx code where one exists (else 12200) at the attribute's exact
position, and the field keeps Twilio's default, as Twilio's lenient runtime does. Unknown elements
become ``Unknown`` nodes and unknown attributes are ignored (the schema layer reports them); only a
wrong child of ``<Gather>``, ``<Dial>`` or ``<Start>`` is reported here, with Twilio's specific code
(13320, 13215, 14300), which ``markup.check`` prefers over the schema's 12200 at the same place.
``diagnose`` is the same walk for the diagnostics alone (``callflow lint`` needs no model): the
builders then make no nodes, which is most of the cost of a build.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from enum import Enum
from typing import Any, TypeVar, cast

from lxml import etree

from markup import attributes as a
from markup import codes
from markup import model as m
from markup.codes import Code
from markup.diagnostics import Diagnostic
from markup.dialect import Dialect, detect_dialect
from markup.source import Position, Source

XML_NAMESPACE = "{http://www.w3.org/XML/1998/namespace}"
AMAZON_NAMESPACE = "{http://www.amazon.com/xml/ns/amazon}"

MAX_SAY_CHARACTERS = 4096
"""Twilio's limit on the text of one ``<Say>`` (13521)."""
MAX_QUEUE_NAME = 64
"""Twilio's limit on a queue name (14205)."""


class ModelTableError(RuntimeError):
    """The attribute tables below disagree with the model (a programming error, found at import)."""


@dataclass(frozen=True, slots=True)
class AttributeRule:
    """How one attribute of one element becomes one field."""

    name: str
    """The attribute as written in documents (``finishOnKey``, ``xml:lang``)."""
    field: str
    """The model field, ``snake_case(name)``."""
    coerce: a.Coercer[Any]
    code: Code
    default: Any
    """The field's default, which the field keeps when the value is refused."""
    memo: dict[str, Any] = dataclasses.field(default_factory=dict, compare=False, repr=False)
    """Values (or problems) already coerced: documents repeat the same few values."""


class Rules(dict[str, AttributeRule]):
    """One element's attribute rules, keyed by the attribute's name as lxml reports it
    (``xml:lang`` in Clark notation). ``clean`` remembers attribute lists already seen whole
    and found valid (documents repeat the same few), with the field values they give."""

    __slots__ = ("clean",)

    def __init__(self) -> None:
        super().__init__()
        self.clean: dict[tuple[tuple[str, str], ...], dict[str, Any]] = {}


RuleSpec = a.Coercer[Any] | tuple[a.Coercer[Any], Code]
Builder = Callable[[etree._Element, "BuildContext"], Any]


def _lxml_key(name: str) -> str:
    return XML_NAMESPACE + name[4:] if name.startswith("xml:") else name


def rules(cls: type, specs: Mapping[str, RuleSpec]) -> Rules:
    """The rules of ``cls``'s attributes; each field name comes from ``snake_case``."""
    defaults = {f.name: f.default for f in dataclasses.fields(cls)}
    table = Rules()
    for name, spec in specs.items():
        coerce, code = spec if isinstance(spec, tuple) else (spec, codes.SCHEMA_VALIDATION)
        python = m.snake_case(name)
        if python not in defaults:
            raise ModelTableError(f"{cls.__name__} has no field {python!r} for {name!r}")
        table[_lxml_key(name)] = AttributeRule(name, python, coerce, code, defaults[python])
    return table


ATTRIBUTE_RULES: dict[type, Rules] = {}
"""Every element class's attribute rules (for tests and documentation)."""


def _register(cls: type, specs: Mapping[str, RuleSpec]) -> Rules:
    table = rules(cls, specs)
    ATTRIBUTE_RULES[cls] = table
    return table


def _tag_name(element: etree._Element) -> str:
    tag = str(element.tag)
    if tag.startswith("{"):
        local = tag.rpartition("}")[2]
        return f"{element.prefix}:{local}" if element.prefix else local
    return tag


def _fallback(value: Any) -> str:
    """What Twilio does instead of a refused value: the hint of an invalid-attribute finding."""
    if value is None:
        return "Twilio ignores this value, as if the attribute were absent."
    if isinstance(value, bool):
        shown = str(value).lower()
    elif isinstance(value, Enum):
        shown = str(value.value)
    elif isinstance(value, frozenset):
        words = sorted(str(item.value if isinstance(item, Enum) else item) for item in value)
        shown = " ".join(words) or "none"
    else:
        shown = str(value)
    return f"Twilio ignores this value and uses the default, {shown}."


class BuildContext:
    """What one build collects: the source (for positions) and the diagnostics made so far.

    ``model`` False asks for the diagnostics only (``diagnose``): the builders run the same
    coercers and checks in the same order but return None instead of model nodes (SSML nodes
    excepted: the spoken text of a ``<Say>`` is computed from them)."""

    __slots__ = ("diagnostics", "model", "source")

    def __init__(self, source: Source, *, model: bool = True) -> None:
        self.source = source
        self.model = model
        self.diagnostics: list[Diagnostic] = []

    def report(self, code: Code, message: str, at: Position, hint: str | None = None) -> None:
        self.diagnostics.append(
            code.diagnostic(
                message, line=at.line, column=at.column, path=self.source.path, hint=hint
            )
        )

    def invalid_attribute(
        self, element: etree._Element, rule: AttributeRule, raw: str, problem: a.Problem
    ) -> None:
        self.report(
            rule.code,
            f'<{_tag_name(element)}> {rule.name}="{raw}" is invalid: expected {problem.expected}',
            self.source.attribute_position(element, rule.name),
            _fallback(rule.default),
        )

    def misplaced(self, element: etree._Element, parent: etree._Element, code: Code) -> None:
        self.report(
            code,
            f"<{_tag_name(element)}> is not allowed inside <{_tag_name(parent)}>",
            self.source.element_position(element),
        )

    def empty_text(self, element: etree._Element, code: Code, expected: str) -> None:
        self.report(
            code,
            f"<{_tag_name(element)}> is empty: expected {expected}",
            self.source.element_position(element),
        )

    def invalid_text(
        self, element: etree._Element, code: Code, value: str, problem: a.Problem
    ) -> None:
        self.report(
            code,
            f'<{_tag_name(element)}> text "{value}" is invalid: expected {problem.expected}',
            self.source.text_position(element),
        )


_LINE_POSITIONS: dict[int, Position] = {}


def _position(element: etree._Element) -> Position:
    """The node's position: the element's line, column 0 (exact columns are for diagnostics).
    Positions are immutable, so one object per line is shared."""
    line: int = element.sourceline or 0  # type: ignore[assignment]
    position = _LINE_POSITIONS.get(line)
    if position is None:
        position = _LINE_POSITIONS[line] = Position(line, 0)
    return position


N = TypeVar("N")


def fast_constructor(cls: type[N]) -> Callable[..., N]:
    """A keyword-only constructor for a frozen slots dataclass that fills the slots directly:
    the same value as ``cls(...)`` with the same defaults, about twice as fast (the generated
    ``__init__`` of a frozen class goes through ``object.__setattr__``). ``cls`` has no
    ``__post_init__`` and no default factories (checked)."""
    if hasattr(cls, "__post_init__"):
        raise ModelTableError(f"{cls.__name__} has a __post_init__")
    namespace: dict[str, Any] = {"_new": object.__new__, "_cls": cls}
    parameters: list[str] = []
    body: list[str] = []
    for index, item in enumerate(dataclasses.fields(cls)):  # type: ignore[arg-type]
        if item.default_factory is not dataclasses.MISSING:
            raise ModelTableError(f"{cls.__name__}.{item.name} has a default factory")
        namespace[f"_set{index}"] = getattr(cls, item.name).__set__
        if item.default is dataclasses.MISSING:
            parameters.append(item.name)
        else:
            namespace[f"_default{index}"] = item.default
            parameters.append(f"{item.name}=_default{index}")
        body.append(f"    _set{index}(node, {item.name})\n")
    source = f"def construct(*, {', '.join(parameters)}):\n    node = _new(_cls)\n"
    exec(source + "".join(body) + "    return node\n", namespace)
    return cast(Callable[..., N], namespace["construct"])


def _items(element: etree._Element) -> list[tuple[str, str]]:
    """The attributes as written (lxml gives ``str`` for ``str`` input; the stubs say bytes too)."""
    return element.items()  # type: ignore[return-value]


_MISSING: Any = object()
MEMO_LIMIT = 256
"""Coerced values remembered per attribute rule."""


def _coerced(memo: dict[str, Any], coerce: a.Coercer[Any], raw: str) -> Any:
    """``coerce(raw)``, remembered in ``memo`` (coercers are pure; up to ``MEMO_LIMIT`` values)."""
    value = memo.get(raw, _MISSING)
    if value is _MISSING:
        value = coerce(raw)
        if len(memo) < MEMO_LIMIT:
            memo[raw] = value
    return value


def _attributes(element: etree._Element, table: Rules, context: BuildContext) -> dict[str, Any]:
    """The field values of the element's known attributes; a refused value is reported and left
    out (the field keeps its default). Returns a new dict the caller may change."""
    items: list[tuple[str, str]] = element.items()  # type: ignore[assignment]
    if not items:
        return {}
    whole = tuple(items)
    seen = table.clean.get(whole)
    if seen is not None:
        return seen.copy()
    values: dict[str, Any] = {}
    clean = True
    for key, raw in items:
        rule = table.get(key)
        if rule is None:
            continue  # unknown attribute: the schema layer reports it
        value = _coerced(rule.memo, rule.coerce, raw)
        if value.__class__ is a.Problem:
            clean = False
            context.invalid_attribute(element, rule, raw, value)
        else:
            values[rule.field] = value
    if clean and len(table.clean) < MEMO_LIMIT:
        table.clean[whole] = values.copy()
    return values


_new_say = fast_constructor(m.Say)
_new_client = fast_constructor(m.Client)
_new_application = fast_constructor(m.Application)
_new_dial = fast_constructor(m.Dial)
_new_message = fast_constructor(m.Message)
_new_response = fast_constructor(m.Response)
_new_unknown = fast_constructor(m.Unknown)


def _text(element: etree._Element) -> str:
    """The element's own text (around comments and children, not inside children)."""
    text = element.text or ""
    if len(element):
        parts = [text]
        parts.extend(child.tail for child in element if child.tail)
        text = "".join(parts)
    return text


def text_content(element: etree._Element) -> str:
    """The value of a ``TextRule`` field: the element's own text, stripped."""
    return _text(element).strip()


def unknown(element: etree._Element) -> m.Unknown:
    """The ``Unknown`` node of an element the model does not know here."""
    return _new_unknown(
        tag=_tag_name(element), attributes=tuple(_items(element)), position=_position(element)
    )


@dataclass(frozen=True, slots=True)
class TextRule:
    """How the text content becomes a field, with an optional check and its code.
    ``required`` text that is empty is reported (with ``code``) at the element."""

    field: str
    check: a.Coercer[str] | None = None
    code: Code = codes.SCHEMA_VALIDATION
    required: str | None = None
    """What is missing when the text is empty ("a conference name"); None: empty is fine."""
    memo: dict[str, Any] = dataclasses.field(default_factory=dict, compare=False, repr=False)
    """Texts already checked (or their problems): documents repeat the same few URLs."""


Check = Callable[[etree._Element, dict[str, Any], "BuildContext"], None]
"""A check across the fields of one element, run once its attributes, text and children are
done: it reads the field values (a refused or absent attribute is missing from them)."""


@dataclass(frozen=True, slots=True)
class ChildRule:
    field: str
    build: Builder
    single: bool = False


def element_builder(
    cls: type,
    table: Rules,
    *,
    text: TextRule | None = None,
    children: Mapping[str, ChildRule] | None = None,
    unknown_into: str | None = None,
    misplaced: Code | None = None,
    check: Check | None = None,
) -> Builder:
    """A builder for ``cls``: attributes by ``table``, text into ``text.field``, known children
    into their fields (tuples, or the first one for ``single``), unknown children as ``Unknown``
    into ``unknown_into`` (dropped when None: the schema layer reports them) and reported with
    ``misplaced`` when Twilio has a code for a wrong child of this element; then ``check``."""
    new: Callable[..., Any] = fast_constructor(cls)

    def build(element: etree._Element, context: BuildContext) -> Any:
        values = _attributes(element, table, context)
        if text is not None:
            content = _text(element).strip()
            if content and text.check is not None:
                checked = _coerced(text.memo, text.check, content)
                if checked.__class__ is a.Problem:
                    context.invalid_text(element, text.code, content, checked)
            elif not content and text.required is not None:
                context.empty_text(element, text.code, text.required)
            values[text.field] = content
        if children is not None and len(element):
            collected: dict[str, list[Any]] = {}
            for child in element:
                tag = child.tag
                if not isinstance(tag, str):
                    continue  # comments and processing instructions
                rule = children.get(tag)
                if rule is None:
                    if misplaced is not None:
                        context.misplaced(child, element, misplaced)
                    if unknown_into is not None:
                        collected.setdefault(unknown_into, []).append(unknown(child))
                elif rule.single:
                    if rule.field not in values:
                        values[rule.field] = rule.build(child, context)
                else:
                    collected.setdefault(rule.field, []).append(rule.build(child, context))
            for name, nodes in collected.items():
                values[name] = tuple(nodes)
        if check is not None:
            check(element, values, context)
        return new(position=_position(element), **values) if context.model else None

    return build


# --- Shared coercers -------------------------------------------------------------------------------

METHOD = a.method
URL = a.url()
WSS_URL = a.url(("wss", "ws"), absolute=True)
BOOL = a.boolean
TEXT = a.text
RECORDING_EVENTS = a.choices(m.RecordingEvent)
CALL_EVENTS = a.choices(m.CallEvent)
TRIM = a.choice(m.Trim)
STREAM_TRACK = a.choice(m.StreamTrack)
DTMF_KEYS = "0123456789*#"
DTMF_TONES = "0123456789ABCDabcd*#wW"
PLAY_DIGITS = a.digits(
    DTMF_TONES, min_length=1, describe="DTMF keys 0-9, A-D, * and #, with w (0.5 s) and W (1 s)"
)
SEND_DIGITS = PLAY_DIGITS
GATHER_FINISH_ON_KEY = a.digits(
    DTMF_KEYS, max_length=1, describe="one key of 0-9, * or #, or empty for none"
)
RECORD_FINISH_ON_KEY = a.digits(DTMF_KEYS, describe="keys among 0-9, * and #, or empty for none")
MACHINE_DETECTION: dict[str, RuleSpec] = {
    "machineDetection": a.choice(m.MachineDetection),
    "machineDetectionTimeout": a.seconds(3, 60),
    "machineDetectionSpeechThreshold": a.integer(1000, 6000, unit="milliseconds"),
    "machineDetectionSpeechEndThreshold": a.integer(500, 5000, unit="milliseconds"),
    "machineDetectionSilenceTimeout": a.integer(2000, 10000, unit="milliseconds"),
    "amdStatusCallback": URL,
    "amdStatusCallbackMethod": METHOD,
}
DIALED_CALLBACKS: dict[str, RuleSpec] = {
    "url": URL,
    "method": METHOD,
    "statusCallbackEvent": CALL_EVENTS,
    "statusCallback": URL,
    "statusCallbackMethod": METHOD,
}
NAME_VALUE: dict[str, RuleSpec] = {"name": TEXT, "value": TEXT}

# --- Leaves and small nouns -----------------------------------------------------------------------

build_parameter = element_builder(m.Parameter, _register(m.Parameter, NAME_VALUE))
build_config = element_builder(m.Config, _register(m.Config, NAME_VALUE))
build_header = element_builder(m.Header, _register(m.Header, NAME_VALUE))
PARAMETERS = {"Parameter": ChildRule("parameters", build_parameter)}
CONFIGS_AND_PARAMETERS = {**PARAMETERS, "Config": ChildRule("configs", build_config)}

build_pause = element_builder(
    m.Pause, _register(m.Pause, {"length": (a.seconds(1), codes.PAUSE_LENGTH)})
)
PLAY_RULES = _register(
    m.Play,
    {"loop": (a.integer(0), codes.PLAY_LOOP), "digits": (PLAY_DIGITS, codes.PLAY_DIGITS)},
)
build_play = element_builder(m.Play, PLAY_RULES, text=TextRule("url", URL))

# --- Say and SSML ------------------------------------------------------------------------------------

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
    "break": _register(
        m.SsmlBreak,
        {
            "strength": a.choice(m.BreakStrength),
            "time": a.pattern(r"[0-9]+(\.[0-9]+)?(ms|s)", "a duration such as 500ms or 2s"),
        },
    ),
    "emphasis": _register(m.SsmlEmphasis, {"level": a.choice(m.EmphasisLevel)}),
    "lang": _register(m.SsmlLang, {"xml:lang": a.language_tag}),
    "p": _register(m.SsmlP, {}),
    "s": _register(m.SsmlS, {}),
    "phoneme": _register(m.SsmlPhoneme, {"alphabet": a.choice(m.PhonemeAlphabet), "ph": TEXT}),
    "prosody": _register(m.SsmlProsody, {"volume": TEXT, "rate": TEXT, "pitch": TEXT}),
    "say-as": _register(
        m.SsmlSayAs, {"interpret-as": a.choice(m.InterpretAs), "format": a.choice(m.SayAsFormat)}
    ),
    "sub": _register(m.SsmlSub, {"alias": TEXT}),
    "w": _register(m.SsmlW, {"role": TEXT}),
    AMAZON_NAMESPACE + "effect": _register(
        m.SsmlAmazonEffect, {"name": TEXT, "phonation": TEXT, "vocal-tract-length": TEXT}
    ),
    AMAZON_NAMESPACE + "domain": _register(m.SsmlAmazonDomain, {"name": TEXT}),
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
    values = _attributes(element, SSML_RULES[tag], context)
    if tag != "break":
        values["children"] = mixed_content(element, context)
    node: m.SsmlNode = SSML_NEW[tag](position=_position(element), **values)
    return node


def _say_builder(table: Rules) -> Builder:
    def build(element: etree._Element, context: BuildContext) -> m.Say | None:
        values = _attributes(element, table, context)
        if not context.model and not len(element):
            # Plain text: spoken (blanks collapsed), it is neither empty nor too long.
            plain = element.text
            if plain and len(plain) <= MAX_SAY_CHARACTERS and not plain.isspace():
                return None
        children = mixed_content(element, context)
        if len(children) == 1 and isinstance(children[0], str):
            text = " ".join(children[0].split())
        else:
            text = m.spoken_text(children)
        if not text:
            # Only a <Say> without SSML is empty: SSML alone (a <break>) is a deliberate pause.
            if all(isinstance(child, str | m.Unknown) for child in children):
                context.report(
                    codes.SAY_EMPTY,
                    "<Say> has no text to speak",
                    context.source.element_position(element),
                    "Put the words to speak inside <Say>, or remove it.",
                )
        elif len(text) > MAX_SAY_CHARACTERS:
            context.report(
                codes.SAY_TOO_LONG,
                f"<Say> text is {len(text):,} characters; Twilio's limit is {MAX_SAY_CHARACTERS:,}",
                context.source.text_position(element),
                "Split the text over several <Say> verbs.",
            )
        if not context.model:
            return None
        return _new_say(text=text, children=children, position=_position(element), **values)

    return build


SAY_SPECS: dict[str, RuleSpec] = {
    "voice": (a.voice_name, codes.SAY_VOICE),
    "language": (a.language_tag, codes.SAY_LANGUAGE),
    "loop": (a.integer(0), codes.SAY_LOOP),
}
build_say = _say_builder(_register(m.Say, SAY_SPECS))
build_gather_say = _say_builder(
    rules(
        m.Say,
        {
            **SAY_SPECS,
            "voice": (a.voice_name, codes.GATHER_SAY_VOICE),
            "loop": (a.integer(0), codes.GATHER_SAY_LOOP),
        },
    )
)
"""``<Say>`` inside ``<Gather>``: Twilio reports its bad voice and loop as 13321 and 13322."""

# --- Gather, Record ---------------------------------------------------------------------------------

GATHER_RULES = _register(
    m.Gather,
    {
        "action": URL,
        "method": (METHOD, codes.GATHER_METHOD),
        "input": (a.choices(m.GatherInput), codes.GATHER_INPUT),
        "timeout": (a.seconds(1), codes.GATHER_TIMEOUT),
        "finishOnKey": (GATHER_FINISH_ON_KEY, codes.GATHER_FINISH_ON_KEY),
        "numDigits": (a.integer(1), codes.GATHER_NUM_DIGITS),
        "speechTimeout": (a.auto_or_seconds(0), codes.GATHER_SPEECH_TIMEOUT),
        "maxSpeechTime": (a.seconds(1, 60), codes.GATHER_MAX_SPEECH_TIME),
        "speechModel": (a.non_empty, codes.GATHER_SPEECH_MODEL),
        "enhanced": BOOL,
        "language": (a.language_tag, codes.GATHER_LANGUAGE),
        "hints": (a.non_empty, codes.GATHER_HINTS),
        "profanityFilter": (BOOL, codes.GATHER_PROFANITY_FILTER),
        "bargeIn": (BOOL, codes.GATHER_BARGE_IN),
        "partialResultCallback": URL,
        "partialResultCallbackMethod": (METHOD, codes.GATHER_PARTIAL_METHOD),
        "actionOnEmptyResult": (BOOL, codes.GATHER_ACTION_ON_EMPTY),
        "debug": BOOL,
    },
)
GATHER_CHILDREN = {
    "Say": ChildRule("children", build_gather_say),
    "Play": ChildRule("children", build_play),
    "Pause": ChildRule("children", build_pause),
}


def _gather_check(element: etree._Element, values: dict[str, Any], context: BuildContext) -> None:
    speech_timeout = values.get("speech_timeout", GATHER_RULES["speechTimeout"].default)
    if speech_timeout == m.AUTO and element.get("speechModel") == "default":
        context.report(
            codes.GATHER_AUTO_WITH_DEFAULT_MODEL,
            '<Gather> speechTimeout="auto" cannot be used with speechModel="default"',
            context.source.attribute_position(element, "speechTimeout"),
            "Give speechTimeout a number of seconds, or choose another speechModel.",
        )


build_gather = element_builder(
    m.Gather,
    GATHER_RULES,
    children=GATHER_CHILDREN,
    unknown_into="children",
    misplaced=codes.GATHER_NESTED,
    check=_gather_check,
)


RECORD_RULES = _register(
    m.Record,
    {
        "action": URL,
        "method": (METHOD, codes.RECORD_METHOD),
        "timeout": (a.seconds(0), codes.RECORD_TIMEOUT),
        "finishOnKey": (RECORD_FINISH_ON_KEY, codes.RECORD_FINISH_ON_KEY),
        "maxLength": (a.seconds(1), codes.RECORD_MAX_LENGTH),
        "playBeep": (BOOL, codes.RECORD_PLAY_BEEP),
        "trim": (TRIM, codes.RECORD_TRIM),
        "recordingStatusCallback": URL,
        "recordingStatusCallbackMethod": METHOD,
        "recordingStatusCallbackEvent": (RECORDING_EVENTS, codes.RECORD_STATUS_EVENT),
        "transcribe": (BOOL, codes.RECORD_TRANSCRIBE),
        "transcribeCallback": URL,
        "recordingConfigurationId": TEXT,
    },
)
MAX_TRANSCRIBED_SECONDS = 120


def _record_check(element: etree._Element, values: dict[str, Any], context: BuildContext) -> None:
    transcribe = values.get("transcribe", RECORD_RULES["transcribe"].default)
    max_length = values.get("max_length", RECORD_RULES["maxLength"].default)
    if transcribe and max_length > MAX_TRANSCRIBED_SECONDS and element.get("maxLength") is not None:
        context.report(
            codes.RECORD_TRANSCRIBE_TOO_LONG,
            f'<Record> maxLength="{max_length}" is too long for transcribe="true": '
            f"Twilio transcribes recordings of at most {MAX_TRANSCRIBED_SECONDS} seconds",
            context.source.attribute_position(element, "maxLength"),
        )


build_record = element_builder(m.Record, RECORD_RULES, check=_record_check)


# --- Dial and its nouns ------------------------------------------------------------------------------

build_number = element_builder(
    m.Number,
    _register(
        m.Number,
        {
            **DIALED_CALLBACKS,
            "method": (METHOD, codes.NUMBER_METHOD),
            "sendDigits": (SEND_DIGITS, codes.NUMBER_SEND_DIGITS),
            "byoc": TEXT,
            **MACHINE_DETECTION,
        },
    ),
    text=TextRule("number", a.phone_number, codes.NUMBER_FORMAT),
)
build_identity = element_builder(m.Identity, _register(m.Identity, {}), text=TextRule("identity"))
_register(m.Client, DIALED_CALLBACKS)


def build_client(element: etree._Element, context: BuildContext) -> m.Client | None:
    """``<Client>``: the identity is the text, or the text of ``<Identity>``."""
    values = _attributes(element, ATTRIBUTE_RULES[m.Client], context)
    identity = _text(element).strip()
    parameters: list[m.Parameter] = []
    for child in element:
        if child.tag == "Identity" and not identity:
            build_identity(child, context)
            identity = text_content(child)
        elif child.tag == "Parameter":
            parameters.append(build_parameter(child, context))
    if not context.model:
        return None
    return _new_client(
        identity=identity, parameters=tuple(parameters), position=_position(element), **values
    )


build_conference = element_builder(
    m.Conference,
    _register(
        m.Conference,
        {
            "muted": (BOOL, codes.CONFERENCE_MUTED),
            "beep": (a.choice(m.ConferenceBeep), codes.CONFERENCE_BEEP),
            "startConferenceOnEnter": (BOOL, codes.CONFERENCE_START_ON_ENTER),
            "endConferenceOnExit": (BOOL, codes.CONFERENCE_END_ON_EXIT),
            "waitUrl": (URL, codes.CONFERENCE_WAIT_URL),
            "waitMethod": (METHOD, codes.CONFERENCE_WAIT_METHOD),
            "maxParticipants": a.integer(2, 250),
            "record": a.choice(m.ConferenceRecord),
            "region": a.choice(m.ConferenceRegion),
            "coach": TEXT,
            "trim": (TRIM, codes.CONFERENCE_TRIM),
            "statusCallbackEvent": a.choices(m.ConferenceEvent),
            "statusCallback": URL,
            "statusCallbackMethod": METHOD,
            "recordingStatusCallback": URL,
            "recordingStatusCallbackMethod": METHOD,
            "recordingStatusCallbackEvent": RECORDING_EVENTS,
            "eventCallbackUrl": URL,
            "jitterBufferSize": a.choice(m.JitterBufferSize),
            "participantLabel": TEXT,
            "recordingConfigurationId": TEXT,
        },
    ),
    text=TextRule("name", code=codes.CONFERENCE_NAME, required="a conference name"),
)
build_queue = element_builder(
    m.Queue,
    _register(
        m.Queue,
        {
            "url": URL,
            "method": METHOD,
            "reservationSid": TEXT,
            "postWorkActivitySid": TEXT,
        },
    ),
    text=TextRule("name"),
)
build_uri = element_builder(
    m.Uri,
    _register(
        m.Uri,
        {"priority": a.integer(0), "weight": a.integer(0), "username": TEXT, "password": TEXT},
    ),
    text=TextRule("uri", a.sip_uri, codes.SIP_URI),
)
build_headers = element_builder(
    m.Headers, _register(m.Headers, {}), children={"Header": ChildRule("items", build_header)}
)
build_sip = element_builder(
    m.Sip,
    _register(
        m.Sip,
        {
            **DIALED_CALLBACKS,
            "method": (METHOD, codes.SIP_METHOD),
            "username": TEXT,
            "password": TEXT,
            **MACHINE_DETECTION,
        },
    ),
    text=TextRule("uri", a.sip_uri, codes.SIP_URI),
    children={
        "Uri": ChildRule("uris", build_uri),
        "Headers": ChildRule("headers", build_headers, single=True),
    },
)
build_sim = element_builder(m.Sim, _register(m.Sim, {}), text=TextRule("sim_sid"))
build_application_sid = element_builder(
    m.ApplicationSid, _register(m.ApplicationSid, {}), text=TextRule("sid")
)
_register(m.Application, {**DIALED_CALLBACKS, "customerId": TEXT, "copyParentTo": BOOL})


def build_application(element: etree._Element, context: BuildContext) -> m.Application | None:
    """``<Application>``: the SID is the text, or the text of ``<ApplicationSid>``."""
    values = _attributes(element, ATTRIBUTE_RULES[m.Application], context)
    sid = _text(element).strip()
    parameters: list[m.Parameter] = []
    for child in element:
        if child.tag == "ApplicationSid" and not sid:
            build_application_sid(child, context)
            sid = text_content(child)
        elif child.tag == "Parameter":
            parameters.append(build_parameter(child, context))
    if not context.model:
        return None
    return _new_application(
        application_sid=sid,
        parameters=tuple(parameters),
        position=_position(element),
        **values,
    )


build_whatsapp = element_builder(
    m.WhatsApp, _register(m.WhatsApp, DIALED_CALLBACKS), text=TextRule("phone_number")
)

DIAL_NOUNS: dict[str, Builder] = {
    "Number": build_number,
    "Client": build_client,
    "Conference": build_conference,
    "Queue": build_queue,
    "Sip": build_sip,
    "Sim": build_sim,
    "Application": build_application,
    "WhatsApp": build_whatsapp,
}
DIAL_RULES = _register(
    m.Dial,
    {
        "action": URL,
        "method": (METHOD, codes.DIAL_METHOD),
        "timeout": (a.seconds(1), codes.DIAL_TIMEOUT),
        "callerId": (TEXT, codes.DIAL_CALLER_ID),  # checked in build_dial: it depends on nouns
        "hangupOnStar": (BOOL, codes.DIAL_HANGUP_ON_STAR),
        "timeLimit": (a.seconds(1, 86400), codes.DIAL_TIME_LIMIT),
        "record": (
            a.choice(
                m.DialRecord,
                {"true": m.DialRecord.RECORD_FROM_ANSWER, "false": m.DialRecord.DO_NOT_RECORD},
            ),
            codes.DIAL_RECORD,
        ),
        "trim": TRIM,
        "recordingStatusCallback": URL,
        "recordingStatusCallbackMethod": METHOD,
        "recordingStatusCallbackEvent": RECORDING_EVENTS,
        "recordingTrack": a.choice(m.RecordingTrack),
        "answerOnBridge": (BOOL, codes.DIAL_ANSWER_ON_BRIDGE),
        "ringTone": (a.choice(m.RingTone), codes.DIAL_RING_TONE),
        "sequential": (BOOL, codes.DIAL_SEQUENTIAL),
        "referUrl": URL,
        "referMethod": METHOD,
        "events": a.choices(m.DialEvent),
        "recordingConfigurationId": TEXT,
        "passports": TEXT,
    },
)


_CALLER_IDS: dict[str, Any] = {}
_SIP_CALLER_IDS: dict[str, Any] = {}
"""``<Dial callerId>`` values already checked, without and with a ``<Sip>`` to ring."""


def build_dial(element: etree._Element, context: BuildContext) -> m.Dial | None:
    """``<Dial>``: a number as text, or nouns; ``<Conference>`` may not share a ``<Dial>``."""
    values = _attributes(element, DIAL_RULES, context)
    text = _text(element).strip()
    number: str | None = None
    if text:
        checked = a.phone_number(text)
        if isinstance(checked, a.Problem):
            context.invalid_text(element, codes.NUMBER_FORMAT, text, checked)
        number = text
    nouns: list[m.DialNoun] = []
    conference: etree._Element | None = None
    others: set[str] = set()
    for child in element:
        tag = child.tag
        if not isinstance(tag, str):
            continue
        noun_builder = DIAL_NOUNS.get(tag)
        if noun_builder is None:
            context.misplaced(child, element, codes.DIAL_NESTED)
            nouns.append(unknown(child))
            continue
        if tag != "Conference":
            others.add(f"<{tag}>")
        elif conference is None:
            conference = child
        nouns.append(noun_builder(child, context))
    caller = values.get("caller_id")
    if caller is not None:
        sip = "<Sip>" in others
        checked = _coerced(
            _SIP_CALLER_IDS if sip else _CALLER_IDS, a.sip_caller_id if sip else a.caller_id, caller
        )
        if isinstance(checked, a.Problem):
            context.invalid_attribute(element, DIAL_RULES["callerId"], caller, checked)
            del values["caller_id"]
        else:
            values["caller_id"] = checked
    if conference is not None and others:
        context.report(
            codes.CONFERENCE_MIXED,
            "<Conference> cannot be mixed with other nouns in one <Dial> (also found "
            f"{', '.join(sorted(others))})",
            context.source.element_position(conference),
            "Put the <Conference> in a <Dial> of its own.",
        )
    if not context.model:
        return None
    return _new_dial(number=number, nouns=tuple(nouns), position=_position(element), **values)


# --- Call control --------------------------------------------------------------------------------

build_hangup = element_builder(m.Hangup, _register(m.Hangup, {}), children=PARAMETERS)
build_redirect = element_builder(
    m.Redirect,
    _register(m.Redirect, {"method": (METHOD, codes.REDIRECT_METHOD)}),
    text=TextRule("url", URL),
)
build_reject = element_builder(
    m.Reject,
    _register(m.Reject, {"reason": (a.choice(m.RejectReason), codes.REJECT_REASON)}),
    children=PARAMETERS,
)
build_task = element_builder(
    m.Task,
    _register(m.Task, {"priority": a.integer(0), "timeout": a.seconds(1)}),
    text=TextRule("body"),
)
build_enqueue = element_builder(
    m.Enqueue,
    _register(
        m.Enqueue,
        {
            "action": URL,
            "method": METHOD,
            "waitUrl": URL,
            "waitUrlMethod": METHOD,
            "workflowSid": TEXT,
            "maxQueueSize": a.integer(1),
        },
    ),
    text=TextRule(
        "name",
        a.pattern(r".{1,64}", f"a queue name of at most {MAX_QUEUE_NAME} characters"),
        codes.ENQUEUE_NAME_TOO_LONG,
    ),
    children={"Task": ChildRule("task", build_task, single=True)},
)
build_leave = element_builder(m.Leave, _register(m.Leave, {}))
build_echo = element_builder(m.Echo, _register(m.Echo, {}))
build_sms = element_builder(
    m.Sms,
    _register(
        m.Sms,
        {
            "to": (a.phone_number, codes.MESSAGE_TO),
            "from": (a.phone_number, codes.MESSAGE_FROM),
            "action": URL,
            "method": (METHOD, codes.MESSAGE_METHOD),
            "statusCallback": (URL, codes.MESSAGE_STATUS_CALLBACK),
        },
    ),
    text=TextRule("text", code=codes.MESSAGE_BODY, required="the text of the message"),
)

# --- Connect, Start, Stop -------------------------------------------------------------------------

STREAM_SPECS: dict[str, RuleSpec] = {
    "url": WSS_URL,
    "name": TEXT,
    "track": STREAM_TRACK,
    "statusCallback": URL,
    "statusCallbackMethod": METHOD,
    "connectorName": TEXT,
    "audioFormat": TEXT,
    "sampleRate": a.integer(1, unit="hertz"),
}
build_stream = element_builder(m.Stream, _register(m.Stream, STREAM_SPECS), children=PARAMETERS)
build_siprec = element_builder(
    m.Siprec,
    _register(
        m.Siprec,
        {
            "name": TEXT,
            "connectorName": TEXT,
            "track": STREAM_TRACK,
            "statusCallback": URL,
            "statusCallbackMethod": METHOD,
        },
    ),
    children=PARAMETERS,
)
build_transcription = element_builder(
    m.Transcription,
    _register(
        m.Transcription,
        {
            "name": TEXT,
            "track": STREAM_TRACK,
            "statusCallbackUrl": URL,
            "statusCallbackMethod": METHOD,
            "inboundTrackLabel": TEXT,
            "outboundTrackLabel": TEXT,
            "partialResults": BOOL,
            "languageCode": a.language_tag,
            "transcriptionEngine": TEXT,
            "profanityFilter": BOOL,
            "speechModel": TEXT,
            "hints": TEXT,
            "enableAutomaticPunctuation": BOOL,
            "intelligenceService": TEXT,
        },
    ),
    children=CONFIGS_AND_PARAMETERS,
)
build_recording = element_builder(
    m.Recording,
    _register(
        m.Recording,
        {
            "recordingStatusCallback": URL,
            "recordingStatusCallbackMethod": METHOD,
            "recordingStatusCallbackEvent": RECORDING_EVENTS,
            "trim": TRIM,
            "track": a.choice(m.RecordingTrack),
            "channels": a.choice(m.RecordingChannels),
            "recordingConfigurationId": TEXT,
        },
    ),
)
build_room = element_builder(
    m.Room, _register(m.Room, {"participantIdentity": TEXT}), text=TextRule("name")
)
build_autopilot = element_builder(m.Autopilot, _register(m.Autopilot, {}), text=TextRule("name"))
LANGUAGE_TEXT_FIELDS = (
    "code",
    "ttsProvider",
    "voice",
    "transcriptionProvider",
    "speechModel",
    "hints",
    "asrSmartFormat",
    "ttsTextNormalization",
    "ttsLanguageTextNormalization",
)
build_language = element_builder(
    m.Language, _register(m.Language, dict.fromkeys(LANGUAGE_TEXT_FIELDS, TEXT))
)
CONVERSATION_RELAY_TEXT_FIELDS = (
    "welcomeGreeting",
    "welcomeGreetingInterruptible",
    "language",
    "ttsLanguage",
    "transcriptionLanguage",
    "ttsProvider",
    "voice",
    "transcriptionProvider",
    "speechModel",
    "interruptible",
    "hints",
    "intelligenceService",
    "reportInputDuringAgentSpeech",
    "interruptSensitivity",
    "debug",
    "events",
    "elevenlabsTextNormalization",
    "ttsTextNormalization",
    "ttsLanguageTextNormalization",
    "elevenlabsLanguageTextNormalization",
    "asrSmartFormat",
    "backgroundNoiseReduction",
    "speechTimeout",
    "deepgramSmartFormat",
    "ignoreBackchannel",
    "partialPromptOnHangup",
    "includeInPrompt",
    "customerName",
    "applicationReconnect",
    "echoPromptFiltering",
    "turnDetection",
)
build_conversation_relay = element_builder(
    m.ConversationRelay,
    _register(
        m.ConversationRelay,
        {
            **dict.fromkeys(CONVERSATION_RELAY_TEXT_FIELDS, TEXT),
            "url": WSS_URL,
            "profanityFilter": BOOL,
            "dtmfDetection": BOOL,
            "partialPrompts": BOOL,
            "preemptible": BOOL,
            "eagerEotThreshold": a.decimal(0.3, 0.9),
        },
    ),
    children={**PARAMETERS, "Language": ChildRule("languages", build_language)},
)
build_virtual_agent = element_builder(
    m.VirtualAgent,
    _register(
        m.VirtualAgent,
        {
            "connectorName": TEXT,
            "language": a.language_tag,
            "sentimentAnalysis": BOOL,
            "statusCallback": URL,
            "statusCallbackMethod": METHOD,
        },
    ),
    children=CONFIGS_AND_PARAMETERS,
)
build_conversation = element_builder(
    m.Conversation,
    _register(
        m.Conversation,
        {
            "serviceInstanceSid": TEXT,
            "inboundAutocreation": BOOL,
            "routingAssignmentTimeout": a.seconds(0),
            "inboundTimeout": a.seconds(0),
            "url": URL,
            "method": METHOD,
            "record": a.choice(m.DialRecord),
            "trim": TRIM,
            "recordingStatusCallback": URL,
            "recordingStatusCallbackMethod": METHOD,
            "recordingStatusCallbackEvent": RECORDING_EVENTS,
            "statusCallback": URL,
            "statusCallbackMethod": METHOD,
            "statusCallbackEvent": a.choices(m.ConversationEvent),
        },
    ),
)
build_ai_session = element_builder(
    m.AiSession, _register(m.AiSession, {"aiConnector": TEXT, "aiSessionConfiguration": TEXT})
)
build_conversation_relay_session = element_builder(
    m.ConversationRelaySession,
    _register(m.ConversationRelaySession, {"connector": TEXT, "sessionConfiguration": TEXT}),
)
STREAM = ChildRule("nouns", build_stream)
SIPREC = ChildRule("nouns", build_siprec)
TRANSCRIPTION = ChildRule("nouns", build_transcription)
ACTION_METHOD: dict[str, RuleSpec] = {"action": URL, "method": METHOD}
build_connect = element_builder(
    m.Connect,
    _register(m.Connect, ACTION_METHOD),
    children={
        "Stream": STREAM,
        "Room": ChildRule("nouns", build_room),
        "ConversationRelay": ChildRule("nouns", build_conversation_relay),
        "VirtualAgent": ChildRule("nouns", build_virtual_agent),
        "Conversation": ChildRule("nouns", build_conversation),
        "Autopilot": ChildRule("nouns", build_autopilot),
        "AiSession": ChildRule("nouns", build_ai_session),
        "ConversationRelaySession": ChildRule("nouns", build_conversation_relay_session),
    },
    unknown_into="nouns",
)
build_start = element_builder(
    m.Start,
    _register(m.Start, ACTION_METHOD),
    children={
        "Stream": STREAM,
        "Siprec": SIPREC,
        "Transcription": TRANSCRIPTION,
        "Recording": ChildRule("nouns", build_recording),
    },
    unknown_into="nouns",
    misplaced=codes.START_NESTED,
)
build_stop = element_builder(
    m.Stop,
    _register(m.Stop, {}),
    children={"Stream": STREAM, "Siprec": SIPREC, "Transcription": TRANSCRIPTION},
    unknown_into="nouns",
)
build_refer_sip = element_builder(
    m.ReferSip, _register(m.ReferSip, {}), text=TextRule("uri", a.sip_uri)
)
build_refer = element_builder(
    m.Refer,
    _register(m.Refer, ACTION_METHOD),
    children={"Sip": ChildRule("sip", build_refer_sip, single=True)},
)

# --- Pay --------------------------------------------------------------------------------------------

PROMPT_CHILDREN = {
    "Say": ChildRule("children", build_say),
    "Play": ChildRule("children", build_play),
    "Pause": ChildRule("children", build_pause),
}
build_prompt = element_builder(
    m.Prompt,
    _register(
        m.Prompt,
        {
            "for": a.choice(m.PromptFor),
            "errorType": a.choices(m.PromptErrorType),
            "cardType": a.choices(m.CardType),
            "attempt": a.integers(1),
            "requireMatchingInputs": BOOL,
        },
    ),
    children=PROMPT_CHILDREN,
    unknown_into="children",
)
build_pay = element_builder(
    m.Pay,
    _register(
        m.Pay,
        {
            "input": a.choice(m.PayInput),
            "action": URL,
            "statusCallback": URL,
            "statusCallbackMethod": METHOD,
            "timeout": a.seconds(1),
            "maxAttempts": a.integer(1),
            "securityCode": BOOL,
            "postalCode": a.bool_or_text,
            "minPostalCodeLength": a.integer(1),
            "paymentConnector": TEXT,
            "paymentMethod": a.choice(m.PaymentMethod),
            "bankAccountType": a.choice(m.BankAccountType),
            "tokenType": a.choice(m.TokenType),
            "chargeAmount": a.amount,
            "currency": TEXT,
            "description": TEXT,
            "validCardTypes": a.choices(m.CardType),
            "language": a.language_tag,
        },
    ),
    children={**PARAMETERS, "Prompt": ChildRule("prompts", build_prompt)},
)

# --- Messaging --------------------------------------------------------------------------------------

build_body = element_builder(m.Body, _register(m.Body, {}), text=TextRule("text"))
build_media = element_builder(m.Media, _register(m.Media, {}), text=TextRule("url", URL))
MESSAGE_RULES = _register(
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
    values = _attributes(element, MESSAGE_RULES, context)
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
        position=_position(element),
        **values,
    )


# --- The document ---------------------------------------------------------------------------------

VERB_BUILDERS: dict[str, Builder] = {
    "Connect": build_connect,
    "Dial": build_dial,
    "Echo": build_echo,
    "Enqueue": build_enqueue,
    "Gather": build_gather,
    "Hangup": build_hangup,
    "Leave": build_leave,
    "Pause": build_pause,
    "Pay": build_pay,
    "Play": build_play,
    "Record": build_record,
    "Redirect": build_redirect,
    "Refer": build_refer,
    "Reject": build_reject,
    "Say": build_say,
    "Sms": build_sms,
    "Start": build_start,
    "Stop": build_stop,
    "Message": build_message,
}
"""Builders of the children of ``<Response>`` (both dialects)."""

BUILDERS: dict[str, Builder] = {
    **VERB_BUILDERS,
    **DIAL_NOUNS,
    "Identity": build_identity,
    "Uri": build_uri,
    "Headers": build_headers,
    "Header": build_header,
    "ApplicationSid": build_application_sid,
    "Task": build_task,
    "Stream": build_stream,
    "Siprec": build_siprec,
    "Transcription": build_transcription,
    "Recording": build_recording,
    "Room": build_room,
    "Autopilot": build_autopilot,
    "ConversationRelay": build_conversation_relay,
    "Language": build_language,
    "VirtualAgent": build_virtual_agent,
    "Conversation": build_conversation,
    "AiSession": build_ai_session,
    "ConversationRelaySession": build_conversation_relay_session,
    "Prompt": build_prompt,
    "Parameter": build_parameter,
    "Config": build_config,
    "Body": build_body,
    "Media": build_media,
    **dict.fromkeys(SSML_CLASSES, build_ssml),
}
"""Every tag's builder (lxml's tag: Clark notation for ``amazon:``). Children are dispatched by
their parent's own table (``<Sip>`` in ``<Refer>`` is ``build_refer_sip``)."""


def _build_verbs(root: etree._Element, context: BuildContext) -> list[m.Verb]:
    verbs: list[m.Verb] = []
    for child in root:
        tag = child.tag
        if not isinstance(tag, str):
            continue
        verb_builder = VERB_BUILDERS.get(tag)
        if verb_builder is not None:
            verbs.append(verb_builder(child, context))
        elif context.model:
            verbs.append(unknown(child))
    return verbs


def build(
    root: etree._Element, source: Source, dialect: Dialect
) -> tuple[m.Response, list[Diagnostic]]:
    """The typed document of ``root`` and a diagnostic for every value that did not coerce.

    ``dialect`` AUTO is resolved from the verbs (``detect_dialect``). Never raises for a bad
    document; unknown verbs become ``Unknown`` nodes.
    """
    context = BuildContext(source)
    verbs = _build_verbs(root, context)
    if dialect is Dialect.AUTO:
        dialect = detect_dialect(root)
    response = _new_response(verbs=tuple(verbs), dialect=dialect, position=_position(root))
    return response, context.diagnostics


def diagnose(root: etree._Element, source: Source) -> list[Diagnostic]:
    """The diagnostics ``build`` reports for ``root``, in the same order, without the model
    (for ``callflow lint``, which needs no typed document)."""
    context = BuildContext(source, model=False)
    _build_verbs(root, context)
    return context.diagnostics
