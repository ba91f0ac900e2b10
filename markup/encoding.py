"""Which encoding a document's bytes are in, found the way XML 1.0 (appendix F) says: a byte-order
mark, then the byte patterns of ``<?`` in UTF-16 and UTF-32, then the declared ``encoding``.

The parser decodes with it before looking for what it refuses (a DOCTYPE), so that no encoding
can hide a declaration from the check; a declared encoding nobody knows is reported, not raised.
"""

from __future__ import annotations

import codecs
import re
from dataclasses import dataclass
from functools import lru_cache

_MARKS: tuple[tuple[bytes, str], ...] = (
    (b"\x00\x00\xfe\xff", "utf-32-be"),
    (b"\xff\xfe\x00\x00", "utf-32-le"),
    (b"\xef\xbb\xbf", "utf-8"),
    (b"\xfe\xff", "utf-16-be"),
    (b"\xff\xfe", "utf-16-le"),
)
"""Byte-order marks, longest first (UTF-32-LE's mark starts with UTF-16-LE's)."""

_PATTERNS: tuple[tuple[bytes, str], ...] = (
    (b"\x00\x00\x00\x3c", "utf-32-be"),
    (b"\x3c\x00\x00\x00", "utf-32-le"),
    (b"\x00\x3c\x00\x3f", "utf-16-be"),
    (b"\x3c\x00\x3f\x00", "utf-16-le"),
    (b"\x4c\x6f\xa7\x94", "cp037"),  # '<?xm' in EBCDIC
)
"""The first four bytes of ``<?xml`` (or ``<`` for UTF-32) in encodings without a mark."""

_DECLARED = re.compile(rb"""^<\?xml[^>]*?\sencoding\s*=\s*["']([^"']{0,64})["']""")


@dataclass(frozen=True, slots=True)
class Encoding:
    """How to read a document: the codec, the length of its byte-order mark, what it declares."""

    codec: str
    mark: int = 0
    declared: str | None = None

    def decode(self, data: bytes) -> str:
        """The text of ``data`` (bad bytes replaced: the parser reports them itself)."""
        return data[self.mark :].decode(self.codec, "replace")


class UnknownEncodingError(ValueError):
    """The document declares an encoding that no codec reads; ``name`` is what it declares."""

    def __init__(self, name: str) -> None:
        super().__init__(f"unknown encoding {name!r}")
        self.name = name


_UTF8 = Encoding("utf-8")


def sniff(data: bytes) -> Encoding:
    """The encoding of ``data``; raises ``UnknownEncodingError`` for a declared encoding that
    no codec knows (even after a UTF-8 byte-order mark, which wins over the declaration)."""
    if data[:1] == b"<" and data[1:2] != b"\x00":
        # The common case, in O(1): no mark, not UTF-16/32 (``<`` then NUL), not EBCDIC; the
        # declaration (if any) is read in place and its name looked up once per process.
        if not data.startswith(b"<?xml"):
            return _UTF8
        match = _DECLARED.match(data, 0, 512)
        return _UTF8 if match is None else _declared_utf8(match.group(1))
    for mark, codec in _MARKS:
        if data.startswith(mark):
            found = Encoding(codec, len(mark))
            break
    else:
        head = data[:4]
        codec = next((name for pattern, name in _PATTERNS if head == pattern), "utf-8")
        found = Encoding(codec)
    declared = _declared(data[found.mark :], found.codec)
    if declared is None:
        return found
    try:
        codec_name = codecs.lookup(declared).name
    except (LookupError, ValueError):  # ValueError: a name with a NUL in it
        raise UnknownEncodingError(declared) from None
    if found.mark or found.codec != "utf-8":
        # a mark or a UTF-16/32 byte pattern decides; the declaration only names the family
        return Encoding(found.codec, found.mark, declared)
    return Encoding(codec_name, 0, declared)


@lru_cache(maxsize=64)
def _declared_utf8(name: bytes) -> Encoding:
    """What a document without a mark that declares ``name`` is read as (UTF-8 by default)."""
    declared = name.decode("ascii", "replace").strip()
    try:
        codec_name = codecs.lookup(declared).name
    except (LookupError, ValueError):  # ValueError: a name with a NUL in it
        raise UnknownEncodingError(declared) from None
    return Encoding(codec_name, 0, declared)


def _declared(data: bytes, codec: str) -> str | None:
    """The ``encoding`` named in the XML declaration, if there is one."""
    head = data[:512]
    if codec != "utf-8":
        head = head.decode(codec, "replace").encode("ascii", "replace")
    match = _DECLARED.match(head)
    if match is None:
        return None
    return match.group(1).decode("ascii", "replace").strip()
