"""Every record the official ``twilio`` client was told was created by a real ``callbox serve``
(subaccounts, numbers, applications, calls, messages, and the last update) is there when the
server is killed with SIGKILL right after the last response and started again on the same store:
on SQLite and on PostgreSQL.

The clients' last requests race the kill: a burst from several threads ends in SIGKILL the moment
the last reported creation arrives, while the others are still in flight."""

from __future__ import annotations

import os
import signal
import threading
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

import pytest
from twilio.rest import Client

from .test_rest_e2e import Server, start_server

pytestmark = pytest.mark.e2e

BURST_THREADS = 4
BURST_REPORTED = 24
"""The burst's creations reported before the kill (the kill comes right after the last one)."""


def official_client(server: Server) -> Any:
    client = Client(server.account_sid, server.auth_token)
    client.api.base_url = server.base_url
    return client


def serve(location: str, tmp_path: Path, name: str) -> Server:
    return start_server(
        tmp_path / "data", tmp_path / f"{name}.log", "--store", location, "--clock", "virtual"
    )


def kill_9(server: Server) -> None:
    os.kill(server.process.pid, signal.SIGKILL)
    server.process.wait(timeout=10)
    assert server.process.returncode == -signal.SIGKILL


def burst_until_killed(client: Any, server: Server) -> dict[str, str]:
    """Calls and messages created from several threads at once; SIGKILL as soon as
    ``BURST_REPORTED`` of them were reported, the other threads' requests still under way.
    The reported ones, SID -> To."""
    reported: dict[str, str] = {}
    lock = threading.Lock()
    killed = threading.Event()

    def create(index: int) -> Callable[[], Any]:
        to = f"+1555888{index:04d}"
        if index % 2:
            return lambda: client.messages.create(to=to, from_="+15550100001", body=f"#{index}")
        return lambda: client.calls.create(to=to, from_="+15550100001", twiml="<Response/>")

    def worker(first: int) -> None:
        for index in range(first, 10_000, BURST_THREADS):
            if killed.is_set():
                return
            try:
                created = create(index)()
            except Exception:  # refused or cut off by the kill, or a real failure
                if killed.is_set():
                    return
                raise
            with lock:
                if killed.is_set():
                    return  # answered after the kill: the test cannot tell which came first
                reported[created.sid] = created.to
                if len(reported) == BURST_REPORTED:
                    killed.set()  # first, so that the requests the kill cuts off are expected
                    kill_9(server)

    with ThreadPoolExecutor(BURST_THREADS) as pool:
        for future in [pool.submit(worker, first) for first in range(BURST_THREADS)]:
            future.result()
    return reported


@pytest.mark.parametrize("backend", ["sqlite", "postgres"])
def test_what_callbox_serve_reported_created_survives_kill_9(
    backend: str, tmp_path: Path, request: pytest.FixtureRequest
) -> None:
    if backend == "sqlite":
        location = str(tmp_path / "store.db")
    else:
        location = request.getfixturevalue("postgres_url")
    first = serve(location, tmp_path, "first")
    try:
        client = official_client(first)
        sub = client.api.accounts.create(friendly_name="Branch office")
        number = client.incoming_phone_numbers.create(
            phone_number="+15557770020", voice_url=f"{first.base_url}/flows/voicemail"
        )
        application = client.applications.create(
            friendly_name="IVR", voice_url=f"{first.base_url}/flows/ivr-menu"
        )
        call = client.calls.create(
            to="+15005550006", from_="+15550100001", application_sid=application.sid
        )
        message = client.messages.create(to="+15558675310", from_="+15550100001", body="héllo ✓")
        client.incoming_phone_numbers(number.sid).update(friendly_name="Front desk")
        burst = burst_until_killed(client, first)
    finally:
        if first.process.poll() is None:
            first.process.kill()
            first.process.wait()

    second = serve(location, tmp_path, "second")
    try:
        assert (second.account_sid, second.auth_token) == (first.account_sid, first.auth_token)
        again = official_client(second)
        assert again.api.accounts(sub.sid).fetch().friendly_name == "Branch office"
        kept = again.incoming_phone_numbers(number.sid).fetch()
        assert (kept.phone_number, kept.friendly_name) == ("+15557770020", "Front desk")
        assert again.applications(application.sid).fetch().voice_url == application.voice_url
        assert again.calls(call.sid).fetch().to == "+15005550006"
        assert again.messages(message.sid).fetch().body == "héllo ✓"
        found: dict[str, str] = {}
        for sid in burst:
            kind = again.calls if sid.startswith("CA") else again.messages
            found[sid] = kind(sid).fetch().to
        assert found == burst and len(burst) == BURST_REPORTED
    finally:
        second.stop()
