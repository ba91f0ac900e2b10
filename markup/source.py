"""Source text and positions: 1-based line and column for elements, attributes and byte offsets.

lxml gives elements a line but no column, and its schema errors carry column 0. The position
index here is built lazily, once, with expat over the same bytes, and only when a diagnostic
needs a column, so that clean documents pay nothing for it.
"""

from __future__ import annotations

import bisect
import contextlib
import re
from dataclasses import dataclass
from functools import cached_property
from xml.parsers import expat

from lxml import etree

_LEADING_BLANKS = re.compile(rb"[ \t\r\n]*")


@dataclass(frozen=True, slots=True)
class Position:
    """A 1-based line and column; 0 means unknown."""

    line: int
    column: int


class Source:
    """The bytes of one document, with a lazily built index from elements to positions."""

    def __init__(self, data: bytes, path: str = "<string>") -> None:
        self.data = data
        self.path = path
        self._element_index: dict[etree._Element, int] | None = None

    @cached_property
    def _line_starts(self) -> list[int]:
        starts = [0]
        starts.extend(match.end() for match in re.finditer(rb"\r\n|\r|\n", self.data))
        return starts

    @cached_property
    def _element_offsets(self) -> list[int]:
        """Byte offset of each start tag, in document order (expat)."""
        offsets: list[int] = []
        parser = expat.ParserCreate()
        parser.StartElementHandler = lambda _name, _attrs: offsets.append(parser.CurrentByteIndex)
        # keep what was indexed before an error; an encoding expat does not know indexes nothing
        with contextlib.suppress(expat.ExpatError, LookupError, ValueError):
            parser.Parse(self.data, True)
        return offsets

    def position_of_offset(self, offset: int) -> Position:
        """Line and column (characters, 1-based) of a byte offset."""
        offset = max(0, min(offset, len(self.data)))
        line_index = bisect.bisect_right(self._line_starts, offset) - 1
        start = self._line_starts[line_index]
        column = len(self.data[start:offset].decode("utf-8", "replace")) + 1
        return Position(line_index + 1, column)

    def line_text(self, line: int) -> str:
        """The text of a 1-based line, without its line break ('' when out of range)."""
        if not 1 <= line <= len(self._line_starts):
            return ""
        start = self._line_starts[line - 1]
        end = self._line_starts[line] if line < len(self._line_starts) else len(self.data)
        return self.data[start:end].decode("utf-8", "replace").rstrip("\r\n")

    def index_tree(self, root: etree._Element) -> None:
        """Remember the document order of the parsed tree's elements."""
        self._element_index = {element: i for i, element in enumerate(root.iter(etree.Element))}

    def _element_offset(self, element: etree._Element) -> int | None:
        if self._element_index is None:
            self.index_tree(element.getroottree().getroot())
        assert self._element_index is not None
        index = self._element_index.get(element)
        offsets = self._element_offsets
        if index is None or index >= len(offsets):
            return None
        return offsets[index]

    def element_position(self, element: etree._Element) -> Position:
        """Where the element's start tag begins (the ``<``)."""
        offset = self._element_offset(element)
        if offset is None:
            line = element.sourceline if isinstance(element.sourceline, int) else 0
            return Position(line, 1 if line else 0)
        return self.position_of_offset(offset)

    def attribute_position(self, element: etree._Element, name: str) -> Position:
        """Where ``name=`` stands in the element's start tag; the element's position if absent."""
        offset = self._element_offset(element)
        if offset is None:
            return self.element_position(element)
        end = self.data.find(b">", offset)
        tag = self.data[offset : end if end != -1 else len(self.data)]
        match = re.search(rb"\s(" + re.escape(name.encode()) + rb")\s*=", tag)
        if match is None:
            return self.position_of_offset(offset)
        return self.position_of_offset(offset + match.start(1))

    def text_position(self, element: etree._Element) -> Position:
        """Where the element's text begins: its first non-blank character (a number on the line
        after ``<Number>`` is found there), or just after the start tag when it has none."""
        offset = self._element_offset(element)
        if offset is None:
            return self.element_position(element)
        end = self.data.find(b">", offset)
        if end == -1:
            return self.position_of_offset(offset)
        start = end + 1
        text = _LEADING_BLANKS.match(self.data, start)
        if text is not None and text.end() < len(self.data) and self.data[text.end()] != 0x3C:
            return self.position_of_offset(text.end())  # 0x3C: '<', no text before the child
        return self.position_of_offset(start)

    def first_line_with(self, line: int) -> Position:
        """The first non-blank column of a line (for errors that know only their line)."""
        text = self.line_text(line)
        stripped = len(text) - len(text.lstrip())
        return Position(line, stripped + 1 if text else 0)
