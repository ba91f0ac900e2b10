"""``callbox serve`` as a real process on the wall clock, driven by the official twilio client:
participants are dialed into a conference and a waiting caller is dequeued to a URL."""

from __future__ import annotations

import os
import re
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest
from twilio.rest import Client

from callbox.testing.ports import free_port

pytestmark = pytest.mark.e2e

ROOT = Path(__file__).parent.parent.parent
FINAL = {"completed", "busy", "failed", "no-answer", "canceled"}


def until(condition: Callable[[], bool], seconds: float = 20.0) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if condition():
            return
        time.sleep(0.05)
    raise AssertionError("the condition never held")


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[Client, str]]:
    """A real ``callbox serve --clock real --estimate`` with its own data directory, and the
    official client pointed at it with the account it created."""
    data = tmp_path_factory.mktemp("rooms")
    port = free_port()
    base = f"http://127.0.0.1:{port}"
    log = (data / "serve.log").open("wb")
    process = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "callbox",
            "serve",
            "--port",
            str(port),
            "--flows",
            str(ROOT / "samples"),
            "--data-dir",
            str(data),
            "--clock",
            "real",
            "--estimate",
        ],
        stdout=log,
        stderr=subprocess.STDOUT,
        env={**os.environ, "NO_COLOR": "1"},
    )
    try:

        def up() -> bool:
            try:
                return httpx.get(f"{base}/healthz", timeout=1).status_code == 200
            except httpx.HTTPError:
                return False

        until(up)
        text = (data / "serve.log").read_text()
        sid = re.search(r"account (AC[0-9a-f]{32})", text)
        token = re.search(r"auth token ([0-9a-f]{32})", text)
        assert sid and token, text
        client = Client(sid[1], token[1])
        client.api.base_url = base
        yield client, base
    finally:
        process.terminate()
        process.wait(timeout=20)
        log.close()


def finished(client: Client, sid: str) -> Any:
    until(lambda: client.calls(sid).fetch().status in FINAL)
    return client.calls(sid).fetch()


def test_the_official_client_dials_participants_into_a_conference_and_ends_it(
    server: tuple[Client, str],
) -> None:
    client, _ = server
    first = client.conferences("e2e-room").participants.create(
        from_="+15550100001", to="+15005550006", label="host"
    )
    second = client.conferences("e2e-room").participants.create(
        from_="+15550100001", to="+15005550006"
    )
    until(lambda: any(c.status == "in-progress" for c in client.conferences.list()))
    [room] = [c for c in client.conferences.list() if c.friendly_name == "e2e-room"]
    people = client.conferences(room.sid).participants.list()
    assert {p.call_sid for p in people} == {first.call_sid, second.call_sid}
    client.conferences(room.sid).participants(second.call_sid).update(hold=True)
    assert client.conferences(room.sid).participants(second.call_sid).fetch().hold is True
    client.conferences(room.sid).update(status="completed")
    assert finished(client, first.call_sid).status == "completed"
    assert finished(client, second.call_sid).status == "completed"
    assert client.conferences(room.sid).fetch().status == "completed"


def test_the_official_client_dequeues_a_waiting_member_to_a_url(
    server: tuple[Client, str],
) -> None:
    client, base = server
    call = client.calls.create(
        to="+15005550006",
        from_="+15550100001",
        twiml="<Response><Enqueue waitUrl=''>e2e-line</Enqueue></Response>",
    )
    until(lambda: any(q.friendly_name == "e2e-line" for q in client.queues.list()))
    [queue] = [q for q in client.queues.list() if q.friendly_name == "e2e-line"]
    until(lambda: client.queues(queue.sid).fetch().current_size == 1)
    member = (
        client.queues(queue.sid)
        .members("Front")
        .update(url=f"{base}/flows/voicemail", method="POST")
    )
    assert member.call_sid == call.sid
    assert finished(client, call.sid).status == "completed"
    assert client.queues(queue.sid).fetch().current_size == 0
