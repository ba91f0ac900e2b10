"""``callbox lint``: check TwiML files, directories, templates, URLs and standard input, as CI
runs it, with the selection and severities of ``[tool.callbox.lint]`` (``markup.lint.config``).

Exit status: 0 when clean (warnings allowed unless ``--strict``), 1 when findings fail the run,
2 on a usage error, a bad configuration, a directory with nothing to lint, or an input that
cannot be read (the reason goes to standard error).
"""

from __future__ import annotations

import argparse
import gc
import os
import re
import sys
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, replace
from pathlib import Path
from typing import BinaryIO
from urllib.parse import quote

import anyio

from callbox import codes
from callbox.cli import color
from callbox.cli.lint_templates import is_template, render
from callbox.diagnostics import Diagnostic
from callbox.interpreter.documents import XML_TYPES
from callbox.interpreter.fetch import DEFAULT_LIMITS
from callbox.interpreter.policy import FetchPolicy
from callbox.interpreter.webhook import FetchResult
from callbox.markup.check import check
from callbox.markup.dialect import Dialect
from callbox.markup.limits import MAX_DOCUMENT_BYTES
from callbox.markup.lint.config import LintConfig, LintConfigError, check_selectors, load_config
from callbox.markup.lint.suppressions import without_suppressed
from callbox.markup.report import FORMATS, format_colour_text, summary
from callbox.markup.source import Source
from callbox.switchboard import Switchboard

HELP = "Check TwiML call flows (files, directories, URLs or '-' for stdin) for mistakes."

STDIN_BASE_URL = "file:///dev/stdin"
FILE_SUFFIXES = (".xml", ".twiml", ".xml.j2")
"""What a directory is searched for (recursively, hidden directories skipped)."""
FILE_PATTERNS = tuple(f"*{suffix}" for suffix in FILE_SUFFIXES)
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
        help="files, directories (every *.xml, *.twiml and *.xml.j2, recursively), "
        "http(s) URLs, or - for stdin",
    )
    parser.add_argument(
        "--format",
        choices=sorted(FORMATS),
        default="text",
        help="output format (default: text; sarif for GitHub code scanning, junit for CI reports)",
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
        "--warn-only",
        action="store_true",
        help="Twilio's own severities: what Twilio only warns about (12200, 13xxx) is a warning",
    )
    parser.add_argument(
        "--color",
        choices=("auto", "always", "never"),
        default="auto",
        help="colour the text output: auto (on a terminal, unless NO_COLOR is set), always, never",
    )
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
        "--allow-private",
        action="store_true",
        help="allow fetching URLs on private network addresses (10/8, 172.16/12, 192.168/16...)",
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
    template: Path | None = None
    """A ``*.xml.j2`` flow template: rendered with sample parameters before it is checked."""


def _selectors(values: Sequence[str], option: str) -> tuple[str, ...]:
    entries = [e for value in values for e in value.split(",")]
    try:
        return check_selectors(entries, option)
    except LintConfigError as error:
        raise UsageError(str(error)) from error


def _files_under(directory: Path) -> list[tuple[Path, str]]:
    """Every file to lint under a directory, sorted, with its ``file:`` URL: hidden directories
    are skipped, and the URLs are built from the directory resolved once (a realpath for each
    file would cost more than linting it)."""
    base_url = directory.resolve().as_uri()
    found: list[tuple[Path, str]] = []
    for folder, subfolders, names in os.walk(directory):
        subfolders[:] = [name for name in subfolders if not name.startswith(".")]
        relative = Path(folder).relative_to(directory).as_posix()
        prefix = "" if relative == "." else relative + "/"
        for name in names:
            if name.endswith(FILE_SUFFIXES) and os.path.isfile(os.path.join(folder, name)):
                found.append((Path(folder, name), f"{base_url}/{quote(prefix + name)}"))
    return sorted(found, key=lambda item: item[1])


def _fetch_failure(url: str, result: FetchResult) -> UnreadableInputError:
    if result.error_code == codes.HTTP_RETRIEVAL_FAILURE.id and result.status_code:
        reason = f"HTTP {result.status_code}"
    elif result.error_code == codes.HTTP_TOO_MANY_REDIRECTS.id:
        reason = f"more than {DEFAULT_LIMITS.max_redirects} redirects"
    else:
        reason = result.message or f"error {result.error_code}"
    return UnreadableInputError(f"cannot fetch {url}: {reason}")


def _fetched(url: str, result: FetchResult) -> Input | UnreadableInputError:
    """What lint checks of a fetched URL: its body, and what Twilio would refuse of the response
    (12300 a content type that is not TwiML, 11750 a body over the cap) as diagnostics."""
    if result.error_code == codes.RESPONSE_TOO_LARGE.id:
        too_large = codes.RESPONSE_TOO_LARGE.diagnostic(
            f"The response is over {DEFAULT_LIMITS.document_cap:,} bytes (reading stopped there)",
            line=1,
            column=1,
            path=url,
            hint="Split the flow into several documents joined with <Redirect>.",
        )
        return Input(url, b"", result.url or url, (too_large,))
    if result.error_code == codes.EMPTY_RESPONSE.id:
        empty = codes.EMPTY_RESPONSE.diagnostic(
            "The response has an empty body", line=1, column=1, path=url
        )
        return Input(url, b"", result.url or url, (empty,))
    if not result.ok:
        return _fetch_failure(url, result)
    early: list[Diagnostic] = []
    if result.content_type not in XML_TYPES:
        early.append(
            codes.INVALID_CONTENT_TYPE.diagnostic(
                f"Content-Type is '{result.content_type or 'missing'}'; Twilio reads TwiML only "
                "from text/xml, application/xml or text/html",
                line=1,
                column=1,
                path=url,
                hint="Serve the document with Content-Type: text/xml.",
            )
        )
    return Input(url, result.body, result.url or url, tuple(early))


