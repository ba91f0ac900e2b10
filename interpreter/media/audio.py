"""Decoding ``<Play>`` audio into the telephony format (8 kHz mono 16-bit), and joining segments.

PCM WAV and µ-law decode in-process; MP3, AIFF, GSM (and WAV in other codecs) go through ffmpeg,
run as a subprocess so that the event loop never waits for it.
"""

from __future__ import annotations

import array
import audioop
import io
import math
import struct
import sys
import tempfile
import wave
from collections.abc import Sequence
from pathlib import Path

import anyio
from pydub import AudioSegment

from callbox.interpreter.media.errors import MediaDecodeError, MediaError
from callbox.interpreter.media.formats import AudioFormat, audio_format

TELEPHONY_RATE = 8000
MAX_DECODED_SECONDS = 3600.0
"""Longest audio a ``<Play>`` may decode to (an hour); longer is cut."""
FFMPEG_FORMATS = {
    AudioFormat.MP3: "mp3",
    AudioFormat.AIFF: "aiff",
    AudioFormat.GSM: "gsm",
    AudioFormat.WAV: "wav",
    AudioFormat.MULAW: "au",
}


class FfmpegMissingError(MediaError):
    """The format needs ffmpeg, and ffmpeg is not installed."""


def telephony(segment: AudioSegment) -> AudioSegment:
    """``segment`` as 8 kHz mono 16-bit."""
    if segment.channels != 1:
        segment = segment.set_channels(1)
    if segment.sample_width != 2:
        segment = segment.set_sample_width(2)
    if segment.frame_rate != TELEPHONY_RATE:
        segment = segment.set_frame_rate(TELEPHONY_RATE)
    return segment


def pcm_segment(data: bytes, rate: int = TELEPHONY_RATE) -> AudioSegment:
    """Mono 16-bit little-endian PCM as a segment."""
    return AudioSegment(
        data=data[: len(data) - len(data) % 2], sample_width=2, frame_rate=rate, channels=1
    )


def silent(seconds: float) -> AudioSegment:
    """``seconds`` of digital silence in the telephony format."""
    return pcm_segment(bytes(2 * max(round(seconds * TELEPHONY_RATE), 0)))


def sine(frequency: float, seconds: float, amplitude: float = 0.5) -> AudioSegment:
    """A pure tone in the telephony format (``amplitude`` as a fraction of full scale)."""
    peak = amplitude * 32767
    step = 2 * math.pi * frequency / TELEPHONY_RATE
    samples = array.array(
        "h", (round(peak * math.sin(step * n)) for n in range(round(seconds * TELEPHONY_RATE)))
    )
    if sys.byteorder == "big":
        samples.byteswap()
    return pcm_segment(samples.tobytes())


def concatenate(parts: Sequence[tuple[AudioSegment | None, float]]) -> AudioSegment:
    """Segments one after the other; a part without audio becomes silence of its duration."""
    pieces = [
        telephony(audio) if audio is not None else silent(seconds) for audio, seconds in parts
    ]
    return pcm_segment(b"".join(piece.raw_data for piece in pieces))


def _decode_wav_pcm(body: bytes) -> AudioSegment | None:
    """PCM WAV through the standard library; None when the WAV is in another codec."""
    try:
        with wave.open(io.BytesIO(body)) as reader:
            frames = reader.readframes(reader.getnframes())
            return AudioSegment(
                data=frames,
                sample_width=reader.getsampwidth(),
                frame_rate=reader.getframerate(),
                channels=reader.getnchannels(),
            )
    except wave.Error as exc:
        if "unknown format" in str(exc):
            return None
        raise MediaDecodeError(f"not a WAV file: {exc}") from exc
    except (EOFError, struct.error) as exc:
        raise MediaDecodeError(f"truncated WAV file: {exc}") from exc


def _decode_mulaw(body: bytes) -> AudioSegment:
    rate, channels, data = TELEPHONY_RATE, 1, body
    if body[:4] == b".snd" and len(body) >= 24:
        offset, size, encoding, rate, channels = struct.unpack(">IIIII", body[4:24])
        if encoding != 1 or rate == 0 or channels == 0:
            raise MediaDecodeError("Sun .au file that is not 8-bit µ-law")
        data = body[offset:] if size == 0xFFFFFFFF else body[offset : offset + size]
    if not data:
        raise MediaDecodeError("empty µ-law body")
    pcm = audioop.ulaw2lin(data[: len(data) - len(data) % channels], 2)
    return AudioSegment(data=pcm, sample_width=2, frame_rate=rate, channels=channels)


def decode_in_process(body: bytes, fmt: AudioFormat) -> AudioSegment | None:
    """Formats decoded without ffmpeg (PCM WAV, µ-law); None when ffmpeg is needed."""
    if fmt is AudioFormat.WAV:
        return _decode_wav_pcm(body)
    if fmt is AudioFormat.MULAW:
        return _decode_mulaw(body)
    return None


async def decode_with_ffmpeg(body: bytes, fmt: AudioFormat, ffmpeg: str | None) -> AudioSegment:
    """Decode through an ``ffmpeg`` subprocess straight into 8 kHz mono PCM.

    The body goes through a temporary file: demuxers such as AIFF's need to seek.
    """
    if ffmpeg is None:
        raise FfmpegMissingError(f"decoding {fmt.value} needs ffmpeg, which is not installed")
    with tempfile.TemporaryDirectory(prefix="callbox-play-") as directory:
        source = Path(directory) / f"body.{FFMPEG_FORMATS[fmt]}"
        await anyio.Path(source).write_bytes(body)
        command = [
            ffmpeg, "-hide_banner", "-nostdin", "-loglevel", "error",
            "-f", FFMPEG_FORMATS[fmt], "-i", str(source),
            "-t", str(MAX_DECODED_SECONDS),
            "-f", "s16le", "-acodec", "pcm_s16le", "-ac", "1", "-ar", str(TELEPHONY_RATE), "pipe:1",
        ]  # fmt: skip
        result = await anyio.run_process(command, check=False)
    if result.returncode != 0 or not result.stdout:
        detail = result.stderr.decode("utf-8", "replace").strip().splitlines()
        reason = detail[-1] if detail else f"ffmpeg exited with {result.returncode}"
        raise MediaDecodeError(f"cannot decode {fmt.value} audio: {reason}")
    return pcm_segment(result.stdout)


async def decode(body: bytes, content_type: str, *, ffmpeg: str | None) -> AudioSegment:
    """``body`` of ``content_type`` as 8 kHz mono 16-bit audio.

    Raises ``MediaDecodeError`` (13420) for a content type that is not audio or bytes that do not
    decode, and ``FfmpegMissingError`` when the format needs ffmpeg and it is absent.
    """
    fmt = audio_format(content_type)
    if not body:
        raise MediaDecodeError("empty audio body")
    segment = await anyio.to_thread.run_sync(decode_in_process, body, fmt)
    if segment is None:
        segment = await decode_with_ffmpeg(body, fmt, ffmpeg)
    segment = telephony(segment)
    if len(segment) > MAX_DECODED_SECONDS * 1000:
        segment = segment[: round(MAX_DECODED_SECONDS * 1000)]
    return segment
