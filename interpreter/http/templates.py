"""Jinja2 for hosted flows, under limits: a sandbox whose operators, calls and filters refuse
sizes that would exhaust memory, a loader that opens only what ``/flows/NAME`` would serve, and a
render that stops at an output cap and a time cap (in its own thread, stopped at the deadline).

A request's parameters never shadow what the template itself relies on: ``params``, ``url``,
Jinja's own names (``self``, ``loop``...) and its globals (``range``, ``dict``...) stay theirs.
"""

from __future__ import annotations

import contextlib
import ctypes
import functools
import keyword
import re
import threading
import time
from collections.abc import Callable, Iterable, Mapping
from pathlib import Path
from typing import Any

import anyio
import anyio.from_thread
import anyio.lowlevel
from jinja2 import FileSystemLoader, StrictUndefined, TemplateError, TemplateNotFound
from jinja2.defaults import DEFAULT_NAMESPACE
from jinja2.environment import Environment
from jinja2.sandbox import ImmutableSandboxedEnvironment

MAX_TEMPLATE_OUTPUT = 64 * 1024
"""A rendered flow longer than Twilio's 64 KB document cap could never be run: the render stops."""
MAX_TEMPLATE_SECONDS = 2.0
"""How long one render may take (a template is a few loops over request parameters)."""
MAX_VALUE_SIZE = 100_000
"""The largest string, sequence or number argument an operator, call or filter may make."""

_RESERVED = frozenset({"params", "url", "self", "loop", "super", "varargs", "kwargs", "caller"})
_WIDE_FORMAT = re.compile(r"%[-#0 +]*(\*|\d{6,})|\{[^{}]*[:,.<>=^]\s*\d{6,}")


class TemplateLimitError(TemplateError):
    """A template went past one of the limits (size, output, time)."""


class _TimeUp(BaseException):
    """Raised inside a render thread that ran out of time (a BaseException: nothing catches it)."""


_WIDTH_FILTERS = frozenset({"center", "indent"})
"""Filters whose number argument is a size to allocate (``'x' | center(10**9)``)."""
_WIDTH_METHODS = frozenset({"center", "ljust", "rjust", "zfill", "expandtabs"})
"""String methods whose number argument is a size to allocate."""
_FORMAT_METHODS = frozenset({"format", "format_map"})


MAX_NUMBER_BITS = 1 << 20
"""The largest number a template may make (about 315,000 digits; a bigger one takes C time no
deadline can interrupt)."""


def _check_result(value: Any) -> None:
    """A value made by the template: no string or collection over ``MAX_VALUE_SIZE``, no
    number over ``MAX_NUMBER_BITS``."""
    if isinstance(value, str | bytes | list | tuple | dict) and len(value) > MAX_VALUE_SIZE:
        raise TemplateLimitError(f"a value of {len(value):,} items is over the limit")
    if isinstance(value, int) and value.bit_length() > MAX_NUMBER_BITS:
        raise TemplateLimitError("a number over the size limit")


def _check_widths(values: Iterable[Any]) -> None:
    """Sizes given to something that allocates them: none over ``MAX_VALUE_SIZE``."""
    for value in values:
        if isinstance(value, int) and not isinstance(value, bool) and value > MAX_VALUE_SIZE:
            raise TemplateLimitError(f"the size {value} is over the limit of {MAX_VALUE_SIZE:,}")


def _check_format(text: Any) -> None:
    """A format string (``%`` or ``format``): no field width or precision over the limit."""
    if isinstance(text, str) and _WIDE_FORMAT.search(text):
        raise TemplateLimitError("a format with a width over the limit")


def _too_big_a_power(operator_: str, left: Any, right: Any) -> bool:
    if operator_ != "**" or not (isinstance(left, int) and isinstance(right, int)):
        return False
    return abs(right) > 64 or (abs(left) > 1 and left.bit_length() * right > MAX_NUMBER_BITS)


