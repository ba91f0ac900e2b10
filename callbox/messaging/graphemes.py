"""Grapheme clusters as Twilio's segment calculator splits a body: npm ``grapheme-splitter`` 1.0.4
(UAX #29 for Unicode 10.0, with that library's own rules), ported rule for rule so that what
stays together in a segment here stays together there. Twilio never splits a cluster."""

from __future__ import annotations

import bisect
from collections.abc import Sequence
from enum import IntEnum
from functools import lru_cache

from callbox.messaging.tables import GRAPHEME_BREAK_RANGES


class Break(IntEnum):
    """A code point's grapheme break property (the splitter's numbering)."""

    CR = 0
    LF = 1
    CONTROL = 2
    EXTEND = 3
    REGIONAL_INDICATOR = 4
    SPACING_MARK = 5
    L = 6
    V = 7
    T = 8
    LV = 9
    LVT = 10
    OTHER = 11
    PREPEND = 12
    E_BASE = 13
    E_MODIFIER = 14
    ZWJ = 15
    GLUE_AFTER_ZWJ = 16
    E_BASE_GAZ = 17


_BY_NAME = {
    "CR": Break.CR,
    "LF": Break.LF,
    "Control": Break.CONTROL,
    "Extend": Break.EXTEND,
    "Regional_Indicator": Break.REGIONAL_INDICATOR,
    "SpacingMark": Break.SPACING_MARK,
    "L": Break.L,
    "V": Break.V,
    "T": Break.T,
    "LV": Break.LV,
    "LVT": Break.LVT,
    "Prepend": Break.PREPEND,
    "E_Base": Break.E_BASE,
    "E_Modifier": Break.E_MODIFIER,
    "ZWJ": Break.ZWJ,
    "Glue_After_Zwj": Break.GLUE_AFTER_ZWJ,
    "E_Base_GAZ": Break.E_BASE_GAZ,
}
_STARTS = [low for low, _, _ in GRAPHEME_BREAK_RANGES]
_HANGUL_FIRST, _HANGUL_LAST = 0xAC00, 0xD7A3


@lru_cache(maxsize=4096)
def break_property(code: int) -> Break:
    """The grapheme break property of code point ``code``."""
    if _HANGUL_FIRST <= code <= _HANGUL_LAST:
        return Break.LV if (code - _HANGUL_FIRST) % 28 == 0 else Break.LVT
    index = bisect.bisect_right(_STARTS, code) - 1
    if index >= 0:
        low, high, name = GRAPHEME_BREAK_RANGES[index]
        if low <= code <= high:
            return _BY_NAME[name]
    return Break.OTHER


def _all_extend(properties: Sequence[Break]) -> bool:
    return all(p is Break.EXTEND for p in properties)


def _last_index(properties: Sequence[Break], wanted: Break) -> int:
    for index in range(len(properties) - 1, -1, -1):
        if properties[index] is wanted:
            return index
    return -1


def should_break(start: Break, mid: Sequence[Break], end: Break) -> bool:
    """Whether the splitter breaks before ``end`` in a cluster that began with ``start`` and has
    gathered ``mid`` since (``shouldBreak``; its rule numbers are UAX #29's)."""
    every = [start, *mid, end]
    previous = every[-2]
    # the lookahead terminators of GB10 (emoji modifiers) and GB12/GB13 (regional indicators)
    modifier = _last_index(every, Break.E_MODIFIER)
    if (
        modifier > 1
        and _all_extend(every[1:modifier])
        and start not in (Break.EXTEND, Break.E_BASE, Break.E_BASE_GAZ)
    ):
        return True
    regional = _last_index(every, Break.REGIONAL_INDICATOR)
    if (
        regional > 0
        and all(p is Break.REGIONAL_INDICATOR for p in every[1:regional])
        and previous not in (Break.PREPEND, Break.REGIONAL_INDICATOR)
    ):
        return True
    if previous is Break.CR and end is Break.LF:  # GB3
        return False
    if previous in (Break.CONTROL, Break.CR, Break.LF):  # GB4
        return True
    if end in (Break.CONTROL, Break.CR, Break.LF):  # GB5
        return True
    if previous is Break.L and end in (Break.L, Break.V, Break.LV, Break.LVT):  # GB6
        return False
    if previous in (Break.LV, Break.V) and end in (Break.V, Break.T):  # GB7
        return False
    if previous in (Break.LVT, Break.T) and end is Break.T:  # GB8
        return False
    if end in (Break.EXTEND, Break.ZWJ, Break.SPACING_MARK):  # GB9, GB9a
        return False
    if previous is Break.PREPEND:  # GB9b
        return False
    # GB10, as the splitter computes "the last property before the Extend run"
    extend = _last_index(every, Break.EXTEND)
    before = extend - 1 if extend != -1 else len(every) - 2
    if (
        every[before] in (Break.E_BASE, Break.E_BASE_GAZ)
        and _all_extend(every[before + 1 : -1])
        and end is Break.E_MODIFIER
    ):
        return False
    if previous is Break.ZWJ and end in (Break.GLUE_AFTER_ZWJ, Break.E_BASE_GAZ):  # GB11
        return False
    if Break.REGIONAL_INDICATOR in mid:  # GB12, GB13
        return True
    return not (previous is Break.REGIONAL_INDICATOR and end is Break.REGIONAL_INDICATOR)


def _next_break(properties: Sequence[Break], index: int) -> int:
    if index >= len(properties) - 1:
        return len(properties)
    start = properties[index]
    mid: list[Break] = []
    for position in range(index + 1, len(properties)):
        end = properties[position]
        if not mid and start is Break.OTHER and end is Break.OTHER:
            return position  # GB999, the common case, without building the rule's lists
        if should_break(start, mid, end):
            return position
        mid.append(end)
    return len(properties)


def split_graphemes(text: str) -> list[str]:
    """``text`` split into grapheme clusters; a CR LF pair counts as two, as the calculator
    counts it."""
    properties = [break_property(ord(char)) for char in text]
    if all(p is Break.OTHER for p in properties):
        return list(text)  # GB999 between every pair
    clusters: list[str] = []
    index = 0
    while index < len(text):
        end = _next_break(properties, index)
        cluster = text[index:end]
        clusters.extend(cluster if cluster == "\r\n" else [cluster])
        index = end
    return clusters
