"""Every record a server's response reported as created is still in the store after the server
is killed with SIGKILL right after that response, with writes still in flight: on SQLite and on
PostgreSQL."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import anyio
import httpx
import pytest

from callbox.records import Call
from callbox.store import Query, open_store
from callbox.testing.ports import free_port

pytestmark = pytest.mark.e2e

HERE = Path(__file__).parent
WRITERS = 16
ROUNDS = 2


def start_writer_server(location: str, log: Path) -> tuple[subprocess.Popen[bytes], str]:
    port = free_port()
    command = [sys.executable, str(HERE / "store_writer_app.py"), "--store", location]
    with log.open("wb") as output:
        process = subprocess.Popen(
            [*command, "--port", str(port)], stdout=output, stderr=subprocess.STDOUT
        )
    base = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        if process.poll() is not None:
            text = log.read_text(errors="replace")
            pytest.fail(f"the writer server exited ({process.returncode}): {text}")
        try:
            if httpx.get(base + "/healthz", timeout=1).status_code == 200:
                return process, base
        except httpx.TransportError:
            time.sleep(0.05)
    process.kill()
    pytest.fail("the writer server did not answer /healthz in 30 s")


async def create_until_killed(
    base: str, process: subprocess.Popen[bytes], creates: int
) -> list[str]:
    """Send creates from several clients at once; after ``creates`` reported SIDs, SIGKILL the
    server at once, while the other clients' requests are still under way."""
    reported: list[str] = []
    async with httpx.AsyncClient(base_url=base, timeout=10) as client:

        async def writer() -> None:
            while True:
                try:
                    response = await client.post("/calls", data={"To": "+15550100001"})
                except httpx.TransportError:
                    return  # the server is gone
                assert response.status_code == 201, response.text
                reported.append(response.json()["sid"])
                if len(reported) >= creates and process.poll() is None:
                    os.kill(process.pid, signal.SIGKILL)

        async with anyio.create_task_group() as group:
            for _ in range(WRITERS):
                group.start_soon(writer)
    return reported


@pytest.mark.parametrize("backend", ["sqlite", "postgres"])
def test_every_reported_record_survives_kill_9_of_the_server(
    backend: str, tmp_path: Path, request: pytest.FixtureRequest
) -> None:
    if backend == "sqlite":
        location = str(tmp_path / "store.db")
    else:
        location = request.getfixturevalue("postgres_url")
    reported: list[str] = []
    for round_number in range(ROUNDS):
        process, base = start_writer_server(location, tmp_path / f"server-{round_number}.log")
        try:
            reported += anyio.run(create_until_killed, base, process, 150 + 50 * round_number)
        finally:
            if process.poll() is None:
                process.kill()
            process.wait()
        assert process.returncode == -signal.SIGKILL
    store = open_store(location)
    try:
        stored = {call.sid for call in store.list(Query(Call), page_size=100_000).records}
    finally:
        store.close()
    assert len(reported) >= 300
    assert [sid for sid in reported if sid not in stored] == []
