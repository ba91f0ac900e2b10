"""WhisperLeg: a ``<Number url>`` whisper document runs on the answered child leg before it is
bridged; the far end hears it and gives no input, and the leg is bridged unless the whisper hangs
up or fails."""

from __future__ import annotations

from collections.abc import Mapping

import anyio

from callbox import codes
from callbox.interpreter.call_settings import CallSettings
from callbox.interpreter.callers import ScriptedCaller
from callbox.interpreter.media.plane import EstimatedMediaPlane
from callbox.interpreter.session import CallSession
from callbox.interpreter.verbs import RUNNERS, Runner
from callbox.interpreter.webhook import FetchResult, WebhookRequest
from callbox.interpreter.whisper import WhisperLeg
from callbox.markup import model

APP = "https://app.example.com"
CHILD = {"CallSid": "CA" + "c" * 32, "From": "+15550001111", "To": "+15550002222"}


class WhisperApp:
    """Serves whisper documents by URL; a ``FetchResult`` page is returned as it is."""

    def __init__(self, pages: Mapping[str, str | FetchResult]) -> None:
        self.pages = dict(pages)
        self.requests: list[WebhookRequest] = []

    async def fetch_document(self, request: WebhookRequest) -> FetchResult:
        self.requests.append(request)
        page = self.pages.get(request.url)
        if page is None:
            return FetchResult(request.url, request.method, 404, error_code="11200", message="404")
        if isinstance(page, FetchResult):
            return page
        return FetchResult(request.url, request.method, 200, "text/xml", page.encode())

    async def fetch_media(self, url: str) -> FetchResult:
        return FetchResult(url, "GET", 200, "audio/wav", b"")

    async def send_callback(self, request: WebhookRequest) -> FetchResult:
        return FetchResult(request.url, request.method, 204)


def whisper(
    pages: Mapping[str, str | FetchResult],
    runners: Mapping[type, Runner] | None = None,
    **settings: object,
) -> tuple[bool, CallSession, WhisperApp, WhisperLeg]:
    """Run the whisper at ``APP/whisper`` on a child leg of a call."""
    app = WhisperApp(pages)
    session = CallSession(
        CallSettings(twiml=b"<Response/>", **settings),  # type: ignore[arg-type]
        fetcher=app,
        caller=ScriptedCaller([]),
        media=EstimatedMediaPlane(),
        runners=RUNNERS if runners is None else runners,
    )
    leg = WhisperLeg(session, dict(CHILD))
    bridged = anyio.run(leg.run, f"{APP}/whisper", "post")
    return bridged, session, app, leg


def error_codes(session: CallSession, kind: str = "error") -> list[str]:
    return [str(event.data["code"]) for event in session.timeline.of_kind(kind)]


def test_whisper_is_heard_by_the_far_end_not_the_caller_and_the_leg_is_bridged() -> None:
    bridged, session, _, _ = whisper(
        {f"{APP}/whisper": "<Response><Say>Call from sales</Say></Response>"}
    )
    assert bridged
    assert [e.text for e in session.timeline.of_kind("whisper")] == [
        "far end hears: Call from sales"
    ]
    assert session.timeline.heard() == []
    assert error_codes(session) == []


def test_whisper_takes_call_time() -> None:
    _, session, _, _ = whisper({f"{APP}/whisper": "<Response><Pause length='3'/></Response>"})
    assert session.clock.now() >= 3.0


def test_whisper_is_requested_with_the_child_leg_parameters() -> None:
    _, session, app, _ = whisper({f"{APP}/whisper": "<Response/>"})
    [request] = app.requests
    assert request.method == "POST"  # the method is upper-cased
    assert request.params["CallSid"] == CHILD["CallSid"]
    assert [exchange.kind for exchange in session.request_log.sent] == ["whisper"]
    assert session.timeline.of_kind("request")[0].text.endswith("(whisper)")


def test_whisper_that_hangs_up_declines_the_call() -> None:
    bridged, _, _, _ = whisper(
        {f"{APP}/whisper": "<Response><Say>Declined</Say><Hangup/><Say>never</Say></Response>"}
    )
    assert not bridged


def test_dial_in_a_whisper_is_an_error() -> None:
    bridged, session, _, _ = whisper(
        {f"{APP}/whisper": "<Response><Dial>+15550003333</Dial></Response>"}
    )
    assert not bridged
    assert error_codes(session) == [codes.DIAL_IN_WHISPER.id]


def test_whisper_that_cannot_be_fetched_is_an_error_with_the_fetch_code() -> None:
    bridged, session, _, _ = whisper({})
    assert not bridged
    assert error_codes(session) == ["11200"]


def test_whisper_that_is_not_twiml_is_an_invalid_content_type() -> None:
    page = FetchResult(f"{APP}/whisper", "POST", 200, "audio/mpeg", b"ID3")
    bridged, session, _, _ = whisper({f"{APP}/whisper": page})
    assert not bridged
    assert error_codes(session) == [codes.INVALID_CONTENT_TYPE.id]


def test_whisper_that_cannot_be_parsed_is_an_error() -> None:
    bridged, session, _, _ = whisper({f"{APP}/whisper": "<Response><Say>oops</Response>"})
    assert not bridged
    assert codes.DOCUMENT_PARSE_FAILURE.id in error_codes(session)


def test_whisper_schema_warning_still_bridges() -> None:
    bridged, session, _, _ = whisper(
        {f"{APP}/whisper": "<Response><Say bogus='1'>Hi</Say></Response>"}
    )
    assert bridged
    assert error_codes(session, "warning")


