"""Hosting call-flow files: plain TwiML, or Jinja2 templates filled from the webhook request.

A request for ``/flows/menu`` serves ``menu.xml`` from the flow directory, or renders
``menu.xml.j2`` with the request's parameters. Templates run in Jinja2's sandbox with XML
autoescaping, under the limits of ``templates``; paths never leave the flow directory, and a
template includes only what ``/flows/NAME`` would serve.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

from jinja2 import TemplateError

from callbox.interpreter.http.templates import (
    MAX_TEMPLATE_OUTPUT,
    MAX_TEMPLATE_SECONDS,
    FlowLoader,
    FlowTemplates,
    render_in_time,
    template_context,
)

PLAIN_SUFFIX = ".xml"
TEMPLATE_SUFFIX = ".xml.j2"


class FlowError(Exception):
    """A flow that cannot be served; ``status`` is the HTTP status to answer with."""

    def __init__(self, message: str, status: int) -> None:
        super().__init__(message)
        self.status = status


@dataclass(frozen=True)
class Flow:
    """One hosted flow file."""

    name: str
    path: Path

    @property
    def is_template(self) -> bool:
        return self.path.name.endswith(TEMPLATE_SUFFIX)


class FlowDirectory:
    """The flow files under one directory, found by name and rendered on request."""

    def __init__(
        self,
        root: Path,
        *,
        max_output: int = MAX_TEMPLATE_OUTPUT,
        max_seconds: float = MAX_TEMPLATE_SECONDS,
    ) -> None:
        self.root = root.resolve()
        self.max_output = max_output
        self.max_seconds = max_seconds
        self._templates = FlowTemplates(FlowLoader(self.root))

    def flows(self) -> list[Flow]:
        """Every flow file that ``find`` serves, sorted by name: not hidden, not a link out of
        the directory, and named in text (a file name that is not UTF-8 has no URL)."""
        found: list[Flow] = []
        for path in sorted(self.root.rglob("*")):
            relative = path.relative_to(self.root).as_posix()
            if (
                any(part.startswith(".") for part in relative.split("/"))
                or not relative.isprintable()
            ):
                continue
            if not (path.is_file() and path.resolve().is_relative_to(self.root)):
                continue
            for suffix in (TEMPLATE_SUFFIX, PLAIN_SUFFIX):
                if relative.endswith(suffix):
                    found.append(Flow(relative[: -len(suffix)], path))
                    break
        return found

    def find(self, name: str) -> Flow:
        """The flow called ``name`` (``menu`` or ``support/menu``); FlowError 404 if none."""
        name = name.strip("/") or "index"
        for suffix in (PLAIN_SUFFIX, TEMPLATE_SUFFIX):
            if name.endswith(suffix):
                name = name[: -len(suffix)]
        parts = name.split("/")
        if any(part in ("", ".", "..") or part.startswith(".") for part in parts):
            raise FlowError(f"No flow called {name!r}", 404)
        for suffix in (PLAIN_SUFFIX, TEMPLATE_SUFFIX):
            try:
                candidate = (self.root / (name + suffix)).resolve()
                found = candidate.is_file() and candidate.is_relative_to(self.root)
            except (OSError, ValueError):  # a name no file can have (NUL, too long): no flow
                found = False
            if found:
                return Flow(name, candidate)
        raise FlowError(f"No flow called {name!r}", 404)

    async def render(self, flow: Flow, params: Mapping[str, str], url: str) -> bytes:
        """The flow's TwiML: the file itself, or the template filled with ``params`` and ``url``
        (in a thread of its own, within the output and time limits)."""
        if not flow.is_template:
            return flow.path.read_bytes()
        template_name = flow.path.relative_to(self.root).as_posix()
        try:
            text = await render_in_time(
                self._templates,
                template_name,
                template_context(params, url),
                max_output=self.max_output,
                max_seconds=self.max_seconds,
            )
        except TemplateError as error:
            raise FlowError(f"CF604 Template {template_name} failed: {error}", 500) from error
        except Exception as error:  # anything a template can raise is its failure, not ours
            raise FlowError(
                f"CF604 Template {template_name} failed: {type(error).__name__}: {error}", 500
            ) from error
        return text.encode("utf-8")
