"""``callbox lint``: check TwiML files, directories, templates, URLs and standard input, as CI
runs it, with the selection and severities of ``[tool.callbox.lint]`` (``markup.lint.config``).

Exit status: 0 when clean (warnings allowed unless ``--strict``), 1 when findings fail the run,
2 on a usage error, a bad configuration, a directory with nothing to lint, or an input that
cannot be read (the reason goes to standard error).
"""

from __future__ import annotations

import argparse
import gc
import sys
from collections.abc import Sequence
from dataclasses import replace
from pathlib import Path

from callbox import codes
from callbox.cli import color
from callbox.cli.lint_inputs import URL_LIKE, Input, UnreadableInputError, read_inputs
from callbox.diagnostics import Diagnostic
from callbox.markup.check import check
from callbox.markup.dialect import Dialect
from callbox.markup.limits import MAX_DOCUMENT_BYTES
from callbox.markup.lint.config import LintConfig, LintConfigError, check_selectors, load_config
from callbox.markup.lint.suppressions import without_suppressed
from callbox.markup.report import FORMATS, format_colour_text, summary
from callbox.markup.source import Source

HELP = "Check TwiML call flows (files, directories, URLs or '-' for stdin) for mistakes."


class UsageError(Exception):
    """The command line asks for something that cannot be done (exit status 2)."""


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


def _selectors(values: Sequence[str], option: str) -> tuple[str, ...]:
    entries = [e for value in values for e in value.split(",")]
    try:
        return check_selectors(entries, option)
    except LintConfigError as error:
        raise UsageError(str(error)) from error


def _check_scheme(url: str) -> None:
    scheme = url.split(":", 1)[0].lower()
    if scheme not in ("http", "https"):
        raise UsageError(f"{url}: only http and https URLs can be fetched, not {scheme}:")


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
    urls = [given for given in args.paths if URL_LIKE.match(given)]
    for url in urls:
        _check_scheme(url)
    fetched: dict[str, Input | UnreadableInputError] = {}
    if urls:
        from callbox.cli.lint_fetch import fetch_all  # the HTTP client, only for URLs

        fetched = fetch_all(urls, args.allow_private)
    for item in read_inputs(args.paths, fetched):
        if isinstance(item, UnreadableInputError):
            print(f"callbox lint: {item}", file=sys.stderr)
            unreadable = True
            continue
        checked += 1
        found = list(item.early)
        data = item.data
        if item.template is not None:
            from callbox.cli.lint_templates import render  # jinja, only for templates

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
