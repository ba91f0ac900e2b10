"""What ``callbox lint`` reports and how severe each finding is: ``[tool.callbox.lint]``.

Lint is strict by default: what Twilio treats as a runtime warning (12200 schema problems, the
13xxx/14xxx attribute and nesting warnings) is a bug in the flow, so it is an error here; the
runtime stays lenient. ``warn-only`` restores Twilio's severities; ``severities`` sets any code's.
Selection works like ruff's: ``select`` (default: every code but the style rules that are off by
default), ``extend-select``, ``ignore`` and ``per-file-ignores``, by code, prefix or symbol.
"""

from __future__ import annotations

import dataclasses
import fnmatch
import tomllib
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath
from typing import Any

from callbox import codes
from callbox.diagnostics import Diagnostic, Severity

OFF_BY_DEFAULT = frozenset({codes.PHONE_NUMBER_NOT_E164.id})
"""Style rules reported only when selected: Twilio accepts what they flag."""

TABLE = "tool.callbox.lint"
KEYS = frozenset(
    {
        "select",
        "extend-select",
        "ignore",
        "per-file-ignores",
        "severities",
        "warn-only",
        "template-parameters",
    }
)


class LintConfigError(ValueError):
    """A ``[tool.callbox.lint]`` table or a selector that cannot be used."""


def strict_severity(code: codes.Code) -> Severity:
    """A code's severity in lint: Twilio's warnings about the document itself are errors."""
    if code.is_twilio and code.id[:2] in ("12", "13", "14"):
        return Severity.ERROR
    return code.severity


def check_selectors(entries: Iterable[str], where: str) -> tuple[str, ...]:
    """The entries, each a code, a code prefix or a symbol that matches a registered code."""
    checked: list[str] = []
    for entry in entries:
        entry = entry.strip()
        if not entry:
            continue
        if not any(_matches(code.id, code.symbol, (entry,)) for code in codes.CODES.values()):
            raise LintConfigError(f"{where} {entry}: no code or symbol matches it")
        checked.append(entry)
    return tuple(checked)


def _matches(code_id: str, symbol: str, entries: Sequence[str]) -> bool:
    return any(
        code_id.startswith(entry.upper()) or symbol == entry.lower() or entry.upper() == "ALL"
        for entry in entries
    )


@dataclass(frozen=True)
class LintConfig:
    """Which codes are reported, for which files, with which severity."""

    select: tuple[str, ...] = ()
    """Empty: every code but ``OFF_BY_DEFAULT``."""
    extend_select: tuple[str, ...] = ()
    ignore: tuple[str, ...] = ()
    per_file_ignores: tuple[tuple[str, tuple[str, ...]], ...] = ()
    """(glob, codes): the glob is matched against the file's path relative to ``root``."""
    severities: tuple[tuple[str, Severity], ...] = ()
    warn_only: bool = False
    template_parameters: Mapping[str, str] = field(default_factory=dict)
    root: Path = field(default_factory=Path.cwd)
    """The directory of the pyproject.toml the table came from (the working directory if none)."""

    def enabled(self, diagnostic: Diagnostic, path: str | None = None) -> bool:
        code, symbol = diagnostic.code, diagnostic.symbol
        if self.select:
            selected = _matches(code, symbol, self.select)
        else:
            selected = code not in OFF_BY_DEFAULT
        selected = selected or _matches(code, symbol, self.extend_select)
        if not selected or _matches(code, symbol, self.ignore):
            return False
        if path is not None and self.per_file_ignores:
            relative = self._relative(path)
            for pattern, ignored in self.per_file_ignores:
                if _path_matches(relative, pattern) and _matches(code, symbol, ignored):
                    return False
        return True

    def severity(self, diagnostic: Diagnostic) -> Severity:
        """``severities`` (the longest matching entry wins), else Twilio's with ``warn-only``,
        else lint's strict one."""
        best: tuple[int, Severity] | None = None
        for entry, severity in self.severities:
            if _matches(diagnostic.code, diagnostic.symbol, (entry,)):
                weight = 99 if entry.lower() == diagnostic.symbol else len(entry)
                if best is None or weight > best[0]:
                    best = (weight, severity)
        if best is not None:
            return best[1]
        code = codes.code_of(diagnostic.code)
        if self.warn_only:
            return code.severity if code.symbol != "unregistered" else diagnostic.severity
        return strict_severity(code) if code.symbol != "unregistered" else diagnostic.severity

    def apply(self, diagnostics: Iterable[Diagnostic], path: str | None = None) -> list[Diagnostic]:
        """The findings this configuration reports, each with its lint severity."""
        kept: list[Diagnostic] = []
        for diagnostic in diagnostics:
            if not self.enabled(diagnostic, path):
                continue
            severity = self.severity(diagnostic)
            if severity is not diagnostic.severity:
                diagnostic = dataclasses.replace(diagnostic, severity=severity)
            kept.append(diagnostic)
        return kept

    def _relative(self, path: str) -> str:
        try:
            return Path(path).resolve().relative_to(self.root.resolve()).as_posix()
        except (ValueError, OSError):
            return PurePosixPath(path).as_posix()


