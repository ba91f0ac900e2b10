"""Fuzzing what a hostile application can make the media plane read: audio headers (a ``<Play>``
URL's body, any content type) and the SSML inside a ``<Say>``. Bad bytes are a
``MediaDecodeError`` (13420), bad markup a warning; nothing else escapes."""

from __future__ import annotations

import math
import struct

from hypothesis import given
from hypothesis import strategies as st

from callbox.interpreter.media.formats import AudioFormat, header_duration
from callbox.interpreter.media.plane import MediaDecodeError
from callbox.interpreter.media.ssml import translate


def _wav(byte_rate: int, data: bytes) -> bytes:
    fmt = struct.pack("<HHIIHH", 1, 1, 8000, byte_rate, 2, 16)
    body = b"WAVE" + b"fmt " + struct.pack("<I", len(fmt)) + fmt
    body += b"data" + struct.pack("<I", len(data)) + data
    return b"RIFF" + struct.pack("<I", len(body)) + body


def _aiff(exponent: int, mantissa: int, frames: int) -> bytes:
    comm = struct.pack(">hIh", 1, frames, 16) + struct.pack(">HQ", exponent, mantissa)
    body = b"AIFF" + b"COMM" + struct.pack(">I", len(comm)) + comm
    return b"FORM" + struct.pack(">I", len(body)) + body


HEADERS = st.one_of(
    st.binary(max_size=300),
    st.builds(_wav, st.integers(0, 2**32 - 1), st.binary(max_size=64)),
    st.builds(_aiff, st.integers(0, 0xFFFF), st.integers(0, 2**64 - 1), st.integers(0, 2**32 - 1)),
    st.builds(
        lambda head, rest: head + rest,
        st.sampled_from(
            [b"RIFF", b"FORM", b"ID3\x04\x00\x00\x7f\x7f\x7f\x7f", b"\xff\xfb", b".snd", b""]
        ),
        st.binary(max_size=200),
    ),
)


@st.composite
def mutated(draw: st.DrawFn) -> bytes:
    data = bytearray(draw(HEADERS))
    for _ in range(draw(st.integers(0, 3))):
        if data:
            data[draw(st.integers(0, len(data) - 1))] = draw(st.integers(0, 255))
    return bytes(data)


@given(body=mutated(), fmt=st.sampled_from(list(AudioFormat)))
def test_audio_headers_give_a_duration_or_a_decode_error(body: bytes, fmt: AudioFormat) -> None:
    try:
        seconds = header_duration(body, fmt)
    except MediaDecodeError:
        return
    assert seconds >= 0 and math.isfinite(seconds), (body, fmt, seconds)


SSML_ELEMENTS = st.sampled_from(
    [
        '<break time="{v}"/>',
        '<break strength="{v}"/>',
        '<prosody rate="{v}">{c}</prosody>',
        '<prosody pitch="{v}" volume="{v}">{c}</prosody>',
        '<say-as interpret-as="ordinal">{v}</say-as>',
        '<say-as interpret-as="date" format="{v}">{c}</say-as>',
        '<say-as interpret-as="telephone">{v}</say-as>',
        '<say-as interpret-as="digits">{v}</say-as>',
        '<say-as interpret-as="{v}">{c}</say-as>',
        '<sub alias="{v}">{c}</sub>',
        "<sub>{c}</sub>",
        '<lang xml:lang="{v}">{c}</lang>',
        "<emphasis>{c}</emphasis>",
        "<p>{c}</p>",
        "<s>{c}</s>",
        '<amazon:effect name="{v}">{c}</amazon:effect>',
        "<unknown>{c}</unknown>",
        "<{c}",
        "&{v};",
    ]
)
SSML_VALUES = st.one_of(
    st.sampled_from(
        [
            "1s",
            "500ms",
            "-1s",
            "1e9s",
            "x",
            "",
            "50%",
            "1e309%",
            "0%",
            "+5dB",
            "ymd",
            "mdy",
            "yyyymmdd",
            "2024-03-05",
            "20240305",
            "9" * 5000,
            "+1 (415) 555-1234",
            "whispered",
        ]
    ),
    st.text(alphabet="0123456789-/.% abc", max_size=12),
)


@st.composite
def ssml(draw: st.DrawFn, depth: int = 0) -> str:
    parts: list[str] = []
    for _ in range(draw(st.integers(0, 3))):
        template = draw(SSML_ELEMENTS)
        inner = draw(ssml(depth + 1)) if depth < 3 else "text"
        value = draw(SSML_VALUES).replace('"', "").replace("<", "").replace("&", "")
        parts.append(template.format(v=value, c=inner))
        parts.append(draw(st.sampled_from(["", " hello ", " 42 "])))
    return "".join(parts)


@given(markup=ssml(), words_per_minute=st.sampled_from([150.0, 1.0, 1e6]))
def test_ssml_translates_or_warns(markup: str, words_per_minute: float) -> None:
    result = translate(markup, words_per_minute=words_per_minute)
    assert result.estimated_seconds >= 0 and not math.isnan(result.estimated_seconds)
    assert result.markup.startswith("<speak>")
