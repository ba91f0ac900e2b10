"""``callbox serve`` and ``callbox call`` as real processes: the caller leaves a voicemail on a
flow hosted by the server, and the recording is fetched back from the server at its
``RecordingUrl`` as WAV, ``.wav``, ``.mp3`` and ``.json``."""

from __future__ import annotations

import io
import json
import math
import os
import shutil
import subprocess
import sys
import time
import wave
from array import array
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import httpx
import pytest

from callbox.testing.ports import free_port

pytestmark = [pytest.mark.e2e, pytest.mark.audio]

ROOT = Path(__file__).parent.parent.parent


def rms(pcm: bytes) -> float:
    """Root mean square of 16-bit little-endian mono samples."""
    samples = array("h", pcm[: len(pcm) - len(pcm) % 2])
    return math.sqrt(sum(x * x for x in samples) / max(len(samples), 1))


MESSAGE = "Hi, this is Sam. Please call me back about my order, thank you."


@dataclass
class Served:
    base_url: str
    data_dir: Path
    process: subprocess.Popen[bytes]


@pytest.fixture(scope="module")
def served(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Served]:
    """``callbox serve`` on a free loopback port, hosting the voicemail sample, with a data
    directory of its own."""
    if shutil.which("espeak-ng") is None:
        pytest.skip("espeak-ng is not installed (scripts/setup installs it)")
    root = tmp_path_factory.mktemp("serve")
    flows, data = root / "flows", root / "data"
    flows.mkdir()
    for name in ("voicemail.xml", "voicemail-saved.xml"):
        shutil.copy(ROOT / "samples" / name, flows / name)
    port = free_port()
    log = (root / "serve.log").open("wb")
    command = [sys.executable, "-m", "callbox", "serve", "--host", "127.0.0.1"]
    command += ["--port", str(port), "--flows", str(flows), "--data-dir", str(data)]
    process = subprocess.Popen(command, cwd=ROOT, stdout=log, stderr=subprocess.STDOUT)
    base = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 15
    try:
        while True:
            if process.poll() is not None:
                raise RuntimeError(f"callbox serve exited: {(root / 'serve.log').read_text()}")
            try:
                if httpx.get(f"{base}/healthz", timeout=1).status_code == 200:
                    break
            except httpx.HTTPError:
                pass
            if time.monotonic() > deadline:
                raise RuntimeError("callbox serve did not start in 15 s")
            time.sleep(0.05)
        yield Served(base, data, process)
    finally:
        process.terminate()
        try:
            process.wait(timeout=5)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
        log.close()


@pytest.fixture(scope="module")
def voicemail(served: Served) -> dict[str, Any]:
    """One ``callbox call`` leaving a message; the parameters of the ``<Record>`` action."""
    command = [sys.executable, "-m", "callbox", "call", f"{served.base_url}/flows/voicemail"]
    command += ["--say", MESSAGE, "--format", "json", "--data-dir", str(served.data_dir)]
    command += ["--public-url", served.base_url]
    env = {key: value for key, value in os.environ.items() if not key.startswith("TWILIO_")}
    started = time.monotonic()
    completed = subprocess.run(
        command, capture_output=True, text=True, timeout=30, cwd=ROOT, env=env
    )
    wall = time.monotonic() - started
    assert completed.returncode == 0, completed.stdout + completed.stderr
    data = json.loads(completed.stdout)
    (action,) = [r for r in data["requests"] if "RecordingUrl" in r["params"]]
    print(f"voicemail call with real speech: {data['duration']:.1f} s of call time, {wall:.2f} s")
    return {**action["params"], "_call": data}


def test_the_recording_url_names_the_server(served: Served, voicemail: dict[str, Any]) -> None:
    sid = voicemail["RecordingSid"]
    assert voicemail["RecordingUrl"] == (
        f"{served.base_url}/2010-04-01/Accounts/{voicemail['AccountSid']}/Recordings/{sid}"
    )
    assert (served.data_dir / "recordings" / f"{sid}.wav").is_file()
    assert voicemail["_call"]["recordings"][0]["path"].endswith(f"{sid}.wav")


@pytest.mark.parametrize("suffix", ["", ".wav"])
def test_the_wav_holds_the_message_for_its_duration(voicemail: dict[str, Any], suffix: str) -> None:
    response = httpx.get(voicemail["RecordingUrl"] + suffix, timeout=5)
    assert response.status_code == 200
    assert response.headers["content-type"] == "audio/x-wav"
    with wave.open(io.BytesIO(response.content)) as reader:
        assert (reader.getframerate(), reader.getnchannels()) == (8000, 1)
        frames = reader.readframes(reader.getnframes())
        seconds = reader.getnframes() / reader.getframerate()
    # RecordingDuration is the WAV's length in whole seconds
    assert abs(seconds - int(voicemail["RecordingDuration"])) <= 0.5
    assert seconds > 2.0  # about a dozen words, trimmed of the silence around them
    level = rms(frames)
    assert level > 500, f"no speech in the recording (RMS {level:.0f})"


def test_the_json_describes_the_recording(voicemail: dict[str, Any]) -> None:
    response = httpx.get(voicemail["RecordingUrl"] + ".json", timeout=5)
    assert response.status_code == 200
    assert response.headers["content-type"] == "application/json"
    described = response.json()
    assert described["sid"] == voicemail["RecordingSid"]
    assert described["call_sid"] == voicemail["CallSid"]
    assert described["duration"] == voicemail["RecordingDuration"]
    assert described["media_url"] == voicemail["RecordingUrl"]


def test_the_mp3_is_made_by_ffmpeg_and_decodes(voicemail: dict[str, Any]) -> None:
    ffmpeg = shutil.which("ffmpeg")
    if ffmpeg is None:
        pytest.skip("ffmpeg is not installed (scripts/setup installs it)")
    response = httpx.get(voicemail["RecordingUrl"] + ".mp3", timeout=15)
    assert response.status_code == 200
    assert response.headers["content-type"] == "audio/mpeg"
    command = [ffmpeg, "-hide_banner", "-loglevel", "error", "-f", "mp3", "-i", "pipe:0"]
    command += ["-ac", "1", "-ar", "8000", "-f", "s16le", "pipe:1"]
    decoded = subprocess.run(
        command,
        input=response.content,
        capture_output=True,
        check=True,
    ).stdout
    seconds = len(decoded) / 2 / 8000
    # MP3 frames and the encoder's delay add a few tens of milliseconds
    assert abs(seconds - int(voicemail["RecordingDuration"])) <= 0.6
    assert rms(decoded) > 500


def test_the_server_refuses_what_is_not_a_recording(
    served: Served, voicemail: dict[str, Any]
) -> None:
    base = voicemail["RecordingUrl"].rsplit("/", 1)[0]
    for name in ("RE" + "f" * 32, "..%2F..%2Fserve.log", voicemail["RecordingSid"] + ".txt"):
        assert httpx.get(f"{base}/{name}", timeout=5).status_code == 404


def test_the_prompt_lasts_as_long_as_its_rendered_speech(voicemail: dict[str, Any]) -> None:
    from callbox.interpreter.media.plane import estimate_speech

    timeline = voicemail["_call"]["timeline"]
    say = next(event for event in timeline if event["kind"] == "say")
    beep = next(event for event in timeline if event["kind"] == "beep")
    spoken = say["data"]["duration"]
    # espeak-ng's length, not the 150 words-a-minute estimate, moves the clock to the beep
    assert abs(spoken - estimate_speech(say["text"])) > 0.2
    assert beep["at"] == pytest.approx(say["at"] + spoken)
