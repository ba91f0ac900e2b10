"""``callbox lint``: check TwiML files, directories, URLs and standard input, as CI runs it.

Exit status: 0 when clean (warnings allowed unless ``--strict``), 1 when findings fail the run,
2 on a usage error or an input that cannot be read (the reason goes to standard error).
"""

from __future__ import annotations

import argparse
import re
import sys
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import BinaryIO

import httpx

from callbox import codes
from callbox.diagnostics import Diagnostic
from callbox.markup.check import check
from callbox.markup.dialect import Dialect
from callbox.markup.parser import MAX_DOCUMENT_BYTES
from callbox.markup.report import FORMATS, summary
from callbox.markup.source import Source

HELP = "Check TwiML call flows (files, directories, URLs or '-' for stdin) for mistakes."

FETCH_TIMEOUT_SECONDS = 15.0
MAX_REDIRECTS = 10
TWIML_CONTENT_TYPES = frozenset({"text/xml", "application/xml", "text/html"})
STDIN_BASE_URL = "file:///dev/stdin"
URL_LIKE = re.compile(r"^[A-Za-z][A-Za-z0-9+.-]*://")


class UsageError(Exception):
    """The command line asks for something that cannot be done (exit status 2)."""


class UnreadableInputError(Exception):
    """An input that cannot be read or fetched (exit status 2)."""


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "paths",
        nargs="*",
        metavar="PATH|URL|-",
        help="files, directories (every *.xml, recursively), http(s) URLs, or - for stdin",
    )
    parser.add_argument(
        "--format", choices=sorted(FORMATS), default="text", help="output format (default: text)"
    )
    parser.add_argument(
        "--select",
        action="append",
        default=[],
        metavar="CODES",
        help="report only these codes or symbols (comma-separated; prefixes like CF1 allowed)",
    )
    parser.add_argument(
        "--ignore",
        action="append",
        default=[],
        metavar="CODES",
        help="never report these codes or symbols (comma-separated; prefixes allowed)",
    )
    parser.add_argument("--strict", action="store_true", help="warnings fail the run too")
    parser.add_argument(
        "--dialect",
        choices=[d.value for d in Dialect],
        default=Dialect.AUTO.value,
        help="voice, messaging, or auto: messaging when the document has <Message> (default)",
    )
    parser.add_argument(
        "--no-base-url",
        action="store_true",
        help="the documents are inline TwiML with no URL: relative URLs are errors (15004)",
    )
    parser.add_argument(
        "--explain", metavar="CODE", help="print the explanation of a code or symbol and exit"
    )


@dataclass(frozen=True)
class Input:
    """One document to lint: where it came from, its bytes, and the URL relative links resolve to."""

    label: str
    data: bytes
    base_url: str | None
    early: tuple[Diagnostic, ...] = ()


def _selectors(values: Sequence[str], option: str) -> list[str]:
    entries = [e.strip() for value in values for e in value.split(",") if e.strip()]
    for entry in entries:
        known = any(
            code.id.startswith(entry.upper()) or code.symbol == entry.lower()
            for code in codes.CODES.values()
        )
        if not known:
            raise UsageError(f"{option} {entry}: no code or symbol matches it")
    return entries


def _matches(diagnostic: Diagnostic, entries: Sequence[str]) -> bool:
    return any(
        diagnostic.code.startswith(entry.upper()) or diagnostic.symbol == entry.lower()
        for entry in entries
    )


def _files_under(directory: Path) -> Iterator[Path]:
    for path in sorted(directory.rglob("*.xml")):
        relative = path.relative_to(directory).parts
        if path.is_file() and not any(part.startswith(".") for part in relative[:-1]):
            yield path


