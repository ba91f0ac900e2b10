"""Inline suppressions: ``<!-- callbox: ignore=CF102 -->`` in a document silences codes there.

Before ``<Response>`` the comment applies to the whole file; anywhere else, to the element that
follows it (with everything inside it). Codes are comma-separated ids, prefixes or symbols.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass

from lxml import etree

from callbox.diagnostics import Diagnostic

DIRECTIVE = re.compile(r"^\s*callbox:\s*ignore\s*=\s*(?P<codes>[^\s]+(?:\s*,\s*[^\s,]+)*)\s*$")


@dataclass(frozen=True, slots=True)
class Suppression:
    """Codes silenced from ``first_line`` to ``last_line`` (inclusive; 0 means to the end)."""

    codes: tuple[str, ...]
    first_line: int
    last_line: int

    def covers(self, diagnostic: Diagnostic) -> bool:
        if diagnostic.line < self.first_line:
            return False
        if self.last_line and diagnostic.line > self.last_line:
            return False
        return any(
            diagnostic.code.startswith(entry.upper()) or diagnostic.symbol == entry.lower()
            for entry in self.codes
        )


def _codes(comment: etree._Element) -> tuple[str, ...] | None:
    match = DIRECTIVE.match(comment.text or "")
    if match is None:
        return None
    return tuple(entry.strip() for entry in match.group("codes").split(",") if entry.strip())


def _next_element(node: etree._Element) -> etree._Element | None:
    following = node.getnext()
    while following is not None and not isinstance(following.tag, str):
        following = following.getnext()
    return following


def _after_subtree(element: etree._Element) -> etree._Element | None:
    """The first element after ``element`` and everything inside it, in document order."""
    node: etree._Element | None = element
    while node is not None:
        following = _next_element(node)
        if following is not None:
            return following
        node = node.getparent()
    return None


def suppressions(root: etree._Element) -> list[Suppression]:
    """Every suppression comment of a parsed document."""
    found: list[Suppression] = []
    for comment in root.itersiblings(etree.Comment, preceding=True):
        entries = _codes(comment)
        if entries:
            found.append(Suppression(entries, 1, 0))
    for comment in root.iter(etree.Comment):
        entries = _codes(comment)
        if not entries:
            continue
        target = _next_element(comment)
        if target is None:
            continue
        line = target.sourceline if isinstance(target.sourceline, int) else 0
        after = _after_subtree(target)
        end = after.sourceline - 1 if after is not None and isinstance(after.sourceline, int) else 0
        found.append(Suppression(entries, line, max(end, line) if end else 0))
    return found


def without_suppressed(
    diagnostics: Iterable[Diagnostic], root: etree._Element | None
) -> list[Diagnostic]:
    """The findings no suppression comment of the document silences."""
    listed = list(diagnostics)
    if root is None or not listed:
        return listed
    active = suppressions(root)
    if not active:
        return listed
    return [d for d in listed if not any(s.covers(d) for s in active)]
