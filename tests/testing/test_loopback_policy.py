"""A public app cannot make callbox reach local ports: its ``<Play>``, ``<Redirect>`` and status
callback to loopback are refused (11230) before any connection, while a developer's app whose own
URL is on loopback, or a simulator allowing loopback, reaches them. A real loopback listener
counts what arrives; nothing leaves the machine (the public app is served in-process)."""

from __future__ import annotations

import socket
import threading
from collections.abc import Iterator

import pytest
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from callbox.interpreter.policy import FetchPolicy
from callbox.testing import CallSimulator


class LocalPort:
    """A TCP listener on 127.0.0.1 that answers every request with TwiML and counts them."""

    def __init__(self) -> None:
        self.sock = socket.socket()
        self.sock.bind(("127.0.0.1", 0))
        self.sock.listen(16)
        self.port = self.sock.getsockname()[1]
        self.requests: list[bytes] = []
        self._thread = threading.Thread(target=self._serve, daemon=True)
        self._thread.start()

    def _serve(self) -> None:
        while True:
            try:
                conn, _ = self.sock.accept()
            except OSError:
                return
            with conn:
                head = conn.recv(65536)
                self.requests.append(head.split(b"\r\n", 1)[0])
                body = b"<Response><Say>local secret</Say></Response>"
                conn.sendall(
                    b"HTTP/1.1 200 OK\r\nContent-Type: text/xml\r\nConnection: close\r\n"
                    + f"Content-Length: {len(body)}\r\n\r\n".encode()
                    + body
                )

    def close(self) -> None:
        self.sock.close()


@pytest.fixture
def local_port() -> Iterator[LocalPort]:
    port = LocalPort()
    yield port
    port.close()


def public_app(local: str) -> Starlette:
    """A hostile app (served at http://testserver): it points the call at a local port."""

    async def voice(request: Request) -> Response:
        body = (
            f"<Response><Play>{local}/tone.wav</Play><Redirect>{local}/next</Redirect></Response>"
        )
        return Response(body, media_type="text/xml")

    return Starlette(routes=[Route("/voice", voice, methods=["POST"])])


def test_a_public_apps_play_redirect_and_status_callback_to_loopback_are_refused(
    local_port: LocalPort,
) -> None:
    local = f"http://127.0.0.1:{local_port.port}"
    with CallSimulator() as simulator:
        call = simulator.call(public_app(local), status_callback=f"{local}/status")
        call.finish()
        codes = call.codes()
        messages = " ".join(event.text for event in call.errors() + call.warnings())
    assert local_port.requests == []
    assert codes.count("11230") >= 2, codes  # the <Play>, the <Redirect> (and the callback)
    assert "loopback" in messages


def test_a_call_to_a_local_app_may_use_loopback(local_port: LocalPort) -> None:
    local = f"http://127.0.0.1:{local_port.port}"
    with CallSimulator() as simulator:
        call = simulator.call(f"{local}/voice")
        call.finish()
    assert call.heard == ["local secret"]
    assert local_port.requests == [b"POST /voice HTTP/1.1"]


def test_allow_loopback_lets_a_public_app_reach_loopback(local_port: LocalPort) -> None:
    local = f"http://127.0.0.1:{local_port.port}"
    with CallSimulator(policy=FetchPolicy(allow_loopback=True)) as simulator:
        call = simulator.call(public_app(local))
        call.finish()
    assert b"POST /next HTTP/1.1" in local_port.requests
    assert "local secret" in call.heard
