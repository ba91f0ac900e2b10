"""Applications, messages, notifications and recordings over REST with the official client."""

from __future__ import annotations

import time
from typing import Any

import pytest
from starlette.testclient import TestClient
from twilio.base.exceptions import TwilioRestException

from callbox.records import Message
from callbox.web.app import Platform


def test_applications_are_created_listed_updated_and_deleted(client: Any) -> None:
    app = client.applications.create(
        friendly_name="IVR", voice_url="http://testserver/flows/ivr-menu"
    )
    assert app.sid.startswith("AP") and app.voice_method == "POST"
    client.applications(app.sid).update(voice_method="GET", sms_url="http://testserver/sms")
    fetched = client.applications(app.sid).fetch()
    assert (fetched.voice_method, fetched.sms_url) == ("GET", "http://testserver/sms")
    assert [a.sid for a in client.applications.list(friendly_name="IVR")] == [app.sid]
    assert client.applications(app.sid).delete()
    assert client.applications.list() == []


def test_a_call_with_an_application_runs_the_applications_voice_url(
    client: Any, platform: Platform
) -> None:
    app = client.applications.create(voice_url="http://testserver/flows/voicemail")
    call = client.calls.create(to="+15005550006", from_="+15550100001", application_sid=app.sid)
    for _ in range(500):
        if client.calls(call.sid).fetch().status == "completed":
            break
        time.sleep(0.01)
    assert client.calls(call.sid).fetch().status == "completed"
    with pytest.raises(TwilioRestException) as raised:
        client.calls.create(
            to="+15005550006", from_="+15550100001", application_sid="AP" + "0" * 32
        )
    assert raised.value.code == 21218


def test_messages_are_stored_queued_handed_to_the_hook_redacted_and_deleted(
    client: Any, platform: Platform
) -> None:
    sent: list[Message] = []
    platform.context.send_message = sent.append
    message = client.messages.create(to="+15558675310", from_="+15550100001", body="Hello ✓")
    assert (message.status, message.num_segments, message.sid[:2]) == ("queued", "1", "SM")
    assert [m.sid for m in sent] == [message.sid]
    mms = client.messages.create(
        to="+15558675310", from_="+15550100001", media_url=["http://testserver/cat.png"]
    )
    assert (mms.sid[:2], mms.num_media) == ("MM", "1")
    assert [m.sid for m in client.messages.list(to="+15558675310")] == [mms.sid, message.sid]
    assert client.messages(message.sid).update(body="").body == ""
    assert client.messages(message.sid).delete()
    with pytest.raises(TwilioRestException) as raised:
        client.messages(message.sid).fetch()
    assert raised.value.status == 404


@pytest.mark.parametrize(
    ("options", "code"),
    [
        ({"to": "+15558675310", "from_": "+15550100001"}, 21602),
        ({"to": "+15558675310", "body": "x"}, 21603),
        ({"to": "+15558675310", "from_": "+15550100001", "body": "x" * 1601}, 21617),
    ],
)
def test_bad_messages_get_twilios_codes(client: Any, options: dict[str, str], code: int) -> None:
    with pytest.raises(TwilioRestException) as raised:
        client.messages.create(**options)
    assert (raised.value.status, raised.value.code) == (400, code)


def test_an_application_error_is_a_notification_of_the_call(client: Any) -> None:
    call = client.calls.create(
        to="+15005550006", from_="+15550100001", url="http://testserver/flows/missing"
    )
    for _ in range(500):
        if client.calls(call.sid).fetch().status == "completed":
            break
        time.sleep(0.01)
    notes = client.calls(call.sid).notifications.list()
    assert "11200" in [n.error_code for n in notes]
    note = client.notifications(next(n.sid for n in notes if n.error_code == "11200")).fetch()
    assert (
        note.request_url == "http://testserver/flows/missing"
        and "CallSid=" in note.request_variables
    )
    assert [n.sid for n in client.notifications.list(log=0)] == [
        n.sid for n in notes if n.log == "0"
    ]


def test_a_recorded_call_lists_its_recording_and_serves_its_audio(
    client: Any, http: TestClient
) -> None:
    answer = http.post(
        "/callbox/inbound-calls",
        data={"To": "+15550100001", "Press": "1", "Say": "Call me back please"},
    )
    call_sid = answer.json()["call"]["sid"]
    recordings = client.calls(call_sid).recordings.list()
    assert len(recordings) == 1
    fetched = client.recordings(recordings[0].sid).fetch()
    assert fetched.call_sid == call_sid and fetched.source == "RecordVerb"
    assert client.recordings(fetched.sid).delete()
    assert client.calls(call_sid).recordings.list() == []
