"""Diagnostics: immutable findings that move, format like flake8 and sort as a reader scans."""

from __future__ import annotations

import dataclasses

import pytest

from callbox.diagnostics import Diagnostic, Severity, sort_key


def finding(**fields: object) -> Diagnostic:
    base: dict[str, object] = {
        "code": "12200",
        "symbol": "schema-validation",
        "severity": Severity.WARNING,
        "message": "bad attribute",
    }
    base.update(fields)
    return Diagnostic(**base)  # type: ignore[arg-type]


def test_diagnostic_is_immutable() -> None:
    with pytest.raises(dataclasses.FrozenInstanceError):
        finding().line = 3  # type: ignore[misc]


def test_moved_finding_keeps_everything_else() -> None:
    original = finding(path="a.xml", hint="h")
    moved = original.at(4, 7)
    assert (moved.line, moved.column) == (4, 7)
    assert moved == dataclasses.replace(original, line=4, column=7)
    assert (original.line, original.column) == (0, 0)


def test_finding_in_another_file() -> None:
    assert finding(line=2).in_file("b.xml") == finding(line=2, path="b.xml")


def test_only_errors_are_errors() -> None:
    assert finding(severity=Severity.ERROR).is_error
    assert not finding(severity=Severity.WARNING).is_error


def test_format_is_path_line_column_code_message_symbol() -> None:
    assert finding(path="f.xml", line=7, column=5).format() == (
        "f.xml:7:5: 12200 bad attribute [schema-validation]"
    )


def test_as_dict_uses_wire_strings() -> None:
    assert finding(severity=Severity.ERROR, hint="h").as_dict() == {
        "path": "<string>",
        "line": 0,
        "column": 0,
        "code": "12200",
        "symbol": "schema-validation",
        "severity": "error",
        "message": "bad attribute",
        "hint": "h",
    }
    assert str(Severity.WARNING) == "warning"


def test_findings_sort_by_path_line_column_then_code() -> None:
    findings = [
        finding(path="b.xml", line=1),
        finding(path="a.xml", line=10, column=1),
        finding(path="a.xml", line=2, column=9, code="13000"),
        finding(path="a.xml", line=2, column=9, code="12000"),
        finding(path="a.xml", line=2, column=3),
    ]
    ordered = sorted(findings, key=sort_key)
    assert [(d.path, d.line, d.column, d.code) for d in ordered] == [
        ("a.xml", 2, 3, "12200"),
        ("a.xml", 2, 9, "12000"),
        ("a.xml", 2, 9, "13000"),
        ("a.xml", 10, 1, "12200"),
        ("b.xml", 1, 0, "12200"),
    ]
