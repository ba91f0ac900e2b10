"""The REST API as applications use it: a real ``callbox serve`` process, the official ``twilio``
client pointed at it with ``client.api.base_url``, and a developer app under uvicorn receiving the
platform's webhooks and status callbacks, every signature checked with ``RequestValidator``."""

from __future__ import annotations

import os
import re
import signal
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import httpx
import pytest
from twilio.base.exceptions import TwilioRestException
from twilio.rest import Client

from callbox.testing.contract import StrictTwin
from callbox.testing.ports import free_port
from callbox.testing.twilio_http import contract_hook, twilio_client

pytestmark = [pytest.mark.e2e, pytest.mark.audio]

HERE = Path(__file__).parent
ROOT = HERE.parent.parent
FINAL = {"completed", "busy", "failed", "no-answer", "canceled"}


def until(condition: Callable[[], Any], what: str, timeout: float = 30) -> Any:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        found = condition()
        if found:
            return found
        time.sleep(0.05)
    raise AssertionError(f"never happened: {what}")


@dataclass
class Server:
    base_url: str
    process: subprocess.Popen[bytes]
    log: Path
    account_sid: str = ""
    auth_token: str = ""

    def output(self) -> str:
        return self.log.read_text(errors="replace")

    def stop(self) -> bool:
        """A graceful shutdown (SIGTERM), as a service manager does it; whether it completed
        (uvicorn finishes the shutdown, then ends as the signal would)."""
        self.process.send_signal(signal.SIGTERM)
        try:
            status = self.process.wait(timeout=20)
            return status in (0, -signal.SIGTERM) and "shutdown complete" in self.output()
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()
            raise


def start_server(data_dir: Path, log: Path, *args: str) -> Server:
    port = free_port()
    command = [sys.executable, "-m", "callbox", "serve", "--port", str(port)]
    command += ["--data-dir", str(data_dir), "--flows", str(ROOT / "samples"), *args]
    with log.open("ab") as out:
        process = subprocess.Popen(command, cwd=ROOT, stdout=out, stderr=subprocess.STDOUT)
    server = Server(f"http://127.0.0.1:{port}", process, log)
    deadline = time.monotonic() + 20
    while True:
        if process.poll() is not None:
            raise RuntimeError(f"callbox serve exited:\n{server.output()}")
        try:
            if httpx.get(f"{server.base_url}/healthz", timeout=1).status_code == 200:
                break
        except httpx.HTTPError:
            if time.monotonic() > deadline:
                process.kill()
                raise
            time.sleep(0.05)
    text = server.output()
    server.account_sid = re.findall(r"account (AC[0-9a-f]{32})", text)[-1]
    server.auth_token = re.findall(r"auth token ([0-9a-f]{32})", text)[-1]
    return server


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Server]:
    root = tmp_path_factory.mktemp("rest")
    started = start_server(root / "data", root / "serve.log")
    yield started
    started.stop()


@dataclass
class App:
    base_url: str
    process: subprocess.Popen[bytes]

    def url(self, path: str) -> str:
        return self.base_url + path

    def seen(self, call_sid: str | None = None, path: str | None = None) -> list[dict[str, Any]]:
        everything: list[dict[str, Any]] = httpx.get(self.url("/_seen"), timeout=5).json()
        return [
            s
            for s in everything
            if (call_sid is None or s["params"].get("CallSid") == call_sid)
            and (path is None or s["path"] == path)
        ]


@pytest.fixture(scope="module")
def app(server: Server) -> Iterator[App]:
    """The developer's app under uvicorn, validating signatures with the platform's token."""
    port = free_port()
    env = {**os.environ, "E2E_AUTH_TOKEN": server.auth_token}
    command = [sys.executable, "-m", "uvicorn", "--app-dir", str(HERE), "--port", str(port)]
    command += ["--log-level", "warning", "rest_app:app"]
    process = subprocess.Popen(command, env=env, cwd=ROOT, stdout=subprocess.DEVNULL)
    served = App(f"http://127.0.0.1:{port}", process)
    until(lambda: _answers(served.url("/_seen")), "the app answers", timeout=20)
    yield served
    ours = [s for s in served.seen() if s["params"].get("AccountSid") == server.account_sid]
    assert ours and [s for s in ours if not s["valid"]] == []  # other servers sign otherwise
    process.terminate()
    process.wait(timeout=10)


def _answers(url: str) -> bool:
    try:
        return httpx.get(url, timeout=1).status_code == 200
    except httpx.HTTPError:
        return False


@pytest.fixture(scope="module")
def client(server: Server) -> Iterator[Any]:
    """The official client, sending through httpx so every response meets the strict twin."""
    twin = StrictTwin.load()
    with httpx.Client(event_hooks={"response": [contract_hook(twin)]}, timeout=30) as http:
        yield twilio_client(http, server.account_sid, server.auth_token, server.base_url)


def finished(client: Any, sid: str) -> Any:
    return until(
        lambda: (call := client.calls(sid).fetch()).status in FINAL and call, f"call {sid} ends"
    )


def test_the_stock_client_works_unchanged_with_base_url(server: Server) -> None:
    client = Client(server.account_sid, server.auth_token)
    client.api.base_url = server.base_url
    assert client.api.accounts(server.account_sid).fetch().status == "active"
    numbers = client.incoming_phone_numbers.list()
    assert "+15550100001" in [n.phone_number for n in numbers]


def test_a_wrong_token_is_401_with_no_data(server: Server) -> None:
    client = Client(server.account_sid, "0" * 32)
    client.api.base_url = server.base_url
    with pytest.raises(TwilioRestException) as raised:
        client.calls.create(to="+15005550006", from_="+15550100001", twiml="<Response/>")
    assert (raised.value.status, raised.value.code) == (401, 20003)
    with pytest.raises(TwilioRestException) as raised:
        client.api.accounts(server.account_sid).fetch()
    assert raised.value.status == 401 and server.auth_token not in raised.value.msg


