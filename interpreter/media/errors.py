"""The media plane's errors: one base, and the decode failure that carries Twilio's code.

``plane.py`` re-exports them; modules of the media plane import them from here.
"""

from __future__ import annotations


class MediaError(Exception):
    """Base of the media plane's errors."""


class MediaDecodeError(MediaError):
    """Bytes that cannot be decoded as audio. ``code`` is Twilio's (13420 for ``<Play>``)."""

    def __init__(self, message: str, code: str = "13420") -> None:
        super().__init__(message)
        self.code = code
