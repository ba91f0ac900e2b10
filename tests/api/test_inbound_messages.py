"""Inbound messages through the test hook: a message to a platform number runs the number's
SmsUrl (here the hosted SMS auto-reply sample), its reply is sent, and the inbound message and
the reply are records the REST API lists."""

from __future__ import annotations

from typing import Any

from starlette.testclient import TestClient


def test_a_message_to_a_number_runs_its_sms_url_and_is_recorded(
    http: TestClient, client: Any
) -> None:
    number = client.incoming_phone_numbers.list(phone_number="0100001")[0]
    client.incoming_phone_numbers(number.sid).update(
        sms_url="http://testserver/flows/sms-auto-reply"
    )
    response = http.post(
        "/callbox/inbound-messages",
        data={"To": number.phone_number, "From": "+14155550123", "Body": "hours?"},
    )
    assert response.status_code == 200
    body = response.json()
    assert body["requests"][0]["params"]["Body"] == "hours?"
    assert len(body["replies"]) == 1
    inbound = client.messages(body["sid"]).fetch()
    assert (inbound.direction, inbound.status, inbound.body) == ("inbound", "received", "hours?")
    reply = client.messages(body["replies"][0]["sid"]).fetch()
    assert (reply.direction, reply.to) == ("outbound-reply", "+14155550123")


def test_a_message_to_a_number_without_an_sms_url_is_404(http: TestClient) -> None:
    response = http.post("/callbox/inbound-messages", data={"To": "+15559990000", "Body": "hi"})
    assert response.status_code == 404
    assert "+15559990000" in response.json()["message"]
