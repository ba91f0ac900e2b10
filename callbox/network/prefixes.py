"""Longest-prefix match over digit strings: one dict holding every prefix, probed from the
longest length a table has down to the shortest. A lookup costs a handful of slices and dict
probes, whatever the table's size (see bench/bench_routing.py).
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping
from typing import Generic, TypeVar

T = TypeVar("T")


class PrefixTable(Generic[T]):
    """Maps digit prefixes to values; ``longest(digits)`` finds the longest prefix of ``digits``."""

    __slots__ = ("_entries", "_lengths")

    def __init__(self, entries: Mapping[str, T] | Iterable[tuple[str, T]] = ()) -> None:
        self._entries: dict[str, T] = dict(entries)
        self._lengths: tuple[int, ...] = ()
        self._reindex()

    def _reindex(self) -> None:
        self._lengths = tuple(sorted({len(prefix) for prefix in self._entries}, reverse=True))

    def __setitem__(self, prefix: str, value: T) -> None:
        self._entries[prefix] = value
        if len(prefix) not in self._lengths:
            self._reindex()

    def __len__(self) -> int:
        return len(self._entries)

    def __iter__(self) -> Iterator[str]:
        return iter(self._entries)

    def __contains__(self, prefix: object) -> bool:
        return prefix in self._entries

    def get(self, prefix: str) -> T | None:
        """The value stored under exactly ``prefix``."""
        return self._entries.get(prefix)

    def longest(self, digits: str) -> tuple[str, T] | None:
        """The longest stored prefix of ``digits`` and its value, or None."""
        entries = self._entries
        size = len(digits)
        for length in self._lengths:
            if length <= size:
                prefix = digits[:length]
                value = entries.get(prefix)
                if value is not None:
                    return prefix, value
        return None

    def items(self) -> Iterator[tuple[str, T]]:
        return iter(self._entries.items())
