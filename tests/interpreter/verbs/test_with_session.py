"""The runners inside a real call session: an IVR, a voicemail and a forward, end to end in memory.

The application is a dict of paths to TwiML behind a tiny ``Fetcher``; the caller is the
session's ``ScriptedCaller``; media durations are estimated. Virtual time throughout.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import anyio

from callbox.interpreter.caller import Caller, HangUp, Press, Silence, Speak
from callbox.interpreter.callers import ScriptedCaller
from callbox.interpreter.far_ends import ScriptedFarEnd
from callbox.interpreter.media.plane import EstimatedMediaPlane
from callbox.interpreter.session import CallResult, CallSession, CallSettings
from callbox.interpreter.status import CallStatus
from callbox.interpreter.webhook import FetchResult, WebhookRequest

APP = "https://app.example.com"


class App:
    """A Fetcher serving TwiML by path and recording every request."""

    def __init__(self, pages: Mapping[str, str]) -> None:
        self.pages = pages
        self.requests: list[WebhookRequest] = []
        self.callbacks: list[WebhookRequest] = []

    async def fetch_document(self, request: WebhookRequest) -> FetchResult:
        self.requests.append(request)
        page = self.pages.get(request.url.removeprefix(APP).split("?")[0])
        if page is None:
            return FetchResult(request.url, request.method, 404, error_code="11200", message="404")
        return FetchResult(request.url, request.method, 200, "text/xml", page.encode())

    async def fetch_media(self, url: str) -> FetchResult:
        return FetchResult(url, "GET", 404, error_code="11200", message="404")

    async def send_callback(self, request: WebhookRequest) -> FetchResult:
        self.callbacks.append(request)
        return FetchResult(request.url, request.method, 200)

    def paths(self) -> list[str]:
        return [request.url.removeprefix(APP) for request in self.requests]


def place_call(app: App, caller: Caller, far_ends: Any = None) -> CallResult:
    session = CallSession(
        CallSettings(url=APP + "/voice"),
        fetcher=app,
        caller=caller,
        media=EstimatedMediaPlane(),
        far_ends=far_ends,
    )
    return anyio.run(session.run)


IVR = {
    "/voice": """<Response>
        <Gather action="/menu" numDigits="1" timeout="30">
            <Say>Welcome to Example Corp.</Say>
            <Say>For sales press one. For support press two.</Say>
        </Gather>
        <Say>We did not get your choice.</Say>
        <Redirect>/voice</Redirect>
    </Response>""",
    "/menu": """<Response><Say>Connecting you.</Say><Hangup/></Response>""",
}


def test_ivr_choice_reaches_the_menu_action_with_digits() -> None:
    app = App(IVR)
    result = place_call(app, ScriptedCaller([Press("2")]))
    assert app.paths() == ["/voice", "/menu"]
    assert app.requests[1].params["Digits"] == "2"
    assert result.status is CallStatus.COMPLETED
    assert "Connecting you." in result.heard()


def test_silent_caller_falls_through_and_the_redirect_asks_again() -> None:
    app = App(IVR)
    result = place_call(app, ScriptedCaller([Silence(), Silence(), Press("1")]))
    assert app.paths() == ["/voice", "/voice", "/voice", "/menu"]
    assert result.heard().count("We did not get your choice.") == 2
    assert result.duration > 2 * 30  # two 30-second timeouts ran out, in virtual time


def test_voicemail_with_hang_up_after_the_message() -> None:
    app = App(
        {
            "/voice": """<Response><Say>Leave a message after the tone.</Say>
                <Record action="/saved" transcribeCallback="/tx" maxLength="60"/>
                <Say>No message recorded.</Say></Response>""",
            "/saved": "<Response><Say>Thanks.</Say></Response>",
        }
    )
    result = place_call(app, ScriptedCaller([Speak("please call me back")], hangup_after=6))
    saved = app.requests[-1].params
    assert app.paths()[-1] == "/saved"
    assert saved["Digits"] == "hangup"
    assert str(saved["RecordingSid"]).startswith("RE")
    assert saved["CallStatus"] == "completed"
    assert [c.params["TranscriptionText"] for c in app.callbacks if "/tx" in c.url] == [
        "please call me back"
    ]
    assert result.status is CallStatus.COMPLETED
    assert len(result.recordings) == 1


def test_forward_to_a_busy_number_reports_busy_to_the_action() -> None:
    app = App(
        {
            "/voice": """<Response><Dial action="/after" timeout="20">+14155550100</Dial>
                <Say>Unreachable.</Say></Response>""",
            "/after": "<Response><Hangup/></Response>",
        }
    )
    far_ends = {"+14155550100": ScriptedFarEnd("busy", answer_after=3)}
    result = place_call(app, ScriptedCaller([]), far_ends)
    assert app.requests[-1].params["DialCallStatus"] == "busy"
    assert "Unreachable." not in result.heard()


def test_caller_hanging_up_during_the_prompts_of_a_gather() -> None:
    app = App(IVR)
    result = place_call(app, ScriptedCaller([HangUp(after=0)], hangup_after=2))
    assert app.paths() == ["/voice"]
    assert result.status is CallStatus.COMPLETED
    assert result.duration <= 2.0 + 1e-9


def test_caller_hanging_up_during_a_forwarded_call_still_reports_the_dial() -> None:
    app = App(
        {
            "/voice": '<Response><Dial action="/after">+14155550100</Dial></Response>',
            "/after": "<Response><Say>Goodbye.</Say></Response>",
        }
    )
    far_ends = {"+14155550100": ScriptedFarEnd("answer", answer_after=5, talk_for=600)}
    result = place_call(app, ScriptedCaller([], hangup_after=65), far_ends)
    after = app.requests[-1].params
    assert app.paths() == ["/voice", "/after"]
    assert (after["DialCallStatus"], after["DialCallDuration"]) == ("completed", "60")
    assert result.duration == 65
    assert "Goodbye." not in result.heard()


def test_caller_hanging_up_while_the_dial_rings_still_requests_the_action_with_canceled() -> None:
    app = App(
        {
            "/voice": """<Response><Dial action="/after" timeout="30">
                <Number statusCallback="/leg">+14155550100</Number></Dial></Response>""",
            "/after": "<Response><Say>Never heard: the caller is gone.</Say></Response>",
        }
    )
    far_ends = {"+14155550100": ScriptedFarEnd("no-answer")}
    result = place_call(app, ScriptedCaller([], hangup_after=12), far_ends)
    after = app.requests[-1].params
    assert app.paths() == ["/voice", "/after"]
    assert (after["DialCallStatus"], after["DialBridged"]) == ("canceled", "false")
    assert after["CallStatus"] == "completed"
    assert "DialCallDuration" not in after
    assert [c.params["CallStatus"] for c in app.callbacks if c.url.endswith("/leg")] == ["canceled"]
    assert result.duration == 12
    assert result.heard() == []


def test_caller_hanging_up_in_the_middle_of_a_message_ends_the_recording_there() -> None:
    app = App(
        {
            "/voice": '<Response><Record action="/saved" playBeep="false"/></Response>',
            "/saved": "<Response><Say>Thanks.</Say></Response>",
        }
    )
    words = "please call me back about the invoice we sent you last week thank you"
    result = place_call(app, ScriptedCaller([Speak(words)], hangup_after=2))
    saved = app.requests[-1].params
    assert app.paths() == ["/voice", "/saved"]
    assert saved["Digits"] == "hangup"
    assert saved["RecordingDuration"] == "2"
    assert result.duration == 2
    assert "Thanks." not in result.heard()


def test_caller_hanging_up_while_the_answered_party_hears_its_whisper_cancels_the_dial() -> None:
    app = App(
        {
            "/voice": """<Response><Dial action="/after">
                <Number url="/whisper">+14155550100</Number></Dial></Response>""",
            "/whisper": "<Response><Say>"
            + "You have a call from the sales line, stay on the line. " * 3
            + "</Say></Response>",
            "/after": "<Response><Hangup/></Response>",
        }
    )
    far_ends = {"+14155550100": ScriptedFarEnd("answer", answer_after=2)}
    result = place_call(app, ScriptedCaller([], hangup_after=4), far_ends)
    assert app.paths() == ["/voice", "/whisper", "/after"]
    assert app.requests[-1].params["DialCallStatus"] == "canceled"
    assert result.duration == 4
