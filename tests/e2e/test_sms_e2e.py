"""End to end: an SMS bot written with twilio's helpers, served by a real uvicorn process, keeps
a conversation across messages by cookie, accepts every signature with ``RequestValidator``,
and stops getting through to a phone that texted STOP until it texts START; ``callbox sms`` runs
as a real subprocess against it."""

from __future__ import annotations

import json
import os
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest

from callbox.records import MessageStatus
from callbox.testing import CallSimulator

pytestmark = pytest.mark.e2e

ROOT = Path(__file__).resolve().parents[2]
APP_DIR = ROOT / "tests" / "messaging"
AUTH_TOKEN = "e2e-sms-token-0123456789abcdef"


@pytest.fixture(scope="module")
def bot() -> Iterator[str]:
    """The base URL of ``tests/messaging/sms_app.py`` served by uvicorn on a free port."""
    listener = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    listener.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    listener.bind(("127.0.0.1", 0))
    listener.listen(64)
    base = f"http://127.0.0.1:{listener.getsockname()[1]}"
    process = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "uvicorn",
            "--app-dir",
            str(APP_DIR),
            "--fd",
            str(listener.fileno()),
            "--log-level",
            "warning",
            "sms_app:served",
        ],
        pass_fds=(listener.fileno(),),
        env={**os.environ, "E2E_AUTH_TOKEN": AUTH_TOKEN},
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    listener.close()
    deadline = time.monotonic() + 15
    while True:
        try:
            httpx.get(base + "/_seen", timeout=1)
            break
        except httpx.HTTPError:
            if process.poll() is not None or time.monotonic() > deadline:
                process.kill()
                raise
            time.sleep(0.05)
    try:
        yield base
    finally:
        process.terminate()
        process.wait(timeout=10)


def seen(bot: str) -> list[dict[str, Any]]:
    entries: list[dict[str, Any]] = httpx.get(bot + "/_seen", timeout=5).json()
    return entries


def test_the_bot_keeps_the_conversation_by_cookie_and_every_signature_is_valid(bot: str) -> None:
    with CallSimulator(auth_token=AUTH_TOKEN) as simulator:
        conv = simulator.message(bot + "/sms", body="hi", from_="+14155550101")
        conv.expect_reply("Message 1: you said hi")
        conv.send("how are you")
        conv.expect_reply("Message 2: you said how are you")
        conv.wait_for_delivery()
        assert all(reply.status is MessageStatus.DELIVERED for reply in conv.replies)
    mine = [entry for entry in seen(bot) if entry["form"].get("From") == "+14155550101"]
    assert len(mine) == 2
    assert all(entry["valid"] for entry in mine)


def test_stop_blocks_the_bots_replies_and_start_unblocks_them(bot: str) -> None:
    with CallSimulator(auth_token=AUTH_TOKEN) as simulator:
        conv = simulator.message(bot + "/sms", body="STOP", from_="+14155550102")
        conv.expect_reply(contains="unsubscribed")
        conv.send("anyone there?")
        conv.expect_no_reply()
        assert [problem.code for problem in conv.problems] == ["21610", "21610"]
        conv.send("START")
        conv.expect_reply(contains="re-subscribed")
        conv.expect_reply(contains="you said START")
    opt_outs = [
        e["form"].get("OptOutType") for e in seen(bot) if e["form"].get("From") == "+14155550102"
    ]
    assert opt_outs == ["STOP", None, "START"]


def test_callbox_sms_texts_the_served_bot(bot: str) -> None:
    done = subprocess.run(
        [
            sys.executable,
            "-m",
            "callbox",
            "sms",
            bot + "/sms",
            "--body",
            "two",
            "--format",
            "json",
            "--auth-token",
            AUTH_TOKEN,
            "--from",
            "+14155550103",
        ],
        capture_output=True,
        text=True,
        timeout=60,
        cwd=ROOT,
    )
    assert done.returncode == 0, done.stderr
    data = json.loads(done.stdout)
    assert [reply["body"] for reply in data["replies"]] == ["First", "Second"]
    statuses = [c["params"]["MessageStatus"] for c in data["replies"][1]["callbacks"]]
    assert statuses == ["sending", "sent", "delivered"]
    received = [
        e["form"]["MessageStatus"]
        for e in seen(bot)
        if e["path"] == "/status" and e["form"]["To"] == "+14155550103"
    ]
    assert received == ["sending", "sent", "delivered"]