def _path_matches(relative: str, pattern: str) -> bool:
    """A glob like ruff's: ``legacy/*.xml`` matches under ``legacy/``; ``*.xml.j2`` matches a
    file name anywhere; a directory name matches everything under it."""
    pattern = pattern.strip().removeprefix("./")
    if fnmatch.fnmatchcase(relative, pattern):
        return True
    if "/" not in pattern and fnmatch.fnmatchcase(PurePosixPath(relative).name, pattern):
        return True
    return relative.startswith(pattern.rstrip("/") + "/")


def find_pyproject(start: Path) -> Path | None:
    """The nearest pyproject.toml at or above ``start``."""
    for directory in (start, *start.parents):
        candidate = directory / "pyproject.toml"
        if candidate.is_file():
            return candidate
    return None


def load_config(start: Path | None = None) -> LintConfig:
    """The ``[tool.callbox.lint]`` table of the nearest pyproject.toml (defaults if none)."""
    start = (start or Path.cwd()).resolve()
    pyproject = find_pyproject(start)
    if pyproject is None:
        return LintConfig(root=start)
    try:
        document = tomllib.loads(pyproject.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError) as error:
        raise LintConfigError(f"{pyproject}: cannot read it: {error}") from error
    table: Any = document.get("tool", {}).get("callbox", {}).get("lint", {})
    return config_from_table(table, f"{pyproject} [{TABLE}]", pyproject.parent)


def config_from_table(table: Any, where: str, root: Path) -> LintConfig:
    """A configuration from a parsed ``[tool.callbox.lint]`` table; every value is checked."""
    if not isinstance(table, dict):
        raise LintConfigError(f"{where}: expected a table")
    unknown = sorted(set(table) - KEYS)
    if unknown:
        raise LintConfigError(
            f"{where}: unknown key {unknown[0]!r} (known: {', '.join(sorted(KEYS))})"
        )

    def codes_list(key: str, value: Any) -> tuple[str, ...]:
        if not (isinstance(value, list) and all(isinstance(v, str) for v in value)):
            raise LintConfigError(f'{where}: {key} must be a list of codes, like ["CF102"]')
        return check_selectors(value, f"{where} {key}:")

    def string_table(key: str) -> dict[str, Any]:
        value = table.get(key, {})
        if not isinstance(value, dict):
            raise LintConfigError(f"{where}: {key} must be a table")
        return value

    per_file = tuple(
        (pattern, codes_list(f"per-file-ignores {pattern!r}", value))
        for pattern, value in string_table("per-file-ignores").items()
    )
    severities: list[tuple[str, Severity]] = []
    for entry, value in string_table("severities").items():
        check_selectors([entry], f"{where} severities:")
        if value not in ("error", "warning"):
            raise LintConfigError(
                f'{where}: severities {entry!r} must be "error" or "warning", not {value!r}'
            )
        severities.append((entry, Severity(value)))
    parameters = string_table("template-parameters")
    if not all(isinstance(v, str) for v in parameters.values()):
        raise LintConfigError(f"{where}: template-parameters values must be strings")
    warn_only = table.get("warn-only", False)
    if not isinstance(warn_only, bool):
        raise LintConfigError(f"{where}: warn-only must be true or false")
    return LintConfig(
        select=codes_list("select", table.get("select", [])),
        extend_select=codes_list("extend-select", table.get("extend-select", [])),
        ignore=codes_list("ignore", table.get("ignore", [])),
        per_file_ignores=per_file,
        severities=tuple(severities),
        warn_only=warn_only,
        template_parameters=dict(parameters),
        root=root,
    )
