"""``callbox serve`` under hostile requests: bodies over the cap, slow clients, missing
credentials and signatures are refused with their code before any route runs."""

from __future__ import annotations

import base64
import socket
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
import uvicorn
from starlette.testclient import TestClient
from twilio.request_validator import RequestValidator

from callbox.interpreter.http.app import ServerSettings, create_app
from callbox.interpreter.http.guard import GuardSettings
from callbox.interpreter.http.slow_clients import head_deadline_protocol

TOKEN = "a-test-auth-token"


@pytest.fixture
def flows_dir(tmp_path: Path) -> Path:
    root = tmp_path / "flows"
    root.mkdir()
    (root / "menu.xml").write_text("<Response><Say>Main menu</Say></Response>")
    return root


def client_for(flows_dir: Path, **guard: object) -> TestClient:
    settings = ServerSettings(flows_dir=flows_dir, guard=GuardSettings(**guard))  # type: ignore[arg-type]
    return TestClient(create_app(settings))


def test_a_body_over_the_cap_is_refused_with_413_and_cf601(flows_dir: Path) -> None:
    client = client_for(flows_dir, max_request_bytes=1024)
    declared = client.post("/flows/menu", content=b"From=" + b"1" * 2000)
    assert declared.status_code == 413
    assert declared.text.startswith("CF601 ")
    assert client.post("/flows/menu", data={"From": "+15551230000"}).status_code == 200


def test_a_chunked_body_over_the_cap_is_cut_off_with_413(flows_dir: Path) -> None:
    client = client_for(flows_dir, max_request_bytes=1024)

    def chunks() -> Iterator[bytes]:
        for _ in range(100):  # 100 KB, never declared
            yield b"x" * 1024

    response = client.post("/flows/menu", content=chunks())
    assert response.status_code == 413
    assert "CF601" in response.text


def _basic(user: str, password: str) -> dict[str, str]:
    encoded = base64.b64encode(f"{user}:{password}".encode()).decode()
    return {"Authorization": f"Basic {encoded}"}


def test_basic_auth_is_required_on_the_webhooks_when_asked_for(flows_dir: Path) -> None:
    client = client_for(flows_dir, basic_auth=("twilio", "s3cret"))
    missing = client.get("/flows/menu")
    assert missing.status_code == 401
    assert missing.headers["www-authenticate"].startswith("Basic")
    assert missing.text.startswith("CF602 ")
    assert client.get("/flows/menu", headers=_basic("twilio", "wrong")).status_code == 401
    assert client.get("/flows/menu", headers=_basic("twilio", "s3cret")).status_code == 200
    assert client.get("/healthz").status_code == 200


def test_webhooks_need_a_valid_twilio_signature_when_checked(flows_dir: Path) -> None:
    client = client_for(flows_dir, auth_token=TOKEN)
    url = "http://testserver/flows/menu"
    form = {"CallSid": "CA" + "0" * 32, "From": "+15551230000"}
    signature = RequestValidator(TOKEN).compute_signature(url, form)
    signed = client.post("/flows/menu", data=form, headers={"X-Twilio-Signature": signature})
    assert signed.status_code == 200, signed.text
    unsigned = client.post("/flows/menu", data=form)
    assert (unsigned.status_code, unsigned.text[:5]) == (403, "CF603")
    tampered = client.post(
        "/flows/menu",
        data={**form, "From": "+15559999999"},
        headers={"X-Twilio-Signature": signature},
    )
    assert tampered.status_code == 403
    get_url = f"{url}?Digits=1"
    get_signature = RequestValidator(TOKEN).compute_signature(get_url, {})
    signed_get = client.get("/flows/menu?Digits=1", headers={"X-Twilio-Signature": get_signature})
    assert signed_get.status_code == 200


def test_the_signature_is_checked_for_the_public_url_behind_a_proxy(flows_dir: Path) -> None:
    client = client_for(flows_dir, auth_token=TOKEN, public_url="https://voice.example.com")
    form = {"From": "+15551230000"}
    signature = RequestValidator(TOKEN).compute_signature(
        "https://voice.example.com/flows/menu", form
    )
    response = client.post("/flows/menu", data=form, headers={"X-Twilio-Signature": signature})
    assert response.status_code == 200


class _Server:
    """A real uvicorn serving ``app`` on a free loopback port, in a thread."""

    def __init__(self, app: object, head_seconds: float) -> None:
        sock = socket.socket()
        sock.bind(("127.0.0.1", 0))
        self.port = sock.getsockname()[1]
        sock.close()
        config = uvicorn.Config(
            app,  # type: ignore[arg-type]
            host="127.0.0.1",
            port=self.port,
            log_level="critical",
            http=head_deadline_protocol(head_seconds),
        )
        self.server = uvicorn.Server(config)
        self.thread = threading.Thread(target=self.server.run, daemon=True)

    def __enter__(self) -> _Server:
        self.thread.start()
        for _ in range(500):
            if self.server.started:
                break
            time.sleep(0.01)
        return self

    def __exit__(self, *_: object) -> None:
        self.server.should_exit = True
        self.thread.join(10)


def test_a_client_sending_its_headers_slowly_is_disconnected(flows_dir: Path) -> None:
    app = create_app(ServerSettings(flows_dir=flows_dir))
    with _Server(app, head_seconds=0.3) as server:
        slow = socket.create_connection(("127.0.0.1", server.port), timeout=10)
        slow.sendall(b"GET /flows/menu HTTP/1.1\r\nHost: x\r\n")  # and never the end
        assert slow.recv(1024) == b""  # closed by the server
        slow.close()
        quick = socket.create_connection(("127.0.0.1", server.port), timeout=10)
        quick.sendall(b"GET /flows/menu HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n")
        answer = b""
        while chunk := quick.recv(65536):
            answer += chunk
        quick.close()
    assert answer.startswith(b"HTTP/1.1 200")
    assert answer.endswith(b"<Response><Say>Main menu</Say></Response>")