def test_a_call_reaches_the_app_and_its_status_callbacks_arrive_numbered_in_order(
    client: Any, app: App
) -> None:
    call = client.calls.create(
        to="+15005550006",
        from_="+15550100001",
        url=app.url("/voice"),
        status_callback=app.url("/status"),
        status_callback_event=["initiated", "ringing", "answered", "completed"],
    )
    ended = finished(client, call.sid)
    assert ended.status == "completed"
    assert [s["path"] for s in app.seen(call.sid, "/voice")] == ["/voice"]
    statuses = until(
        lambda: len(app.seen(call.sid, "/status")) == 4 and app.seen(call.sid, "/status"),
        "four status callbacks",
    )
    statuses.sort(key=lambda s: int(s["params"]["SequenceNumber"]))
    assert [s["params"]["CallStatus"] for s in statuses] == [
        "initiated",
        "ringing",
        "in-progress",
        "completed",
    ]
    assert statuses[-1]["params"]["CallDuration"] == ended.duration


def test_calls_are_listed_across_pages(client: Any, app: App) -> None:
    sids = {
        client.calls.create(to="+15005550006", from_="+15550100001", url=app.url("/voice")).sid
        for _ in range(3)
    }
    listed = [c.sid for c in client.calls.list(page_size=2)]
    assert sids <= set(listed) and len(listed) == len(set(listed))
    assert client.calls(next(iter(sids))).fetch().to == "+15005550006"


def test_a_live_call_is_redirected_and_hung_up(client: Any, app: App) -> None:
    call = client.calls.create(to="+15005550006", from_="+15550100001", url=app.url("/hold"))
    until(lambda: client.calls(call.sid).fetch().status == "in-progress", "the call is answered")
    client.calls(call.sid).update(url=app.url("/after"), method="POST")
    until(lambda: app.seen(call.sid, "/after"), "the redirect reaches the app")
    client.calls(call.sid).update(status="completed")
    ended = finished(client, call.sid)
    assert ended.status == "completed" and ended.end_time is not None


def test_numbers_are_created_updated_and_deleted(client: Any, app: App) -> None:
    number = client.incoming_phone_numbers.create(
        phone_number="+15557770010", voice_url=app.url("/voice")
    )
    updated = client.incoming_phone_numbers(number.sid).update(voice_url=app.url("/record"))
    assert updated.voice_url == app.url("/record")
    assert client.incoming_phone_numbers(number.sid).fetch().phone_number == "+15557770010"
    assert client.incoming_phone_numbers(number.sid).delete()
    with pytest.raises(TwilioRestException) as raised:
        client.incoming_phone_numbers(number.sid).fetch()
    assert raised.value.status == 404


def test_an_inbound_call_through_a_number_leaves_a_recording(
    client: Any, app: App, server: Server
) -> None:
    number = client.incoming_phone_numbers.create(
        phone_number="+15557770011", voice_url=app.url("/record")
    )
    answer = httpx.post(
        f"{server.base_url}/callbox/inbound-calls",
        data={"To": number.phone_number, "From": "+15005550006", "Say": "Please call me back."},
        timeout=60,
    )
    assert answer.status_code == 200, answer.text
    call_sid = answer.json()["call"]["sid"]
    call = client.calls(call_sid).fetch()
    assert (call.direction, call.status, call.phone_number_sid) == (
        "inbound",
        "completed",
        number.sid,
    )
    [recording] = client.calls(call_sid).recordings.list()
    assert int(recording.duration) >= 1
    fetched = client.recordings(recording.sid).fetch()
    wav = httpx.get(fetched.media_url, timeout=10)
    assert wav.content[:4] == b"RIFF" and wav.headers["content-type"] == "audio/x-wav"
    assert httpx.get(fetched.media_url + ".mp3", timeout=30).headers["content-type"] == "audio/mpeg"
    assert recording.sid in [r.sid for r in client.recordings.list(call_sid=call_sid)]


def test_an_application_error_is_a_notification_with_the_request_and_response(
    client: Any, app: App
) -> None:
    call = client.calls.create(to="+15005550006", from_="+15550100001", url=app.url("/broken"))
    finished(client, call.sid)
    notes = until(lambda: client.calls(call.sid).notifications.list(), "a notification")
    assert "11200" in [n.error_code for n in notes]
    [note] = [n for n in notes if n.error_code == "11200"]
    full = client.notifications(note.sid).fetch()
    assert full.request_url == app.url("/broken") and full.log == "0"
    assert "500" in full.message_text and "CallSid=" in full.request_variables


def test_a_graceful_shutdown_ends_live_calls_and_a_restart_keeps_the_account(
    tmp_path: Path, app: App
) -> None:
    first = start_server(tmp_path / "data", tmp_path / "serve.log")
    try:
        assert "created account" in first.output()
        client = Client(first.account_sid, first.auth_token)
        client.api.base_url = first.base_url
        call = client.calls.create(to="+15005550006", from_="+15550100001", url=app.url("/hold"))
        until(lambda: client.calls(call.sid).fetch().status == "in-progress", "answered")
    finally:
        assert first.stop()
    second = start_server(tmp_path / "data", tmp_path / "serve.log")
    try:
        assert second.account_sid == first.account_sid and "using account" in second.output()
        client = Client(second.account_sid, second.auth_token)
        client.api.base_url = second.base_url
        ended = client.calls(call.sid).fetch()
        assert ended.status == "completed" and ended.end_time is not None
    finally:
        second.stop()
