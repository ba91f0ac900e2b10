"""The call session: the document loop, Twilio's parameters, fallback, caps, callbacks, live control.

Verbs run through small runners defined here, so the loop is tested on its own terms.
"""

from __future__ import annotations

import io
import re
import threading
import time
import wave
from collections.abc import Callable, Mapping
from email.utils import parsedate_to_datetime
from typing import Any

import anyio
import pytest

from callbox.interpreter import params as p
from callbox.interpreter.caller import HangUp, InputPrompt, Press, Silence, Speak
from callbox.interpreter.callers import ScriptedCaller
from callbox.interpreter.clock import WallClock
from callbox.interpreter.context import CallContext
from callbox.interpreter.media.plane import EstimatedMediaPlane
from callbox.interpreter.outcomes import Continue, EndCall, Navigate, Outcome
from callbox.interpreter.session import (
    APOLOGY,
    CallResult,
    CallSession,
    CallSettings,
    SettingsError,
)
from callbox.interpreter.status import CallStatus
from callbox.interpreter.webhook import FetchResult, WebhookRequest
from callbox.markup import model
from callbox.testing import CallSimulator

APP = "https://app.example.com"
Reply = bytes | str | FetchResult | tuple[str, bytes]


class FakeApp:
    """A Fetcher over a dict: path -> TwiML (str/bytes), (content type, body), or a FetchResult,
    or a function of the request giving one of those."""

    def __init__(self, pages: Mapping[str, Reply | Callable[[WebhookRequest], Reply]]) -> None:
        self.pages = dict(pages)
        self.requests: list[WebhookRequest] = []
        self.callbacks: list[WebhookRequest] = []
        self.callback_status = 200

    async def fetch_document(self, request: WebhookRequest) -> FetchResult:
        self.requests.append(request)
        path = request.url.removeprefix(APP)
        page = self.pages.get(path.split("?")[0])
        if callable(page):
            page = page(request)
        if page is None:
            return FetchResult(request.url, request.method, 404, error_code="11200", message="404")
        if isinstance(page, FetchResult):
            return page
        if isinstance(page, tuple):
            return FetchResult(request.url, request.method, 200, page[0], page[1])
        body = page.encode() if isinstance(page, str) else page
        return FetchResult(request.url, request.method, 200, "text/xml", body)

    async def fetch_media(self, url: str) -> FetchResult:
        return FetchResult(url, "GET", 200, "audio/wav", b"")

    async def send_callback(self, request: WebhookRequest) -> FetchResult:
        self.callbacks.append(request)
        if self.callback_status >= 400:
            return FetchResult(
                request.url, request.method, self.callback_status, error_code="15003", message="500"
            )
        return FetchResult(request.url, request.method, self.callback_status)

    def params(self, index: int) -> Mapping[str, Any]:
        return self.requests[index].params


# --- small runners ---------------------------------------------------------------------------------
async def run_say(verb: model.Say, call: CallContext) -> Outcome:
    await call.hear(await call.media.speech(verb.text), "say", verb.text)
    return Continue()


async def run_pause(verb: model.Pause, call: CallContext) -> Outcome:
    await call.hear(call.media.silence(verb.length), "pause", f"{verb.length} s")
    return Continue()


async def run_gather(verb: model.Gather, call: CallContext) -> Outcome:
    action = await call.ask(InputPrompt("gather", 0, timeout=float(verb.timeout)))
    if isinstance(action, Press):
        await call.clock.sleep(action.after)
        params = {p.DIGITS: action.digits}
        return Navigate(verb.action or "", verb.method.value, params, input_given=True)
    if isinstance(action, HangUp):
        await call.clock.sleep(action.after)
        return EndCall(CallStatus.COMPLETED, "caller hung up")
    await call.clock.sleep(float(verb.timeout))
    return Continue()


async def run_record(verb: model.Record, call: CallContext) -> Outcome:
    action = await call.ask(InputPrompt("record", 0))
    if isinstance(action, HangUp):
        return Navigate(verb.action or "", params={p.DIGITS: "hangup"})
    return Navigate(verb.action or "", params={p.DIGITS: "#"}, input_given=True)


async def run_hangup(verb: model.Hangup, call: CallContext) -> Outcome:
    return EndCall()


async def run_reject(verb: model.Reject, call: CallContext) -> Outcome:
    busy = verb.reason is model.RejectReason.BUSY
    return EndCall(CallStatus.BUSY if busy else CallStatus.NO_ANSWER, "rejected")


