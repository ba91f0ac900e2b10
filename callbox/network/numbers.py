"""Destinations as E.164 digits: what a user types (``+44 20 7946 0958``, ``tel:+1-415-...``)
becomes the digit string routing matches prefixes on, or a ``NumberError`` (21211).
"""

from __future__ import annotations

from callbox.network.errors import NumberError

_SEPARATORS = str.maketrans("", "", " -.()\t")
MAX_DIGITS = 15  # E.164


def e164_digits(destination: str) -> str:
    """The digits of an E.164 number, without ``+``: ``"+1 (415) 555-0100"`` -> ``"14155550100"``."""
    if destination[:1] == "+" and destination[1:2] != "0" and len(destination) <= MAX_DIGITS + 1:
        digits = destination[1:]
        if digits.isdigit() and digits.isascii():
            return digits
    text = destination.strip()
    if text[:4].lower() == "tel:":
        text = text[4:]
    text = text.translate(_SEPARATORS)
    if text.startswith("+"):
        text = text[1:]
    elif text.startswith("00"):
        text = text[2:]
    if not text or not text.isascii() or not text.isdigit():
        raise NumberError(f"{destination!r} is not a phone number in E.164 form (+CC...)")
    if len(text) > MAX_DIGITS or text[0] == "0":
        raise NumberError(f"{destination!r} is not a phone number in E.164 form (+CC...)")
    return text
