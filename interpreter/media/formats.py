"""Audio formats ``<Play>`` accepts: which content type is which format, and durations from headers.

Used by both media planes: the estimated one reads durations from headers here (no decoding), the
real one decodes. Content types follow Twilio's list (``audio/mpeg``, WAV, AIFF, GSM, µ-law).
"""

from __future__ import annotations

import math
import struct
from enum import Enum

from callbox.interpreter.media.errors import MediaDecodeError


class AudioFormat(Enum):
    WAV = "wav"
    MP3 = "mp3"
    MULAW = "mulaw"
    AIFF = "aiff"
    GSM = "gsm"


CONTENT_TYPES: dict[str, AudioFormat] = {
    "audio/wav": AudioFormat.WAV,
    "audio/wave": AudioFormat.WAV,
    "audio/x-wav": AudioFormat.WAV,
    "audio/vnd.wave": AudioFormat.WAV,
    "audio/mpeg": AudioFormat.MP3,
    "audio/mp3": AudioFormat.MP3,
    "audio/mpeg3": AudioFormat.MP3,
    "audio/x-mpeg-3": AudioFormat.MP3,
    "audio/basic": AudioFormat.MULAW,
    "audio/x-mulaw": AudioFormat.MULAW,
    "audio/ulaw": AudioFormat.MULAW,
    "audio/mulaw": AudioFormat.MULAW,
    "audio/aiff": AudioFormat.AIFF,
    "audio/x-aiff": AudioFormat.AIFF,
    "audio/x-aifc": AudioFormat.AIFF,
    "audio/gsm": AudioFormat.GSM,
    "audio/x-gsm": AudioFormat.GSM,
}

MULAW_RATE = 8000
"""µ-law bodies without a header are 8 kHz mono, one byte per sample (G.711)."""
GSM_FRAME_BYTES = 33
GSM_FRAME_SECONDS = 0.020
"""GSM 06.10 full-rate: 33-byte frames of 20 ms (1,650 bytes per second)."""


def audio_format(content_type: str) -> AudioFormat:
    """The format for ``content_type`` (parameters such as ``; rate=8000`` ignored).

    Raises ``MediaDecodeError`` (13420) for a type that is not audio ``<Play>`` can play.
    """
    media_type = content_type.split(";", 1)[0].strip().lower()
    try:
        return CONTENT_TYPES[media_type]
    except KeyError:
        raise MediaDecodeError(
            f"content type {media_type or '(none)'!r} is not audio that <Play> can play"
        ) from None


def header_duration(body: bytes, fmt: AudioFormat) -> float:
    """Seconds of audio in ``body`` read from its header (or its size), without decoding.

    Raises ``MediaDecodeError`` when the bytes are not what ``fmt`` says.
    """
    if fmt is AudioFormat.WAV:
        return _wav_duration(body)
    if fmt is AudioFormat.AIFF:
        return _aiff_duration(body)
    if fmt is AudioFormat.MP3:
        return _mp3_duration(body)
    if fmt is AudioFormat.MULAW:
        return _mulaw_duration(body)
    if not body:
        raise MediaDecodeError("empty GSM body")
    return len(body) // GSM_FRAME_BYTES * GSM_FRAME_SECONDS


def _chunks(body: bytes, start: int, big_endian: bool) -> dict[bytes, tuple[int, int]]:
    """RIFF/IFF chunks from ``start``: id -> (offset of data, declared size)."""
    fmt = ">I" if big_endian else "<I"
    found: dict[bytes, tuple[int, int]] = {}
    pos = start
    while pos + 8 <= len(body):
        cid = body[pos : pos + 4]
        (size,) = struct.unpack(fmt, body[pos + 4 : pos + 8])
        found.setdefault(cid, (pos + 8, size))
        pos += 8 + size + (size & 1)
    return found


def _wav_duration(body: bytes) -> float:
    if len(body) < 12 or body[:4] != b"RIFF" or body[8:12] != b"WAVE":
        raise MediaDecodeError("not a WAV file (no RIFF/WAVE header)")
    chunks = _chunks(body, 12, big_endian=False)
    if b"fmt " not in chunks or b"data" not in chunks:
        raise MediaDecodeError("WAV file without fmt or data chunk")
    fpos, fsize = chunks[b"fmt "]
    if fsize < 16 or fpos + 16 > len(body):
        raise MediaDecodeError("WAV fmt chunk is truncated")
    _, _, _, byte_rate = struct.unpack("<HHII", body[fpos : fpos + 12])
    dpos, dsize = chunks[b"data"]
    available = min(dsize, len(body) - dpos)
    if byte_rate <= 0:
        raise MediaDecodeError("WAV header declares a zero byte rate")
    return float(available / byte_rate)


