"""Recordings served at their ``RecordingUrl``: WAV, MP3 on demand, JSON metadata; nothing else."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from starlette.testclient import TestClient

from callbox.interpreter.http.app import ServerSettings, create_app
from callbox.interpreter.media.audio import sine
from callbox.interpreter.media.recording import RecordingStore

SID = "RE" + "0123456789abcdef" * 2
CALL_SID = "CA" + "1" * 32
ACCOUNT = "AC" + "2" * 32
BASE = f"/2010-04-01/Accounts/{ACCOUNT}/Recordings"


@pytest.fixture
def data_dir(tmp_path: Path) -> Path:
    data = tmp_path / "data"
    store = RecordingStore(data / "recordings")
    store.save(SID, sine(440.0, 1.5), call_sid=CALL_SID, account_sid=ACCOUNT)
    (data / "secret.wav").write_bytes(b"RIFF secret")
    (tmp_path / "flows").mkdir()
    return data


def client_for(data_dir: Path, *, ffmpeg: bool = True) -> TestClient:
    settings = ServerSettings(
        flows_dir=data_dir.parent / "flows",
        data_dir=data_dir,
        public_url="https://cf.example",
        which=shutil.which if ffmpeg else (lambda _: None),
    )
    return TestClient(create_app(settings))


@pytest.mark.parametrize("suffix", ["", ".wav"])
def test_the_recording_url_serves_the_wav(data_dir: Path, suffix: str) -> None:
    response = client_for(data_dir).get(f"{BASE}/{SID}{suffix}")
    assert response.status_code == 200
    assert response.headers["content-type"] == "audio/x-wav"
    assert response.content == (data_dir / "recordings" / f"{SID}.wav").read_bytes()
    assert response.content[:4] == b"RIFF"


def test_the_json_describes_the_recording(data_dir: Path) -> None:
    response = client_for(data_dir).get(f"{BASE}/{SID}.json")
    assert response.status_code == 200
    assert response.headers["content-type"] == "application/json"
    described = response.json()
    assert (described["sid"], described["call_sid"], described["account_sid"]) == (
        SID,
        CALL_SID,
        ACCOUNT,
    )
    assert described["duration"] == "2"  # 1.5 s, in whole seconds as Twilio reports it
    assert described["date_created"]
    assert described["uri"] == f"{BASE}/{SID}.json"
    assert described["media_url"] == f"https://cf.example{BASE}/{SID}"


@pytest.mark.audio
def test_the_mp3_is_made_once_with_ffmpeg(data_dir: Path) -> None:
    if shutil.which("ffmpeg") is None:
        pytest.skip("ffmpeg is not installed (scripts/setup installs it)")
    client = client_for(data_dir)
    first = client.get(f"{BASE}/{SID}.mp3")
    assert first.status_code == 200
    assert first.headers["content-type"] == "audio/mpeg"
    mp3 = data_dir / "recordings" / f"{SID}.mp3"
    assert first.content == mp3.read_bytes() and len(first.content) > 500
    made = mp3.stat().st_mtime_ns
    assert client.get(f"{BASE}/{SID}.mp3").content == first.content
    assert mp3.stat().st_mtime_ns == made  # served from the file made the first time


def test_without_ffmpeg_the_mp3_is_a_503_that_says_why(data_dir: Path) -> None:
    response = client_for(data_dir, ffmpeg=False).get(f"{BASE}/{SID}.mp3")
    assert response.status_code == 503
    assert "ffmpeg" in response.text and ".wav" in response.text
    # the WAV is still there
    assert client_for(data_dir, ffmpeg=False).get(f"{BASE}/{SID}").status_code == 200


@pytest.mark.parametrize(
    "name",
    [
        "RE" + "f" * 32,  # well formed, unknown
        "RE" + "f" * 32 + ".mp3",
        "RE" + "f" * 32 + ".json",
        "RE" + SID[2:].upper(),  # upper-case hex
        SID + ".txt",
        SID + ".wav.json",
        SID[:-1],
        "secret",
        "..%2Fsecret.wav",
        "..%2F..%2Fdata%2Fsecret.wav",
        "%2e%2e%2fsecret.wav",
        "RE" + "0" * 32 + "%00.wav",
        "RE..",
        "x" * 5000,
    ],
)
def test_unknown_and_malformed_sids_are_404(data_dir: Path, name: str) -> None:
    response = client_for(data_dir).get(f"{BASE}/{name}")
    assert response.status_code == 404
    assert b"RIFF" not in response.content


@pytest.mark.parametrize(
    "path",
    [
        f"{BASE}/../../secret.wav",
        f"{BASE}/..%2F..%2Fsecret.wav",
        f"/2010-04-01/Accounts/..%2F../Recordings/{SID}/../secret.wav",
        f"{BASE}/{SID}/..%2Fsecret.wav",
    ],
)
def test_paths_cannot_leave_the_recordings_directory(data_dir: Path, path: str) -> None:
    response = client_for(data_dir).get(path)
    assert response.status_code == 404
    assert b"secret" not in response.content


def test_a_recording_is_only_served_under_its_own_account(data_dir: Path) -> None:
    other = "AC" + "9" * 32
    response = client_for(data_dir).get(f"/2010-04-01/Accounts/{other}/Recordings/{SID}")
    assert response.status_code == 404


def test_a_wav_without_metadata_is_still_served_and_described(data_dir: Path) -> None:
    (data_dir / "recordings" / f"{SID}.json").unlink()
    client = client_for(data_dir)
    other_account = "/2010-04-01/Accounts/AC" + "3" * 32 + f"/Recordings/{SID}"
    assert client.get(other_account).status_code == 200  # no metadata: no owner to check
    assert client.get(f"{BASE}/{SID}.json").json()["duration"] == "2"


def test_a_server_without_a_data_dir_serves_no_recordings(data_dir: Path) -> None:
    app = create_app(ServerSettings(flows_dir=data_dir.parent / "flows"))
    assert TestClient(app).get(f"{BASE}/{SID}").status_code == 404


def test_serve_listens_where_its_public_url_says_by_default() -> None:
    from callbox.cli.serve import own_url

    assert own_url("127.0.0.1", 5000) == "http://127.0.0.1:5000"
    assert own_url("0.0.0.0", 8080) == "http://127.0.0.1:8080"
    assert own_url("::1", 80) == "http://[::1]:80"


def test_serve_refuses_a_bad_public_url(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    from callbox.cli.main import main

    status = main(["serve", "--flows", str(tmp_path), "--public-url", "ftp://x"])
    assert status == 2
    assert "--public-url" in capsys.readouterr().err


def test_head_answers_the_wav_headers_without_the_body(data_dir: Path) -> None:
    response = client_for(data_dir).head(f"{BASE}/{SID}.wav")
    assert response.status_code == 200
    assert response.headers["content-type"] == "audio/x-wav"
    size = (data_dir / "recordings" / f"{SID}.wav").stat().st_size
    assert response.headers["content-length"] == str(size) and response.content == b""
