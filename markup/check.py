"""The markup pipeline: bytes in, a parsed tree, a typed document and every diagnostic out.

``check`` runs the hardened parser, resolves the dialect, validates against the schema, builds the
typed model (unless ``model=False``, as ``callbox lint`` asks: the same diagnostics, no model) and
(unless ``rules=False``, as the runtime asks) runs the lint rules. For ``callbox lint``, a
document is first validated against ``markup.gate``'s clean schema, stricter than the main one:
a document it accepts has nothing for any check to report, and the rest is skipped. It never raises for a bad
document; the diagnostics are sorted the way a reader scans a file.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from lxml import etree

from callbox import codes
from callbox.diagnostics import Diagnostic
from callbox.markup import gate, schema
from callbox.markup.build import build, diagnose
from callbox.markup.dialect import Dialect, detect_dialect
from callbox.markup.lint import LintContext, run_rules_in
from callbox.markup.model import Response
from callbox.markup.parser import parse
from callbox.markup.source import Source


@dataclass(frozen=True)
class CheckResult:
    """What the pipeline learnt about one document."""

    source: Source
    root: etree._Element | None
    dialect: Dialect
    diagnostics: tuple[Diagnostic, ...] = field(default=())
    document: Response | None = None
    """The typed document, when the parser could build a tree (and the model was asked for)."""

    @property
    def errors(self) -> tuple[Diagnostic, ...]:
        return tuple(d for d in self.diagnostics if d.is_error)

    @property
    def path(self) -> str:
        return self.source.path


def _position_key(diagnostic: Diagnostic) -> tuple[int, int]:
    return (diagnostic.line, diagnostic.column)


def _drop_duplicates(layers: list[list[Diagnostic]]) -> list[Diagnostic]:
    """Keep the most specific finding for each place; ``layers`` in the order they ran.

    A 12200 schema warning at the position of another finding (a 13xxx value, CF003...) says the
    same thing less precisely; a code that an earlier layer already reported on the same line
    (the model and a lint rule both find 13521) is kept once.
    """
    schema_code = codes.SCHEMA_VALIDATION.id
    specific = {_position_key(d) for layer in layers for d in layer if d.code != schema_code}
    earlier: set[tuple[str, int]] = set()
    result: list[Diagnostic] = []
    for layer in layers:
        kept = [
            d
            for d in layer
            if (d.code, d.line) not in earlier
            and not (d.code == schema_code and _position_key(d) in specific)
        ]
        earlier.update((d.code, d.line) for d in kept)
        result.extend(kept)
    return result


def check(
    data: bytes,
    path: str = "<string>",
    *,
    dialect: Dialect = Dialect.AUTO,
    base_url: str | None = None,
    rules: bool = True,
    model: bool = True,
) -> CheckResult:
    """Parse, validate, build and lint one document.

    ``base_url`` is the URL the document was fetched from; None means it has none (inline TwiML),
    so relative URLs in it cannot be resolved (15004). ``rules=False`` skips the lint rules;
    ``model=False`` skips the typed document (``document`` is None) but not its diagnostics.
    """
    parsed = parse(data, path)
    source = parsed.source
    root = parsed.root
    found = list(parsed.diagnostics)
    resolved = detect_dialect(root) if dialect is Dialect.AUTO else dialect
    if root is None or (found and any(d.is_error for d in found)):
        return CheckResult(source, root, resolved, tuple(sorted(found, key=_position_key)))

    if not model and rules and not found and gate.passes(root, source, resolved, base_url):
        return CheckResult(source, root, resolved)  # valid, and nothing any check could report
    schema_found = schema.validate(root, source, resolved)
    # The lint index before the builders: lxml wraps an element in one Python object for as long
    # as something holds it, so the builders' walk reuses the index's objects.
    context = LintContext(root, source, resolved, base_url) if rules else None
    layers = [found, schema_found]
    document: Response | None = None
    if model:
        document, built = build(root, source, resolved)
    else:
        built = diagnose(root, source)
    layers.append(built)
    if context is not None:
        layers.append(run_rules_in(context))

    combined = _drop_duplicates(layers) if any(layers) else []
    combined.sort(key=_position_key)
    return CheckResult(source, root, resolved, tuple(combined), document)