def _guarded(name: str, function: Callable[..., Any]) -> Callable[..., Any]:
    @functools.wraps(function)  # keeps Jinja's pass_context / pass_environment marks
    def call(*args: Any, **kwargs: Any) -> Any:
        _DEADLINE.check()
        if name in _WIDTH_FILTERS:
            _check_widths((*args, *kwargs.values()))
        if name == "format":
            _check_format(next((a for a in args if isinstance(a, str)), None))
        result = function(*args, **kwargs)
        _check_result(result)
        return result

    return call


class _Deadline(threading.local):
    """When the render in this thread must end, and its time limit (for the message)."""

    at: float | None = None
    seconds: float = 0.0

    def check(self) -> None:
        if self.at is not None and time.monotonic() > self.at:
            raise TemplateLimitError(f"the template took over {self.seconds:g} s")


_DEADLINE = _Deadline()


class FlowTemplates(ImmutableSandboxedEnvironment):
    """The sandbox hosted templates run in (XML autoescaping, strict undefined names)."""

    intercepted_binops = frozenset({"*", "**", "+", "%", "//"})
    intercepted_unops = frozenset()

    def __init__(self, loader: FileSystemLoader) -> None:
        super().__init__(
            loader=loader,
            autoescape=True,
            undefined=StrictUndefined,
            trim_blocks=True,
            lstrip_blocks=True,
            finalize=_xml_characters,
        )
        self.filters = {name: _guarded(name, f) for name, f in self.filters.items()}

    def call_binop(self, context: Any, operator_: str, left: Any, right: Any) -> Any:
        _DEADLINE.check()
        if _too_big_a_power(operator_, left, right):
            raise TemplateLimitError(f"the power {left} ** {right} is over the size limit")
        if operator_ == "*":
            sizes = [len(v) for v in (left, right) if isinstance(v, str | list | tuple)]
            counts = [v for v in (left, right) if isinstance(v, int)]
            if sizes and counts and sizes[0] * max(counts[0], 0) > MAX_VALUE_SIZE:
                raise TemplateLimitError("a repeated value over the size limit")
        if operator_ == "%":
            _check_format(left)
        result = super().call_binop(context, operator_, left, right)
        _check_result(result)
        return result

    def call(self, __context: Any, __obj: Any, *args: Any, **kwargs: Any) -> Any:
        _DEADLINE.check()
        owner = getattr(__obj, "__self__", None)
        method = getattr(__obj, "__name__", "")
        if isinstance(owner, str) and method in _WIDTH_METHODS:
            _check_widths((*args, *kwargs.values()))
        if isinstance(owner, str) and method in _FORMAT_METHODS:
            _check_format(owner)
        result = super().call(__context, __obj, *args, **kwargs)
        _check_result(result)
        return result

    def getattr(self, obj: Any, attribute: str) -> Any:
        _DEADLINE.check()
        return super().getattr(obj, attribute)

    def getitem(self, obj: Any, argument: Any) -> Any:
        _DEADLINE.check()
        return super().getitem(obj, argument)


class FlowLoader(FileSystemLoader):
    """Opens a template (``{% include %}``, ``{% extends %}``) only where ``/flows/NAME`` would:
    no hidden file or directory, no ``..``, nothing a link leads to outside the flow directory."""

    def __init__(self, root: Path) -> None:
        super().__init__(str(root))
        self.root = root

    def get_source(
        self, environment: Environment, template: str
    ) -> tuple[str, str, Callable[[], bool]]:
        parts = template.replace("\\", "/").split("/")
        if any(part in ("", ".", "..") or part.startswith(".") for part in parts):
            raise TemplateNotFound(template)
        try:
            path = (self.root / template).resolve()
            inside = path.is_file() and path.is_relative_to(self.root)
        except (OSError, ValueError):
            inside = False
        if not inside:
            raise TemplateNotFound(template)
        return super().get_source(environment, template)


