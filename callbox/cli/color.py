"""Colour on the terminal, and only there: ANSI styles when the stream is a TTY, never when
``NO_COLOR`` is set (https://no-color.org), when ``TERM=dumb``, or into a pipe or file.
``FORCE_COLOR`` (any non-empty value) turns colour on even into a pipe.
"""

from __future__ import annotations

import os
from typing import TextIO

STYLES = {
    "error": "31",  # red
    "warning": "33",  # yellow
    "note": "36",  # cyan
    "dim": "2",
    "bold": "1",
}


def wanted(stream: TextIO) -> bool:
    """Whether text written to ``stream`` should be coloured."""
    if os.environ.get("NO_COLOR"):
        return False
    if os.environ.get("FORCE_COLOR"):
        return True
    if os.environ.get("TERM") == "dumb":
        return False
    isatty = getattr(stream, "isatty", None)
    try:
        return bool(isatty and isatty())
    except ValueError:  # a closed stream
        return False


class Painter:
    """Wraps text in the ANSI style of its kind when colour is on, and leaves it alone when off."""

    def __init__(self, enabled: bool) -> None:
        self.enabled = enabled

    @classmethod
    def for_stream(cls, stream: TextIO) -> Painter:
        return cls(wanted(stream))

    def paint(self, text: str, style: str) -> str:
        code = STYLES.get(style)
        if not self.enabled or code is None or not text:
            return text
        return f"\033[{code}m{text}\033[0m"
