"""Schema validation: a parsed TwiML document checked against ``schemas/*.xsd``, as diagnostics.

Each schema is compiled once, lazily. libxml2's errors carry a line but no column, stop at the
first misplaced element of a parent, and read like a parser's; here they become one diagnostic per
problem (12200, or CF001 for a name in the wrong case) at the element's or attribute's real
1-based line and column, in words a user understands.
"""

from __future__ import annotations

import copy
import difflib
import re
import threading
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from functools import cache
from importlib import resources
from pathlib import Path
from typing import cast

from lxml import etree

from callbox import codes
from callbox.diagnostics import Diagnostic, sort_key
from callbox.markup.dialect import Dialect, detect_dialect
from callbox.markup.error_locator import ErrorLocator
from callbox.markup.source import Position, Source
from callbox.markup.vocabulary import (
    Vocabulary,
    display,
    display_name,
    display_tag,
    read_vocabulary,
    same_ignoring_case,
    schema_parser,
)

SCHEMA_DIR = Path(str(resources.files("callbox.schemas")))
"""Where the XSDs live: the ``callbox.schemas`` package (``schemas/`` in a checkout), as package data."""

SCHEMA_FILES = {
    Dialect.VOICE: "twiml-voice.xsd",
    Dialect.MESSAGING: "twiml-messaging.xsd",
}

MAX_FINDINGS = 100
"""Schema problems reported per document: past it, one more finding says the rest went unchecked,
so that a document with thousands of mistakes costs no more than one with a hundred."""

MAX_ROUNDS = 64
"""How many times a document is re-validated, one fix-up round each (see ``_Validation``)."""

_ERROR = re.compile(
    r"Element '(?P<element>[^']+)'(?:, attribute '(?P<attribute>[^']+)')?: (?P<rest>.*)", re.S
)
_EXPECTED = re.compile(r"Expected is(?: one of)? \( (?P<names>[^)]*) \)")
_ENUMERATION = re.compile(r"\[facet 'enumeration'\] .* the set \{(?P<values>.*)\}")


class SchemaError(RuntimeError):
    """A schema file is missing or does not compile (a bug in callbox, not in a document)."""


@dataclass(frozen=True)
class CompiledSchema:
    """One dialect's compiled XSD and the vocabulary read from it."""

    dialect: Dialect
    xsd: etree.XMLSchema
    vocabulary: Vocabulary
    lock: threading.Lock = field(default_factory=threading.Lock, compare=False)
    """lxml keeps one error log per schema object: held while a log is validated and read."""


@cache
def compiled(dialect: Dialect) -> CompiledSchema:
    """The compiled schema of a dialect (VOICE or MESSAGING), built on first use and kept."""
    if dialect not in SCHEMA_FILES:
        raise ValueError(f"no schema for dialect {dialect!r}; resolve AUTO with detect_dialect")
    path = SCHEMA_DIR / SCHEMA_FILES[dialect]
    try:
        xsd = etree.XMLSchema(etree.parse(str(path), schema_parser()))
    except (OSError, etree.XMLSyntaxError, etree.XMLSchemaParseError) as error:
        raise SchemaError(f"cannot compile {path}: {error}") from error
    return CompiledSchema(dialect, xsd, read_vocabulary(path))


# --- Validation ------------------------------------------------------------------------------------


def validate(root: etree._Element, source: Source, dialect: Dialect) -> list[Diagnostic]:
    """Every schema problem of a parsed document, each at its real line and column.

    ``dialect`` is VOICE or MESSAGING (AUTO is resolved here with ``detect_dialect``). A root that
    is not ``<Response>`` is the parser's finding (12102); a root in the wrong case (``<response>``)
    is validated as if it were right, so that the problems inside it are still found.
    """
    if dialect is Dialect.AUTO:
        dialect = detect_dialect(root)
    schema = compiled(dialect)
    if root.tag == "Response":
        with schema.lock:
            if schema.xsd.validate(root):
                return []
    elif not (isinstance(root.tag, str) and root.tag.lower() == "response"):
        return []
    return _Validation(root, source, schema).run()


