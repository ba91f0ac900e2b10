"""What a message address is: an E.164 long code, a North American toll-free number, a short
code or an alphanumeric sender ID; its country calling code, country and area code, as far as
the number itself tells (callbox has no carrier lookup)."""

from __future__ import annotations

import re
from enum import StrEnum

E164 = re.compile(r"\+[1-9][0-9]{6,14}")
SHORT_CODE = re.compile(r"[0-9]{3,8}")
ALPHANUMERIC = re.compile(r"(?=.*[A-Za-z])[A-Za-z0-9 ]{1,11}")
TOLL_FREE_AREA_CODES = frozenset({"800", "833", "844", "855", "866", "877", "888"})

CALLING_CODES: dict[str, str] = {
    "1": "US", "7": "RU", "20": "EG", "27": "ZA", "30": "GR", "31": "NL", "32": "BE", "33": "FR",
    "34": "ES", "36": "HU", "39": "IT", "40": "RO", "41": "CH", "43": "AT", "44": "GB",
    "45": "DK", "46": "SE", "47": "NO", "48": "PL", "49": "DE", "51": "PE", "52": "MX",
    "54": "AR", "55": "BR", "56": "CL", "57": "CO", "60": "MY", "61": "AU", "62": "ID",
    "63": "PH", "64": "NZ", "65": "SG", "66": "TH", "81": "JP", "82": "KR", "84": "VN",
    "86": "CN", "90": "TR", "91": "IN", "92": "PK", "234": "NG", "254": "KE", "351": "PT",
    "352": "LU", "353": "IE", "354": "IS", "358": "FI", "420": "CZ", "852": "HK", "886": "TW",
    "971": "AE", "972": "IL", "966": "SA",
}  # fmt: skip
"""Country calling codes and the ISO country each belongs to (``1`` is the North American
plan: US unless told otherwise)."""


class SenderKind(StrEnum):
    """What kind of sender an address is; it decides the default sending rate."""

    LONG_CODE = "long-code"
    TOLL_FREE = "toll-free"
    SHORT_CODE = "short-code"
    ALPHANUMERIC = "alphanumeric"


def is_e164(address: str) -> bool:
    return E164.fullmatch(address) is not None


def sender_kind(address: str) -> SenderKind | None:
    """The kind of sender ``address`` is, None when it is none of them."""
    if is_e164(address):
        if address.startswith("+1") and address[2:5] in TOLL_FREE_AREA_CODES:
            return SenderKind.TOLL_FREE
        return SenderKind.LONG_CODE
    if SHORT_CODE.fullmatch(address):
        return SenderKind.SHORT_CODE
    if ALPHANUMERIC.fullmatch(address):
        return SenderKind.ALPHANUMERIC
    return None


def calling_code(number: str) -> str | None:
    """The country calling code of an E.164 number (``44`` for ``+4420...``)."""
    if not is_e164(number):
        return None
    digits = number[1:]
    for length in (3, 2, 1):
        if digits[:length] in CALLING_CODES:
            return digits[:length]
    return None


def country_of(number: str) -> str:
    """The ISO country of an E.164 number, or ``""`` when its calling code is not known."""
    code = calling_code(number)
    return CALLING_CODES[code] if code else ""


def area_code(number: str) -> str | None:
    """The three-digit area code of a North American number."""
    if is_e164(number) and number.startswith("+1") and len(number) == 12:
        return number[2:5]
    return None
