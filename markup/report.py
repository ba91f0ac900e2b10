"""Output formats for lint findings: text for people, JSON for tools, GitHub workflow commands.

Text is ``path:line:col: CODE message [symbol]`` with the source line, a caret under the column
and the hint; JSON is a list of objects; ``github`` prints ``::error``/``::warning`` commands
that GitHub Actions turns into annotations on the pull request.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Mapping, Sequence

from callbox.diagnostics import Diagnostic, Severity
from callbox.markup.source import Source

Formatter = Callable[[Sequence[Diagnostic], Mapping[str, Source]], str]


def _caret_line(line: str, column: int) -> str:
    """Spaces (tabs kept, so the caret lines up) up to the column, then a caret."""
    prefix = "".join(ch if ch == "\t" else " " for ch in line[: max(column - 1, 0)])
    return prefix + "^"


def format_text(diagnostics: Sequence[Diagnostic], sources: Mapping[str, Source]) -> str:
    lines: list[str] = []
    for diagnostic in diagnostics:
        lines.append(diagnostic.format())
        source = sources.get(diagnostic.path)
        code_line = source.line_text(diagnostic.line) if source and diagnostic.line else ""
        if code_line and len(code_line) <= 400:
            lines.append("    " + code_line)
            lines.append("    " + _caret_line(code_line, diagnostic.column))
        if diagnostic.hint:
            lines.append(f"    hint: {diagnostic.hint}")
    return "\n".join(lines) + ("\n" if lines else "")


def format_json(diagnostics: Sequence[Diagnostic], sources: Mapping[str, Source]) -> str:
    return json.dumps([d.as_dict() for d in diagnostics], indent=2, ensure_ascii=False) + "\n"


def _escape_data(value: str) -> str:
    return value.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def _escape_property(value: str) -> str:
    return _escape_data(value).replace(":", "%3A").replace(",", "%2C")


def format_github(diagnostics: Sequence[Diagnostic], sources: Mapping[str, Source]) -> str:
    lines = []
    for d in diagnostics:
        command = "error" if d.severity is Severity.ERROR else "warning"
        properties = ",".join(
            [
                f"file={_escape_property(d.path)}",
                f"line={d.line}",
                f"col={d.column}",
                f"title={_escape_property(f'{d.code} [{d.symbol}]')}",
            ]
        )
        message = d.message + (f"\n{d.hint}" if d.hint else "")
        lines.append(f"::{command} {properties}::{_escape_data(message)}")
    return "\n".join(lines) + ("\n" if lines else "")


FORMATS: dict[str, Formatter] = {
    "text": format_text,
    "json": format_json,
    "github": format_github,
}


def _plural(count: int, word: str) -> str:
    return f"{count} {word}{'' if count == 1 else 's'}"


def summary(diagnostics: Sequence[Diagnostic], files_checked: int) -> str:
    """``3 problems (1 error, 2 warnings) in 2 files``, counting the files that have problems."""
    if not diagnostics:
        return f"No problems in {_plural(files_checked, 'file')}"
    errors = sum(1 for d in diagnostics if d.is_error)
    files = len({d.path for d in diagnostics})
    return (
        f"{_plural(len(diagnostics), 'problem')} ({_plural(errors, 'error')}, "
        f"{_plural(len(diagnostics) - errors, 'warning')}) in {_plural(files, 'file')}"
    )
