"""Typed coercers for TwiML attribute values: each returns the Python value or a ``Problem``.

A coercer never falls back to a default by itself: the builder decides what to do with a
``Problem`` (report it with a code, then use Twilio's default), so nothing is silently replaced.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from enum import StrEnum
from typing import Literal, TypeVar

from callbox.markup.model import AUTO, HttpMethod

T = TypeVar("T")
E = TypeVar("E", bound=StrEnum)


@dataclass(frozen=True, slots=True)
class Problem:
    """Why a value was refused: ``expected`` completes "expected ..." in a message."""

    expected: str


Coercer = Callable[[str], T | Problem]
"""Turns the text of an attribute into a typed value, or says what was expected instead."""


@dataclass(frozen=True, slots=True)
class Shape:
    """What a coercer accepts, as data: ``markup/gate.py`` compiles it into an XPath condition
    that holds for every value the coercer refuses. ``kind`` is the factory's name (``integer``,
    ``url``...) and the other fields its arguments; a coercer with no shape is unknown to the
    gate, which then sends every document that uses it through the full check."""

    kind: str
    minimum: float | None = None
    maximum: float | None = None
    values: tuple[str, ...] = ()
    """The accepted words of ``choice`` (aliases too) and ``choices``; the regex of ``pattern``."""
    alphabet: str = ""
    schemes: tuple[str, ...] = ()
    absolute: bool = False


SHAPES: dict[Callable[[str], object], Shape] = {}
"""The shape of each coercer made here (by identity)."""

C = TypeVar("C", bound=Callable[[str], object])


def shaped(coerce: C, shape: Shape) -> C:
    """Record ``coerce``'s shape and return it."""
    SHAPES[coerce] = shape
    return coerce


def text(raw: str) -> str | Problem:
    """Any text, as written."""
    return raw


def non_empty(raw: str) -> str | Problem:
    """Any text with something in it besides blanks, stripped."""
    stripped = raw.strip()
    return stripped if stripped else _NON_EMPTY_PROBLEM


_NON_EMPTY_PROBLEM = Problem("a non-empty value")


def boolean(raw: str) -> bool | Problem:
    """``true`` or ``false`` (any case), as the twilio builders write them."""
    lowered = raw.strip().lower()
    if lowered == "true":
        return True
    if lowered == "false":
        return False
    return _BOOLEAN_PROBLEM


_BOOLEAN_PROBLEM = Problem("true or false")


def _bounds(minimum: int | float | None, maximum: int | float | None) -> str:
    if minimum is not None and maximum is not None:
        return f" from {minimum} to {maximum}"
    if minimum is not None:
        return f", at least {minimum}"
    if maximum is not None:
        return f", at most {maximum}"
    return ""


_INTEGER = re.compile(r"[+-]?[0-9]+")
MAX_INTEGER_DIGITS = 15
"""Longer whole numbers are refused: far beyond any count or time TwiML has, Python reads no
more than 4,300 digits, and a float (call time) holds no more than about 308."""


def integer(
    minimum: int | None = None, maximum: int | None = None, *, unit: str = ""
) -> Coercer[int]:
    """A whole number within ``minimum``..``maximum`` (inclusive; None for no bound)."""
    noun = f"a whole number of {unit}" if unit else "a whole number"
    problem = Problem(noun + _bounds(minimum, maximum))
    too_long = Problem(f"{noun}{_bounds(minimum, maximum)}, in at most {MAX_INTEGER_DIGITS} digits")

    def coerce(raw: str) -> int | Problem:
        stripped = raw.strip()
        if _INTEGER.fullmatch(stripped) is None:
            return problem
        if len(stripped.lstrip("+-").lstrip("0")) > MAX_INTEGER_DIGITS:
            return too_long
        value = int(stripped)
        if (minimum is not None and value < minimum) or (maximum is not None and value > maximum):
            return problem
        return value

    return shaped(coerce, Shape("integer", minimum, maximum))


def seconds(minimum: int | None = 0, maximum: int | None = None) -> Coercer[int]:
    """A whole number of seconds within bounds."""
    return integer(minimum, maximum, unit="seconds")


def decimal(minimum: float | None = None, maximum: float | None = None) -> Coercer[float]:
    """A decimal number within ``minimum``..``maximum`` (inclusive)."""
    problem = Problem("a decimal number" + _bounds(minimum, maximum))

    def coerce(raw: str) -> float | Problem:
        try:
            value = float(raw.strip())
        except ValueError:
            return problem
        if value != value or value in (float("inf"), float("-inf")):
            return problem
        if (minimum is not None and value < minimum) or (maximum is not None and value > maximum):
            return problem
        return value

    return shaped(coerce, Shape("decimal", minimum, maximum))