async def _fetch_all(
    urls: Sequence[str], policy: FetchPolicy
) -> dict[str, Input | UnreadableInputError]:
    """Every URL fetched at once through the interpreter's fetcher: the call's policy (which
    hosts), limits (64 KB, 10 redirects, 15 s in all) and one HTTP client."""
    found: dict[str, Input | UnreadableInputError] = {}
    async with Switchboard(policy=policy) as board:

        async def fetch(url: str) -> None:
            # each URL is fetched as a call's first URL is: loopback only for a loopback URL
            fetcher = board.fetcher(auth_token="", policy=policy.for_first_url(url))
            found[url] = _fetched(url, await fetcher.fetch_markup(url))

        async with anyio.create_task_group() as group:
            for url in dict.fromkeys(urls):
                group.start_soon(fetch, url)
    return found


def _check_scheme(url: str) -> None:
    scheme = url.split(":", 1)[0].lower()
    if scheme not in ("http", "https"):
        raise UsageError(f"{url}: only http and https URLs can be fetched, not {scheme}:")


def _inputs(
    paths: Sequence[str], policy: FetchPolicy | None = None
) -> Iterator[Input | UnreadableInputError]:
    urls = [given for given in paths if URL_LIKE.match(given)]
    for url in urls:
        _check_scheme(url)
    fetched = anyio.run(_fetch_all, urls, policy or FetchPolicy()) if urls else {}
    for given in paths:
        if given == "-":
            yield _local_input("<stdin>", sys.stdin.buffer, STDIN_BASE_URL)
            continue
        if given in fetched:
            yield fetched[given]
            continue
        path = Path(given)
        try:
            files = _files_under(path) if path.is_dir() else [(path, path.resolve().as_uri())]
        except OSError as error:  # a name too long for the file system, a loop of links...
            yield UnreadableInputError(f"cannot read {given}: {error.strerror or error}")
            continue
        if not files:
            yield UnreadableInputError(
                f"nothing to lint under {path}: no {', '.join(FILE_PATTERNS)} files"
            )
        for file, file_url in files:
            if is_template(file):
                yield Input(str(file), b"", file_url, template=file)
                continue
            try:
                with file.open("rb") as stream:
                    item = _local_input(str(file), stream, file_url)
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
        try:
            config = load_config()
        except LintConfigError as error:
            raise UsageError(str(error)) from error
        return _lint(args, _with_options(config, args, select, ignore))
    except UsageError as error:
        print(f"callbox lint: {error}", file=sys.stderr)
        return 2


def _with_options(
    config: LintConfig, args: argparse.Namespace, select: Sequence[str], ignore: Sequence[str]
) -> LintConfig:
    """The configuration with the command line's options on top: ``--select`` replaces the
    configured selection, ``--ignore`` adds to it, ``--warn-only`` turns leniency on."""
    return replace(
        config,
        select=tuple(select) or config.select,
        extend_select=() if select else config.extend_select,
        ignore=config.ignore + tuple(ignore),
        warn_only=config.warn_only or args.warn_only,
    )


def _template_text(path: Path) -> bytes:
    try:
        with path.open("rb") as stream:
            return stream.read(MAX_DOCUMENT_BYTES)
    except OSError:
        return b""


def _use_colour(choice: str) -> bool:
    if choice != "auto":
        return choice == "always"
    return color.wanted(sys.stdout)


def _lint(args: argparse.Namespace, config: LintConfig) -> int:
    # What the imports made outlives the run: moved out of the collector's way while it lasts, so
    # that the collections each document's garbage triggers do not walk it every time.
    gc.freeze()
    try:
        return _lint_inputs(args, config)
    finally:
        gc.unfreeze()


def _lint_inputs(args: argparse.Namespace, config: LintConfig) -> int:
    dialect = Dialect(args.dialect)
    reported: list[Diagnostic] = []
    sources: dict[str, Source] = {}
    checked = 0
    unreadable = False
    for item in _inputs(args.paths, FetchPolicy(allow_private=args.allow_private)):
        if isinstance(item, UnreadableInputError):
            print(f"callbox lint: {item}", file=sys.stderr)
            unreadable = True
            continue
        checked += 1
        found = list(item.early)
        data = item.data
        if item.template is not None:
            rendered = render(item.template, item.label, config.template_parameters)
            if rendered.failure is not None:
                found.append(rendered.failure)
            data = rendered.data or b""
        if data or not found:
            base_url = None if args.no_base_url else item.base_url
            result = check(data, item.label, dialect=dialect, base_url=base_url, model=False)
            sources[item.label] = result.source
            found.extend(without_suppressed(result.diagnostics, result.root))
        else:  # a template that did not render: its lines are shown
            shown = _template_text(item.template) if item.template is not None else b""
            sources.setdefault(item.label, Source(shown, item.label))
        reported.extend(config.apply(found, item.label))
    formatter = FORMATS[args.format]
    if args.format == "text" and _use_colour(args.color):
        formatter = format_colour_text
    sys.stdout.write(formatter(reported, sources))
    if args.format == "text" and (checked or not unreadable):
        print(summary(reported, checked))
    if unreadable:
        return 2
    failing = [d for d in reported if d.is_error or args.strict]
    return 1 if failing else 0
