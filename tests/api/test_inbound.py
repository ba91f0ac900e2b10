"""Inbound calls through the test hook: a call to a platform number runs the number's VoiceUrl,
answers its prompts as asked, and is recorded as an inbound call."""

from __future__ import annotations

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