def auto_or_seconds(minimum: int = 0) -> Coercer[int | Literal["auto"]]:
    """``auto`` or a whole number of seconds (``<Gather speechTimeout>``)."""
    as_seconds = seconds(minimum)
    problem = Problem(f"'auto' or a whole number of seconds{_bounds(minimum, None)}")

    def coerce(raw: str) -> int | Literal["auto"] | Problem:
        if raw.strip() == AUTO:
            return AUTO
        value = as_seconds(raw)
        return problem if isinstance(value, Problem) else value

    return shaped(coerce, Shape("auto_or_seconds", minimum))


def _one_of(values: list[str]) -> str:
    quoted = [f"'{value}'" for value in values]
    if len(quoted) == 1:
        return quoted[0]
    return "one of " + ", ".join(quoted[:-1]) + " or " + quoted[-1]


def choice(enum: type[E], aliases: Mapping[str, E] | None = None) -> Coercer[E]:
    """One of the enum's wire strings (exact case, as Twilio's names are case-sensitive).
    ``aliases`` are legacy spellings read as a member (``<Dial record="true">``)."""
    table: dict[str, E] = {member.value: member for member in enum}
    if aliases:
        table.update(aliases)
    problem = Problem(_one_of([member.value for member in enum]))

    def coerce(raw: str) -> E | Problem:
        found = table.get(raw.strip())
        return problem if found is None else found

    return shaped(coerce, Shape("choice", values=tuple(table)))


def choices(enum: type[E]) -> Coercer[frozenset[E]]:
    """A space-separated list of the enum's wire strings (``input="dtmf speech"``), at least one."""
    table: dict[str, E] = {member.value: member for member in enum}
    quoted = ", ".join(f"'{value}'" for value in table)
    problem = Problem(f"one or more of {quoted}, separated by spaces")

    def coerce(raw: str) -> frozenset[E] | Problem:
        words = raw.split()
        if not words:
            return problem
        found = []
        for word in words:
            member = table.get(word)
            if member is None:
                return problem
            found.append(member)
        return frozenset(found)

    return shaped(coerce, Shape("choices", values=tuple(table)))


def integers(minimum: int | None = None) -> Coercer[frozenset[int]]:
    """A space-separated list of whole numbers (``<Prompt attempt="1 2">``)."""
    one = integer(minimum)
    problem = Problem("a space-separated list of whole numbers" + _bounds(minimum, None))

    def coerce(raw: str) -> frozenset[int] | Problem:
        words = raw.split()
        values = [one(word) for word in words]
        if not values or any(isinstance(value, Problem) for value in values):
            return problem
        return frozenset(value for value in values if isinstance(value, int))

    return coerce


def digits(
    alphabet: str, *, min_length: int = 0, max_length: int | None = None, describe: str
) -> Coercer[str]:
    """Keys from ``alphabet`` (``finishOnKey``, ``<Play digits>``, ``sendDigits``)."""
    allowed = frozenset(alphabet)
    problem = Problem(describe)

    def coerce(raw: str) -> str | Problem:
        if len(raw) < min_length or (max_length is not None and len(raw) > max_length):
            return problem
        if not allowed.issuperset(raw):
            return problem
        return raw

    return shaped(coerce, Shape("digits", min_length, max_length, alphabet=alphabet))


def pattern(regex: str, describe: str) -> Coercer[str]:
    """Text matching ``regex`` in full (stripped first)."""
    compiled = re.compile(regex)
    problem = Problem(describe)

    def coerce(raw: str) -> str | Problem:
        stripped = raw.strip()
        return stripped if compiled.fullmatch(stripped) else problem

    return shaped(coerce, Shape("pattern", values=(regex,)))


_SCHEME = re.compile(r"([A-Za-z][A-Za-z0-9+.-]*):")
_BLANKS = re.compile(r"\s")


def url(schemes: tuple[str, ...] = ("http", "https"), *, absolute: bool = False) -> Coercer[str]:
    """A URL: absolute with one of ``schemes``, or (unless ``absolute``) relative to the document.
    Surrounding blanks are stripped; blanks inside are refused. ``""`` stays ``""``."""
    listed = " or ".join(f"{scheme}://" for scheme in schemes)
    problem = Problem(f"an absolute {listed} URL" if absolute else f"a relative or {listed} URL")

    def coerce(raw: str) -> str | Problem:
        stripped = raw.strip()
        if _BLANKS.search(stripped):
            return problem
        scheme = _SCHEME.match(stripped)
        if scheme is None:
            return problem if absolute and stripped else stripped
        if scheme.group(1).lower() not in schemes:
            return problem
        return stripped

    return shaped(coerce, Shape("url", schemes=schemes, absolute=absolute))


