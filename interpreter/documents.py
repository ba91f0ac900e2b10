"""A document as a call runs it: the content types that are TwiML, its verbs checked leniently
(``compile_document``), which URLs in it are used as written, and what the call reports of a
verb (its tag, its place)."""

from __future__ import annotations

from collections.abc import Sequence
from urllib.parse import urlsplit

from callbox import codes
from callbox.diagnostics import Diagnostic
from callbox.markup.source import Position

XML_TYPES = frozenset({"text/xml", "application/xml", "text/html"})
"""Content types of a document that is TwiML."""


def compile_document(body: bytes, url: str | None) -> tuple[Sequence[object], list[Diagnostic]]:
    """The verbs of a document and what was found in it, leniently: a document that cannot be
    used at all gives no verbs and at least one error (12100, 12102, 11750...)."""
    from callbox.markup.check import check
    from callbox.markup.dialect import Dialect

    checked = check(body, url or "<inline>", dialect=Dialect.VOICE, base_url=url, rules=False)
    found = list(checked.diagnostics)
    if checked.root is None or checked.document is None:
        if not any(d.is_error for d in found):
            found.append(
                codes.INTERNAL_FAILURE.diagnostic("the document could not be built", path=url or "")
            )
        return (), found
    document = checked.document
    verbs: Sequence[object] = getattr(document, "verbs", ())
    return tuple(verbs), found


def used_as_written(url: str) -> bool:
    """Whether ``url`` is used as written: it has a scheme, or it cannot be parsed at all
    (``http://[::1``), and the fetcher refuses it with 11100 instead of the call failing."""
    try:
        return bool(urlsplit(url).scheme)
    except ValueError:
        return True


def verb_name(verb: object) -> str:
    """The verb's tag (``Gather``), or its class name when it has none."""
    tag = getattr(verb, "tag", None)
    return tag if isinstance(tag, str) else type(verb).__name__


def verb_position(verb: object) -> Position | None:
    """Where the verb is in its document, when it knows."""
    position = getattr(verb, "position", None)
    if isinstance(position, Position):
        return position
    line = getattr(verb, "line", None)
    if isinstance(line, int):
        column = getattr(verb, "column", 0)
        return Position(line, column if isinstance(column, int) else 0)
    return None
