"""Reading a request's parameters as Twilio does: form fields and query strings with repeated keys
(``StatusCallbackEvent=ringing&StatusCallbackEvent=completed``), each checked with a Twilio code."""

from __future__ import annotations

import re
from collections.abc import Sequence
from datetime import UTC, datetime, timedelta
from enum import StrEnum
from typing import TypeVar
from urllib.parse import urlsplit

from starlette.datastructures import FormData, QueryParams
from starlette.requests import Request

from callbox.api.errors import INVALID_URL, UNKNOWN_PARAMETER, ApiError, invalid
from callbox.records import HttpMethod
from callbox.store import Condition, Op

MAX_FORM_BYTES = 64 * 1024
MAX_FIELDS = 1000
E = TypeVar("E", bound=StrEnum)
SID_SHAPE = re.compile(r"[A-Z]{2}[0-9a-fA-F]{32}")
SID_PARAMETERS = frozenset(
    {
        "AccountSid",
        "AddressSid",
        "ApplicationSid",
        "BundleSid",
        "CallSid",
        "ConferenceSid",
        "ContentSid",
        "EmergencyAddressSid",
        "IdentitySid",
        "MessagingServiceSid",
        "ParentCallSid",
        "SmsApplicationSid",
        "TrunkSid",
        "VoiceApplicationSid",
    }
)
"""The SID parameters of the operations callbox serves (Twilio ignores names it does not know)."""
TRUE_WORDS = ("true", "1", "yes")
FALSE_WORDS = ("false", "0", "no")


class Params:
    """A request's parameters: every value of every key, in the order sent."""

    def __init__(self, items: Sequence[tuple[str, str]]) -> None:
        self._values: dict[str, list[str]] = {}
        for key, value in items:
            self._values.setdefault(key, []).append(value)

    @classmethod
    async def of(cls, request: Request) -> Params:
        """The query string's parameters, and for POST the form's (which win)."""
        items = list(QueryParams(request.url.query).multi_items())
        if request.method == "POST":
            try:
                form: FormData = await request.form(
                    max_files=0, max_fields=MAX_FIELDS, max_part_size=MAX_FORM_BYTES
                )
            except Exception as error:  # multipart's own errors: too many fields, bad encoding
                raise ApiError(
                    UNKNOWN_PARAMETER, f"The request body cannot be read: {error}"
                ) from None
            items.extend((k, v) for k, v in form.multi_items() if isinstance(v, str))
        return cls(items)

    def check_sids(self) -> None:
        """Every SID parameter given has a SID's shape (two letters, 32 hex digits), as Twilio's
        spec requires of each; ApiError 20001 naming the first that does not."""
        for name, values in self._values.items():
            if name not in SID_PARAMETERS:
                continue
            for value in values:
                if value.strip() and not SID_SHAPE.fullmatch(value.strip()):
                    raise invalid(name, f"{value!r} is not a SID (2 letters, 32 hex digits)")

    def __contains__(self, name: str) -> bool:
        return name in self._values

    def get(self, name: str) -> str | None:
        """The last value of ``name``, or None when absent."""
        values = self._values.get(name)
        return values[-1] if values else None

    def all(self, name: str) -> list[str]:
        return list(self._values.get(name, ()))

    def text(self, name: str, *, max_length: int = 4096) -> str | None:
        value = self.get(name)
        if value is not None and len(value) > max_length:
            raise invalid(name, f"longer than {max_length} characters")
        return value

    def required(self, name: str, code: int, message: str) -> str:
        value = self.get(name)
        if value is None or not value.strip():
            raise ApiError(code, message)
        return value.strip()

    def url(self, name: str) -> str | None:
        """An absolute http(s) URL, or None when absent or empty (Twilio treats "" as unset)."""
        value = self.get(name)
        if value is None or not value.strip():
            return None
        value = value.strip()
        if not is_http_url(value):
            raise ApiError(INVALID_URL, f"{name} is not a valid URL: {value}")
        return value

    def method(self, name: str, default: HttpMethod = HttpMethod.POST) -> HttpMethod:
        value = self.get(name)
        if value is None or not value.strip():
            return default
        try:
            return HttpMethod(value.strip().upper())
        except ValueError:
            raise invalid(name, f"{value!r} is not GET or POST") from None

    def boolean(self, name: str, default: bool = False) -> bool:
        value = self.get(name)
        if value is None or not value.strip():
            return default
        word = value.strip().lower()
        if word in TRUE_WORDS:
            return True
        if word in FALSE_WORDS:
            return False
        raise invalid(name, f"{value!r} is not true or false")

    def integer(self, name: str, default: int, *, low: int, high: int) -> int:
        value = self.get(name)
        if value is None or not value.strip():
            return default
        text = value.strip()
        if not (text.isascii() and text.lstrip("-").isdigit()) or len(text) > 12:
            raise invalid(name, f"{value!r} is not a whole number")
        number = int(text)
        if not low <= number <= high:
            raise invalid(name, f"{number} is outside {low}..{high}")
        return number

    def choice(self, name: str, kind: type[E]) -> E | None:
        value = self.get(name)
        if value is None or not value.strip():
            return None
        try:
            return kind(value.strip())
        except ValueError:
            allowed = ", ".join(member.value for member in kind)
            raise invalid(name, f"{value!r} is not one of {allowed}") from None

    def day(self, name: str) -> datetime | None:
        """A ``YYYY-MM-DD`` date filter, as midnight UTC."""
        value = self.get(name)
        if value is None or not value.strip():
            return None
        try:
            day = datetime.strptime(value.strip()[:10], "%Y-%m-%d")
        except ValueError:
            raise invalid(name, f"{value!r} is not a date (YYYY-MM-DD)") from None
        return day.replace(tzinfo=UTC)


def is_http_url(value: str) -> bool:
    try:
        parts = urlsplit(value)
    except ValueError:
        return False
    return parts.scheme in ("http", "https") and bool(parts.hostname) and " " not in value


def date_window(params: Params, name: str, field: str) -> list[Condition]:
    """Twilio's date filters on ``field``: ``name`` (that day), ``name<`` and ``name>``."""
    conditions: list[Condition] = []
    day = params.day(name)
    if day is not None:
        conditions += [
            Condition(field, Op.GE, day),
            Condition(field, Op.LT, day + timedelta(days=1)),
        ]
    before = params.day(f"{name}<") or params.day(f"{name}<=")
    if before is not None:
        conditions.append(Condition(field, Op.LT, before + timedelta(days=1)))
    after = params.day(f"{name}>") or params.day(f"{name}>=")
    if after is not None:
        conditions.append(Condition(field, Op.GE, after))
    return conditions


def within(moment: datetime, window: list[Condition]) -> bool:
    """Whether ``moment`` passes a ``date_window``'s conditions (for records kept in memory)."""
    for condition in window:
        bound = condition.value
        if not isinstance(bound, datetime):
            continue
        if (condition.op is Op.GE and moment < bound) or (
            condition.op is Op.LT and moment >= bound
        ):
            return False
    return True