async def run_redirect(verb: model.Redirect, call: CallContext) -> Outcome:
    return Navigate(verb.url, verb.method.value)


async def run_forever(verb: object, call: CallContext) -> Outcome:
    await anyio.Event().wait()
    return Continue()


async def run_broken(verb: object, call: CallContext) -> Outcome:
    raise RuntimeError("a bug in a runner")


RUNNERS: dict[type, Any] = {
    model.Say: run_say,
    model.Pause: run_pause,
    model.Gather: run_gather,
    model.Record: run_record,
    model.Hangup: run_hangup,
    model.Reject: run_reject,
    model.Redirect: run_redirect,
    model.Echo: run_forever,
}


def make_session(
    pages: Mapping[str, Any],
    *answers: Any,
    caller: Any = None,
    runners: Mapping[type, Any] | None = None,
    **settings: Any,
) -> tuple[CallSession, FakeApp]:
    app = FakeApp(pages)
    if "twiml" not in settings:
        settings.setdefault("url", f"{APP}/voice")
    session = CallSession(
        CallSettings(**settings),
        fetcher=app,
        caller=caller or ScriptedCaller(answers),
        media=EstimatedMediaPlane(),
        runners=RUNNERS if runners is None else runners,
    )
    return session, app


def run(session: CallSession) -> CallResult:
    async def go() -> CallResult:
        return await session.run()

    return anyio.run(go)


def codes_of(result: CallResult, kind: str = "error") -> list[str]:
    return [str(e.data["code"]) for e in result.timeline.of_kind(kind)]


# --- the document loop -------------------------------------------------------------------------------
def test_verbs_run_in_order_and_the_end_of_the_document_completes_the_call() -> None:
    session, _ = make_session({"/voice": "<Response><Say>one two</Say><Say>three</Say></Response>"})
    result = run(session)
    assert result.heard() == ["one two", "three"]
    assert result.status is CallStatus.COMPLETED
    assert result.duration == pytest.approx(1.2)  # 3 words at 150 per minute
    assert result.error_code is None
    assert re.fullmatch(r"CA[0-9a-f]{32}", result.sid)


def test_first_request_says_ringing_and_later_ones_in_progress() -> None:
    session, app = make_session(
        {
            "/voice": '<Response><Gather action="/menu"/></Response>',
            "/menu": "<Response><Say>Sales</Say></Response>",
        },
        Press("1"),
    )
    run(session)
    first, second = app.params(0), app.params(1)
    assert first["CallStatus"] == "ringing"
    assert second["CallStatus"] == "in-progress"
    assert second["Digits"] == "1"
    for name in ("CallSid", "AccountSid", "From", "To", "Caller", "Called", "Direction"):
        assert first[name] == second[name]
    assert first["ApiVersion"] == "2010-04-01"
    assert first["Direction"] == "inbound"
    assert first["Caller"] == first["From"] == session.from_
    assert re.fullmatch(r"AC[0-9a-f]{32}", str(first["AccountSid"]))
    assert "FromCity" not in first


def test_outbound_call_is_answered_before_its_first_request() -> None:
    session, app = make_session({"/voice": "<Response/>"}, direction="outbound-api")
    result = run(session)
    assert app.params(0)["CallStatus"] == "in-progress"
    assert app.params(0)["Direction"] == "outbound-api"
    assert [e.data["status"] for e in result.timeline.of_kind("status")] == [
        "initiated",
        "ringing",
        "in-progress",
        "completed",
    ]


def test_three_thirty_second_gather_timeouts_pass_in_virtual_time() -> None:
    gather = '<Gather timeout="30"/>'
    session, _ = make_session({"/voice": f"<Response>{gather * 3}<Say>bye</Say></Response>"})
    result = run(session)
    assert result.duration == pytest.approx(90.4)  # the wall-time cost is measured in bench/
    assert result.heard() == ["bye"]


def test_relative_urls_resolve_against_the_final_document_url() -> None:
    moved = FetchResult(
        f"{APP}/v2/voice",
        "POST",
        200,
        "text/xml",
        b'<Response><Redirect method="GET">next</Redirect></Response>',
    )
    session, app = make_session(
        {"/voice": moved, "/v2/next": "<Response><Say>moved</Say></Response>"}
    )
    result = run(session)
    assert app.requests[1].url == f"{APP}/v2/next"
    assert app.requests[1].method == "GET"
    assert result.heard() == ["moved"]


