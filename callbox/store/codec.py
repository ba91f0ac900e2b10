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
    return {name: _dump(getattr(record, name)) for name in _field_names(type(record))}


def _field_names(kind: type[object]) -> tuple[str, ...]:
    names = _FIELD_NAMES.get(kind)
    if names is None:
        names = _FIELD_NAMES[kind] = tuple(f.name for f in fields(kind))  # type: ignore[arg-type]
    return names


_FIELD_NAMES: dict[type[object], tuple[str, ...]] = {}


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


Loader = typing.Callable[[Any], Any]
_LOADERS: dict[type[object], tuple[tuple[str, Loader | None], ...]] = {}


def _loaders(kind: type[object]) -> tuple[tuple[str, Loader | None], ...]:
    """Per field, the function that rebuilds its value from JSON (None: the JSON value as is),
    worked out once per kind from its type hints."""
    loaders = _LOADERS.get(kind)
    if loaders is None:
        hints = typing.get_type_hints(kind, vars(records))
        loaders = tuple((f.name, _loader(hints[f.name])) for f in fields(kind))  # type: ignore[arg-type]
        _LOADERS[kind] = loaders
    return loaders


def from_dict(kind: type[R], data: dict[str, Any]) -> R:
    """The record of this kind that ``to_dict`` turned into ``data``."""
    try:
        values = {
            name: value if load is None or value is None else load(value)
            for name, load in _loaders(kind)
            if (value := data.get(name, _MISSING)) is not _MISSING
        }
        return kind(**values)
    except (KeyError, TypeError, ValueError, ArithmeticError) as error:
        raise CodecError(f"stored {kind.__name__} does not load: {error}") from error


_MISSING = object()


def _loader(hint: Any) -> Loader | None:
    """The function from a non-null JSON value to a value of type ``hint``."""
    if isinstance(hint, types.UnionType) or typing.get_origin(hint) is typing.Union:
        options = [a for a in typing.get_args(hint) if a is not type(None)]
        return _loader(options[0]) if len(options) == 1 else None
    if typing.get_origin(hint) is tuple:
        (item, _) = typing.get_args(hint)
        load_item = _loader(item)
        if load_item is None:
            return tuple
        return lambda value: tuple(None if v is None else load_item(v) for v in value)
    if hint is datetime:
        return datetime.fromisoformat
    if hint is Decimal:
        return Decimal
    if hint is Capabilities:
        return lambda value: Capabilities(**value)
    if isinstance(hint, type) and issubclass(hint, Enum):
        return hint
    return None
