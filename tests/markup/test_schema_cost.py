"""A hostile document cannot make schema validation quadratic: a document of about 60 KB with
about 10,000 unknown attributes costs a bounded number of index builds and XPath searches and
reports a capped number of findings, however many errors libxml2 logs."""

from __future__ import annotations

import itertools
import string
from collections.abc import Callable
from typing import Any

import pytest

from callbox.markup import error_locator
from callbox.markup.check import check
from callbox.markup.schema import MAX_FINDINGS


def _counting(monkeypatch: pytest.MonkeyPatch, name: str) -> list[int]:
    calls: list[int] = []
    original: Callable[..., Any] = getattr(error_locator, name)

    def counted(*args: Any, **kwargs: Any) -> Any:
        calls.append(1)
        return original(*args, **kwargs)

    monkeypatch.setattr(error_locator, name, counted)
    return calls


def _names(count: int) -> list[str]:
    """``count`` distinct attribute names, shortest first (``a``, ``b``... ``aa``, ``ab``...)."""
    first = string.ascii_letters
    rest = string.ascii_letters + string.digits
    names = list(first)
    for length in (2, 3):
        names += ["".join(parts) for parts in itertools.product(first, *[rest] * (length - 1))]
        if len(names) >= count:
            break
    return names[:count]


@pytest.mark.parametrize(
    "shape",
    [
        "one element",  # 9,000 unknown attributes on one <Say>
        "many elements",  # 10 unknown attributes on each of 1,000 <Pause>s
    ],
)
def test_ten_thousand_unknown_attributes_cost_a_bounded_amount_of_work(
    monkeypatch: pytest.MonkeyPatch, shape: str
) -> None:
    if shape == "one element":
        attributes = " ".join(f"{name}=''" for name in _names(9_000))
        document = f"<Response>\n<Say {attributes}>Hi</Say>\n</Response>"
    else:
        ten = " ".join(f"{name}=''" for name in _names(10))
        document = "<Response>\n" + "\n".join(f"<Pause {ten}/>" for _ in range(1_000))
        document += "\n</Response>"
    data = document.encode()
    assert 40_000 < len(data) <= 64 * 1024
    builds = _counting(monkeypatch, "_node_paths")
    lookups: list[str] = []
    by_xpath = error_locator.ErrorLocator._by_xpath

    def counted_xpath(self: error_locator.ErrorLocator, path: str) -> Any:
        lookups.append(path)
        return by_xpath(self, path)

    monkeypatch.setattr(error_locator.ErrorLocator, "_by_xpath", counted_xpath)
    result = check(data, "hostile.xml", rules=False)
    schema = [d for d in result.diagnostics if d.code == "12200"]
    assert len(schema) <= MAX_FINDINGS + 1
    assert any(d.message.startswith(f"More than {MAX_FINDINGS} schema problems") for d in schema)
    assert len(builds) <= 3  # the path index is built once per validation round, not per error
    assert len(lookups) <= MAX_FINDINGS + 1  # no XPath search per logged error
