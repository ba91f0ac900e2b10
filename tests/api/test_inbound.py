"""Inbound calls through the test hook: a call to a platform number runs the number's VoiceUrl,
answers its prompts as asked, and is recorded as an inbound call."""

from __future__ import annotations

import json
from typing import Any

from starlette.testclient import TestClient


def test_a_call_to_a_number_runs_its_voice_url_and_is_recorded(
    http: TestClient, client: Any
) -> None:
    response = http.post(
        "/callbox/inbound-calls", data={"To": "+15550100001", "From": "+15005550006", "Press": "1"}
    )
    assert response.status_code == 200
    body = response.json()
    urls = [r["url"] for r in body["result"]["requests"]]
    assert urls[:2] == ["http://testserver/flows/ivr-menu", "http://testserver/flows/voicemail"]
    assert body["result"]["requests"][1]["params"]["Digits"] == "1"
    call = client.calls(body["call"]["sid"]).fetch()
    assert (call.direction, call.status, call.to) == ("inbound", "completed", "+15550100001")
    assert (
        call.phone_number_sid == client.incoming_phone_numbers.list(phone_number="0100001")[0].sid
    )


def test_a_call_to_a_number_nobody_holds_is_404(http: TestClient) -> None:
    response = http.post("/callbox/inbound-calls", data={"To": "+15559990000"})
    assert response.status_code == 404
    assert "+15559990000" in response.json()["message"]


def test_a_streamed_call_sends_a_line_per_event_then_its_record(
    http: TestClient, client: Any
) -> None:
    lines = []
    with http.stream(
        "POST",
        "/callbox/inbound-calls",
        data={"To": "+15550100001", "Script": 'when "message" press 1', "Say": "hello"},
        headers={"Accept": "application/x-ndjson"},
    ) as response:
        assert response.headers["content-type"].startswith("application/x-ndjson")
        lines = [json.loads(line) for line in response.iter_lines() if line]
    first, *events, last = lines
    sid = first["call"]["sid"]
    assert first["call"]["status"] == "ringing"
    assert [e["event"]["kind"] for e in events][:2] == ["status", "request"]
    assert any("caller presses 1" in e["event"]["text"] for e in events)  # the script's rule
    assert [e["event"] for e in events] == last["result"]["timeline"]
    assert last["result"]["requests"][1]["params"]["Digits"] == "1"
    assert last["call"]["sid"] == sid and last["call"]["status"] == "completed"
    assert client.calls(sid).fetch().direction == "inbound"


def test_credentials_given_to_the_hook_must_be_the_numbers_account(http: TestClient) -> None:
    response = http.post(
        "/callbox/inbound-calls", data={"To": "+15550100001"}, auth=("AC" + "0" * 32, "nope")
    )
    assert (response.status_code, response.json()["code"]) == (401, 20003)
