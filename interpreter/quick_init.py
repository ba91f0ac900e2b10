"""Frozen records that are quick to make.

A frozen dataclass sets each field in its ``__init__`` through ``object.__setattr__`` (it must
get past its own ``__setattr__``, which refuses): ~150 ns a field, and one step of a call makes a
few hundred fields' worth of records (prompts, timeline events, fetch results, outcomes).
``quick_init`` gives a frozen dataclass with slots an ``__init__`` with the very same signature
that sets the fields through their slots instead (~50 ns a field). The records stay frozen:
assigning a field afterwards still raises ``FrozenInstanceError``.

The generated ``__init__`` is checked against the dataclass's own when the class is made (same
parameters, in the same order, of the same kinds); a class it cannot reproduce (``InitVar``,
fields left out of ``__init__``, no slots) is refused then, not at a call.
"""

from __future__ import annotations

import dataclasses
import inspect
from collections.abc import Callable
from typing import Any, TypeVar

Record = TypeVar("Record")


class _Factory:
    """The default of a parameter whose field has a ``default_factory``."""

    def __repr__(self) -> str:
        return "<factory>"


_FACTORY = _Factory()


def quick_init(cls: type[Record]) -> type[Record]:
    """Give the frozen dataclass with slots ``cls`` an ``__init__`` that sets its fields through
    their slots (apply it above ``@dataclass(frozen=True, slots=True)``)."""
    params = dataclasses.fields(cls) if dataclasses.is_dataclass(cls) else ()
    if not params or "__slots__" not in cls.__dict__:
        raise TypeError(f"{cls.__name__}: quick_init takes a dataclass with slots and fields")
    namespace: dict[str, Any] = {"_FACTORY": _FACTORY}
    positional: list[str] = []
    keyword: list[str] = []
    body: list[str] = []
    for field in params:
        if not field.init:
            raise TypeError(f"{cls.__name__}.{field.name}: a field left out of __init__")
        name = field.name
        namespace[f"_set_{name}"] = getattr(cls, name).__set__  # the slot's own setter
        value = name
        if field.default is not dataclasses.MISSING:
            namespace[f"_default_{name}"] = field.default
            param = f"{name}=_default_{name}"
        elif field.default_factory is not dataclasses.MISSING:
            namespace[f"_factory_{name}"] = field.default_factory
            param = f"{name}=_FACTORY"
            value = f"_factory_{name}() if {name} is _FACTORY else {name}"
        else:
            param = name
        (keyword if field.kw_only else positional).append(param)
        body.append(f"    _set_{name}(self, {value})")
    if hasattr(cls, "__post_init__"):
        body.append("    self.__post_init__()")
    signature = ", ".join(["self", *positional, *(["*", *keyword] if keyword else [])])
    exec(f"def __init__({signature}):\n" + "\n".join(body), namespace)
    init: Callable[..., None] = namespace["__init__"]
    _check_same_parameters(cls, cls.__init__, init)
    init.__qualname__ = f"{cls.__qualname__}.__init__"
    init.__doc__ = cls.__init__.__doc__
    init.__annotations__ = dict(cls.__init__.__annotations__)  # its signature reads the same
    cls.__init__ = init  # type: ignore[method-assign]
    return cls


def _check_same_parameters(
    cls: type, made: Callable[..., None], generated: Callable[..., None]
) -> None:
    def shape(function: Callable[..., None]) -> list[tuple[str, Any, bool]]:
        return [
            (param.name, param.kind, param.default is inspect.Parameter.empty)
            for param in inspect.signature(function).parameters.values()
        ]

    if shape(made) != shape(generated):
        raise TypeError(f"{cls.__name__}: quick_init cannot reproduce its __init__")
