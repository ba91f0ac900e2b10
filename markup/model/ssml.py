"""The SSML inside ``<Say>``: one frozen dataclass per SSML tag, and the spoken text of a run of
mixed content.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import StrEnum

from callbox.markup.model.common import NOWHERE, Unknown
from callbox.markup.source import Position


class BreakStrength(StrEnum):
    NONE = "none"
    X_WEAK = "x-weak"
    WEAK = "weak"
    MEDIUM = "medium"
    STRONG = "strong"
    X_STRONG = "x-strong"


class EmphasisLevel(StrEnum):
    STRONG = "strong"
    MODERATE = "moderate"
    REDUCED = "reduced"


class PhonemeAlphabet(StrEnum):
    IPA = "ipa"
    X_SAMPA = "x-sampa"
    X_AMAZON_JYUTPING = "x-amazon-jyutping"
    X_AMAZON_PINYIN = "x-amazon-pinyin"
    X_AMAZON_PRON_KANA = "x-amazon-pron-kana"
    X_AMAZON_YOMIGANA = "x-amazon-yomigana"


class InterpretAs(StrEnum):
    CHARACTERS = "characters"
    SPELL_OUT = "spell-out"
    CARDINAL = "cardinal"
    NUMBER = "number"
    ORDINAL = "ordinal"
    DIGITS = "digits"
    FRACTION = "fraction"
    UNIT = "unit"
    DATE = "date"
    TIME = "time"
    ADDRESS = "address"
    EXPLETIVE = "expletive"
    TELEPHONE = "telephone"
    CURRENCY = "currency"
    VERBATIM = "verbatim"


class SayAsFormat(StrEnum):
    MDY = "mdy"
    DMY = "dmy"
    YMD = "ymd"
    MD = "md"
    DM = "dm"
    YM = "ym"
    MY = "my"
    D = "d"
    M = "m"
    Y = "y"
    YYYYMMDD = "yyyymmdd"


# --- SSML inside <Say> --------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class SsmlBreak:
    """``<break>``: a pause. ``time`` is as written (``500ms``, ``2s``)."""

    strength: BreakStrength | None = None
    time: str | None = None
    position: Position = field(default=NOWHERE, compare=False)


@dataclass(frozen=True, slots=True)
class SsmlEmphasis:
    level: EmphasisLevel | None = None
    children: tuple[SayContent, ...] = ()
    position: Position = field(default=NOWHERE, compare=False)


@dataclass(frozen=True, slots=True)
class SsmlLang:
    xml_lang: str | None = None
    children: tuple[SayContent, ...] = ()
    position: Position = field(default=NOWHERE, compare=False)


@dataclass(frozen=True, slots=True)
class SsmlP:
    children: tuple[SayContent, ...] = ()
    position: Position = field(default=NOWHERE, compare=False)


@dataclass(frozen=True, slots=True)
class SsmlS:
    children: tuple[SayContent, ...] = ()
    position: Position = field(default=NOWHERE, compare=False)


@dataclass(frozen=True, slots=True)
class SsmlPhoneme:
    alphabet: PhonemeAlphabet | None = None
    ph: str | None = None
    children: tuple[SayContent, ...] = ()
    position: Position = field(default=NOWHERE, compare=False)


@dataclass(frozen=True, slots=True)
class SsmlProsody:
    """``<prosody>``; ``volume``, ``rate`` and ``pitch`` are as written (``loud``, ``+6dB``, ``80%``)."""

    volume: str | None = None
    rate: str | None = None
    pitch: str | None = None
    children: tuple[SayContent, ...] = ()
    position: Position = field(default=NOWHERE, compare=False)


@dataclass(frozen=True, slots=True)
class SsmlSayAs:
    interpret_as: InterpretAs | None = None
    format: SayAsFormat | None = None
    children: tuple[SayContent, ...] = ()
    position: Position = field(default=NOWHERE, compare=False)


@dataclass(frozen=True, slots=True)
class SsmlSub:
    """``<sub alias>``: the alias is spoken instead of the text."""

    alias: str | None = None
    children: tuple[SayContent, ...] = ()
    position: Position = field(default=NOWHERE, compare=False)


@dataclass(frozen=True, slots=True)
class SsmlW:
    role: str | None = None
    children: tuple[SayContent, ...] = ()
    position: Position = field(default=NOWHERE, compare=False)


@dataclass(frozen=True, slots=True)
class SsmlAmazonEffect:
    """``<amazon:effect>`` (Polly only; twilio emits it through ``add_child``)."""

    name: str | None = None
    phonation: str | None = None
    vocal_tract_length: str | None = None
    children: tuple[SayContent, ...] = ()
    position: Position = field(default=NOWHERE, compare=False)


@dataclass(frozen=True, slots=True)
class SsmlAmazonDomain:
    """``<amazon:domain name="news">`` (Polly only)."""

    name: str | None = None
    children: tuple[SayContent, ...] = ()
    position: Position = field(default=NOWHERE, compare=False)


SsmlNode = (
    SsmlBreak
    | SsmlEmphasis
    | SsmlLang
    | SsmlP
    | SsmlS
    | SsmlPhoneme
    | SsmlProsody
    | SsmlSayAs
    | SsmlSub
    | SsmlW
    | SsmlAmazonEffect
    | SsmlAmazonDomain
)
SayContent = str | SsmlNode | Unknown
"""Mixed content of ``<Say>`` and the SSML containers: text and SSML elements, in order."""


def spoken_text(children: tuple[SayContent, ...]) -> str:
    """The plain text of mixed content: SSML flattened, ``<sub>`` read as its alias, whitespace
    collapsed to single spaces (breaks, paragraphs and sentences separate words)."""
    parts: list[str] = []
    _flatten(children, parts)
    return " ".join("".join(parts).split())


def _flatten(children: tuple[SayContent, ...], parts: list[str]) -> None:
    for child in children:
        if isinstance(child, str):
            parts.append(child)
        elif isinstance(child, SsmlSub) and child.alias is not None:
            parts.append(child.alias)
        elif isinstance(child, SsmlBreak | SsmlP | SsmlS):
            parts.append(" ")
            if not isinstance(child, SsmlBreak):
                _flatten(child.children, parts)
                parts.append(" ")
        elif not isinstance(child, SsmlBreak | Unknown):
            _flatten(child.children, parts)