def template_context(params: Mapping[str, str], url: str) -> dict[str, Any]:
    """What a template sees: ``params`` (every parameter), ``url``, and each parameter whose name
    is an identifier that shadows nothing (``{{ From }}``; ``params.url`` for one named ``url``)."""
    shadowed = _RESERVED | set(DEFAULT_NAMESPACE)
    context: dict[str, Any] = {
        key: value
        for key, value in params.items()
        if key.isidentifier() and not keyword.iskeyword(key) and key not in shadowed
    }
    context["params"] = dict(params)
    context["url"] = url
    return context


def render_capped(
    environment: FlowTemplates, name: str, context: dict[str, Any], max_output: int
) -> str:
    """Render ``name`` with ``context``; ``TemplateLimitError`` past ``max_output`` characters."""
    template = environment.get_template(name)
    pieces: list[str] = []
    size = 0
    for piece in template.generate(context):
        size += len(piece)
        if size > max_output:
            raise TemplateLimitError(f"the output is over {max_output:,} characters")
        pieces.append(piece)
        _DEADLINE.check()
    return "".join(pieces)


class _RenderThread:
    """One render in a thread of its own; ``stop`` raises ``_TimeUp`` in it while it renders
    (a loop with no call in it never reaches a deadline check)."""

    def __init__(self, render: Callable[[], str], max_seconds: float, done: Callable[[], None]):
        self._render = render
        self._max_seconds = max_seconds
        self._done = done
        self._lock = threading.Lock()
        self._rendering = True
        self.result: str | BaseException | None = None
        self.thread = threading.Thread(target=self._run, name="callbox-template", daemon=True)

    def _run(self) -> None:
        _DEADLINE.at = time.monotonic() + self._max_seconds
        _DEADLINE.seconds = self._max_seconds
        try:
            self.result = self._render()
        except _TimeUp:
            self.result = TemplateLimitError(f"the template took over {self._max_seconds:g} s")
        except Exception as error:  # the request gets it as its answer
            self.result = error
        while True:  # a _TimeUp still pending is raised here at the latest, and absorbed
            try:
                with self._lock:
                    self._rendering = False
                _DEADLINE.at = None
                break
            except _TimeUp:
                continue
        self._done()

    def stop(self) -> None:
        with self._lock:
            if self._rendering and self.thread.ident is not None:
                ctypes.pythonapi.PyThreadState_SetAsyncExc(
                    ctypes.c_ulong(self.thread.ident), ctypes.py_object(_TimeUp)
                )


async def render_in_time(
    environment: FlowTemplates,
    name: str,
    context: dict[str, Any],
    *,
    max_output: int = MAX_TEMPLATE_OUTPUT,
    max_seconds: float = MAX_TEMPLATE_SECONDS,
) -> str:
    """``render_capped`` in a thread of its own, given ``max_seconds``: the event loop never
    waits on a template, and a template still running at the deadline is stopped there."""
    done = anyio.Event()
    token = anyio.lowlevel.current_token()

    def finished() -> None:
        with contextlib.suppress(Exception):  # the server may have stopped meanwhile
            anyio.from_thread.run_sync(done.set, token=token)

    worker = _RenderThread(
        lambda: render_capped(environment, name, context, max_output), max_seconds, finished
    )
    worker.thread.start()
    with anyio.move_on_after(max_seconds + 0.25):
        await done.wait()
    if not done.is_set():
        worker.stop()
        raise TemplateLimitError(f"the template took over {max_seconds:g} s")
    if isinstance(worker.result, BaseException):
        raise worker.result
    assert isinstance(worker.result, str)
    return worker.result


_NOT_XML = re.compile("[^\t\n\r\x20-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")
"""Characters XML 1.0 has no place for (NUL, other controls, lone surrogates, U+FFFE)."""


def _xml_characters(value: Any) -> Any:
    """A value printed by a template without the characters no XML document may contain, so
    that a request parameter (``SpeechResult=%00``) cannot make the served TwiML unparseable."""
    return _NOT_XML.sub("", value) if isinstance(value, str) else value
