"""Recordings hold what the caller said: real audio, trimmed on request, with a matching duration."""

from __future__ import annotations

import json
from collections.abc import Callable
from email.utils import parsedate_to_datetime
from pathlib import Path

import pytest
from pydub import AudioSegment

from callbox.interpreter.media.plane import join
from callbox.interpreter.media.real import RealMediaPlane
from callbox.interpreter.media.recording import (
    FfmpegUnavailableError,
    RecordingStore,
    RecordingUnavailableError,
)

pytestmark = [pytest.mark.anyio, pytest.mark.audio]
SID = "RE" + "a" * 32


async def test_trimmed_recording_contains_the_callers_speech(
    real_plane: RealMediaPlane,
    loudness: Callable[[AudioSegment], float],
    read_wav: Callable[[Path], AudioSegment],
) -> None:
    speech = await real_plane.caller_speech("Hi, this is Sam, please call me back.")
    taken = join([real_plane.silence(1.0), speech, real_plane.silence(5.0)])
    recording = real_plane.save_recording(SID, taken, trim=True)
    assert recording.path is not None and recording.path.exists()
    stored = read_wav(recording.path)
    assert (stored.frame_rate, stored.channels) == (8000, 1)
    assert loudness(stored) > -35
    assert recording.duration == pytest.approx(len(stored) / 1000, abs=0.002)
    # the silences are gone; what is left is the speech (less espeak-ng's own quiet edges)
    assert speech.duration - 0.5 < recording.duration <= speech.duration


async def test_untrimmed_recording_keeps_the_silence(real_plane: RealMediaPlane) -> None:
    speech = await real_plane.caller_speech("Leave it as it is.")
    taken = join([real_plane.silence(1.0), speech, real_plane.silence(2.0)])
    recording = real_plane.save_recording(SID, taken, trim=False)
    assert recording.duration == pytest.approx(speech.duration + 3.0, abs=0.002)


async def test_recording_is_cut_at_max_length(real_plane: RealMediaPlane) -> None:
    speech = await real_plane.caller_speech("This message goes on and on and on for a while.")
    recording = real_plane.save_recording(SID, join([speech], limit=1.0), trim=False)
    assert recording.duration == pytest.approx(1.0, abs=0.002)


async def test_silent_recording_is_empty(real_plane: RealMediaPlane) -> None:
    recording = real_plane.save_recording(SID, real_plane.silence(4.0), trim=True)
    assert recording.duration == 0.0


async def test_recording_is_served_as_mp3(real_plane: RealMediaPlane, ffmpeg: str) -> None:
    speech = await real_plane.caller_speech("Short message.")
    recording = real_plane.save_recording(SID, speech, trim=False)
    mp3 = await real_plane.recordings.mp3_path(SID)
    assert mp3.suffix == ".mp3" and mp3.stat().st_size > 500
    decoded = await real_plane.audio(mp3.read_bytes(), "audio/mpeg")
    assert decoded.duration == pytest.approx(recording.duration, abs=0.15)


async def test_unknown_or_malformed_recording_sids_are_refused(real_plane: RealMediaPlane) -> None:
    with pytest.raises(RecordingUnavailableError):
        await real_plane.recordings.mp3_path("RE" + "b" * 32)
    with pytest.raises(RecordingUnavailableError):
        real_plane.recordings.wav_path("../etc/passwd")
    with pytest.raises(RecordingUnavailableError):
        real_plane.recordings.metadata_path("RE\u00e9" + "b" * 31)


async def test_the_metadata_is_written_beside_the_wav(real_plane: RealMediaPlane) -> None:
    speech = await real_plane.caller_speech("Call me back.")
    call_sid, account_sid = "CA" + "c" * 32, "AC" + "d" * 32
    recording = real_plane.save_recording(
        SID, speech, trim=False, call_sid=call_sid, account_sid=account_sid
    )
    assert recording.path is not None
    metadata = real_plane.recordings.metadata(SID)
    assert metadata == json.loads(recording.path.with_suffix(".json").read_text())
    assert (metadata["sid"], metadata["call_sid"], metadata["account_sid"]) == (
        SID,
        call_sid,
        account_sid,
    )
    assert metadata["duration"] == str(max(1, round(recording.duration)))
    assert parsedate_to_datetime(metadata["date_created"]).tzinfo is not None


def test_without_its_metadata_file_a_recording_is_described_from_its_wav(tmp_path: Path) -> None:
    store = RecordingStore(tmp_path)
    store.save(SID, AudioSegment.silent(duration=2600, frame_rate=8000))
    store.metadata_path(SID).unlink()
    described = store.metadata(SID)
    assert (described["sid"], described["duration"], described["call_sid"]) == (SID, "3", None)
    with pytest.raises(RecordingUnavailableError):
        store.metadata("RE" + "f" * 32)


async def test_an_mp3_without_ffmpeg_is_refused_with_its_own_error(tmp_path: Path) -> None:
    store = RecordingStore(tmp_path, ffmpeg=None)
    store.save(SID, AudioSegment.silent(duration=500, frame_rate=8000))
    with pytest.raises(FfmpegUnavailableError, match="ffmpeg"):
        await store.mp3_path(SID)
