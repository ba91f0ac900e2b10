"""The callbacks verbs send: recording status (with REST-shaped recording URLs) and a dialed leg's
progress, each only for the events the verb asks for."""

from __future__ import annotations

from email.utils import parsedate_to_datetime
from typing import Any

from callbox.interpreter import params as p
from callbox.interpreter.verbs.callbacks import (
    DEFAULT_API_BASE,
    recording_url,
    send_leg_status,
    send_recording_status,
    transcription_url,
    whole_seconds,
)

STATUS = "https://app.example.com/recording-status"


def test_recording_url_is_on_twilio_api_by_default(call: Any) -> None:
    assert recording_url(call, "RE1") == (
        f"{DEFAULT_API_BASE}/2010-04-01/Accounts/{call.account_sid}/Recordings/RE1"
    )


def test_recording_and_transcription_urls_are_on_the_call_api_base(call: Any) -> None:
    call.api_base_url = "http://127.0.0.1:5000/"
    assert recording_url(call, "RE1") == (
        f"http://127.0.0.1:5000/2010-04-01/Accounts/{call.account_sid}/Recordings/RE1"
    )
    assert transcription_url(call, "TR1") == (
        f"http://127.0.0.1:5000/2010-04-01/Accounts/{call.account_sid}/Transcriptions/TR1"
    )


def test_empty_api_base_means_twilio(call: Any) -> None:
    call.api_base_url = ""
    assert recording_url(call, "RE1").startswith(DEFAULT_API_BASE + "/")


def test_whole_seconds_rounds_and_anything_heard_is_at_least_one() -> None:
    assert [whole_seconds(s) for s in (0.0, -1.0, 0.2, 1.4, 1.6, 10.0)] == [0, 0, 1, 1, 2, 10]


def test_recording_status_is_sent_for_an_asked_event(call: Any) -> None:
    call.clock.advance(90.0)
    send_recording_status(
        call, STATUS, "GET", ["completed"], "completed", recording_sid="RE1", duration=4.6
    )
    [callback] = call.callbacks
    assert (callback.url, callback.method) == (STATUS, "GET")
    assert callback.params[p.RECORDING_SID] == "RE1"
    assert callback.params[p.RECORDING_URL] == recording_url(call, "RE1")
    assert callback.params[p.RECORDING_DURATION] == "5"
    assert callback.params["RecordingStatus"] == "completed"
    assert callback.params["RecordingSource"] == "RecordVerb"
    started = parsedate_to_datetime(callback.params["RecordingStartTime"])
    assert (started - call.started_at).total_seconds() == 90.0  # call time, not the wall clock


def test_recording_status_is_not_sent_for_an_event_not_asked_for(call: Any) -> None:
    send_recording_status(call, STATUS, "POST", ["completed"], "in-progress", recording_sid="RE1")
    send_recording_status(call, None, "POST", ["completed"], "completed", recording_sid="RE1")
    assert call.callbacks == []


def test_recording_status_url_is_resolved_against_the_document(call: Any) -> None:
    send_recording_status(call, "status", "POST", ["absent"], "absent", recording_sid="RE1")
    [callback] = call.callbacks
    assert callback.url == "https://app.example.com/status"
    assert p.RECORDING_DURATION not in callback.params


def test_recording_status_with_an_unresolvable_url_is_not_sent(call: Any) -> None:
    call.url = None
    send_recording_status(call, "status", "POST", ["completed"], "completed", recording_sid="RE1")
    assert call.callbacks == []


def leg() -> p.CallIdentity:
    return p.CallIdentity("CA" + "9" * 32, "AC" + "2" * 32, "+1555", "+1666", "outbound-dial")


def test_leg_status_is_sent_with_the_child_leg_parameters(call: Any) -> None:
    call.clock.advance(5.0)
    noun = ("https://app.example.com/leg", "POST", ["ringing", "completed"])
    sent = send_leg_status(
        call, noun, leg(), "completed", status="completed", sequence=3, duration=7.4
    )
    assert sent
    [callback] = call.callbacks
    assert callback.params[p.CALL_SID] == leg().call_sid
    assert callback.params[p.SEQUENCE_NUMBER] == "3"
    assert callback.params[p.CALL_DURATION] == "7"
    assert callback.params[p.CALL_STATUS] == "completed"


def test_leg_status_is_not_sent_for_an_event_not_asked_for(call: Any) -> None:
    noun = ("https://app.example.com/leg", "POST", ["completed"])
    assert not send_leg_status(call, noun, leg(), "ringing", status="ringing", sequence=0)
    assert not send_leg_status(
        call, (None, "POST", ["ringing"]), leg(), "ringing", status="ringing", sequence=0
    )
    assert call.callbacks == []


def test_leg_status_url_is_resolved_against_the_document(call: Any) -> None:
    noun = ("leg-status", "GET", ["initiated"])
    assert send_leg_status(call, noun, leg(), "initiated", status="initiated", sequence=0)
    assert [(c.url, c.method) for c in call.callbacks] == [
        ("https://app.example.com/leg-status", "GET")
    ]
    call.url = None
    assert not send_leg_status(call, noun, leg(), "initiated", status="initiated", sequence=1)
    assert len(call.callbacks) == 1
