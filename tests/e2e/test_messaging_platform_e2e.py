"""End to end on the platform: a real ``callbox serve`` process and the official ``twilio``
client. A message created over REST is sent, and its status callbacks reach a real app served by
uvicorn in order (sending, sent, delivered) while its record follows; a phone texting one of the
platform's numbers (the inbound-message hook) gets the bot's reply, and after STOP the REST API
refuses messages to it (21610) until it texts START."""

from __future__ import annotations

import os
import subprocess
import sys
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import httpx
import pytest
from twilio.base.exceptions import TwilioRestException
from twilio.rest import Client

from callbox.records import Account, IncomingPhoneNumber
from callbox.store import Query, open_store
from callbox.testing.ports import free_port

pytestmark = pytest.mark.e2e

ROOT = Path(__file__).resolve().parents[2]
APP_DIR = ROOT / "tests" / "messaging"
PHONE = "+14155550177"


def _wait_for(url: str, process: subprocess.Popen[bytes], what: str) -> None:
    deadline = time.monotonic() + 20
    while True:
        if process.poll() is not None:
            raise RuntimeError(f"{what} exited")
        try:
            httpx.get(url, timeout=1)
            return
        except httpx.HTTPError:
            if time.monotonic() > deadline:
                raise
            time.sleep(0.05)


@dataclass
class Platform:
    base_url: str
    bot_url: str
    client: Client
    number: IncomingPhoneNumber

    def bot_seen(self) -> list[dict[str, Any]]:
        seen: list[dict[str, Any]] = httpx.get(self.bot_url + "/_seen", timeout=5).json()
        return seen

    def text(self, body: str) -> dict[str, Any]:
        """``PHONE`` texts the platform's number through the inbound-message hook."""
        response = httpx.post(
            self.base_url + "/callbox/inbound-messages",
            data={"From": PHONE, "To": self.number.phone_number, "Body": body},
            timeout=30,
        )
        response.raise_for_status()
        result: dict[str, Any] = response.json()
        return result


@pytest.fixture(scope="module")
def platform(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Platform]:
    root = tmp_path_factory.mktemp("platform")
    data = root / "data"
    processes: list[subprocess.Popen[bytes]] = []
    log = (root / "serve.log").open("wb")
    try:
        bot_port = free_port()
        bot = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "uvicorn",
                "--app-dir",
                str(APP_DIR),
                "--port",
                str(bot_port),
                "--log-level",
                "warning",
                "sms_app:served",
            ],
            env={**os.environ, "E2E_AUTH_TOKEN": ""},
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        processes.append(bot)
        bot_url = f"http://127.0.0.1:{bot_port}"
        _wait_for(bot_url + "/_seen", bot, "the bot")
        port = free_port()
        serve = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "callbox",
                "serve",
                "--host",
                "127.0.0.1",
                "--port",
                str(port),
                "--data-dir",
                str(data),
                "--flows",
                str(ROOT / "samples"),
            ],
            cwd=ROOT,
            stdout=log,
            stderr=subprocess.STDOUT,
        )
        processes.append(serve)
        base = f"http://127.0.0.1:{port}"
        _wait_for(base + "/healthz", serve, "callbox serve")
        store = open_store(str(data / "callbox.db"))
        account = store.list(Query(Account)).records[-1]
        number = store.list(Query(IncomingPhoneNumber, account.sid)).records[-1]
        store.close()
        client = Client(account.sid, account.auth_token)
        client.api.base_url = base
        client.incoming_phone_numbers(number.sid).update(sms_url=bot_url + "/sms")
        yield Platform(base, bot_url, client, number)
    finally:
        for process in reversed(processes):
            process.terminate()
            try:
                process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()
        log.close()


def test_a_message_created_over_rest_sends_its_status_callbacks_in_order(
    platform: Platform,
) -> None:
    message = platform.client.messages.create(
        to="+14155550166",
        from_=platform.number.phone_number,
        body="Your code is 1234",
        status_callback=platform.bot_url + "/status",
    )
    assert message.status == "queued"
    assert message.num_segments == "1"
    deadline = time.monotonic() + 20
    while True:
        statuses = [
            entry["form"]["MessageStatus"]
            for entry in platform.bot_seen()
            if entry["path"] == "/status" and entry["form"].get("MessageSid") == message.sid
        ]
        if "delivered" in statuses or time.monotonic() > deadline:
            break
        time.sleep(0.1)
    assert statuses == ["sending", "sent", "delivered"]
    fetched = platform.client.messages(message.sid).fetch()
    assert fetched.status == "delivered"
    assert fetched.date_sent is not None
    listed = platform.client.messages.list(to="+14155550166")
    assert [m.sid for m in listed] == [message.sid]


def test_rest_refuses_what_twilio_refuses(platform: Platform) -> None:
    with pytest.raises(TwilioRestException) as refused:
        platform.client.messages.create(
            to="+14155550166", from_=platform.number.phone_number, body="x" * 1601
        )
    assert refused.value.code == 21617
    with pytest.raises(TwilioRestException) as magic:
        platform.client.messages.create(
            to="+15005550009", from_=platform.number.phone_number, body="hi"
        )
    assert magic.value.code == 21614


def test_stop_blocks_messages_to_the_phone_and_start_unblocks_them(platform: Platform) -> None:
    hello = platform.text("hello")
    assert [reply["body"] for reply in hello["replies"]] == ["Message 1: you said hello"]
    stop = platform.text("STOP")
    assert "unsubscribed" in stop["replies"][0]["body"]
    with pytest.raises(TwilioRestException) as refused:
        platform.client.messages.create(
            to=PHONE, from_=platform.number.phone_number, body="Big sale today!"
        )
    assert refused.value.code == 21610
    platform.text("START")
    sent = platform.client.messages.create(
        to=PHONE, from_=platform.number.phone_number, body="Welcome back"
    )
    assert sent.status == "queued"
    inbound = platform.client.messages.list(from_=PHONE)
    assert {m.body for m in inbound} >= {"hello", "STOP", "START"}
    assert all(m.direction == "inbound" for m in inbound)
