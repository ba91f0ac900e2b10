"""Messages over REST with the official twilio client, every response held to the strict twin
of Twilio's spec: create (queued, then delivered by the platform's messaging), Twilio's
create-time errors, list with filters, fetch, redact, delete, and an MMS."""

from __future__ import annotations

import time
from typing import Any

import pytest
from starlette.testclient import TestClient
from twilio.base.exceptions import TwilioRestException

from callbox.web.app import Platform

PHONE = "+14155550123"


def sender(platform: Platform) -> str:
    return platform.provisioned.numbers[0].phone_number


def test_a_created_message_is_queued_then_delivered(client: Any, platform: Platform) -> None:
    message = client.messages.create(to=PHONE, from_=sender(platform), body="Your code is 1234")
    assert (message.status, message.direction, message.num_segments) == (
        "queued",
        "outbound-api",
        "1",
    )
    assert message.sid.startswith("SM")
    assert platform.messenger is not None
    delivered = _wait_delivered(client, message.sid)
    assert delivered.date_sent is not None


def test_a_sent_message_is_priced_by_the_carrier_that_carried_it(
    client: Any, platform: Platform
) -> None:
    message = client.messages.create(to=PHONE, from_=sender(platform), body="Your code is 1234")
    _wait_delivered(client, message.sid)
    for _ in range(200):  # the price is kept as the message is sent
        priced = client.messages(message.sid).fetch()
        if priced.price is not None:
            break
        time.sleep(0.01)
    assert priced.price_unit == "USD"
    assert priced.price.startswith("-") and len(priced.price.split(".")[1]) == 5


def _wait_delivered(client: Any, sid: str) -> Any:
    """The message once delivered (virtual time: the platform delivers it as soon as it is idle)."""
    for _ in range(200):
        fetched = client.messages(sid).fetch()
        if fetched.status == "delivered":
            return fetched
        time.sleep(0.01)
    raise AssertionError(f"{sid} was not delivered: {fetched.status}")


@pytest.mark.parametrize(
    ("to", "body", "code"),
    [
        ("555-0100", "hi", 21211),
        (PHONE, "x" * 1601, 21617),
        (PHONE, "", 21602),
        ("+15005550009", "hi", 21614),
    ],
)
def test_twilios_create_time_errors(
    client: Any, platform: Platform, to: str, body: str, code: int
) -> None:
    with pytest.raises(TwilioRestException) as refused:
        client.messages.create(to=to, from_=sender(platform), body=body)
    assert refused.value.code == code
    assert refused.value.status == 400


def test_list_filters_fetch_redact_and_delete(client: Any, platform: Platform) -> None:
    first = client.messages.create(to=PHONE, from_=sender(platform), body="one")
    client.messages.create(to="+14155550124", from_=sender(platform), body="two")
    assert [m.sid for m in client.messages.list(to=PHONE)] == [first.sid]
    assert len(client.messages.list(from_=sender(platform))) == 2
    redacted = client.messages(first.sid).update(body="")
    assert redacted.body == ""
    assert client.messages(first.sid).delete() is True
    with pytest.raises(TwilioRestException) as gone:
        client.messages(first.sid).fetch()
    assert gone.value.status == 404


def test_a_message_with_media_is_an_mms(http: TestClient, client: Any, platform: Platform) -> None:
    message = client.messages.create(
        to=PHONE, from_=sender(platform), media_url=["https://example.com/a.png"]
    )
    assert message.sid.startswith("MM") and message.num_media == "1"
