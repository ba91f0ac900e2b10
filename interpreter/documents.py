"""A document as a call runs it: the content types that are TwiML, its verbs checked leniently
(``compile_document``; ``compile_off_loop``: small documents remembered, large ones off the event
loop within a time bound), which URLs in it are used as written, and what the call reports of a
verb (its tag, its place)."""

from __future__ import annotations

import functools
import threading
from collections.abc import Sequence
from urllib.parse import urljoin, urlsplit

import anyio
import anyio.to_thread

from callbox import codes
from callbox.diagnostics import Diagnostic
from callbox.interpreter.webhook import WEBHOOK_BUDGET
from callbox.markup.dialect import Dialect
from callbox.markup.source import Position

TWIML_CONTENT_TYPES = ("text/xml", "application/xml", "text/html")
"""Content types of a document that is TwiML, in the order an Accept header names them."""
XML_TYPES = frozenset(TWIML_CONTENT_TYPES)


def compile_document(
    body: bytes, url: str | None, dialect: Dialect = Dialect.VOICE
) -> tuple[Sequence[object], list[Diagnostic]]:
    """The verbs of a document (of ``dialect``: voice, or messaging) and what was found in it,
    leniently: a document that cannot be used at all gives no verbs and at least one error
    (12100, 12102, 11750...)."""
    from callbox.markup.check import check

    checked = check(body, url or "<inline>", dialect=dialect, base_url=url, rules=False)
    found = list(checked.diagnostics)
    if checked.root is None or checked.document is None:
        if not any(d.is_error for d in found):
            found.append(
                codes.INTERNAL_FAILURE.diagnostic("the document could not be built", path=url or "")
            )
        return (), found
    document = checked.document
    verbs: Sequence[object] = getattr(document, "verbs", ())
    return tuple(verbs), found


COMPILE_TIMEOUT = WEBHOOK_BUDGET
"""Seconds a document may take to parse and build (Twilio's whole budget for one webhook); a
64 KB document takes milliseconds, so this bound is only ever reached by a parser bug."""


INLINE_LIMIT = 4096
"""Documents up to this many bytes compile on the event loop: their parse is bounded by their
size (about 0.1 ms for 4 KB; libxml2 opens nothing), and it costs less than handing the work to
a worker thread and back, which under load (the loop busy with other calls) costs ~0.5 ms a
document. Larger ones, up to 64 KB (milliseconds), go to a worker thread within the bound."""


COMPILED_LIMIT = 256
"""Small documents remembered by ``compile_off_loop``: an application answers many calls with the
same few documents (its menus), and compiling one costs ~0.1 ms."""

Compiled = tuple[tuple[object, ...], tuple[Diagnostic, ...]]
_compiled: dict[tuple[bytes, str | None, Dialect], Compiled] = {}
_compiled_lock = threading.Lock()  # calls on event loops in other threads share the memory


def compile_remembered(
    body: bytes, url: str | None, dialect: Dialect = Dialect.VOICE
) -> tuple[Sequence[object], list[Diagnostic]]:
    """``compile_document``, remembered for the last ``COMPILED_LIMIT`` documents (the same bytes
    from the same URL as the same dialect). The model is immutable, so calls share it; each gets
    its own list of findings."""
    key = (body, url, dialect)
    found = _compiled.get(key)
    if found is None:
        verbs, diagnostics = compile_document(body, url, dialect)
        found = (tuple(verbs), tuple(diagnostics))
        with _compiled_lock:
            if len(_compiled) >= COMPILED_LIMIT:
                del _compiled[next(iter(_compiled))]  # the oldest
            _compiled[key] = found
    return found[0], list(found[1])


async def compile_off_loop(
    body: bytes,
    url: str | None,
    *,
    dialect: Dialect = Dialect.VOICE,
    timeout: float | None = None,
) -> tuple[Sequence[object], list[Diagnostic]]:
    """``compile_document``: remembered for a document up to ``INLINE_LIMIT`` bytes
    (``compile_remembered``), in a worker thread for a larger one, so
    the event loop (other calls, the call's own timers) never waits on a long parse: after
    ``timeout`` seconds (``COMPILE_TIMEOUT``) the call goes on with a 12100 and the thread is
    left to finish on its own."""
    if len(body) <= INLINE_LIMIT:
        return compile_remembered(body, url, dialect)
    timeout = COMPILE_TIMEOUT if timeout is None else timeout
    with anyio.move_on_after(timeout):
        return await anyio.to_thread.run_sync(
            compile_document, body, url, dialect, abandon_on_cancel=True
        )
    found = codes.DOCUMENT_PARSE_FAILURE.diagnostic(
        f"Document parse failure: the document was not parsed within {timeout:g} s",
        path=url or "",
    )
    return (), [found]


@functools.lru_cache(maxsize=1024)
def join_url(base: str, url: str) -> str:
    """``urljoin``, remembered: a call's actions resolve the same few relative URLs against the
    same documents again and again."""
    return urljoin(base, url)


def used_as_written(url: str) -> bool:
    """Whether ``url`` is used as written: it has a scheme, or it cannot be parsed at all
    (``http://[::1``), and the fetcher refuses it with 11100 instead of the call failing."""
    try:
        return bool(urlsplit(url).scheme)
    except ValueError:
        return True


def verb_name(verb: object) -> str:
    """The verb's tag (``Gather``), or its class name when it has none."""
    tag = getattr(verb, "tag", None)
    return tag if isinstance(tag, str) else type(verb).__name__


def verb_position(verb: object) -> Position | None:
    """Where the verb is in its document, when it knows."""
    position = getattr(verb, "position", None)
    if isinstance(position, Position):
        return position
    line = getattr(verb, "line", None)
    if isinstance(line, int):
        column = getattr(verb, "column", 0)
        return Position(line, column if isinstance(column, int) else 0)
    return None
