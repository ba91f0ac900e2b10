"""What every builder uses: the build context that collects diagnostics, attribute and text rules,
``element_builder``, fast constructors for the frozen nodes, and the coercers and small nouns
(``<Parameter>``, ``<Config>``) several verb families share.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from enum import Enum
from typing import Any, TypeVar, cast

from lxml import etree

from callbox import codes
from callbox.codes import Code
from callbox.diagnostics import Diagnostic
from callbox.markup import attributes as a
from callbox.markup import model as m
from callbox.markup.source import Position, Source

XML_NAMESPACE = "{http://www.w3.org/XML/1998/namespace}"
AMAZON_NAMESPACE = "{http://www.amazon.com/xml/ns/amazon}"


class ModelTableError(RuntimeError):
    """The builders' attribute tables disagree with the model (a programming error, found at
    import)."""


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


def register(cls: type, specs: Mapping[str, RuleSpec]) -> Rules:
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


def node_position(element: etree._Element) -> Position:
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


def coerced(memo: dict[str, Any], coerce: a.Coercer[Any], raw: str) -> Any:
    """``coerce(raw)``, remembered in ``memo`` (coercers are pure; up to ``MEMO_LIMIT`` values)."""
    value = memo.get(raw, _MISSING)
    if value is _MISSING:
        value = coerce(raw)
        if len(memo) < MEMO_LIMIT:
            memo[raw] = value
    return value


def attribute_values(
    element: etree._Element, table: Rules, context: BuildContext
) -> dict[str, Any]:
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
        value = coerced(rule.memo, rule.coerce, raw)
        if value.__class__ is a.Problem:
            clean = False
            context.invalid_attribute(element, rule, raw, value)
        else:
            values[rule.field] = value
    if clean and len(table.clean) < MEMO_LIMIT:
        table.clean[whole] = values.copy()
    return values


def report_attributes(element: etree._Element, table: Rules, context: BuildContext) -> None:
    """What ``attribute_values`` reports, for a caller that needs no values (``diagnose``):
    an attribute list already seen whole and clean costs one lookup and no copy."""
    items: list[tuple[str, str]] = element.items()  # type: ignore[assignment]
    if items and tuple(items) not in table.clean:
        attribute_values(element, table, context)


_new_unknown = fast_constructor(m.Unknown)


def own_text(element: etree._Element) -> str:
    """The element's own text (around comments and children, not inside children)."""
    text = element.text or ""
    if len(element):
        parts = [text]
        parts.extend(child.tail for child in element if child.tail)
        text = "".join(parts)
    return text


def text_content(element: etree._Element) -> str:
    """The value of a ``TextRule`` field: the element's own text, stripped."""
    return own_text(element).strip()


def unknown(element: etree._Element) -> m.Unknown:
    """The ``Unknown`` node of an element the model does not know here."""
    return _new_unknown(
        tag=_tag_name(element), attributes=tuple(_items(element)), position=node_position(element)
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

    def read(self, element: etree._Element, context: BuildContext) -> str:
        """The element's own text, stripped, with what is wrong with it reported."""
        content = own_text(element).strip()
        if content and self.check is not None:
            checked = coerced(self.memo, self.check, content)
            if checked.__class__ is a.Problem:
                context.invalid_text(element, self.code, content, checked)
        elif not content and self.required is not None:
            context.empty_text(element, self.code, self.required)
        return content


Check = Callable[[etree._Element, dict[str, Any], "BuildContext"], None]
"""A check across the fields of one element, run once its attributes, text and children are
done: it reads the field values of attributes and text (a refused or absent attribute is missing
from them; ``diagnose`` makes no child lists, so a check does not read children's fields)."""


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
    singles = (
        frozenset(name for name, rule in children.items() if rule.single) if children else None
    )

    def diagnose(element: etree._Element, context: BuildContext) -> None:
        """The same diagnostics in the same order, with no nodes and no child lists: the field
        values are made only for a ``check`` or a ``single`` child (built when no attribute
        gave its field), and an attribute list seen clean before costs one lookup, no copy."""
        values: dict[str, Any] | None = None
        if check is not None or singles:
            values = attribute_values(element, table, context)
        else:
            report_attributes(element, table, context)
        if text is not None:
            content = text.read(element, context)
            if values is not None:
                values[text.field] = content
        if children is not None and len(element):
            for child in element:
                tag = child.tag
                if not isinstance(tag, str):
                    continue  # comments and processing instructions
                rule = children.get(tag)
                if rule is None:
                    if misplaced is not None:
                        context.misplaced(child, element, misplaced)
                elif singles is not None and tag in singles and values is not None:
                    if rule.field not in values:
                        values[rule.field] = rule.build(child, context)
                else:
                    rule.build(child, context)
        if check is not None and values is not None:
            check(element, values, context)

    def build(element: etree._Element, context: BuildContext) -> Any:
        if not context.model:
            diagnose(element, context)
            return None
        values = attribute_values(element, table, context)
        if text is not None:
            values[text.field] = text.read(element, context)
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
        return new(position=node_position(element), **values) if context.model else None

    return build


# --- Shared coercers -------------------------------------------------------------------------------

METHOD = a.method
URL = a.url()
BOOL = a.boolean
TEXT = a.text
RECORDING_EVENTS = a.choices(m.RecordingEvent)
TRIM = a.choice(m.Trim)
DTMF_KEYS = "0123456789*#"
DTMF_TONES = "0123456789ABCDabcd*#wW"
PLAY_DIGITS = a.digits(
    DTMF_TONES, min_length=1, describe="DTMF keys 0-9, A-D, * and #, with w (0.5 s) and W (1 s)"
)
SEND_DIGITS = PLAY_DIGITS
NAME_VALUE: dict[str, RuleSpec] = {"name": TEXT, "value": TEXT}

# --- Leaves and small nouns -----------------------------------------------------------------------

build_parameter = element_builder(m.Parameter, register(m.Parameter, NAME_VALUE))
build_config = element_builder(m.Config, register(m.Config, NAME_VALUE))
PARAMETERS = {"Parameter": ChildRule("parameters", build_parameter)}
CONFIGS_AND_PARAMETERS = {**PARAMETERS, "Config": ChildRule("configs", build_config)}