def test_whisper_follows_redirects_relative_to_its_final_url() -> None:
    moved = FetchResult(
        f"{APP}/moved/whisper",
        "POST",
        200,
        "text/xml",
        b"<Response><Redirect method='GET'>next</Redirect></Response>",
    )
    bridged, _, app, leg = whisper(
        {f"{APP}/whisper": moved, f"{APP}/moved/next": "<Response><Say>Hi</Say></Response>"}
    )
    assert bridged
    assert [(r.method, r.url) for r in app.requests] == [
        ("POST", f"{APP}/whisper"),
        ("GET", f"{APP}/moved/next"),
    ]
    assert leg.document_url == f"{APP}/moved/next"


def test_whisper_that_redirects_forever_ends_the_call_at_the_loop_limit() -> None:
    loop = "<Response><Redirect>/whisper</Redirect></Response>"
    bridged, session, app, _ = whisper({f"{APP}/whisper": loop}, max_redirects_without_input=3)
    assert not bridged
    assert len(app.requests) == 4
    assert error_codes(session) == [codes.CALL_LOOP_LIMIT.id]


def test_far_end_gives_no_input_to_a_gather() -> None:
    page = "<Response><Gather timeout='2'><Say>Press 1</Say></Gather><Say>No</Say></Response>"
    bridged, session, _, _ = whisper({f"{APP}/whisper": page})
    assert bridged
    assert [e.text for e in session.timeline.of_kind("input")] == ["far end stays silent"]
    assert session.timeline.of_kind("whisper")[-1].text == "far end hears: No"


def test_verb_without_a_runner_is_skipped_with_a_warning() -> None:
    runners = {kind: runner for kind, runner in RUNNERS.items() if kind is not model.Pause}
    page = "<Response><Pause/><Say>after</Say></Response>"
    bridged, session, _, _ = whisper({f"{APP}/whisper": page}, runners=runners)
    assert bridged
    [warning] = session.timeline.of_kind("warning")
    assert warning.data["code"] == codes.VERB_NOT_SUPPORTED.id
    assert "<Pause> is not supported in a whisper" in warning.text
    assert warning.data["line"] == 1
    assert session.timeline.of_kind("whisper")[-1].text == "far end hears: after"


def test_leg_resolves_urls_against_its_document() -> None:
    _, _, _, leg = whisper({f"{APP}/whisper": "<Response/>"})
    assert leg.resolve_url("next") == f"{APP}/next"
    assert leg.resolve_url("  https://other.example.com/x ") == "https://other.example.com/x"


def test_leg_is_the_child_call() -> None:
    _, session, _, leg = whisper({f"{APP}/whisper": "<Response/>"})
    assert leg.sid == CHILD["CallSid"]
    assert (leg.from_, leg.to) == (CHILD["From"], CHILD["To"])
    assert leg.sid != session.sid
    assert leg.webhook_params(Digits="1") == {**CHILD, "Digits": "1"}


SCREENING = {
    f"{APP}/voice": "<Response><Dial action='/after'>"
    "<Number url='/screen'>+15550100200</Number></Dial></Response>",
    f"{APP}/screen": "<Response><Gather numDigits='1' action='/screened'>"
    "<Say>Press 1 to accept the call.</Say></Gather><Hangup/></Response>",
    f"{APP}/screened": "<Response/>",
    f"{APP}/after": "<Response><Hangup/></Response>",
}


def screened_call(presses: tuple[str, ...]) -> tuple[CallSession, WhisperApp]:
    from callbox.interpreter.far_ends import ScriptedFarEnd

    app = WhisperApp(SCREENING)
    session = CallSession(
        CallSettings(url=f"{APP}/voice"),
        fetcher=app,
        caller=ScriptedCaller([]),
        media=EstimatedMediaPlane(),
        far_ends={"+15550100200": ScriptedFarEnd("answer", 3.0, 20.0, presses)},
    )
    anyio.run(session.run)
    return session, app


def test_an_agent_screening_the_call_presses_1_and_the_call_is_bridged() -> None:
    session, app = screened_call(("1",))
    assert "far end presses 1" in [e.text for e in session.timeline.of_kind("input")]
    [screened] = [r for r in app.requests if r.url.endswith("/screened")]
    assert screened.params["Digits"] == "1"
    [after] = [r for r in app.requests if r.url.endswith("/after")]
    assert after.params["DialCallStatus"] == "completed"
    assert after.params["DialCallDuration"] == "20"


def test_an_agent_who_presses_nothing_drops_the_call_unbridged() -> None:
    session, app = screened_call(())
    assert "far end stays silent" in [e.text for e in session.timeline.of_kind("input")]
    assert not [r for r in app.requests if r.url.endswith("/screened")]
    [after] = [r for r in app.requests if r.url.endswith("/after")]
    assert after.params["DialCallStatus"] == "no-answer"
    assert "DialCallDuration" not in after.params


def test_answer_on_bridge_keeps_the_call_ringing_until_the_party_answers() -> None:
    from callbox.interpreter.far_ends import ScriptedFarEnd

    pages = {
        f"{APP}/voice": "<Response><Dial answerOnBridge='true' ringTone='uk'>"
        "+15550100200</Dial></Response>",
    }
    session = CallSession(
        CallSettings(url=f"{APP}/voice"),
        fetcher=WhisperApp(pages),
        caller=ScriptedCaller([]),
        media=EstimatedMediaPlane(),
        far_ends={"+15550100200": ScriptedFarEnd("answer", 7.0, 5.0)},
    )
    anyio.run(session.run)
    [answered] = [e for e in session.timeline.of_kind("status") if "→ in-progress" in e.text]
    assert answered.at == 7.0
    [dialing] = [e for e in session.timeline.of_kind("dial") if e.text.startswith("dialing")]
    assert "uk ring tone until the bridge" in dialing.text
