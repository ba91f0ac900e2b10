"""How many segments a body takes, exactly as Twilio counts them: GSM-7 when every character is
in the alphabet (160 septets alone, 153 per part once concatenated), else UCS-2 (70 and 67
UTF-16 units); a part never ends inside an extension character or a grapheme cluster."""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

from callbox.messaging import gsm7
from callbox.messaging.graphemes import split_graphemes
from callbox.messaging.smart_encoding import smart_encode

SEGMENT_BITS = 140 * 8
"""A segment carries 140 octets of user data."""
HEADER_BITS = 6 * 8
"""Each part of a concatenated message gives up six octets to its user data header."""
MAX_BODY_CHARACTERS = 1600
"""Twilio's limit on a message body (21617 beyond it)."""


class Encoding(StrEnum):
    """The character encoding a body is sent in."""

    GSM7 = "GSM-7"
    UCS2 = "UCS-2"


@dataclass(frozen=True, slots=True)
class Segmentation:
    """A body as it is sent: its text (after smart encoding), its encoding and its parts."""

    body: str
    encoding: Encoding
    segments: tuple[str, ...]
    characters: int
    """Characters as Twilio counts them: septets in GSM-7 (an extension character is two),
    grapheme clusters in UCS-2."""

    @property
    def num_segments(self) -> int:
        return len(self.segments)


def _bits(cluster: str, encoding: Encoding) -> int:
    if encoding is Encoding.GSM7:
        return 7 * gsm7.septets(cluster)
    if len(cluster) == 1 and gsm7.septets(cluster):
        return 16
    return 16 * len(cluster.encode("utf-16-le")) // 2


def _is_gsm7_cluster(cluster: str) -> bool:
    return len(cluster) == 1 and gsm7.septets(cluster) > 0


class _Part:
    """One segment being filled: its clusters and their size in bits."""

    def __init__(self, *, header: bool) -> None:
        self.clusters: list[str] = []
        self.sizes: list[int] = []
        self.header = header
        self.used = HEADER_BITS if header else 0
        """Bits taken so far, the header's included."""

    def add(self, cluster: str, bits: int) -> None:
        self.clusters.append(cluster)
        self.sizes.append(bits)
        self.used += bits

    def make_room_for_header(self) -> list[tuple[str, int]]:
        """Give this part its header; the clusters that no longer fit, in order."""
        self.header = True
        self.used += HEADER_BITS
        moved: list[tuple[str, int]] = []
        while self.used > SEGMENT_BITS:
            size = self.sizes.pop()
            moved.insert(0, (self.clusters.pop(), size))
            self.used -= size
        return moved


def segment(body: str, *, smart_encoding: bool = False) -> Segmentation:
    """``body`` split into the segments Twilio sends (one segment for an empty body)."""
    if smart_encoding:
        body = smart_encode(body)
    clusters = split_graphemes(body)
    encoding = Encoding.GSM7 if all(_is_gsm7_cluster(c) for c in clusters) else Encoding.UCS2
    parts = [_Part(header=False)]
    for cluster in clusters:
        bits = _bits(cluster, encoding)
        current = parts[-1]
        if SEGMENT_BITS - current.used < bits:
            following = _Part(header=True)
            if not current.header:
                for moved, size in current.make_room_for_header():
                    following.add(moved, size)
            parts.append(following)
        parts[-1].add(cluster, bits)
    if encoding is Encoding.GSM7:
        characters = sum(gsm7.septets(c) for c in clusters)
    else:
        characters = len(clusters)
    return Segmentation(
        body=body,
        encoding=encoding,
        segments=tuple("".join(part.clusters) for part in parts),
        characters=characters,
    )


def segment_count(body: str, *, smart_encoding: bool = False) -> int:
    """How many segments ``body`` is sent as."""
    return segment(body, smart_encoding=smart_encoding).num_segments
