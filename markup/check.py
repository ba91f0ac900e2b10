"""The markup pipeline: bytes in, a parsed tree, a typed document and every diagnostic out.

``check`` runs the hardened parser, resolves the dialect, validates against the schema, builds the
typed model and (unless ``rules=False``, as the runtime asks) runs the lint rules. It never raises
for a bad document; the diagnostics are sorted the way a reader scans a file.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from lxml import etree

from markup import codes, model, schema
from markup.build import build
from markup.diagnostics import Diagnostic
from markup.dialect import Dialect, detect_dialect
from markup.lint import run_rules
from markup.parser import parse
from markup.source import Source


@dataclass(frozen=True)
class CheckResult:
    """What the pipeline learnt about one document."""

    source: Source
    root: etree._Element | None
    dialect: Dialect
    diagnostics: tuple[Diagnostic, ...] = field(default=())
    document: model.Response | None = None
    """The typed document, when the parser could build a tree."""

    @property
    def errors(self) -> tuple[Diagnostic, ...]:
        return tuple(d for d in self.diagnostics if d.is_error)

    @property
    def path(self) -> str:
        return self.source.path


def _position_key(diagnostic: Diagnostic) -> tuple[int, int]:
    return (diagnostic.line, diagnostic.column)


def _drop_duplicates(
    earlier: list[Diagnostic], schema: list[Diagnostic], later: list[Diagnostic]
) -> list[Diagnostic]:
    """Keep the most specific finding for each place.

    A 12200 schema warning at the position of a 13xxx (or other specific) finding says the same
    thing less precisely; a lint rule that re-finds a code another layer reported on the same line
    adds nothing.
    """
    specific = {_position_key(d) for d in later}
    kept = [
        d
        for d in schema
        if d.code != codes.SCHEMA_VALIDATION.id or _position_key(d) not in specific
    ]
    seen = {(d.code, d.line) for d in (*earlier, *kept)}
    result = earlier + kept
    for diagnostic in later:
        key = (diagnostic.code, diagnostic.line)
        if key not in seen:
            seen.add(key)
            result.append(diagnostic)
    return result


def check(
    data: bytes,
    path: str = "<string>",
    *,
    dialect: Dialect = Dialect.AUTO,
    base_url: str | None = None,
    rules: bool = True,
) -> CheckResult:
    """Parse, validate, build and lint one document.

    ``base_url`` is the URL the document was fetched from; None means it has none (inline TwiML),
    so relative URLs in it cannot be resolved (15004). ``rules=False`` skips the lint rules.
    """
    parsed = parse(data, path)
    source = parsed.source
    root = parsed.root
    found = list(parsed.diagnostics)
    resolved = detect_dialect(root) if dialect is Dialect.AUTO else dialect
    if root is None or any(d.is_error for d in found):
        return CheckResult(source, root, resolved, tuple(sorted(found, key=_position_key)))

    schema_found = schema.validate(root, source, resolved)
    document, specific = build(root, source, resolved)
    if rules:
        specific = specific + run_rules(root, source, resolved, base_url)

    combined = _drop_duplicates(found, schema_found, specific)
    combined.sort(key=_position_key)
    return CheckResult(source, root, resolved, tuple(combined), document)