def _extended_to_float(raw: bytes) -> float:
    """An IEEE 754 80-bit extended float (AIFF's sample rate)."""
    exponent, mantissa = struct.unpack(">HQ", raw)
    sign = -1.0 if exponent & 0x8000 else 1.0
    exponent &= 0x7FFF
    if exponent == 0 and mantissa == 0:
        return 0.0
    try:
        return sign * math.ldexp(mantissa, exponent - 16383 - 63)
    except OverflowError:  # beyond any float: no real sample rate
        return sign * math.inf


def _aiff_duration(body: bytes) -> float:
    if len(body) < 12 or body[:4] != b"FORM" or body[8:12] not in (b"AIFF", b"AIFC"):
        raise MediaDecodeError("not an AIFF file (no FORM/AIFF header)")
    chunks = _chunks(body, 12, big_endian=True)
    if b"COMM" not in chunks:
        raise MediaDecodeError("AIFF file without a COMM chunk")
    cpos, _ = chunks[b"COMM"]
    if cpos + 18 > len(body):
        raise MediaDecodeError("AIFF COMM chunk is truncated")
    _, frames, _ = struct.unpack(">hIh", body[cpos : cpos + 8])
    rate = _extended_to_float(body[cpos + 8 : cpos + 18])
    if rate <= 0:
        raise MediaDecodeError("AIFF header declares a zero sample rate")
    if math.isinf(rate):
        raise MediaDecodeError("AIFF header declares an impossible sample rate")
    return float(frames / rate)


_MP3_BITRATES_V1_L3 = (0, 32, 40, 48, 56, 64, 80, 96, 112, 128, 160, 192, 224, 256, 320)
_MP3_BITRATES_V2_L3 = (0, 8, 16, 24, 32, 40, 48, 56, 64, 80, 96, 112, 128, 144, 160)


def _skip_id3(body: bytes) -> int:
    if body[:3] == b"ID3" and len(body) >= 10:
        size = 0
        for byte in body[6:10]:
            size = (size << 7) | (byte & 0x7F)
        return 10 + size
    return 0


_MP3_SAMPLE_RATES = {3: (44100, 48000, 32000), 2: (22050, 24000, 16000), 0: (11025, 12000, 8000)}


def _lame_trim(head: bytes, at: int, flags: int) -> int:
    """Encoder delay plus padding (samples) from the LAME tag after a Xing/Info header."""
    offset = at + 8 + 4 * bool(flags & 1) + 4 * bool(flags & 2) + 100 * bool(flags & 4)
    offset += 4 * bool(flags & 8)
    if len(head) < offset + 24 or not head[offset : offset + 4].isalpha():
        return 0
    packed = int.from_bytes(head[offset + 21 : offset + 24], "big")
    return (packed >> 12) + (packed & 0xFFF)


def _mp3_duration(body: bytes) -> float:
    """From the Xing/Info header's frame count when there is one (what encoders such as LAME
    and ffmpeg write), else from the first frame's bitrate (exact for constant bitrate)."""
    pos = _skip_id3(body)
    limit = min(len(body) - 4, pos + 64 * 1024)
    while pos <= limit:
        if body[pos] == 0xFF and body[pos + 1] & 0xE0 == 0xE0:
            version = (body[pos + 1] >> 3) & 0x03
            layer = (body[pos + 1] >> 1) & 0x03
            index = body[pos + 2] >> 4
            rate_index = (body[pos + 2] >> 2) & 0x03
            if version != 1 and layer == 1 and 0 < index < 15 and rate_index < 3:
                rate = _MP3_SAMPLE_RATES[version][rate_index]
                samples_per_frame = 1152 if version == 3 else 576
                head = body[pos : pos + 256]
                for tag in (b"Xing", b"Info"):
                    at = head.find(tag, 0, 64)
                    if at >= 0 and len(head) >= at + 12:
                        flags, frames = struct.unpack(">II", head[at + 4 : at + 12])
                        if flags & 1:
                            samples = frames * samples_per_frame - _lame_trim(head, at, flags)
                            return float(max(samples, 0) / rate)
                table = _MP3_BITRATES_V1_L3 if version == 3 else _MP3_BITRATES_V2_L3
                return (len(body) - pos) * 8 / (table[index] * 1000)
        pos += 1
    raise MediaDecodeError("no MPEG audio frame found")


def _mulaw_duration(body: bytes) -> float:
    if body[:4] == b".snd" and len(body) >= 24:
        offset, size, encoding, rate, channels = struct.unpack(">IIIII", body[4:24])
        if encoding != 1 or rate == 0 or channels == 0:
            raise MediaDecodeError("Sun .au file that is not 8-bit µ-law")
        data = len(body) - offset if size == 0xFFFFFFFF else min(size, len(body) - offset)
        return float(max(data, 0) / (rate * channels))
    if not body:
        raise MediaDecodeError("empty µ-law body")
    return len(body) / MULAW_RATE