method: Coercer[HttpMethod] = choice(HttpMethod)
"""``GET`` or ``POST``."""

_PHONE = re.compile(r"\+?[0-9(][0-9 ().-]*")
_E164 = re.compile(r"\+?[0-9]{3,15}")
"""Numbers written without separators: ``_PHONE`` with 3 to 15 digits, tested first."""


def phone_number(raw: str) -> str | Problem:
    """An E.164-ish number: an optional ``+`` then 3 to 15 digits, with spaces, dots, dashes or
    parentheses allowed between them (US numbers are accepted unformatted). Stripped."""
    stripped = raw.strip()
    if _E164.fullmatch(stripped) is not None:
        return stripped  # the common case: digits only, already counted by the pattern
    if _PHONE.fullmatch(stripped) is None:
        return _PHONE_PROBLEM
    count = sum(map(str.isdigit, stripped))
    if not 3 <= count <= 15:
        return _PHONE_PROBLEM
    return stripped


_PHONE_PROBLEM = Problem(
    "a phone number: E.164 such as +14155550100, or a US number such as 415-555-1212"
)


def caller_id(raw: str) -> str | Problem:
    """A phone number, or a ``client:`` identity (``<Dial callerId>``)."""
    stripped = raw.strip()
    if stripped.startswith("client:") and len(stripped) > len("client:"):
        return stripped
    if isinstance(phone_number(stripped), Problem):
        return _CALLER_ID_PROBLEM
    return stripped


_CALLER_ID_PROBLEM = Problem("a phone number in E.164 form (+14155550100) or client:<identity>")


_SIP_CALLER = re.compile(r"[A-Za-z0-9+._-]+")


def sip_caller_id(raw: str) -> str | Problem:
    """``<Dial callerId>`` when dialing ``<Sip>``: also a SIP URI or a plain SIP user name."""
    stripped = raw.strip()
    if _SIP_CALLER.fullmatch(stripped) or not isinstance(sip_uri(stripped), Problem):
        return stripped
    value = caller_id(stripped)
    return _SIP_CALLER_PROBLEM if isinstance(value, Problem) else value


_SIP_CALLER_PROBLEM = Problem("a phone number, client:<identity>, a SIP URI or a SIP user name")


_SIP_ADDRESS = re.compile(r"[^\s:@/]+@[^\s@/]+")


def sip_uri(raw: str) -> str | Problem:
    """A SIP URI (``sip:`` or ``sips:``), stripped; ``user@host`` without the scheme (as
    Twilio's own ``<Sip>`` examples write it) is a ``sip:`` URI."""
    stripped = raw.strip()
    lowered = stripped.lower()
    if _BLANKS.search(stripped):
        return _SIP_PROBLEM
    if lowered.startswith("sip:") or lowered.startswith("sips:"):
        return stripped
    if _SIP_ADDRESS.fullmatch(stripped):
        return "sip:" + stripped
    return _SIP_PROBLEM


_SIP_PROBLEM = Problem("a SIP URI such as sip:alice@example.com")


def bool_or_text(raw: str) -> bool | str | Problem:
    """``true``/``false`` or any other non-empty text (``<Pay postalCode="94105">``)."""
    value = boolean(raw)
    if not isinstance(value, Problem):
        return value
    stripped = raw.strip()
    return stripped if stripped else _BOOL_OR_TEXT_PROBLEM


_BOOL_OR_TEXT_PROBLEM = Problem("true, false or a value")


def amount(raw: str) -> str | Problem:
    """A non-negative decimal amount as written (``<Pay chargeAmount="10.50">``)."""
    stripped = raw.strip()
    if re.fullmatch(r"[0-9]+(\.[0-9]+)?", stripped) is None:
        return _AMOUNT_PROBLEM
    return stripped


_AMOUNT_PROBLEM = Problem("a non-negative decimal amount such as 10.50")

language_tag: Coercer[str] = pattern(
    r"[A-Za-z]{2,3}([-_][A-Za-z0-9]{2,8})*", "a language tag such as en-US"
)
"""A BCP-47-like language tag (``en-US``; twilio also accepts ``en_US``)."""

voice_name: Coercer[str] = pattern(
    r"man|woman|alice|[A-Za-z][A-Za-z0-9]*\.[A-Za-z0-9_.-]+",
    "man, woman, alice or a provider voice such as Polly.Joanna",
)
"""A ``<Say voice>``: the basic voices or ``Provider.Name`` (Polly, Google, ElevenLabs...)."""


shaped(text, Shape("text"))
shaped(non_empty, Shape("non_empty"))
shaped(boolean, Shape("boolean"))
shaped(phone_number, Shape("phone_number"))
shaped(caller_id, Shape("phone_number"))  # a narrower shape than it accepts: client: is unknown
