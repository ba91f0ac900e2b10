"""A strict twin of Twilio's OpenAPI spec, to hold the REST API's responses to Twilio's shapes.

Twilio's spec (``twilio_api_v2010.json``) is loose: no ``required``, no ``additionalProperties``.
The twin makes every property required, allows no others, checks the formats Twilio uses
(RFC 2822 dates, E.164 numbers, SIDs, URIs, HTTP methods, currencies) and gives every 4xx answer
Twilio's error body. Needs ``jsonschema`` (the ``dev`` extra).
"""

from __future__ import annotations

import copy
import json
import re
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import jsonschema
from jsonschema import Draft202012Validator, FormatChecker

METHODS = ("GET", "POST", "DELETE", "PUT", "PATCH")
SPEC_PATH = Path(".cache/twilio-oai/twilio_api_v2010.json")
RFC2822 = re.compile(
    r"^(Mon|Tue|Wed|Thu|Fri|Sat|Sun), \d{2} (Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec) "
    r"\d{4} \d{2}:\d{2}:\d{2} \+0000$"
)
E164 = re.compile(r"^\+[1-9]\d{1,14}$")
SID = re.compile(r"^[A-Z]{2}[0-9a-f]{32}$")
URI = re.compile(r"^(https?://[^\s/]+(/[^\s]*)?|/[^\s]*)$")
ERROR_SCHEMA: dict[str, Any] = {
    "type": "object",
    "properties": {
        "code": {"type": "integer"},
        "message": {"type": "string", "minLength": 1},
        "more_info": {"type": "string", "pattern": r"^https://www\.twilio\.com/docs/errors/\d+$"},
        "status": {"type": "integer", "minimum": 400, "maximum": 599},
    },
    "required": ["code", "message", "more_info", "status"],
    "additionalProperties": False,
}


class ContractError(AssertionError):
    """A response that Twilio's spec, made strict, does not allow."""


def format_checker() -> FormatChecker:
    checker = FormatChecker(formats=())
    checker.checks("date-time-rfc-2822")(lambda v: not isinstance(v, str) or bool(RFC2822.match(v)))
    checker.checks("phone-number")(lambda v: not isinstance(v, str) or bool(E164.match(v)))
    checker.checks("uri")(lambda v: not isinstance(v, str) or bool(URI.match(v)))
    checker.checks("http-method")(lambda v: not isinstance(v, str) or v in ("GET", "POST"))
    # ISO 4217 letters; Usage Records write them in lower case ("usd"), calls in upper ("USD")
    checker.checks("currency")(
        lambda v: not isinstance(v, str) or bool(re.match(r"^[A-Za-z]{3}$", v))
    )
    checker.checks("sid")(lambda v: not isinstance(v, str) or bool(SID.match(v)))
    return checker


NULL_IN_PRACTICE: dict[tuple[str, str], str] = {
    ("api.v2010.account.conference", "reason_conference_ended"): (
        "null until the conference ends (Twilio's own responses show it; the spec omits nullable)"
    ),
}
"""Properties the spec gives as never null that Twilio's API does send as null, with why: the
twin accepts null there and nothing else."""


def _strict(node: Any, name: str = "") -> Any:
    """The schema made strict: nullable to JSON Schema, every object closed and fully required."""
    if isinstance(node, list):
        return [_strict(item) for item in node]
    if not isinstance(node, dict):
        return node
    out = {key: _strict(value, key) for key, value in node.items() if key != "properties"}
    if "$ref" in out:
        out["$ref"] = out["$ref"].replace("#/components/schemas/", "#/$defs/")
    if "properties" in node:
        out["properties"] = {key: _strict(value, key) for key, value in node["properties"].items()}
        out["required"] = sorted(node["properties"])
        out["additionalProperties"] = False
    if (name == "sid" or name.endswith("_sid")) and out.get("type") == "string":
        out.setdefault("format", "sid")
    if out.pop("nullable", False):
        if "type" in out:
            out["type"] = [out["type"], "null"]
        elif "$ref" in out:
            return {"anyOf": [{"$ref": out["$ref"]}, {"type": "null"}]}
    if out.get("format") == "uri-map":
        out["additionalProperties"] = {"type": "string", "format": "uri"}
    return out


@dataclass(frozen=True)
class Operation:
    method: str
    template: str
    pattern: re.Pattern[str]
    responses: dict[str, Any]


