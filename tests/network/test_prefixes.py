"""Longest-prefix match agrees with the obvious definition on random tables and numbers."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from callbox.network.prefixes import PrefixTable

digits = st.text(alphabet="0123456789", min_size=1, max_size=8)


@given(
    st.dictionaries(digits, st.integers(), max_size=60), st.text(alphabet="0123456789", max_size=15)
)
def test_longest_prefix_is_the_longest_stored_prefix_of_the_number(
    entries: dict[str, int], number: str
) -> None:
    table = PrefixTable(entries)
    matching = [prefix for prefix in entries if number.startswith(prefix)]
    expected = max(matching, key=len, default=None)
    found = table.longest(number)
    assert (found[0] if found else None) == expected
    if found:
        assert found[1] == entries[found[0]]


def test_prefixes_added_later_are_found() -> None:
    table: PrefixTable[str] = PrefixTable({"44": "GB"})
    table["4477"] = "GB mobile"
    assert table.longest("447712345678") == ("4477", "GB mobile")
    assert table.longest("442079460958") == ("44", "GB")
    assert table.longest("33612345678") is None
