"""Calls the platform places fetch as every call does: a call whose URL is on loopback (a number
answering with the platform's own hosted flow at http://127.0.0.1:5000) may use loopback; a call
to any other URL may not send its status callbacks there (11230). Nothing leaves the machine: the
platform is served in-process and refused addresses are refused before any connection."""

from __future__ import annotations

import time
from typing import Any

from starlette.testclient import TestClient

from callbox.interpreter.policy import FetchPolicy
from callbox.interpreter.transports import in_process
from callbox.records import Notification
from callbox.store import MemoryStore, Query
from callbox.testing.twilio_http import twilio_client
from callbox.web.app import Platform

from .conftest import SAMPLES

LOCAL = "http://127.0.0.1:5000"


def _finished(client: Any, sid: str) -> Any:
    for _ in range(500):
        call = client.calls(sid).fetch()
        if call.status in ("completed", "failed", "busy", "no-answer", "canceled"):
            return call
        time.sleep(0.01)
    raise AssertionError(f"call {sid} did not finish")


def _refusals(platform: Platform) -> list[str]:
    found = platform.store.list(Query(Notification), page_size=1000).records
    return [n.message_text for n in found if n.error_code == "11230"]


def _platform_at(base: str) -> tuple[Platform, Any, TestClient]:
    platform = Platform.start(MemoryStore(), SAMPLES, base, realtime=False)
    app = platform.app()
    served = in_process(app, base)  # the platform's own address, reached in-process
    platform.client, platform.policy = served.client, FetchPolicy()  # nothing trusted by name
    account = platform.provisioned.account
    http = TestClient(app, base_url=base)
    http.auth = (account.sid, account.auth_token)
    return platform, twilio_client(http, account.sid, account.auth_token, base), http


def test_a_call_to_the_platforms_own_loopback_flow_runs_it() -> None:
    platform, client, http = _platform_at(LOCAL)
    with http:
        call = client.calls.create(
            to="+15005550006", from_="+15550100001", url=f"{LOCAL}/flows/ivr-menu"
        )
        ended = _finished(client, call.sid)
    assert ended.status == "completed"
    assert _refusals(platform) == []


def test_a_call_to_another_url_cannot_send_its_callbacks_to_loopback() -> None:
    platform, client, http = _platform_at(LOCAL)
    with http:
        call = client.calls.create(
            to="+15005550006",
            from_="+15550100001",
            url="http://10.255.255.1/voice",  # not loopback (refused as private: no traffic)
            status_callback=f"{LOCAL}/flows/ivr-menu",
        )
        _finished(client, call.sid)
    assert any("loopback" in text for text in _refusals(platform))
