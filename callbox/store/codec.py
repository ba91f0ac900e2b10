"""Records to JSON-safe dictionaries and back: how durable backends serialise a record.

Datetimes become ISO 8601 strings in UTC, Decimals strings, enums their wire strings, tuples
lists and ``Capabilities`` a dictionary; ``from_dict`` rebuilds exactly the record that was given.
"""

from __future__ import annotations

import types
import typing
from dataclasses import fields
from datetime import datetime
from decimal import Decimal
from enum import Enum
from typing import Any, TypeVar

from callbox import records
from callbox.records import Capabilities, Record
from callbox.store.base import StoreError

R = TypeVar("R", bound=Record)
JsonValue = str | int | bool | None | list[Any] | dict[str, Any]


class CodecError(StoreError):
    """Stored data that does not rebuild the record it claims to be."""


def to_dict(record: Record) -> dict[str, JsonValue]:
    """The record as a dictionary of JSON values, keyed by field name."""
    return {f.name: _dump(getattr(record, f.name)) for f in fields(record)}


def _dump(value: object) -> JsonValue:
    if value is None or isinstance(value, bool | int):
        return value
    if isinstance(value, Enum):
        return str(value.value)
    if isinstance(value, str):
        return value
    if isinstance(value, datetime):
        return value.isoformat()
    if isinstance(value, Decimal):
        return str(value)
    if isinstance(value, tuple):
        return [_dump(v) for v in value]
    if isinstance(value, Capabilities):
        return {"voice": value.voice, "sms": value.sms, "mms": value.mms, "fax": value.fax}
    raise CodecError(f"cannot serialise {type(value).__name__}")


_FIELD_TYPES: dict[type[object], dict[str, Any]] = {}


def _field_types(kind: type[object]) -> dict[str, Any]:
    if kind not in _FIELD_TYPES:
        _FIELD_TYPES[kind] = typing.get_type_hints(kind, vars(records))
    return _FIELD_TYPES[kind]


def from_dict(kind: type[R], data: dict[str, Any]) -> R:
    """The record of this kind that ``to_dict`` turned into ``data``."""
    hints = _field_types(kind)
    try:
        values = {
            f.name: _load(hints[f.name], data[f.name]) for f in fields(kind) if f.name in data
        }
        return kind(**values)
    except (KeyError, TypeError, ValueError, ArithmeticError) as error:
        raise CodecError(f"stored {kind.__name__} does not load: {error}") from error


def _load(hint: Any, value: Any) -> Any:
    if value is None:
        return None
    if isinstance(hint, types.UnionType) or typing.get_origin(hint) is typing.Union:
        options = [a for a in typing.get_args(hint) if a is not type(None)]
        return _load(options[0], value) if len(options) == 1 else value
    origin = typing.get_origin(hint)
    if origin is tuple:
        (item, _) = typing.get_args(hint)
        return tuple(_load(item, v) for v in value)
    if hint is datetime:
        return datetime.fromisoformat(value)
    if hint is Decimal:
        return Decimal(value)
    if hint is Capabilities:
        return Capabilities(**value)
    if isinstance(hint, type) and issubclass(hint, Enum):
        return hint(value)
    return value
