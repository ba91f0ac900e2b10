"""What ``callbox lint`` reads: files, directories (searched for ``*.xml``, ``*.twiml`` and
``*.xml.j2``), standard input and URLs, each as an ``Input`` with its bytes and base URL, or an
``UnreadableInputError`` saying why it cannot be read. URLs are fetched beforehand by
``cli.lint_fetch``, imported only when one is given.
"""

from __future__ import annotations

import contextlib
import os
import re
import sys
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import quote

from callbox import codes
from callbox.diagnostics import Diagnostic
from callbox.markup.limits import MAX_DOCUMENT_BYTES

STDIN_BASE_URL = "file:///dev/stdin"
FILE_SUFFIXES = (".xml", ".twiml", ".xml.j2")
"""What a directory is searched for (recursively, hidden directories skipped)."""
FILE_PATTERNS = tuple(f"*{suffix}" for suffix in FILE_SUFFIXES)
TEMPLATE_SUFFIX = ".xml.j2"
"""Flow templates (``callbox serve``'s ``TEMPLATE_SUFFIX``, checked equal by the tests)."""
URL_LIKE = re.compile(r"^[A-Za-z][A-Za-z0-9+.-]*://")


class UnreadableInputError(Exception):
    """An input that cannot be read or fetched (exit status 2)."""


@dataclass(frozen=True, slots=True)
class Input:
    """One document to lint: where it came from, its bytes, and the URL relative links resolve to."""

    label: str
    data: bytes
    base_url: str | None
    early: tuple[Diagnostic, ...] = ()
    template: Path | None = None
    """A ``*.xml.j2`` flow template: rendered with sample parameters before it is checked."""


_URL_SAFE = re.compile(r"[A-Za-z0-9_.~/-]*")
"""What ``quote`` leaves as it is: most file names, which then skip it."""


def _file_url(base_url: str, relative: str) -> str:
    return f"{base_url}/{relative if _URL_SAFE.fullmatch(relative) else quote(relative)}"


def _files_under(directory: Path) -> list[tuple[str, str]]:
    """Every file to lint under a directory, sorted, with its ``file:`` URL: hidden directories
    are skipped (links to directories are not followed, as ``os.walk`` does not), and the URLs
    are built from the directory resolved once (a realpath for each file would cost more than
    linting it). One ``scandir`` per folder, no ``stat`` for most entries, strings not Paths."""
    base_url = directory.resolve().as_uri()
    top = "" if str(directory) == "." else str(directory)
    found: list[tuple[str, str]] = []
    pending = [""]
    while pending:
        prefix = pending.pop()
        try:
            entries = list(os.scandir(os.path.join(top, prefix) if prefix else top or "."))
        except OSError:  # a folder that cannot be listed is skipped, as os.walk skips it
            continue
        for entry in entries:
            name = entry.name
            if name.endswith(FILE_SUFFIXES):
                with contextlib.suppress(OSError):
                    if entry.is_file():
                        relative = prefix + name
                        found.append((os.path.join(top, relative), _file_url(base_url, relative)))
                        continue
            if not name.startswith("."):
                with contextlib.suppress(OSError):
                    if entry.is_dir(follow_symlinks=False):
                        pending.append(prefix + name + "/")
    return sorted(found, key=lambda item: item[1])


def read_inputs(
    paths: Sequence[str], fetched: Mapping[str, Input | UnreadableInputError]
) -> Iterator[Input | UnreadableInputError]:
    """Each input in the order given (a directory's files sorted); ``fetched`` holds what the
    URLs among them gave (``cli.lint_fetch.fetch_all``)."""
    for given in paths:
        if given == "-":
            data = sys.stdin.buffer.read(MAX_DOCUMENT_BYTES + 1)
            yield _local_input("<stdin>", data, STDIN_BASE_URL)
            continue
        if given in fetched:
            yield fetched[given]
            continue
        path = Path(given)
        try:
            files = _files_under(path) if path.is_dir() else [(str(path), path.resolve().as_uri())]
        except OSError as error:  # a name too long for the file system, a loop of links...
            yield UnreadableInputError(f"cannot read {given}: {error.strerror or error}")
            continue
        if not files:
            yield UnreadableInputError(
                f"nothing to lint under {path}: no {', '.join(FILE_PATTERNS)} files"
            )
        for file, file_url in files:
            if file.endswith(TEMPLATE_SUFFIX):
                yield Input(file, b"", file_url, template=Path(file))
                continue
            try:
                data = _read_file(file, MAX_DOCUMENT_BYTES + 1)
            except OSError as error:
                yield UnreadableInputError(f"cannot read {file}: {error.strerror or error}")
                continue
            yield _local_input(file, data, file_url)


def _read_file(path: str, limit: int) -> bytes:
    """At most ``limit`` bytes of a file (``/dev/zero`` never ends; a pipe gives its bytes in
    pieces), through the file descriptor: a buffered file object costs more than a 1 KB read."""
    descriptor = os.open(path, os.O_RDONLY | os.O_CLOEXEC)
    try:
        parts: list[bytes] = []
        left = limit
        while left > 0:
            part = os.read(descriptor, left)
            if not part:
                break
            parts.append(part)
            left -= len(part)
    finally:
        os.close(descriptor)
    return parts[0] if len(parts) == 1 else b"".join(parts)


def _local_input(label: str, data: bytes, base_url: str) -> Input:
    """A file or standard input, read up to one byte past the size cap."""
    if len(data) <= MAX_DOCUMENT_BYTES:
        return Input(label, data, base_url)
    too_large = codes.RESPONSE_TOO_LARGE.diagnostic(
        f"The document is over {MAX_DOCUMENT_BYTES:,} bytes (reading stopped there)",
        line=1,
        column=1,
        path=label,
        hint="Split the flow into several documents joined with <Redirect>.",
    )
    return Input(label, b"", base_url, (too_large,))