_Fixup = Callable[[], None]


class _Validation:
    """Validates a working copy of the document in rounds until libxml2 has nothing new to say.

    libxml2 stops checking a parent's children at the first one that does not fit its content
    model (``<Gather><Dial/><Say loop="x"/></Gather>`` reports the ``<Dial>`` only, and a misplaced
    verb in ``<Response>`` hides everything after it). After each round the copy is repaired where
    it went wrong: a misplaced element is removed (its tail text kept; a verb is moved to the end
    of ``<Response>`` so that its own attributes and children are checked too), an element or
    attribute in the wrong case is renamed, and the copy is validated again. Findings are keyed by the original
    element, so each problem is reported once; a "missing child" that only the removal of a
    misplaced child caused is not reported.
    """

    def __init__(self, root: etree._Element, source: Source, schema: CompiledSchema) -> None:
        self.root = root
        self.source = source
        self.schema = schema
        self.vocabulary = schema.vocabulary
        self.work = copy.deepcopy(root)
        self.work.tag = "Response"
        self.original: dict[etree._Element, etree._Element] = dict(
            zip(self.work.iter(), root.iter(), strict=True)
        )
        self.findings: dict[tuple[etree._Element, str], Diagnostic] = {}
        self.source_attribute: dict[tuple[etree._Element, str], str] = {}
        self.emptied: set[etree._Element] = set()
        self.locator = ErrorLocator(self.work)

    def run(self) -> list[Diagnostic]:
        for _ in range(MAX_ROUNDS):
            with self.schema.lock:
                if self.schema.xsd.validate(self.work):
                    break
                # lxml-stubs does not declare _ErrorLog iterable; it is (and this is a copy).
                log = list(cast("Iterable[etree._LogEntry]", self.schema.xsd.error_log))
            self.locator = ErrorLocator(self.work)
            fixups: list[_Fixup] = []
            for entry in log:
                if len(self.findings) >= MAX_FINDINGS:
                    return self._capped(entry)
                if fix := self._entry(entry):
                    fixups.append(fix)
            if not fixups:
                break
            for fix in fixups:
                fix()
        return sorted(self.findings.values(), key=sort_key)

    def _capped(self, entry: etree._LogEntry) -> list[Diagnostic]:
        """The findings so far, and one saying the rest went unreported (at the next one's line)."""
        where = self.source.first_line_with(entry.line) if entry.line > 0 else Position(1, 1)
        last = codes.SCHEMA_VALIDATION.diagnostic(
            f"More than {MAX_FINDINGS} schema problems: the rest of this document is not "
            "checked against the schema",
            line=where.line,
            column=where.column,
            path=self.source.path,
            hint="Fix the problems above (often one mistake repeated) and lint again.",
        )
        return [*sorted(self.findings.values(), key=sort_key), last]

    # -- one libxml2 error --------------------------------------------------------------------------

    def _entry(self, entry: etree._LogEntry) -> _Fixup | None:
        match = _ERROR.match(entry.message or "")
        element = self.locator.find(
            getattr(entry, "path", None), entry.line, match.group("element") if match else None
        )
        if match is None or element is None:
            message = entry.message or "Schema validation failed"
            self._report(self.root, f"other {message}", message, None)
            return None
        attribute, rest = match.group("attribute"), match.group("rest").strip()
        if attribute is not None:
            if "is not allowed" in rest and rest.startswith("The attribute"):
                return self._unknown_attribute(element, attribute)
            self._bad_attribute_value(element, attribute, rest)
            return None
        if rest.startswith("This element is not expected"):
            return self._unexpected_element(element, rest)
        if rest.startswith("Missing child element"):
            self._missing_child(element, rest)
        elif rest.startswith("Character content"):
            self._text_not_allowed(element)
        elif rest.startswith("Element content is not allowed"):
            return self._children_not_allowed(element)
        elif "not a valid value" in rest or rest.startswith("[facet"):
            self._bad_text(element, rest)
        else:
            self._report(
                self.original[element], f"other {rest}", f"{display(element)}: {rest}", None
            )
        return None

    # -- attributes ---------------------------------------------------------------------------------

    def _unknown_attribute(self, element: etree._Element, attribute: str) -> _Fixup | None:
        original = self.original[element]
        known = self.vocabulary.attributes.get(str(element.tag), {})
        written = self._written_attribute(original, attribute)
        tag = display(element)
        proper = same_ignoring_case(attribute, known)
        if proper is not None:
            self._report(
                original,
                f"attribute {attribute}",
                f"{tag} has no attribute '{written}'",
                f"Did you mean '{display_name(proper)}'? Names are case-sensitive.",
                at=self.source.attribute_position(original, written),
                code=codes.WRONG_CASE_NAME,
            )
            if proper in element.attrib:
                return None

            def rename() -> None:
                value = element.attrib.pop(attribute)
                element.set(proper, value)
                self.source_attribute[(original, proper)] = written

            return rename
        close = difflib.get_close_matches(attribute, list(known), n=1, cutoff=0.75)
        hint = f"Did you mean '{display_name(close[0])}'?" if close else None
        if not known:
            hint = f"{tag} takes no attributes."
        self._report(
            original,
            f"attribute {attribute}",
            f"{tag} has no attribute '{written}'",
            hint,
            at=self.source.attribute_position(original, written),
        )
        return None

    def _bad_attribute_value(self, element: etree._Element, attribute: str, rest: str) -> None:
        original = self.original[element]
        written = self._written_attribute(original, attribute)
        value = element.get(attribute, "")
        type_name = self.vocabulary.attributes.get(str(element.tag), {}).get(attribute)
        expected = self.vocabulary.describe(type_name) or _expected_from(rest)
        message = f"'{value}' is not a valid value for '{written}' of {display(element)}"
        self._report(
            original,
            f"attribute {attribute}",
            f"{message}: expected {expected}" if expected else message,
            None,
            at=self.source.attribute_position(original, written),
        )

    def _written_attribute(self, original: etree._Element, attribute: str) -> str:
        """The attribute's name as the document spells it (before any renaming; with a prefix)."""
        renamed = self.source_attribute.get((original, attribute))
        return renamed if renamed is not None else display_name(attribute, original)

    # -- elements and text --------------------------------------------------------------------------

    def _unexpected_element(self, element: etree._Element, rest: str) -> _Fixup:
        original = self.original[element]
        parent = element.getparent()
        assert parent is not None  # the root is always declared
        tag, parent_tag = str(element.tag), str(parent.tag)
        allowed = self.vocabulary.children.get(parent_tag, set()) | set(_expected_names(rest))

        def remove() -> None:
            self._set_aside(element)
            self.emptied.add(parent)

        if (original, "element") in self.findings:
            return remove  # renamed in an earlier round, and still out of place
        proper = same_ignoring_case(tag, allowed) or same_ignoring_case(
            tag, self.vocabulary.attributes
        )
        if proper is not None and proper != tag:
            self._report(
                original,
                "element",
                f"Unknown element {display(element)}",
                f"Did you mean {display_tag(proper)}? Names are case-sensitive.",
                code=codes.WRONG_CASE_NAME,
            )
            if proper not in allowed:
                return remove

            def rename() -> None:
                element.tag = proper

            return rename
        if tag in allowed:
            message = (
                f"Too many children in {display(parent)}: "
                f"this {display(element)} is one more than it can hold"
            )
        elif tag not in self.vocabulary.attributes:
            message = f"Unknown element {display(element)} inside {display(parent)}"
        else:
            message = f"{display(element)} is not allowed inside {display(parent)}"
        self._report(original, "element", message, self._may_contain(parent))
        return remove

    def _missing_child(self, element: etree._Element, rest: str) -> None:
        if element in self.emptied:
            return  # only because a misplaced child was taken out
        names = _expected_names(rest) or sorted(self.vocabulary.children.get(str(element.tag), ()))
        listed = ", ".join(display_tag(name) for name in names)
        self._report(
            self.original[element],
            "missing",
            f"{display(element)} is missing a child: expected one of {listed}",
            None,
        )

    def _text_not_allowed(self, element: etree._Element) -> None:
        original = self.original[element]
        children = sorted(self.vocabulary.children.get(str(element.tag), ()))
        hint = (
            f"{display(element)} may contain only elements: "
            + ", ".join(display_tag(name) for name in children)
            if children
            else f"{display(element)} is always empty: write {display(element)[:-1]}/>."
        )
        self._report(
            original,
            "text",
            f"{display(element)} cannot contain text",
            hint,
            at=self._text_position(original),
        )

    def _children_not_allowed(self, element: etree._Element) -> _Fixup | None:
        original = self.original[element]
        first = next(original.iterchildren(etree.Element), None)
        at = self.source.element_position(first) if first is not None else None
        nested = f" such as {display(first)}" if first is not None else ""
        self._report(
            original,
            "children",
            f"{display(element)} cannot contain elements{nested}",
            None,
            at=at,
        )
        children = list(element.iterchildren(etree.Element))
        if not children:
            return None

        def set_aside() -> None:
            for child in children:
                self._set_aside(child)

        return set_aside

    def _set_aside(self, element: etree._Element) -> None:
        """Take a misplaced element out of the way; a verb goes on to be checked at the top level.

        libxml2 does not look inside an element it did not expect. Moved to the end of
        ``<Response>``, where every verb is allowed, a misplaced ``<Dial>`` still has its own
        attributes and nouns checked in the next round.
        """
        _remove_keeping_tail(element)
        if element.tag in self.vocabulary.children.get("Response", ()):
            element.tail = None
            self.work.append(element)

    def _bad_text(self, element: etree._Element, rest: str) -> None:
        original = self.original[element]
        value = (element.text or "").strip()
        expected = self.vocabulary.describe(
            self.vocabulary.text_types.get(str(element.tag))
        ) or _expected_from(rest)
        message = f"'{value}' is not valid text for {display(element)}"
        self._report(
            original,
            "text",
            f"{message}: expected {expected}" if expected else message,
            None,
            at=self._text_position(original),
        )

    def _may_contain(self, parent: etree._Element) -> str:
        children = sorted(self.vocabulary.children.get(str(parent.tag), ()))
        if not children:
            return f"{display(parent)} cannot contain elements."
        return f"{display(parent)} may contain " + ", ".join(display_tag(c) for c in children)

    # -- positions and findings ---------------------------------------------------------------------

    def _text_position(self, original: etree._Element) -> Position:
        """Where the first non-blank text of an element begins (its tail texts: the child)."""
        text = original.text or ""
        if text.strip():
            return self.source.text_position(original)
        for child in original:
            if (child.tail or "").strip():
                return self.source.element_position(child)
        return self.source.element_position(original)

    def _report(
        self,
        original: etree._Element,
        kind: str,
        message: str,
        hint: str | None,
        *,
        at: Position | None = None,
        code: codes.Code = codes.SCHEMA_VALIDATION,
    ) -> None:
        key = (original, kind)
        if key in self.findings:
            return
        where = at or self.source.element_position(original)
        self.findings[key] = code.diagnostic(
            message, line=where.line, column=where.column, path=self.source.path, hint=hint
        )


def _expected_names(rest: str) -> list[str]:
    match = _EXPECTED.search(rest)
    return [name.strip() for name in match.group("names").split(",")] if match else []


def _expected_from(rest: str) -> str | None:
    """A fallback description of valid values, from libxml2's enumeration message."""
    match = _ENUMERATION.search(rest)
    if match is None:
        return None
    values = re.findall(r"'([^']*)'", match.group("values"))
    return "one of " + ", ".join(values) if values else None


def _remove_keeping_tail(element: etree._Element) -> None:
    """Take an element out of its parent; the text that followed it stays where it was."""
    parent = element.getparent()
    if parent is None:
        return
    tail = element.tail
    if tail:
        previous = element.getprevious()
        if previous is not None:
            previous.tail = (previous.tail or "") + tail
        else:
            parent.text = (parent.text or "") + tail
    parent.remove(element)