def test_empty_action_posts_back_to_the_current_document() -> None:
    pages = {
        "/voice": lambda r: (
            "<Response><Say>again</Say></Response>"
            if "Digits" in r.params
            else "<Response><Gather/></Response>"
        )
    }
    session, app = make_session(pages, Press("5"))
    result = run(session)
    assert [r.url for r in app.requests] == [f"{APP}/voice", f"{APP}/voice"]
    assert result.heard() == ["again"]


def test_relative_url_in_inline_twiml_is_15004() -> None:
    session, app = make_session({}, twiml=b"<Response><Redirect>/next</Redirect></Response>")
    result = run(session)
    assert app.requests == []
    assert result.error_code == "15004"
    assert codes_of(result) == ["15004"]


def test_inline_twiml_with_absolute_urls_runs() -> None:
    session, app = make_session(
        {"/next": "<Response><Say>hello</Say></Response>"},
        twiml=f"<Response><Redirect>{APP}/next</Redirect></Response>".encode(),
    )
    result = run(session)
    assert result.heard() == ["hello"]
    assert app.params(0)["CallStatus"] == "in-progress"


@pytest.mark.parametrize(
    ("verbs", "code", "heard"),
    [
        ("<Play>http://[::1</Play><Say>after</Say>", "11200", ["after"]),  # the <Play> is skipped
        (
            '<Gather action="//[::1" timeout="1"/><Redirect>http://[::1</Redirect>',
            "11100",
            [APOLOGY],
        ),
    ],
)
def test_malformed_url_in_a_document_is_an_invalid_url_error_not_an_internal_failure(
    callbox: CallSimulator, verbs: str, code: str, heard: list[str]
) -> None:
    call = callbox.call(twiml=f"<Response>{verbs}</Response>")
    result = call.finish()
    assert result.status is CallStatus.COMPLETED
    assert "12400" not in call.codes()
    assert code in call.codes()
    assert "11100" in call.timeline.format()
    assert result.heard() == heard


# --- bad applications ---------------------------------------------------------------------------
def test_fetch_failure_without_fallback_apologises_and_ends_on_the_error() -> None:
    session, _ = make_session({})
    result = run(session)
    assert result.heard() == [APOLOGY]
    assert result.error_code == "11200"
    assert result.status is CallStatus.COMPLETED
    assert codes_of(result) == ["11200"]


def test_fetch_failure_goes_to_the_fallback_url_with_error_code_and_url() -> None:
    session, app = make_session(
        {"/fallback": "<Response><Say>Fallback here</Say></Response>"},
        fallback_url=f"{APP}/fallback",
    )
    result = run(session)
    assert result.heard() == ["Fallback here"]
    fallback = app.params(1)
    assert fallback["ErrorCode"] == "11200"
    assert fallback["ErrorUrl"] == f"{APP}/voice"
    assert fallback["CallSid"] == result.sid
    assert [r.kind for r in result.requests] == ["document", "fallback"]
    assert result.error_code == "11200"


def test_failing_fallback_is_not_retried() -> None:
    session, app = make_session({}, fallback_url=f"{APP}/also-missing")
    result = run(session)
    assert len(app.requests) == 2
    assert result.heard() == [APOLOGY]


def test_parse_failure_is_12100_and_ends_the_call() -> None:
    session, _ = make_session({"/voice": "<Response><Say>unclosed</Response>"})
    result = run(session)
    assert result.error_code == "12100"
    assert result.heard() == [APOLOGY]


def test_non_xml_body_is_a_parse_failure() -> None:
    session, _ = make_session({"/voice": ("application/xml", b'{"json": true}')})
    assert run(session).error_code == "12100"


def test_document_with_entities_is_refused() -> None:
    body = (
        '<?xml version="1.0"?><!DOCTYPE r [<!ENTITY a "aaaa">]><Response><Say>&a;</Say></Response>'
    )
    session, _ = make_session({"/voice": body})
    result = run(session)
    assert result.error_code == "12100"
    assert "aaaa" not in " ".join(result.heard())