class StrictTwin:
    """The strict twin of one spec: validates responses and counts the operations it saw."""

    def __init__(self, spec: dict[str, Any]) -> None:
        self.spec = spec
        schemas = copy.deepcopy(spec["components"]["schemas"])
        for (schema, prop), _why in NULL_IN_PRACTICE.items():
            if prop in schemas.get(schema, {}).get("properties", {}):
                schemas[schema]["properties"][prop]["nullable"] = True
        defs = {name: _strict(schema) for name, schema in schemas.items()}
        self._defs = defs
        self._checker = format_checker()
        self.operations: list[Operation] = []
        for template, item in spec["paths"].items():
            regex = re.sub(r"\\\{[^}]+\\\}", "[^/]+", re.escape(template))
            for method, op in item.items():
                if method.upper() not in METHODS:
                    continue
                self.operations.append(
                    Operation(method.upper(), template, re.compile(f"^{regex}$"), op["responses"])
                )
        self.seen: set[tuple[str, str]] = set()
        self._validators: dict[tuple[str, str, int], Draft202012Validator | None] = {}

    def _validator(self, op: Operation, status: int) -> Draft202012Validator | None:
        key = (op.method, op.template, status)
        if key not in self._validators:
            schema = self.schema_for(op, status)
            self._validators[key] = (
                None
                if schema is None
                else Draft202012Validator(schema, format_checker=self._checker)
            )
        return self._validators[key]

    @classmethod
    def load(cls, path: Path = SPEC_PATH) -> StrictTwin:
        return cls(json.loads(path.read_text(encoding="utf-8")))

    def operation(self, method: str, path: str) -> Operation | None:
        """The spec's operation for a request; the most specific template when several match."""
        found = [op for op in self.operations if op.method == method and op.pattern.match(path)]
        return min(found, key=lambda op: op.template.count("{"), default=None)

    def schema_for(self, op: Operation, status: int) -> dict[str, Any] | None:
        if status >= 400:
            return ERROR_SCHEMA
        response = op.responses.get(str(status))
        if response is None:
            raise ContractError(f"{op.method} {op.template}: the spec has no {status} response")
        content = response.get("content", {}).get("application/json")
        if content is None:
            return None
        return {**_strict(content["schema"]), "$defs": self._defs}

    def errors(self, method: str, path: str, status: int, body: Any) -> Iterator[str]:
        op = self.operation(method, path)
        if op is None:
            if status < 400:
                yield f"{method} {path} is not an operation of Twilio's spec"
                return
            validator: Draft202012Validator | None = Draft202012Validator(
                ERROR_SCHEMA, format_checker=self._checker
            )
        else:
            self.seen.add((op.method, op.template))
            validator = self._validator(op, status)
        if validator is None:
            if body not in (None, b"", ""):
                yield f"{method} {path} {status}: the spec has no body, got {body!r:.200}"
            return
        for error in validator.iter_errors(body):
            where = "/".join(str(p) for p in error.absolute_path) or "(body)"
            yield f"{method} {path} {status} at {where}: {error.message}"

    def validate(self, method: str, path: str, status: int, body: Any) -> None:
        """Raise ContractError listing every way the response breaks the strict twin."""
        problems = list(self.errors(method, path, status, body))
        if problems:
            raise ContractError("\n".join(problems))


__all__ = ["ContractError", "StrictTwin", "implemented", "jsonschema", "served_spec"]


def implemented(twin: StrictTwin, routes: list[Any]) -> tuple[list[Operation], list[Operation]]:
    """The spec's operations that ``routes`` (Starlette routes; catch-alls such as the API's
    404 route are left out) serve, and those they do not: each template is tried with
    placeholder values for its parameters."""
    from starlette.routing import Match

    routes = [r for r in routes if not getattr(r, "path", "").endswith(":path}")]
    served: list[Operation] = []
    missing: list[Operation] = []
    for op in twin.operations:
        path = re.sub(r"\{([^}]+)\}", lambda m: _placeholder(m[1]), op.template)
        scope = {"type": "http", "path": path, "method": op.method, "root_path": ""}
        if any(route.matches(scope)[0] is Match.FULL for route in routes):
            served.append(op)
        else:
            missing.append(op)
    return served, missing


def _placeholder(name: str) -> str:
    prefixes = {"AccountSid": "AC", "CallSid": "CA", "Sid": "XX", "RecordingSid": "RE"}
    return prefixes.get(name, "XX") + "0" * 32


def served_spec(twin: StrictTwin, routes: list[Any]) -> dict[str, Any]:
    """Twilio's spec cut to the operations ``routes`` serve: what schemathesis fuzzes."""
    served, _ = implemented(twin, routes)
    spec = copy.deepcopy(twin.spec)
    paths: dict[str, Any] = {}
    for op in served:
        item = spec["paths"][op.template]
        kept = paths.setdefault(
            op.template, {key: value for key, value in item.items() if key.upper() not in METHODS}
        )
        kept[op.method.lower()] = item[op.method.lower()]
    spec["paths"] = paths
    return spec
