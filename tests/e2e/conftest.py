"""End-to-end fixtures: a real developer app under uvicorn on a free loopback port, and a way to
run ``callbox call`` as a real subprocess against it."""

from __future__ import annotations

import json
import os
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import httpx
import pytest

HERE = Path(__file__).parent
ROOT = HERE.parent.parent
AUTH_TOKEN = "e2e-auth-token-0123456789abcdef"
ACCOUNT_SID = "AC" + "e2" * 16


@dataclass
class VoiceApp:
    base_url: str
    process: subprocess.Popen[bytes]

    def url(self, path: str) -> str:
        return self.base_url + path

    def checks(self) -> list[dict[str, Any]]:
        """Every request the app received, with whether ``RequestValidator`` accepted it."""
        response = httpx.get(self.url("/_checks"), timeout=5)
        response.raise_for_status()
        checks: list[dict[str, Any]] = response.json()
        return checks


@dataclass
class CallRun:
    returncode: int
    stdout: str
    stderr: str
    wall: float

    @property
    def data(self) -> dict[str, Any]:
        parsed: dict[str, Any] = json.loads(self.stdout)
        return parsed

    def events(self, *kinds: str) -> list[dict[str, Any]]:
        return [event for event in self.data["timeline"] if not kinds or event["kind"] in kinds]

    def texts(self, *kinds: str) -> list[str]:
        return [event["text"] for event in self.events(*kinds)]

    def codes(self) -> list[str]:
        """Codes of the warnings and errors on the timeline."""
        found = []
        for event in self.events("warning", "error"):
            code = event.get("data", {}).get("code")
            if code:
                found.append(str(code))
        return found


@pytest.fixture(scope="session")
def voice_app() -> Iterator[VoiceApp]:
    """The app of ``voice_app.py`` served by a real uvicorn process on 127.0.0.1."""
    listener = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    listener.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    listener.bind(("127.0.0.1", 0))
    listener.listen(64)
    port = listener.getsockname()[1]
    env = {**os.environ, "E2E_AUTH_TOKEN": AUTH_TOKEN}
    process = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "uvicorn",
            "--app-dir",
            str(HERE),
            "--fd",
            str(listener.fileno()),
            "--log-level",
            "warning",
            "voice_app:app",
        ],
        pass_fds=(listener.fileno(),),
        env=env,
        cwd=ROOT,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )
    listener.close()
    app = VoiceApp(f"http://127.0.0.1:{port}", process)
    deadline = time.monotonic() + 15
    while True:
        if process.poll() is not None:
            raise RuntimeError(
                f"uvicorn exited: {process.stderr.read().decode() if process.stderr else ''}"
            )
        try:
            httpx.get(app.url("/_checks"), timeout=1)
            break
        except httpx.HTTPError:
            if time.monotonic() > deadline:
                process.kill()
                raise
            time.sleep(0.05)
    try:
        yield app
    finally:
        process.terminate()
        try:
            process.wait(timeout=5)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
        if process.stderr is not None:
            process.stderr.close()


@pytest.fixture
def call(voice_app: VoiceApp) -> Iterator[Any]:
    """Run ``callbox call`` as a subprocess; afterwards, every request the app saw during the
    test must have passed ``RequestValidator``."""
    before = len(voice_app.checks())

    def run(path: str, *args: str, output: str = "json", timeout: float = 20) -> CallRun:
        url = path if path.startswith("http") else voice_app.url(path)
        env = {
            **os.environ,
            "CALLBOX_ACCOUNT_SID": ACCOUNT_SID,
            "CALLBOX_AUTH_TOKEN": AUTH_TOKEN,
        }
        started = time.monotonic()
        completed = subprocess.run(
            [sys.executable, "-m", "callbox", "call", url, "--format", output, *args],
            capture_output=True,
            text=True,
            timeout=timeout,
            env=env,
            cwd=ROOT,
        )
        return CallRun(
            completed.returncode, completed.stdout, completed.stderr, time.monotonic() - started
        )

    yield run
    invalid = [check for check in voice_app.checks()[before:] if not check["valid"]]
    assert not invalid, f"the app rejected these signatures: {invalid}"
