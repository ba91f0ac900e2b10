"""Calls over REST with the official twilio client: created calls run their application and end
with Twilio's statuses; lists filter and page; live calls can be redirected and hung up."""

from __future__ import annotations

import time
from typing import Any

import pytest
from starlette.testclient import TestClient
from twilio.base.exceptions import TwilioRestException

from callbox.web.app import Platform

VOICE = "http://testserver/flows/ivr-menu"
FINAL = {"completed", "busy", "failed", "no-answer", "canceled"}
HOLD = '<Response><Pause length="600"/></Response>'


def finished(client: Any, sid: str) -> Any:
    """The call once it has ended (calls run in the background)."""
    for _ in range(1000):
        call = client.calls(sid).fetch()
        if call.status in FINAL:
            return call
        time.sleep(0.01)
    raise AssertionError(f"call {sid} did not end: {call.status}")


def until(condition: Any) -> None:
    for _ in range(1000):
        if condition():
            return
        time.sleep(0.01)
    raise AssertionError("the condition never held")


def test_a_created_call_is_queued_then_runs_its_url_to_completion(client: Any) -> None:
    call = client.calls.create(to="+15005550006", from_="+15550100001", url=VOICE)
    assert call.sid.startswith("CA") and call.status == "queued"
    assert (call.direction, call.to_formatted) == ("outbound-api", "(500) 555-0006")
    ended = finished(client, call.sid)
    assert ended.status == "completed"
    assert ended.start_time is not None and ended.end_time is not None
    assert int(ended.duration) > 0


def test_inline_twiml_runs_without_a_url(client: Any) -> None:
    call = client.calls.create(
        to="+15005550006", from_="+15550100001", twiml="<Response><Say>Hi</Say></Response>"
    )
    assert finished(client, call.sid).status == "completed"


@pytest.mark.parametrize(
    ("to", "status"),
    [("+15550190001", "busy"), ("+15550190002", "no-answer"), ("+15550190003", "failed")],
)
def test_the_far_end_decides_how_an_unanswered_call_ends(client: Any, to: str, status: str) -> None:
    call = client.calls.create(to=to, from_="+15550100001", url=VOICE, timeout=5)
    ended = finished(client, call.sid)
    assert (ended.status, ended.duration) == (status, "0")


@pytest.mark.parametrize(
    ("to", "from_", "code"),
    [
        ("", "+15550100001", 21201),
        ("+15005550006", "", 21213),
        ("not a number", "+15550100001", 21211),
        ("+15005550001", "+15550100001", 21217),
        ("+15005550002", "+15550100001", 21214),
        ("+15005550003", "+15550100001", 21215),
        ("+15005550004", "+15550100001", 21216),
        ("+15005550006", "+15005550001", 21212),
        ("+15005550006", "+15005550007", 21210),
    ],
)
def test_bad_or_magic_numbers_get_twilios_codes(
    client: Any, to: str, from_: str, code: int
) -> None:
    with pytest.raises(TwilioRestException) as raised:
        client.calls.create(to=to, from_=from_, url=VOICE)
    assert (raised.value.status, raised.value.code) == (400, code)


def test_a_call_needs_something_to_run(client: Any) -> None:
    with pytest.raises(TwilioRestException) as raised:
        client.calls.create(to="+15005550006", from_="+15550100001")
    assert (raised.value.status, raised.value.code) == (400, 21205)
    with pytest.raises(TwilioRestException) as raised:
        client.calls.create(to="+15005550006", from_="+15550100001", url="ftp://x/y")
    assert raised.value.code == 21205


def test_listing_pages_through_every_call_newest_first(client: Any, http: TestClient) -> None:
    sids = [
        client.calls.create(to="+15005550006", from_="+15550100001", url=VOICE).sid
        for _ in range(5)
    ]
    assert [c.sid for c in client.calls.list(page_size=2)] == sids[::-1]
    first = http.get(f"/2010-04-01/Accounts/{client.account_sid}/Calls.json?PageSize=2").json()
    assert first["page"] == 0 and first["page_size"] == 2 and len(first["calls"]) == 2
    second = http.get(first["next_page_uri"]).json()
    third = http.get(second["next_page_uri"]).json()
    assert (second["page"], second["start"], second["end"]) == (1, 2, 3)
    assert [c["sid"] for c in third["calls"]] == [sids[0]] and third["next_page_uri"] is None


def test_listing_filters_by_to_and_status(client: Any) -> None:
    busy = client.calls.create(to="+15550190001", from_="+15550100001", url=VOICE)
    answered = client.calls.create(to="+15005550006", from_="+15550100001", url=VOICE)
    finished(client, busy.sid), finished(client, answered.sid)
    assert [c.sid for c in client.calls.list(to="+15550190001")] == [busy.sid]
    assert [c.sid for c in client.calls.list(status="completed")] == [answered.sid]
    assert [c.sid for c in client.calls.list(from_="+15550100009")] == []


def test_an_unknown_call_is_20404(client: Any) -> None:
    with pytest.raises(TwilioRestException) as raised:
        client.calls("CA" + "0" * 32).fetch()
    assert (raised.value.status, raised.value.code) == (404, 20404)


def test_a_finished_call_can_be_deleted_but_not_redirected(client: Any) -> None:
    call = client.calls.create(to="+15005550006", from_="+15550100001", twiml=HOLD[:10] + "/>")
    finished(client, call.sid)
    with pytest.raises(TwilioRestException) as raised:
        client.calls(call.sid).update(url=VOICE)
    assert raised.value.code == 21220
    assert client.calls(call.sid).delete() is True
    with pytest.raises(TwilioRestException):
        client.calls(call.sid).fetch()


@pytest.fixture
def realtime_platform(platform: Platform) -> Platform:
    platform.realtime = True
    return platform


def test_a_live_call_is_redirected_then_hung_up(realtime_platform: Platform, client: Any) -> None:
    call = client.calls.create(to="+15005550006", from_="+15550100001", twiml=HOLD)
    until(lambda: client.calls(call.sid).fetch().status == "in-progress")
    exchange = realtime_platform.exchange
    assert exchange is not None
    client.calls(call.sid).update(url="http://testserver/flows/voicemail", method="GET")
    until(lambda: any("voicemail" in r.url for r in exchange.sessions[call.sid].requests))
    assert client.calls(call.sid).update(status="completed").sid == call.sid
    ended = finished(client, call.sid)
    assert ended.status == "completed"


def test_a_ringing_call_can_be_canceled(realtime_platform: Platform, client: Any) -> None:
    call = client.calls.create(to="+15550190005", from_="+15550100001", twiml=HOLD)
    until(lambda: client.calls(call.sid).fetch().status == "ringing")
    client.calls(call.sid).update(status="canceled")
    assert finished(client, call.sid).status == "canceled"


def test_an_update_with_a_method_that_is_not_get_or_post_is_refused(client: Any) -> None:
    call = client.calls.create(to="+15005550006", from_="+15550100001", twiml=HOLD[:10] + "/>")
    finished(client, call.sid)
    with pytest.raises(TwilioRestException) as raised:
        client.calls(call.sid).update(status_callback_method="PUT")
    assert (raised.value.status, raised.value.code) == (400, 20001)
    assert "StatusCallbackMethod" in raised.value.msg
