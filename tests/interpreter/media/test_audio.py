"""Audio helpers of the media plane: the telephony format (8 kHz mono 16-bit), silence and tones
in it, joining segments, and the decoding done without ffmpeg."""

from __future__ import annotations

import audioop
import struct
from collections.abc import Callable

import anyio
import pytest
from pydub import AudioSegment

from callbox.interpreter.media.audio import (
    TELEPHONY_RATE,
    FfmpegMissingError,
    concatenate,
    decode,
    decode_in_process,
    pcm_segment,
    silent,
    sine,
    telephony,
)
from callbox.interpreter.media.errors import MediaDecodeError, MediaError
from callbox.interpreter.media.formats import AudioFormat


def is_telephony(segment: AudioSegment) -> bool:
    return (segment.frame_rate, segment.channels, segment.sample_width) == (TELEPHONY_RATE, 1, 2)


def test_telephony_format_is_8_khz_mono_16_bit() -> None:
    stereo = AudioSegment(data=bytes(44100 * 4), sample_width=2, frame_rate=44100, channels=2)
    converted = telephony(stereo)
    assert is_telephony(converted)
    assert len(converted) == 1000  # milliseconds: the same length


def test_pcm_segment_drops_a_trailing_half_sample() -> None:
    assert len(pcm_segment(bytes(16001)).raw_data) == 16000


def test_silence_lasts_its_seconds_and_is_silent() -> None:
    quiet = silent(1.5)
    assert is_telephony(quiet)
    assert len(quiet) == 1500
    assert quiet.max == 0
    assert len(silent(-1.0)) == 0


def test_sine_is_a_tone_of_its_length_and_amplitude() -> None:
    tone = sine(440.0, 0.5, amplitude=0.25)
    assert is_telephony(tone)
    assert len(tone) == 500
    assert tone.max == pytest.approx(0.25 * 32767, rel=0.01)


def test_concatenate_joins_parts_and_fills_missing_audio_with_silence() -> None:
    joined = concatenate([(sine(440.0, 0.5), 0.5), (None, 1.0), (sine(440.0, 0.25), 0.25)])
    assert is_telephony(joined)
    assert len(joined) == 1750
    assert joined[500:1500].max == 0
    assert joined[:500].max > 0


def test_pcm_wav_decodes_in_process(wav_bytes: Callable[..., bytes]) -> None:
    segment = decode_in_process(wav_bytes(0.5, rate=16000), AudioFormat.WAV)
    assert segment is not None
    assert (segment.frame_rate, len(segment)) == (16000, 500)


def test_mulaw_decodes_in_process() -> None:
    samples = struct.pack("<4000h", *([8000, -8000] * 2000))
    body = audioop.lin2ulaw(samples, 2)
    segment = decode_in_process(body, AudioFormat.MULAW)
    assert segment is not None
    assert len(segment) == 500
    assert segment.max == pytest.approx(8000, rel=0.05)


def test_formats_that_need_ffmpeg_are_not_decoded_in_process() -> None:
    assert decode_in_process(b"\xff\xfb\x90\x00", AudioFormat.MP3) is None


def test_truncated_wav_is_a_decode_error(wav_bytes: Callable[..., bytes]) -> None:
    with pytest.raises(MediaDecodeError):
        decode_in_process(wav_bytes(1.0)[:30], AudioFormat.WAV)


def test_decode_gives_telephony_audio(wav_bytes: Callable[..., bytes]) -> None:
    segment = anyio.run(lambda: decode(wav_bytes(0.5, rate=16000), "audio/wav", ffmpeg=None))
    assert is_telephony(segment)
    assert len(segment) == 500


def test_format_that_needs_ffmpeg_without_ffmpeg_is_refused() -> None:
    with pytest.raises(FfmpegMissingError, match="ffmpeg") as raised:
        anyio.run(lambda: decode(b"\xff\xfb\x90\x00" + bytes(1000), "audio/mpeg", ffmpeg=None))
    assert isinstance(raised.value, MediaError)


@pytest.mark.parametrize(("body", "content_type"), [(b"", "audio/wav"), (b"<html/>", "text/html")])
def test_empty_body_or_type_that_is_not_audio_is_a_decode_error(
    body: bytes, content_type: str
) -> None:
    with pytest.raises(MediaDecodeError):
        anyio.run(lambda: decode(body, content_type, ffmpeg=None))
