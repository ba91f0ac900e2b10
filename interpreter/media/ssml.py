"""TwiML's SSML (the children of ``<Say>``) translated into the SSML subset espeak-ng speaks.

``break``, ``prosody``, ``emphasis``, ``p`` and ``s`` pass through; ``say-as`` (digits, characters,
telephone, dates, numbers, ordinals), ``sub`` and ``lang`` are rewritten into what espeak-ng
understands; everything else is spoken as its text, with a warning naming the element.
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from dataclasses import dataclass, field
from xml.sax.saxutils import escape, quoteattr

AMAZON_NS = "http://www.amazon.com/amazon-ssml"
"""Namespace bound to the ``amazon:`` prefix so that ``<amazon:effect>`` parses."""
XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"

BREAK_STRENGTHS = {
    "none": 0.0,
    "x-weak": 0.1,
    "weak": 0.25,
    "medium": 0.5,
    "strong": 0.75,
    "x-strong": 1.0,
}
"""Seconds of ``<break strength=...>`` (close to Amazon Polly's)."""
RATES = {"x-slow": 0.5, "slow": 0.75, "medium": 1.0, "default": 1.0, "fast": 1.3, "x-fast": 1.6}
PROSODY_VALUES = {
    "rate": re.compile(r"^(x-slow|slow|medium|fast|x-fast|default|\d+(\.\d+)?%)$"),
    "pitch": re.compile(r"^(x-low|low|medium|high|x-high|default|[+-]?\d+(\.\d+)?%)$"),
    "volume": re.compile(r"^(silent|x-soft|soft|medium|loud|x-loud|default|[+-]?\d+(\.\d+)?dB)$"),
}
PASS_THROUGH = {"emphasis", "p", "s"}
MAX_NUMBER_DIGITS = 18
"""Longer runs of digits in an ordinal or a date are spoken as text (Python refuses to read
numbers of more than 4,300 digits, and no date has them)."""
MONTHS = [
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
]
ORDINAL_SUFFIX = {1: "st", 2: "nd", 3: "rd"}


@dataclass
class Translation:
    """``markup`` for espeak-ng (``-m``), the plain ``text`` a listener hears, the seconds the
    estimated plane should charge, and warnings for what is spoken as text."""

    markup: str = ""
    text: str = ""
    estimated_seconds: float = 0.0
    warnings: list[str] = field(default_factory=list)


def translate(
    inner: str, *, language: str = "en-US", words_per_minute: float = 150.0
) -> Translation:
    """Translate the inner markup of a ``<Say>`` (text mixed with SSML elements)."""
    wrapped = f'<speak xmlns:amazon="{AMAZON_NS}">{inner}</speak>'
    out = Translation()
    try:
        root = ET.fromstring(wrapped)
    except ET.ParseError as exc:
        text = re.sub(r"<[^>]*>", " ", inner)
        out.warnings.append(f"SSML could not be parsed ({exc}); spoken as text")
        _emit_text(out, text, 1.0, words_per_minute)
    else:
        _walk_children(root, out, 1.0, words_per_minute)
    # No xml:lang on <speak>: espeak-ng would switch to that language's default voice and lose
    # the gender variant chosen for the TwiML voice. ``language`` is the Say's, for reference.
    del language
    out.markup = f"<speak>{out.markup}</speak>"
    out.text = " ".join(out.text.split())
    return out


def _emit_text(out: Translation, text: str | None, rate: float, wpm: float) -> None:
    if not text:
        return
    out.markup += escape(text)
    out.text += text
    out.estimated_seconds += len(text.split()) * 60.0 / wpm / rate


def _warn(out: Translation, message: str) -> None:
    if message not in out.warnings:
        out.warnings.append(message)


def _walk_children(elem: ET.Element, out: Translation, rate: float, wpm: float) -> None:
    _emit_text(out, elem.text, rate, wpm)
    for child in elem:
        _element(child, out, rate, wpm)
        _emit_text(out, child.tail, rate, wpm)


def _local_name(tag: str) -> str:
    if tag.startswith("{" + AMAZON_NS + "}"):
        return "amazon:" + tag.split("}", 1)[1]
    return tag.split("}", 1)[-1]


def _element(elem: ET.Element, out: Translation, rate: float, wpm: float) -> None:
    name = _local_name(elem.tag)
    if name == "break":
        seconds = _break_seconds(elem, out)
        out.markup += f'<break time="{round(seconds * 1000)}ms"/>'
        out.text += " "
        out.estimated_seconds += seconds
    elif name == "prosody":
        attrs = ""
        inner_rate = rate
        for key, value in sorted(elem.attrib.items()):
            pattern = PROSODY_VALUES.get(key)
            if pattern is None or not pattern.match(value):
                _warn(out, f"SSML <prosody {key}={value!r}> is not supported; ignored")
                continue
            attrs += f" {key}={quoteattr(value)}"
            if key == "rate":
                inner_rate = rate * _rate_factor(value)
        out.markup += f"<prosody{attrs}>"
        _walk_children(elem, out, inner_rate, wpm)
        out.markup += "</prosody>"
    elif name in PASS_THROUGH:
        level = elem.get("level")
        attrs = f" level={quoteattr(level)}" if name == "emphasis" and level else ""
        out.markup += f"<{name}{attrs}>"
        _walk_children(elem, out, rate, wpm)
        out.markup += f"</{name}>"
        if name in ("p", "s"):
            out.estimated_seconds += 0.5 if name == "p" else 0.25
    elif name == "say-as":
        spoken = _say_as(elem, out)
        _emit_text(out, f" {spoken} ", rate, wpm)
    elif name == "sub":
        alias = elem.get("alias")
        if alias is None:
            _warn(out, "SSML <sub> without alias spoken as text")
            alias = "".join(elem.itertext())
        _emit_text(out, alias, rate, wpm)
    elif name == "lang":
        lang = elem.get(XML_LANG) or elem.get("lang")
        if lang:
            out.markup += f"<voice xml:lang={quoteattr(lang)}>"
            _walk_children(elem, out, rate, wpm)
            out.markup += "</voice>"
        else:
            _walk_children(elem, out, rate, wpm)
    else:
        _warn(out, f"SSML <{name}> spoken as text")
        _walk_children(elem, out, rate, wpm)


def _rate_factor(value: str) -> float:
    if value.endswith("%"):
        return max(float(value[:-1]) / 100.0, 0.2)
    return RATES.get(value, 1.0)


def _break_seconds(elem: ET.Element, out: Translation) -> float:
    time = elem.get("time")
    if time:
        match = re.fullmatch(r"\s*(\d+(?:\.\d+)?)\s*(ms|s)\s*", time)
        if match:
            value = float(match.group(1))
            return min(value / 1000.0 if match.group(2) == "ms" else value, 10.0)
        _warn(out, f"SSML <break time={time!r}> is not a duration; a medium break is used")
    return BREAK_STRENGTHS.get(elem.get("strength", "medium"), 0.5)


def _say_as(elem: ET.Element, out: Translation) -> str:
    text = "".join(elem.itertext()).strip()
    kind = elem.get("interpret-as", "")
    if kind == "digits":
        return " ".join(ch for ch in text if not ch.isspace())
    if kind in ("characters", "spell-out"):
        return " ".join(ch for ch in text if not ch.isspace())
    if kind == "telephone":
        groups = [g for g in re.split(r"[^0-9A-Za-z+]+", text) if g]
        return ", ".join(" ".join("plus" if ch == "+" else ch for ch in group) for group in groups)
    if kind in ("cardinal", "number"):
        return text.replace(",", "")
    if kind == "ordinal":
        digits = re.sub(r"\D", "", text)
        if len(digits) > MAX_NUMBER_DIGITS:
            _warn(
                out,
                f"SSML <say-as interpret-as='ordinal'> has {len(digits)} digits; spoken as text",
            )
            return text
        return _ordinal(int(digits)) if digits else text
    if kind == "date":
        spoken = _date(text, elem.get("format", "ymd"))
        if spoken is None:
            _warn(out, f"SSML <say-as interpret-as='date'> could not read {text!r}; spoken as text")
            return text
        return spoken
    _warn(out, f"SSML <say-as interpret-as={kind!r}> spoken as text")
    return text


def _ordinal(number: int) -> str:
    suffix = "th" if 10 <= number % 100 <= 20 else ORDINAL_SUFFIX.get(number % 10, "th")
    return f"{number}{suffix}"


def _date(text: str, fmt: str) -> str | None:
    """A date in ``fmt`` (``mdy``, ``dmy``, ``ymd``, ``md``, ``dm``, ``ym``, ``my``, ``d``, ``m``,
    ``y``, ``yyyymmdd``) as words a listener expects: ``March 5th, 2024``."""
    if fmt == "yyyymmdd":
        if not re.fullmatch(r"\d{8}", text):
            return None
        parts = [text[:4], text[4:6], text[6:]]
        fmt = "ymd"
    else:
        parts = [p for p in re.split(r"[^0-9]+", text) if p]
    if len(parts) != len(fmt) or not all(p.isdigit() for p in parts):
        return None
    if any(len(p) > MAX_NUMBER_DIGITS for p in parts):
        return None
    values = dict(zip(fmt, (int(p) for p in parts), strict=True))
    month = values.get("m")
    day = values.get("d")
    if (month is not None and not 1 <= month <= 12) or (day is not None and not 1 <= day <= 31):
        return None
    words = []
    if month is not None:
        words.append(MONTHS[month - 1])
    if day is not None:
        words.append(_ordinal(day))
    spoken = " ".join(words)
    if "y" in values:
        spoken = f"{spoken}, {values['y']}" if spoken else str(values["y"])
    return spoken
