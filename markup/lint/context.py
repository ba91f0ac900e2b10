"""What a lint rule sees: the parsed tree, its source positions, the dialect and the base URL.

The context walks the tree once and indexes elements by tag, so that each rule looks only at the
elements it cares about; positions are computed (lazily, by ``Source``) only for findings.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass

from lxml import etree

from callbox.codes import Code
from callbox.diagnostics import Diagnostic
from callbox.markup.dialect import Dialect
from callbox.markup.source import Position, Source

Element = etree._Element

_EMPTY: tuple[Element, ...] = ()

UTF8_BYTE_ORDER_MARK = b"\xef\xbb\xbf"

# Facts about a document that gate rules the way tags do: a rule lists them among its ``tags``
# to run only when one holds. An XML name cannot start with '#', so a fact never clashes with a tag.
HAS_BYTE_ORDER_MARK = "#byte-order-mark"
HAS_VERSION = "#version"
"""``<Response version="...">``."""
NO_BASE_URL = "#no-base-url"
"""The document has no URL (inline TwiML)."""
MESSAGING_DIALECT = "#messaging"


class LintContext:
    """One document under lint; ``base_url`` is None when the document has no URL (inline TwiML)."""

    def __init__(
        self, root: Element, source: Source, dialect: Dialect, base_url: str | None
    ) -> None:
        self.root = root
        self.source = source
        self.dialect = dialect
        self.base_url = base_url
        by_tag: dict[str, list[Element]] = {}
        for element in root.iter(etree.Element):
            tag: str = element.tag  # elements only (no comments): always a str
            found = by_tag.get(tag)
            if found is None:
                by_tag[tag] = [element]
            else:
                found.append(element)
        self._by_tag = by_tag
        self.verbs: list[Element] = list(root.iterchildren(etree.Element))

    def elements(self, *tags: str) -> Sequence[Element]:
        """Every element with one of these tags, tag by tag, each in document order."""
        if len(tags) == 1:
            return self._by_tag.get(tags[0], _EMPTY)
        return [element for tag in tags for element in self._by_tag.get(tag, _EMPTY)]

    def count(self, *tags: str) -> int:
        """How many elements have one of these tags."""
        by_tag = self._by_tag
        total = 0
        for tag in tags:
            found = by_tag.get(tag)
            if found is not None:
                total += len(found)
        return total

    def tagged(self) -> Iterable[tuple[str, list[Element]]]:
        """Each tag that occurs, with its elements in document order."""
        return self._by_tag.items()

    def tag_set(self) -> frozenset[str]:
        """The tags that occur in the document."""
        return frozenset(self._by_tag)

    def triggers(self) -> frozenset[str]:
        """The tags that occur and the facts that hold (``HAS_BYTE_ORDER_MARK``...): what a
        rule's ``tags`` are matched against."""
        found = set(self._by_tag)
        if self.source.data.startswith(UTF8_BYTE_ORDER_MARK):
            found.add(HAS_BYTE_ORDER_MARK)
        if self.root.get("version") is not None:
            found.add(HAS_VERSION)
        if self.base_url is None:
            found.add(NO_BASE_URL)
        if self.dialect is Dialect.MESSAGING:
            found.add(MESSAGING_DIALECT)
        return frozenset(found)

    def has(self, tag: str) -> bool:
        return tag in self._by_tag

    def has_any(self, tags: frozenset[str]) -> bool:
        """Whether one of these tags occurs or one of these facts holds."""
        return not tags.isdisjoint(self.triggers())

    def report(
        self,
        code: Code,
        element: Element,
        message: str | None = None,
        *,
        attribute: str | None = None,
        text: bool = False,
        hint: str | None = None,
    ) -> Diagnostic:
        """A finding at the element's start tag, one of its attributes, or its text."""
        position: Position
        if attribute is not None:
            position = self.source.attribute_position(element, attribute)
        elif text:
            position = self.source.text_position(element)
        else:
            position = self.source.element_position(element)
        return code.diagnostic(
            message,
            line=position.line,
            column=position.column,
            path=self.source.path,
            hint=hint,
        )


def text_of(element: Element) -> str:
    """The element's direct text, stripped ('' when none)."""
    return (element.text or "").strip()


def name_of(element: Element) -> str:
    """The tag as a user wrote it, without a namespace."""
    tag = element.tag
    if isinstance(tag, str) and not tag.startswith("{"):
        return tag
    return etree.QName(element).localname


@dataclass(frozen=True, slots=True)
class FunctionRule:
    """A lint rule written as a function of the context that returns its findings (a list: no
    generator to make and resume for the many documents where a rule finds nothing)."""

    code: Code
    check: Callable[[LintContext], Iterable[Diagnostic]]
    """The function itself (called directly: no method in between)."""
    tags: frozenset[str] | None = None
    """The rule has nothing to say unless one of these tags occurs or facts holds (None: always
    run it)."""

    @property
    def function(self) -> Callable[[LintContext], Iterable[Diagnostic]]:
        return self.check

    @property
    def name(self) -> str:
        return self.check.__name__


def rule(
    code: Code, *, tags: Iterable[str] | None = None
) -> Callable[[Callable[[LintContext], Iterable[Diagnostic]]], FunctionRule]:
    """Declare a function as the rule that reports ``code``, run only when ``tags`` occur."""

    def wrap(function: Callable[[LintContext], Iterable[Diagnostic]]) -> FunctionRule:
        return FunctionRule(code, function, None if tags is None else frozenset(tags))

    return wrap
