"""How record values appear on Twilio's wire: RFC 2822 dates, prices and counts as strings,
resource paths under ``/2010-04-01``, and E.164 numbers formatted for people."""

from __future__ import annotations

import re
from datetime import datetime
from decimal import Decimal
from email.utils import format_datetime

from callbox.records import API_VERSION

ROOT = f"/{API_VERSION}"
E164 = re.compile(r"^\+[1-9]\d{1,14}$")


def rfc2822(value: datetime | None) -> str | None:
    """``Tue, 31 Aug 2010 20:36:28 +0000``, as Twilio writes dates; None stays None."""
    return None if value is None else format_datetime(value)


def price(value: Decimal | None) -> str | None:
    return None if value is None else str(value)


def count(value: int | None) -> str | None:
    return None if value is None else str(value)


def account_path(account_sid: str) -> str:
    return f"{ROOT}/Accounts/{account_sid}"


def formatted_number(number: str) -> str:
    """A North American number as ``(555) 010-0001``; other numbers as given."""
    if re.fullmatch(r"\+1\d{10}", number):
        digits = number[2:]
        return f"({digits[:3]}) {digits[3:6]}-{digits[6:]}"
    return number
