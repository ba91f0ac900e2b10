"""Diagnostics: the immutable records that every check in callbox reports.

A diagnostic names a registered code (see ``markup.codes``), where it happened (1-based line and
column; 0 when unknown) and what went wrong. The markup layer returns these; it never raises for a
bad document.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from enum import StrEnum


class Severity(StrEnum):
    """How bad a finding is. Values are the wire strings used in JSON output."""

    ERROR = "error"
    WARNING = "warning"

    def __str__(self) -> str:
        return self.value


@dataclass(frozen=True, slots=True)
class Diagnostic:
    """One finding about one place in one document."""

    code: str
    symbol: str
    severity: Severity
    message: str
    path: str = "<string>"
    line: int = 0
    column: int = 0
    hint: str | None = None

    def at(self, line: int, column: int) -> Diagnostic:
        """The same finding moved to another position."""
        return replace(self, line=line, column=column)

    def in_file(self, path: str) -> Diagnostic:
        """The same finding attributed to another path."""
        return replace(self, path=path)

    @property
    def is_error(self) -> bool:
        return self.severity is Severity.ERROR

    def format(self) -> str:
        """``path:line:col: CODE message [symbol]``, the shape flake8 and ruff users know."""
        return f"{self.path}:{self.line}:{self.column}: {self.code} {self.message} [{self.symbol}]"

    def as_dict(self) -> dict[str, str | int | None]:
        return {
            "path": self.path,
            "line": self.line,
            "column": self.column,
            "code": self.code,
            "symbol": self.symbol,
            "severity": self.severity.value,
            "message": self.message,
            "hint": self.hint,
        }


def sort_key(diagnostic: Diagnostic) -> tuple[str, int, int, str]:
    """Order diagnostics the way a reader scans a file: by path, line, column, code."""
    return (diagnostic.path, diagnostic.line, diagnostic.column, diagnostic.code)
