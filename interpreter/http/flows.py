"""Hosting call-flow files: plain TwiML, or Jinja2 templates filled from the webhook request.

A request for ``/flows/menu`` serves ``menu.xml`` from the flow directory, or renders
``menu.xml.j2`` with the request's parameters. Templates run in Jinja2's sandbox with XML
autoescaping; paths never leave the flow directory.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from jinja2 import FileSystemLoader, StrictUndefined, TemplateError
from jinja2.sandbox import ImmutableSandboxedEnvironment

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

    def __init__(self, root: Path) -> None:
        self.root = root.resolve()
        self._templates = ImmutableSandboxedEnvironment(
            loader=FileSystemLoader(str(self.root)),
            autoescape=True,
            undefined=StrictUndefined,
            trim_blocks=True,
            lstrip_blocks=True,
            finalize=_xml_characters,
        )

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

    def render(self, flow: Flow, params: Mapping[str, str], url: str) -> bytes:
        """The flow's TwiML: the file itself, or the template filled with ``params`` and ``url``."""
        if not flow.is_template:
            return flow.path.read_bytes()
        template_name = flow.path.relative_to(self.root).as_posix()
        try:
            template = self._templates.get_template(template_name)
            text = template.render(params=dict(params), url=url, **_identifiers(params))
        except TemplateError as error:
            raise FlowError(f"Template {template_name} failed: {error}", 500) from error
        return text.encode("utf-8")


_NOT_XML = re.compile("[^\t\n\r\x20-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")
"""Characters XML 1.0 has no place for (NUL, other controls, lone surrogates, U+FFFE)."""


def _xml_characters(value: Any) -> Any:
    """A value printed by a template without the characters no XML document may contain, so
    that a request parameter (``SpeechResult=%00``) cannot make the served TwiML unparseable."""
    return _NOT_XML.sub("", value) if isinstance(value, str) else value


def _identifiers(params: Mapping[str, str]) -> dict[str, str]:
    """Parameters usable as bare template names (``{{ From }}``): those that are identifiers."""
    return {key: value for key, value in params.items() if key.isidentifier()}