def _fetch(url: str) -> Input:
    scheme = url.split(":", 1)[0].lower()
    if scheme not in ("http", "https"):
        raise UsageError(f"{url}: only http and https URLs can be fetched, not {scheme}:")
    try:
        with (
            httpx.Client(
                timeout=FETCH_TIMEOUT_SECONDS, follow_redirects=True, max_redirects=MAX_REDIRECTS
            ) as client,
            client.stream("GET", url, headers={"Accept": "text/xml, application/xml"}) as response,
        ):
            if response.status_code >= 400:
                raise UnreadableInputError(f"cannot fetch {url}: HTTP {response.status_code}")
            body = bytearray()
            for chunk in response.iter_bytes():
                body.extend(chunk)
                if len(body) > MAX_DOCUMENT_BYTES:
                    break
            final_url = str(response.url)
            content_type = response.headers.get("content-type", "")
    except httpx.TooManyRedirects as error:
        raise UnreadableInputError(
            f"cannot fetch {url}: more than {MAX_REDIRECTS} redirects"
        ) from error
    except httpx.TimeoutException as error:
        raise UnreadableInputError(
            f"cannot fetch {url}: no answer within {FETCH_TIMEOUT_SECONDS:g} seconds"
        ) from error
    except (httpx.HTTPError, httpx.InvalidURL) as error:
        raise UnreadableInputError(f"cannot fetch {url}: {error}") from error
    early: list[Diagnostic] = []
    media_type = content_type.split(";")[0].strip().lower()
    if media_type not in TWIML_CONTENT_TYPES:
        early.append(
            codes.INVALID_CONTENT_TYPE.diagnostic(
                f"Content-Type is '{content_type or 'missing'}'; Twilio reads TwiML only from "
                "text/xml, application/xml or text/html",
                line=1,
                column=1,
                path=url,
                hint="Serve the document with Content-Type: text/xml.",
            )
        )
    if len(body) > MAX_DOCUMENT_BYTES:
        early.append(
            codes.RESPONSE_TOO_LARGE.diagnostic(
                f"The response is over {MAX_DOCUMENT_BYTES:,} bytes (reading stopped there)",
                line=1,
                column=1,
                path=url,
                hint="Split the flow into several documents joined with <Redirect>.",
            )
        )
        return Input(url, b"", final_url, tuple(early))
    return Input(url, bytes(body), final_url, tuple(early))


def _inputs(paths: Sequence[str]) -> Iterator[Input | UnreadableInputError]:
    for given in paths:
        if given == "-":
            yield _local_input("<stdin>", sys.stdin.buffer, STDIN_BASE_URL)
            continue
        if URL_LIKE.match(given):
            try:
                yield _fetch(given)
            except UnreadableInputError as error:
                yield error
            continue
        path = Path(given)
        try:
            files = list(_files_under(path)) if path.is_dir() else [path]
        except OSError as error:  # a name too long for the file system, a loop of links...
            yield UnreadableInputError(f"cannot read {given}: {error.strerror or error}")
            continue
        if not files:
            print(f"callbox lint: warning: no *.xml files under {path}", file=sys.stderr)
        for file in files:
            try:
                with file.open("rb") as stream:
                    item = _local_input(str(file), stream, file.resolve().as_uri())
            except OSError as error:
                yield UnreadableInputError(f"cannot read {file}: {error.strerror or error}")
                continue
            yield item


def _local_input(label: str, stream: BinaryIO, base_url: str) -> Input:
    """A file or standard input, read up to the size cap (``/dev/zero`` never ends)."""
    data = stream.read(MAX_DOCUMENT_BYTES + 1)
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


def _explain(code_or_symbol: str) -> int:
    try:
        code = codes.lookup(code_or_symbol)
    except codes.UnknownCodeError:
        print(f"callbox lint: unknown code or symbol: {code_or_symbol}", file=sys.stderr)
        return 2
    sys.stdout.write(codes.explanation(code))
    return 0


def run(args: argparse.Namespace) -> int:
    if args.explain:
        return _explain(args.explain)
    try:
        if not args.paths:
            raise UsageError("give at least one PATH, URL or - (or --explain CODE)")
        select = _selectors(args.select, "--select")
        ignore = _selectors(args.ignore, "--ignore")
        return _lint(args, select, ignore)
    except UsageError as error:
        print(f"callbox lint: {error}", file=sys.stderr)
        return 2


def _lint(args: argparse.Namespace, select: Sequence[str], ignore: Sequence[str]) -> int:
    dialect = Dialect(args.dialect)
    reported: list[Diagnostic] = []
    sources: dict[str, Source] = {}
    checked = 0
    unreadable = False
    for item in _inputs(args.paths):
        if isinstance(item, UnreadableInputError):
            print(f"callbox lint: {item}", file=sys.stderr)
            unreadable = True
            continue
        checked += 1
        found = list(item.early)
        if item.data or not item.early:
            base_url = None if args.no_base_url else item.base_url
            result = check(item.data, item.label, dialect=dialect, base_url=base_url, model=False)
            sources[item.label] = result.source
            found.extend(result.diagnostics)
        reported.extend(
            d
            for d in found
            if (not select or _matches(d, select)) and not (ignore and _matches(d, ignore))
        )
    sys.stdout.write(FORMATS[args.format](reported, sources))
    if args.format == "text":
        print(summary(reported, checked))
    if unreadable:
        return 2
    failing = [d for d in reported if d.is_error or args.strict]
    return 1 if failing else 0
