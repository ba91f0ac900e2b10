"""Output formats for lint findings: text for people, JSON for tools, CI formats.

Text is ``path:line:col: CODE message [symbol]`` with the source line, a caret under the column
and the hint (in colour on a terminal); JSON is a list of objects; ``github`` prints
``::error``/``::warning`` workflow commands; ``sarif`` is SARIF 2.1.0 for GitHub code scanning;
``junit`` is a JUnit XML report with one test case per file.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Mapping, Sequence

from lxml import etree

from callbox import codes
from callbox.diagnostics import Diagnostic, Severity
from callbox.markup.source import Source

Formatter = Callable[[Sequence[Diagnostic], Mapping[str, Source]], str]


def _caret_line(line: str, column: int) -> str:
    """Spaces (tabs kept, so the caret lines up) up to the column, then a caret."""
    prefix = "".join(ch if ch == "\t" else " " for ch in line[: max(column - 1, 0)])
    return prefix + "^"


_RED, _YELLOW, _BOLD, _DIM, _CYAN, _RESET = (
    "\x1b[31m",
    "\x1b[33m",
    "\x1b[1m",
    "\x1b[2m",
    "\x1b[36m",
    "\x1b[0m",
)


def _coloured_headline(diagnostic: Diagnostic) -> str:
    colour = _RED if diagnostic.severity is Severity.ERROR else _YELLOW
    where = f"{diagnostic.path}:{diagnostic.line}:{diagnostic.column}:"
    return (
        f"{_BOLD}{where}{_RESET} {colour}{_BOLD}{diagnostic.code}{_RESET} "
        f"{diagnostic.message} {_DIM}[{diagnostic.symbol}]{_RESET}"
    )


def format_text(
    diagnostics: Sequence[Diagnostic], sources: Mapping[str, Source], *, colour: bool = False
) -> str:
    lines: list[str] = []
    for diagnostic in diagnostics:
        lines.append(_coloured_headline(diagnostic) if colour else diagnostic.format())
        source = sources.get(diagnostic.path)
        code_line = source.line_text(diagnostic.line) if source and diagnostic.line else ""
        if code_line and len(code_line) <= 400:
            caret = _caret_line(code_line, diagnostic.column)
            lines.append("    " + code_line)
            lines.append("    " + (f"{_RED}{caret}{_RESET}" if colour else caret))
        if diagnostic.hint:
            label = f"{_CYAN}hint:{_RESET}" if colour else "hint:"
            lines.append(f"    {label} {diagnostic.hint}")
    return "\n".join(lines) + ("\n" if lines else "")


def format_colour_text(diagnostics: Sequence[Diagnostic], sources: Mapping[str, Source]) -> str:
    return format_text(diagnostics, sources, colour=True)


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


SARIF_SCHEMA = "https://json.schemastore.org/sarif-2.1.0.json"
TOOL_URI = "https://github.com/callbox/callbox/blob/main/docs/lint.md"


def format_sarif(diagnostics: Sequence[Diagnostic], sources: Mapping[str, Source]) -> str:
    """SARIF 2.1.0, as GitHub code scanning uploads it: one run, a rule per code reported."""
    rule_ids = sorted({d.code for d in diagnostics})
    index = {code: i for i, code in enumerate(rule_ids)}
    rules = []
    for code_id in rule_ids:
        code = codes.code_of(code_id)
        rules.append(
            {
                "id": code.id,
                "name": code.symbol,
                "shortDescription": {"text": code.summary},
                "helpUri": f"{TOOL_URI}#rules",
                "defaultConfiguration": {"level": str(code.severity)},
            }
        )
    results = []
    for d in diagnostics:
        message = d.message + (f"\n{d.hint}" if d.hint else "")
        results.append(
            {
                "ruleId": d.code,
                "ruleIndex": index[d.code],
                "level": "error" if d.severity is Severity.ERROR else "warning",
                "message": {"text": message},
                "locations": [
                    {
                        "physicalLocation": {
                            "artifactLocation": {"uri": d.path.replace("\\", "/")},
                            "region": {
                                "startLine": max(d.line, 1),
                                "startColumn": max(d.column, 1),
                            },
                        }
                    }
                ],
            }
        )
    log = {
        "$schema": SARIF_SCHEMA,
        "version": "2.1.0",
        "runs": [
            {
                "tool": {"driver": {"name": "callbox", "informationUri": TOOL_URI, "rules": rules}},
                "results": results,
            }
        ],
    }
    return json.dumps(log, indent=2, ensure_ascii=False) + "\n"


_NOT_XML = re.compile("[^\t\n\r\x20-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")


def _xml_text(value: str) -> str:
    """Text an XML report can hold: characters XML 1.0 has no place for become U+FFFD."""
    return _NOT_XML.sub("\ufffd", value)


def format_junit(diagnostics: Sequence[Diagnostic], sources: Mapping[str, Source]) -> str:
    """JUnit XML: a test case per file checked, failed when it has an error (its warnings are in
    ``system-out``), so CI test reports list every flow file."""
    by_path: dict[str, list[Diagnostic]] = {path: [] for path in sources}
    for d in diagnostics:
        by_path.setdefault(d.path, []).append(d)
    suites = etree.Element("testsuites", name="callbox lint")
    failed = sum(1 for found in by_path.values() if any(d.is_error for d in found))
    suite = etree.SubElement(
        suites,
        "testsuite",
        name="callbox lint",
        tests=str(len(by_path)),
        failures=str(failed),
        errors="0",
        skipped="0",
    )
    for path, found in by_path.items():
        case = etree.SubElement(suite, "testcase", name=_xml_text(path), classname="callbox.lint")
        errors = [d for d in found if d.is_error]
        if errors:
            failure = etree.SubElement(
                case,
                "failure",
                message=_xml_text(
                    f"{_plural(len(errors), 'error')}: {errors[0].code} {errors[0].message}"
                ),
                type=errors[0].code,
            )
            failure.text = _xml_text("\n".join(d.format() for d in errors))
        warnings = [d for d in found if not d.is_error]
        if warnings:
            etree.SubElement(case, "system-out").text = _xml_text(
                "\n".join(d.format() for d in warnings)
            )
    text: str = etree.tostring(suites, encoding="unicode", pretty_print=True)
    return '<?xml version="1.0" encoding="UTF-8"?>\n' + text


FORMATS: dict[str, Formatter] = {
    "text": format_text,
    "json": format_json,
    "github": format_github,
    "sarif": format_sarif,
    "junit": format_junit,
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
