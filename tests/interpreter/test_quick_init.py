"""quick_init: a frozen record made through its slots is the record dataclasses would make, with
the same signature, and stays frozen."""

from __future__ import annotations

import dataclasses
import inspect
from dataclasses import InitVar, dataclass, field

import pytest

from callbox.interpreter.caller import InputPrompt
from callbox.interpreter.quick_init import quick_init
from callbox.interpreter.timeline import Event


@dataclass(frozen=True, slots=True)
class Plain:
    name: str
    count: int = 3
    tags: list[str] = field(default_factory=list)
    note: str = field(default="", kw_only=True)


@quick_init
@dataclass(frozen=True, slots=True)
class Quick:
    name: str
    count: int = 3
    tags: list[str] = field(default_factory=list)
    note: str = field(default="", kw_only=True)


@pytest.mark.parametrize(
    ("args", "kwargs"),
    [
        (("a",), {}),
        (("a", 5), {}),
        (("a", 5, ["x"]), {"note": "n"}),
        ((), {"name": "a", "tags": ["y"]}),
    ],
)
def test_a_quick_record_is_the_record_dataclasses_makes(
    args: tuple[object, ...], kwargs: dict[str, object]
) -> None:
    quick, plain = Quick(*args, **kwargs), Plain(*args, **kwargs)  # type: ignore[arg-type]
    assert dataclasses.astuple(quick) == dataclasses.astuple(plain)
    assert repr(quick).replace("Quick", "Plain") == repr(plain)
    assert quick == Quick(*args, **kwargs)  # type: ignore[arg-type]


def test_its_signature_is_the_dataclasses_one_and_it_refuses_what_that_one_refuses() -> None:
    assert str(inspect.signature(Quick)) == str(inspect.signature(Plain))
    with pytest.raises(TypeError):
        Quick()  # type: ignore[call-arg]
    with pytest.raises(TypeError):
        Quick("a", 5, [], "positional note")  # type: ignore[call-arg]


def test_each_record_gets_its_own_default_from_a_factory_and_stays_frozen() -> None:
    first, second = Quick("a"), Quick("b")
    assert first.tags == [] and first.tags is not second.tags
    with pytest.raises(dataclasses.FrozenInstanceError):
        first.name = "changed"  # type: ignore[misc]


def test_post_init_still_runs() -> None:
    @quick_init
    @dataclass(frozen=True, slots=True)
    class Checked:
        value: int

        def __post_init__(self) -> None:
            if self.value < 0:
                raise ValueError("negative")

    assert Checked(1).value == 1
    with pytest.raises(ValueError, match="negative"):
        Checked(-1)


def test_a_class_it_cannot_reproduce_is_refused_when_made() -> None:
    with pytest.raises(TypeError, match="slots"):

        @quick_init
        @dataclass(frozen=True)
        class NoSlots:
            value: int

    with pytest.raises(TypeError, match="left out of __init__"):

        @quick_init
        @dataclass(frozen=True, slots=True)
        class Hidden:
            value: int
            derived: int = field(default=0, init=False)

    with pytest.raises(TypeError, match="cannot reproduce"):

        @quick_init
        @dataclass(frozen=True, slots=True)
        class WithInitVar:
            value: int
            scale: InitVar[int] = 1


def test_the_interpreters_records_read_as_before() -> None:
    event = Event(1.5, "say", "Hello")
    assert event.data == {} and event.data is not Event(1.5, "say", "Hello").data
    prompt = InputPrompt(kind="gather", index=2)
    assert (prompt.timeout, prompt.finish_on_key, prompt.heard) == (5.0, "#", ())
