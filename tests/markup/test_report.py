"""Lint output formats: text with the source line and a caret, JSON for tools, GitHub workflow
commands, and the one-line summary."""

from __future__ import annotations

import json

from callbox.diagnostics import Diagnostic, Severity
from callbox.markup.report import (
    FORMATS,
    format_github,
    format_json,
    format_junit,
    format_sarif,
    format_text,
    summary,
)
from callbox.markup.source import Source

PATH = "flows/menu.xml"
DOCUMENT = b"<Response>\n\t<Gather>\n\t  <Dial>1</Dial>\n\t</Gather>\n</Response>\n"


def finding(
    line: int = 3,
    column: int = 4,
    severity: Severity = Severity.ERROR,
    path: str = PATH,
    hint: str | None = None,
    message: str = "<Dial> is not allowed inside <Gather>",
) -> Diagnostic:
    return Diagnostic("12200", "gather-invalid-child", severity, message, path, line, column, hint)


def test_text_shows_the_finding_its_source_line_and_a_caret_under_the_column() -> None:
    text = format_text([finding(hint="Move it out")], {PATH: Source(DOCUMENT, PATH)})
    assert text.splitlines() == [
        f"{PATH}:3:4: 12200 <Dial> is not allowed inside <Gather> [gather-invalid-child]",
        "    \t  <Dial>1</Dial>",
        "    \t  ^",  # the tab is kept, so the caret lines up under '<'
        "    hint: Move it out",
    ]


def test_text_without_the_source_shows_only_the_finding() -> None:
    assert format_text([finding()], {}) == finding().format() + "\n"


def test_text_of_no_findings_is_empty() -> None:
    assert format_text([], {}) == ""


def test_text_leaves_out_a_very_long_source_line() -> None:
    long_line = b"<Response>" + b" " * 500 + b"<Bad/></Response>"
    text = format_text([finding(line=1, column=511)], {PATH: Source(long_line, PATH)})
    assert text.count("\n") == 1


def test_json_is_a_list_of_findings() -> None:
    data = json.loads(format_json([finding(), finding(severity=Severity.WARNING)], {}))
    assert [d["severity"] for d in data] == ["error", "warning"]
    assert data[0] == finding().as_dict()


def test_github_commands_by_severity_with_position_and_title() -> None:
    out = format_github([finding(), finding(severity=Severity.WARNING, line=1, column=1)], {})
    assert out.splitlines() == [
        f"::error file={PATH},line=3,col=4,title=12200 [gather-invalid-child]::"
        "<Dial> is not allowed inside <Gather>",
        f"::warning file={PATH},line=1,col=1,title=12200 [gather-invalid-child]::"
        "<Dial> is not allowed inside <Gather>",
    ]


def test_github_escapes_what_would_break_a_command() -> None:
    out = format_github(
        [finding(path="a:b,c.xml", message="100% bad\r\nreally", hint="fix it")], {}
    )
    assert out == (
        "::error file=a%3Ab%2Cc.xml,line=3,col=4,title=12200 [gather-invalid-child]::"
        "100%25 bad%0D%0Areally%0Afix it\n"
    )


def test_every_format_is_offered_by_name() -> None:
    assert {
        "text": format_text,
        "json": format_json,
        "github": format_github,
        "sarif": format_sarif,
        "junit": format_junit,
    } == FORMATS


def test_summary_counts_problems_errors_warnings_and_files_with_problems() -> None:
    findings = [
        finding(),
        finding(severity=Severity.WARNING),
        finding(severity=Severity.WARNING, path="other.xml"),
    ]
    assert summary(findings, files_checked=5) == "3 problems (1 error, 2 warnings) in 2 files"
    assert summary([finding()], 1) == "1 problem (1 error, 0 warnings) in 1 file"


def test_summary_of_no_problems_counts_files_checked() -> None:
    assert summary([], 1) == "No problems in 1 file"
    assert summary([], 4) == "No problems in 4 files"