def test_a_parse_that_never_ends_is_cut_at_the_bound_and_the_call_ends_with_12100(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    from callbox.interpreter import documents

    released = threading.Event()

    def stuck(body: bytes, url: str | None, *dialect: object) -> tuple[list[object], list[object]]:
        released.wait(60)  # a parser that spins (the thread is released after the test)
        return [], []

    monkeypatch.setattr(documents, "compile_document", stuck)
    monkeypatch.setattr(documents, "COMPILE_TIMEOUT", 0.2)
    words = "never parsed " * (documents.INLINE_LIMIT // 13 + 1)  # large: parsed off the loop
    session, _ = make_session({"/voice": f"<Response><Say>{words}</Say></Response>"})
    try:
        result = run(session)
    finally:
        released.set()
    assert result.error_code == "12100"
    assert result.heard() == [APOLOGY]
    assert any("not parsed within 0.2 s" in e.text for e in result.timeline.of_kind("error"))


def test_schema_problems_are_warnings_and_the_call_goes_on() -> None:
    session, _ = make_session({"/voice": "<Response><Frobnicate/><Say>still here</Say></Response>"})
    result = run(session)
    assert result.heard() == ["still here"]
    assert result.error_code is None
    warnings = codes_of(result, "warning")
    assert "12200" in warnings
    skipped = [e.text for e in result.timeline.of_kind("warning") if e.data["code"] == "13750"]
    assert skipped and "Frobnicate" in skipped[0]


def test_every_call_fetching_the_same_document_gets_its_warnings_and_verbs() -> None:
    page = "<Response><Say bogus='1'>menu</Say><Pause length='1'/></Response>"
    results = [run(make_session({"/voice": page})[0]) for _ in range(3)]
    assert [r.heard() for r in results] == [["menu"]] * 3
    assert [codes_of(r, "warning") for r in results] == [["12200"]] * 3
    first, *others = results
    assert all(
        r.timeline.of_kind("warning")[0].text == first.timeline.of_kind("warning")[0].text
        for r in others
    )


def test_verbs_without_a_runner_are_reported_not_dropped() -> None:
    session, _ = make_session(
        {"/voice": "<Response><Say>hi</Say><Pause/><Say>bye</Say></Response>"},
        runners={model.Say: run_say},
    )
    result = run(session)
    assert result.heard() == ["hi", "bye"]
    warnings = [e for e in result.timeline.of_kind("warning") if e.data["code"] == "13750"]
    assert len(warnings) == 1 and "<Pause>" in warnings[0].text
    assert warnings[0].data["line"] == 1


def test_plain_text_response_is_spoken_then_the_call_hangs_up() -> None:
    session, _ = make_session({"/voice": ("text/plain", b"Hello from plain text")})
    result = run(session)
    assert result.heard() == ["Hello from plain text"]
    assert result.status is CallStatus.COMPLETED
    assert result.error_code is None


def wav(seconds: float) -> bytes:
    buffer = io.BytesIO()
    with wave.open(buffer, "wb") as out:
        out.setnchannels(1)
        out.setsampwidth(2)
        out.setframerate(8000)
        out.writeframes(b"\0\0" * int(8000 * seconds))
    return buffer.getvalue()


def test_audio_response_is_played_then_the_call_hangs_up() -> None:
    session, _ = make_session({"/voice": ("audio/wav", wav(2.5))})
    result = run(session)
    assert result.timeline.of_kind("play")[0].text == f"{APP}/voice"
    assert result.status is CallStatus.COMPLETED
    assert result.duration == pytest.approx(2.5)


def test_undecodable_audio_response_is_an_error() -> None:
    session, _ = make_session({"/voice": ("audio/mpeg", b"not audio")})
    result = run(session)
    assert result.timeline.of_kind("play") == []
    assert codes_of(result) == ["13420"]


def test_unaccepted_content_type_is_12300() -> None:
    session, _ = make_session({"/voice": ("application/json", b"{}")})
    assert run(session).error_code == "12300"


def test_endless_redirect_hits_the_cap_without_input() -> None:
    session, app = make_session({"/voice": "<Response><Redirect/></Response>"})
    result = run(session)
    assert result.error_code == "CF301"
    assert len(app.requests) == session.settings.max_redirects_without_input + 1
    assert result.status is CallStatus.COMPLETED


def test_documents_per_call_are_capped_even_with_input() -> None:
    session, app = make_session(
        {"/voice": '<Response><Gather action="/voice"/></Response>'},
        *[Press("1")] * 20,
        max_documents=5,
    )
    result = run(session)
    assert result.error_code == "CF301"
    assert len(app.requests) == 5


def test_input_resets_the_redirect_counter() -> None:
    menu = '<Response><Gather action="/voice"/><Redirect/></Response>'
    answers = [Press("1"), Silence(), Press("2"), Silence(), Press("3")]
    session, app = make_session({"/voice": menu}, *answers, max_redirects_without_input=1)
    result = run(session)
    assert result.error_code == "CF301"
    # voice, 1, redirect, 2, redirect, 3, redirect, then a second redirect in a row: the cap
    assert len(app.requests) == 7


def test_a_broken_runner_ends_the_call_with_12400_not_the_process() -> None:
    session, _ = make_session(
        {"/voice": "<Response><Say>before</Say><Hangup/></Response>"},
        runners={model.Say: run_say, model.Hangup: run_broken},
    )
    result = run(session)
    assert result.error_code == "12400"
    assert result.status is CallStatus.COMPLETED
    assert "a bug in a runner" in result.timeline.of_kind("error")[0].text


# --- status ---------------------------------------------------------------------------------------
def test_reject_first_leaves_the_call_unanswered() -> None:
    session, _ = make_session(
        {"/voice": '<Response><Reject reason="busy"/></Response>'},
        status_callback=f"{APP}/status",
        status_callback_events=frozenset({"answered", "completed"}),
    )
    result = run(session)
    assert result.status is CallStatus.BUSY
    assert result.duration == 0
    assert [c.params["CallStatus"] for c in result.callbacks] == ["busy"]
    assert result.callbacks[0].params["SipResponseCode"] == "486"
    assert result.callbacks[0].params["CallDuration"] == "0"


def test_reject_after_an_answer_completes_the_call() -> None:
    session, _ = make_session({"/voice": "<Response><Say>hi</Say><Reject/></Response>"})
    assert run(session).status is CallStatus.COMPLETED


def test_status_callbacks_carry_sequence_timestamp_source_and_duration() -> None:
    session, app = make_session(
        {"/voice": '<Response><Pause length="7"/><Hangup/></Response>'},
        status_callback=f"{APP}/status",
        status_callback_events=frozenset(p.STATUS_CALLBACK_EVENTS),
    )
    result = run(session)
    sent = [
        c.params
        for c in sorted(result.callbacks, key=lambda c: int(str(c.params["SequenceNumber"])))
    ]
    assert [c["CallStatus"] for c in sent] == ["initiated", "ringing", "in-progress", "completed"]
    assert [c["SequenceNumber"] for c in sent] == ["0", "1", "2", "3"]
    assert all(c["CallbackSource"] == "call-progress-events" for c in sent)
    assert sent[3]["CallDuration"] == "7"
    assert sent[3]["SipResponseCode"] == "200"
    assert "CallDuration" not in sent[2]
    first = parsedate_to_datetime(str(sent[0]["Timestamp"]))
    last = parsedate_to_datetime(str(sent[3]["Timestamp"]))
    assert (last - first).total_seconds() == pytest.approx(7, abs=1)
    assert all(r.url == f"{APP}/status" for r in app.callbacks)


def test_only_requested_status_callbacks_are_sent() -> None:
    session, app = make_session({"/voice": "<Response/>"}, status_callback=f"{APP}/status")
    run(session)
    assert [c.params["CallStatus"] for c in app.callbacks] == ["completed"]


def test_failed_callback_is_a_15003_warning() -> None:
    session, app = make_session({"/voice": "<Response/>"}, status_callback=f"{APP}/status")
    app.callback_status = 500
    result = run(session)
    assert result.status is CallStatus.COMPLETED
    assert "15003" in codes_of(result, "warning")


# --- the caller -------------------------------------------------------------------------------------
def test_prompts_carry_what_was_heard_since_the_last_one() -> None:
    page = "<Response><Say>Welcome</Say><Say>Press 1</Say><Gather/><Say>Again</Say><Gather/></Response>"
    caller = ScriptedCaller()
    session, _ = make_session({"/voice": page}, caller=caller)
    run(session)
    assert [prompt.heard for prompt in caller.prompts] == [("Welcome", "Press 1"), ("Again",)]
    assert [prompt.index for prompt in caller.prompts] == [0, 1]
    assert caller.prompts[1].at == pytest.approx(5.0 + 1.6)


def test_caller_hangs_up_at_its_time_wherever_the_call_is() -> None:
    page = '<Response><Say>hello</Say><Pause length="60"/><Say>never heard</Say></Response>'
    session, _ = make_session({"/voice": page}, caller=ScriptedCaller(hangup_after=10))
    result = run(session)
    assert result.heard() == ["hello"]
    assert result.status is CallStatus.COMPLETED
    assert result.duration == pytest.approx(10.0)
    assert result.reason == "caller hung up"


def test_caller_hanging_up_during_a_gather_wait() -> None:
    page = '<Response><Gather timeout="30"/><Say>never heard</Say></Response>'
    session, _ = make_session({"/voice": page}, caller=ScriptedCaller(hangup_after=12))
    result = run(session)
    assert result.heard() == []
    assert result.duration == pytest.approx(12.0)
    assert "caller hangs up at 12.00 s" in [e.text for e in result.timeline.of_kind("input")]


def test_time_limit_ends_a_long_call() -> None:
    page = '<Response><Pause length="600"/><Say>late</Say></Response>'
    session, _ = make_session({"/voice": page}, time_limit=60)
    result = run(session)
    assert result.duration == pytest.approx(60.0)
    assert result.heard() == []
    assert result.reason == "time limit"


def test_action_after_the_caller_hung_up_is_requested_and_its_document_ignored() -> None:
    pages = {
        "/voice": '<Response><Record action="/done"/></Response>',
        "/done": "<Response><Say>thanks</Say></Response>",
    }
    session, app = make_session(pages, HangUp())
    result = run(session)
    assert app.params(1)["Digits"] == "hangup"
    assert app.params(1)["CallStatus"] == "completed"
    assert result.heard() == []
    assert result.status is CallStatus.COMPLETED


# --- control from outside ------------------------------------------------------------------------
def test_hangup_from_outside_cancels_the_running_verb() -> None:
    session, _ = make_session(
        {"/voice": "<Response><Say>hi</Say><Echo/><Say>never</Say></Response>"}
    )

    async def go() -> CallResult:
        async with anyio.create_task_group() as tg:
            tg.start_soon(session.run)
            while not session.timeline.of_kind("say"):
                await anyio.sleep(0.001)
            await anyio.sleep(0.01)
            session.hangup()
        assert session.result is not None
        return session.result

    result = anyio.run(go)
    assert result.heard() == ["hi"]
    assert result.status is CallStatus.COMPLETED


def test_live_redirect_replaces_the_verb_queue() -> None:
    pages = {
        "/voice": "<Response><Echo/><Say>old queue</Say></Response>",
        "/new": "<Response><Say>new queue</Say></Response>",
    }
    session, app = make_session(pages)

    async def go() -> CallResult:
        async with anyio.create_task_group() as tg:
            tg.start_soon(session.run)
            while not app.requests:
                await anyio.sleep(0.001)
            await anyio.sleep(0.01)
            session.redirect("/new", "GET")
        assert session.result is not None
        return session.result

    result = anyio.run(go)
    assert result.heard() == ["new queue"]
    assert app.requests[1].url == f"{APP}/new"
    assert app.requests[1].method == "GET"


def test_hangup_before_an_answer_cancels_the_call() -> None:
    def slow(request: WebhookRequest) -> Reply:
        return "<Response/>"

    session, _ = make_session({"/voice": slow})
    session.hangup()
    result = run(session)
    assert result.status in (CallStatus.CANCELED, CallStatus.COMPLETED)


async def run_tick(verb: object, call: CallContext) -> Outcome:
    await call.clock.sleep(0.05)
    return Continue()


def test_wall_clock_call_really_waits() -> None:
    app = FakeApp({"/voice": "<Response><Echo/></Response>"})
    session = CallSession(
        CallSettings(url=f"{APP}/voice"),
        fetcher=app,
        caller=ScriptedCaller(),
        media=EstimatedMediaPlane(),
        clock=WallClock(),
        runners={model.Echo: run_tick},
    )
    started = time.perf_counter()
    result = run(session)
    assert time.perf_counter() - started >= 0.05
    assert result.duration >= 0.05


# --- settings and parameters -------------------------------------------------------------------
def test_settings_need_a_url_or_twiml_and_known_events() -> None:
    with pytest.raises(SettingsError):
        CallSettings()
    with pytest.raises(SettingsError, match="unknown status callback events"):
        CallSettings(url=APP, status_callback_events=frozenset({"done"}))
    with pytest.raises(SettingsError):
        CallSettings(url=APP, direction="sideways")


def test_webhook_params_add_the_verb_parameters_to_the_standard_ones() -> None:
    session, _ = make_session({"/voice": "<Response/>"}, extra_params={"ForwardedFrom": "+1555"})
    params = session.webhook_params(Digits="12")
    assert params["Digits"] == "12"
    assert params["CallStatus"] == "queued"
    assert params["ForwardedFrom"] == "+1555"


def test_rfc2822_timestamps() -> None:
    from datetime import UTC, datetime

    assert (
        p.rfc2822(datetime(2010, 8, 16, 3, 45, 1, tzinfo=UTC)) == "Mon, 16 Aug 2010 03:45:01 +0000"
    )


def test_call_audio_places_what_was_heard_and_said() -> None:
    from callbox.interpreter.media.call_audio import CallAudio

    audio = CallAudio()
    app = FakeApp(
        {
            "/voice": '<Response><Say>one two three</Say><Record action="/r"/></Response>',
            "/r": '<Response><Pause length="4"/></Response>',  # the call lasts past the words
        }
    )
    session = CallSession(
        CallSettings(url=f"{APP}/voice"),
        fetcher=app,
        caller=ScriptedCaller([Speak("five words said right here", after=2)]),
        media=EstimatedMediaPlane(),
        runners=RUNNERS,
        audio=audio,
    )
    run(session)
    assert audio.estimated == 2
    assert audio.duration == pytest.approx(1.2 + 2 + 2.0)  # the Say, then 2 s, then 5 words


def test_status_callbacks_never_hold_the_call_up() -> None:
    pages = {
        "/voice": "<Response><Redirect>/next</Redirect></Response>",
        "/next": "<Response><Say>done</Say></Response>",
    }
    session, app = make_session(
        pages,
        status_callback=f"{APP}/status",
        status_callback_events=frozenset({"ringing", "answered", "completed"}),
    )
    next_fetched = anyio.Event()
    fetch_document = app.fetch_document
    send_callback = app.send_callback

    async def fetch(request: WebhookRequest) -> FetchResult:
        if request.url.endswith("/next"):
            next_fetched.set()
        return await fetch_document(request)

    async def slow_callback(request: WebhookRequest) -> FetchResult:
        await next_fetched.wait()  # answers only once the call has moved on
        return await send_callback(request)

    app.fetch_document = fetch  # type: ignore[method-assign]
    app.send_callback = slow_callback  # type: ignore[method-assign]

    async def go() -> CallResult:
        with anyio.fail_after(5):
            return await session.run()

    result = anyio.run(go)
    assert result.heard() == ["done"]
    assert len(result.callbacks) == 3


def whisper_text(document: str) -> str:
    return document.split("<Say>")[1].split("</Say>")[0]


@pytest.mark.parametrize(
    ("whisper", "bridged", "code"),
    [
        ("<Response><Say>Press nothing</Say></Response>", True, None),
        ("<Response><Say>Declined</Say><Hangup/></Response>", False, None),
        ("<Response><Dial>+15550001111</Dial></Response>", False, "13201"),
        (FetchResult(f"{APP}/whisper", "POST", 500, error_code="11200"), False, "11200"),
    ],
)
def test_whisper_decides_whether_the_leg_is_bridged(
    whisper: Any, bridged: bool, code: str | None
) -> None:
    session, app = make_session({"/voice": "<Response/>", "/whisper": whisper})
    outcomes: list[bool] = []

    async def go() -> None:
        await session.run()
        whisper_url = f"{APP}/whisper"
        outcomes.append(await session.run_whisper(whisper_url, "POST", {"CallSid": "CAchild"}))

    anyio.run(go)
    assert outcomes == [bridged]
    assert app.requests[-1].params["CallSid"] == "CAchild"
    assert app.requests[-1].url == f"{APP}/whisper"
    assert [t for t in session.timeline.heard() if "Press" in t or "Declined" in t] == []
    whispered = [e.text for e in session.timeline.of_kind("whisper")]
    assert whispered == ([] if code else [f"far end hears: {whisper_text(whisper)}"])
    assert [str(e.data["code"]) for e in session.timeline.of_kind("error")] == (
        [code] if code else []
    )


# --- the timeline, with the real verb runners --------------------------------------------------------
def test_the_callers_key_press_is_on_the_timeline_after_the_prompts_it_answers() -> None:
    from callbox.interpreter.verbs import RUNNERS as VERBS

    pages = {
        "/voice": '<Response><Gather action="/menu" numDigits="1">'
        "<Say>For sales press one</Say><Pause/></Gather></Response>",
        "/menu": "<Response><Hangup/></Response>",
    }
    session, _ = make_session(pages, Press("1", after=2.0), runners=VERBS)
    events = run(session).timeline.events
    kinds = [event.kind for event in events if event.kind in ("say", "pause", "input", "gather")]
    assert kinds == ["say", "pause", "input", "gather"]
    press = next(event for event in events if event.kind == "input")
    pause = next(event for event in events if event.kind == "pause")
    assert press.at == pytest.approx(pause.at + 1.0 + 2.0)
    assert [event.at for event in events] == sorted(event.at for event in events)


def test_a_realtime_caller_hangs_up_at_their_time_during_the_prompts() -> None:
    from callbox.interpreter.verbs import RUNNERS as VERBS

    page = "<Response><Gather><Say>Thank you for calling, please hold on</Say></Gather></Response>"
    session = CallSession(
        CallSettings(url=f"{APP}/voice"),
        fetcher=FakeApp({"/voice": page}),
        caller=ScriptedCaller(hangup_after=0.2),
        media=EstimatedMediaPlane(),
        clock=WallClock(),
        runners=VERBS,
    )
    result = run(session)
    assert result.reason == "caller hung up"
    assert result.heard() == ["Thank you for calling, please hold on"]
    hang_up = result.timeline.of_kind("input")[-1]
    assert 0.2 <= hang_up.at < 0.4  # wall time: the hang-up's moment, plus scheduling delays
    assert 0.15 < result.duration < 0.4


def test_a_hang_up_answered_for_after_the_gather_timeout_happens_in_the_next_document() -> None:
    from callbox.interpreter.verbs import RUNNERS as VERBS

    pages = {
        "/voice": '<Response><Gather timeout="5"><Say>Menu</Say></Gather>'
        "<Redirect>/hold</Redirect></Response>",
        "/hold": '<Response><Pause length="60"/><Say>never heard</Say></Response>',
    }
    session, app = make_session(pages, HangUp(after=8), runners=VERBS)
    result = run(session)
    menu_ends = result.timeline.of_kind("say")[0].data["duration"]
    assert [request.url.removeprefix(APP) for request in app.requests] == ["/voice", "/hold"]
    assert app.params(1)["CallStatus"] == "in-progress"
    assert result.duration == pytest.approx(menu_ends + 8)
    assert result.timeline.events[-2].kind == "input"  # during the pause, then the final status
    assert result.reason == "caller hung up"


def test_a_caller_hanging_up_during_the_prompts_leaves_the_part_heard_on_the_timeline() -> None:
    from callbox.interpreter.verbs import RUNNERS as VERBS

    page = "<Response><Gather><Say>one two three four five six</Say><Say>seven</Say></Gather></Response>"
    session, _ = make_session(
        {"/voice": page}, runners=VERBS, caller=ScriptedCaller(hangup_after=1)
    )
    result = run(session)
    assert result.heard() == ["one two three four five six"]
    say = result.timeline.of_kind("say")[0]
    assert say.data["duration"] == pytest.approx(1.0)
    assert result.duration == pytest.approx(1.0)


def test_a_realtime_hang_up_answered_ahead_ends_the_call_during_a_slow_fetch() -> None:
    async def run_early_record(verb: model.Record, call: CallContext) -> Outcome:
        await call.ask(InputPrompt("record", 0))  # the caller will hang up 0.1 s from now
        return Navigate(verb.action or "", params={p.DIGITS: "#"}, input_given=True)

    class SlowApp(FakeApp):
        async def fetch_document(self, request: WebhookRequest) -> FetchResult:
            await anyio.sleep(2.0 if request.url.endswith("/slow") else 0.0)  # the watch starts
            return await super().fetch_document(request)

    pages = {
        "/voice": '<Response><Record action="/slow"/></Response>',
        "/slow": "<Response><Say>too late</Say></Response>",
    }
    session = CallSession(
        CallSettings(url=f"{APP}/voice"),
        fetcher=SlowApp(pages),
        caller=ScriptedCaller([HangUp(after=0.1)]),
        media=EstimatedMediaPlane(),
        clock=WallClock(),
        runners={**RUNNERS, model.Record: run_early_record},
    )
    started = time.monotonic()
    result = run(session)
    assert time.monotonic() - started < 0.7
    assert result.reason == "caller hung up"
    assert result.heard() == []
