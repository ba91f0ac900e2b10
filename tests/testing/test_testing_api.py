"""The pytest API: drive calls step by step against in-process Starlette (ASGI) and Flask (WSGI)
apps written with twilio's VoiceResponse, each request checked with twilio's RequestValidator."""

from __future__ import annotations

import socket
import threading
import time
from collections.abc import Iterator
from typing import Any

import flask
import pytest
import uvicorn
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route
from twilio.request_validator import RequestValidator
from twilio.twiml.voice_response import Gather, VoiceResponse

from callbox.interpreter.far_ends import ScriptedFarEnd
from callbox.interpreter.session import DEFAULT_AUTH_TOKEN
from callbox.interpreter.status import CallStatus
from callbox.testing import CallEndedError, CallSimulator

VALIDATOR = RequestValidator(DEFAULT_AUTH_TOKEN)


def menu_document() -> str:
    response = VoiceResponse()
    gather = Gather(action="/menu", num_digits=1, timeout=10)
    gather.say("Welcome to Example. Press 1 for sales, 2 for support.")
    response.append(gather)
    response.say("Sorry, I did not get that.")
    response.redirect("/voice")
    return str(response)


def choice_document(digits: str | None) -> str:
    response = VoiceResponse()
    if digits == "1":
        response.say("Connecting you to sales")
        response.dial("+15551230001")
    elif digits == "2":
        response.say("Support is closed. Goodbye.")
        response.hangup()
    else:
        response.say("That is not an option.")
        response.redirect("/voice")
    return str(response)


def speech_document() -> str:
    response = VoiceResponse()
    gather = Gather(action="/heard", input="speech", timeout=5)
    gather.say("Which department?")
    response.append(gather)
    return str(response)


class Log:
    """What the app saw: each request's path and form, and whether its signature was valid."""

    def __init__(self) -> None:
        self.seen: list[tuple[str, dict[str, str], bool]] = []
        self.lock = threading.Lock()

    def add(self, path: str, form: dict[str, str], valid: bool) -> None:
        with self.lock:
            self.seen.append((path, form, valid))


def starlette_app(log: Log) -> Starlette:
    async def handle(request: Request) -> Response:
        form = {k: str(v) for k, v in (await request.form()).items()}
        valid = VALIDATOR.validate(
            str(request.url), form, request.headers.get("X-Twilio-Signature", "")
        )
        log.add(request.url.path, form, valid)
        path = request.url.path
        if path == "/voice":
            body = menu_document()
        elif path == "/menu":
            body = choice_document(form.get("Digits"))
        elif path == "/speech":
            body = speech_document()
        elif path == "/heard":
            said = VoiceResponse()
            said.say(f"You said {form.get('SpeechResult')}")
            body = str(said)
        else:
            return Response("", status_code=204)
        return Response(body, media_type="text/xml")

    paths = ("/voice", "/menu", "/speech", "/heard", "/status")
    return Starlette(routes=[Route(p, handle, methods=["GET", "POST"]) for p in paths])


def flask_app(log: Log) -> flask.Flask:
    app = flask.Flask("voice")

    @app.route("/voice", methods=["POST"])
    @app.route("/menu", methods=["POST"])
    def handle() -> flask.Response:
        form = request_form()
        log.add(flask.request.path, form, validate_flask(form))
        if flask.request.path == "/voice":
            body = menu_document()
        else:
            body = choice_document(form.get("Digits"))
        return flask.Response(body, mimetype="text/xml")

    return app


def request_form() -> dict[str, str]:
    return {k: v for k, v in flask.request.form.items()}


def validate_flask(form: dict[str, str]) -> bool:
    signature = flask.request.headers.get("X-Twilio-Signature", "")
    return bool(VALIDATOR.validate(flask.request.url, form, signature))


@pytest.fixture
def log() -> Log:
    return Log()


@pytest.fixture(params=["starlette", "flask"])
def app(request: pytest.FixtureRequest, log: Log) -> Any:
    return starlette_app(log) if request.param == "starlette" else flask_app(log)


@pytest.fixture
def simulator() -> Iterator[CallSimulator]:
    with CallSimulator() as sim:
        yield sim


def test_menu_choice_reaches_sales(callbox: CallSimulator, app: Any, log: Log) -> None:
    call = callbox.call(app, "/voice")
    prompt = call.expect_prompt("Press 1 for sales")
    assert prompt.kind == "gather" and prompt.num_digits == 1
    call.press("1")
    result = call.finish()
    assert result.status is CallStatus.COMPLETED
    assert "Connecting you to sales" in call.heard
    assert call.requests[-1].params["Digits"] == "1"
    assert [path for path, _, _ in log.seen] == ["/voice", "/menu"]
    assert all(valid for _, _, valid in log.seen)
    assert log.seen[0][1]["CallStatus"] == "ringing"
    assert result.timeline.of_kind("dial")


def test_wrong_input_then_silence_then_support(callbox: CallSimulator, app: Any, log: Log) -> None:
    call = callbox.call(app, "/voice")
    call.expect_prompt("Welcome").press("7")
    call.expect_prompt("That is not an option", "Press 1 for sales").stay_silent()
    call.expect_prompt("Sorry, I did not get that", "Welcome").press("2")
    result = call.finish()
    assert call.heard[-1] == "Support is closed. Goodbye."
    assert result.status is CallStatus.COMPLETED
    assert [path for path, _, _ in log.seen] == ["/voice", "/menu", "/voice", "/voice", "/menu"]
    assert all(valid for _, _, valid in log.seen)
    assert result.duration > 10  # the silent prompt waited its 10 s timeout


def test_speech_answer_is_the_speech_result(simulator: CallSimulator, log: Log) -> None:
    call = simulator.call(starlette_app(log), "/speech")
    prompt = call.expect_prompt("Which department?")
    assert "speech" in prompt.inputs
    call.say("billing please")
    call.finish()
    assert call.heard[-1] == "You said billing please"
    assert log.seen[-1][1]["SpeechResult"] == "billing please"


def test_expect_prompt_names_what_was_heard_when_a_phrase_is_missing(
    simulator: CallSimulator, log: Log
) -> None:
    call = simulator.call(starlette_app(log), "/voice")
    with pytest.raises(AssertionError) as caught:
        call.expect_prompt("Press 9 for the moon")
    assert "Press 9 for the moon" in str(caught.value)
    assert "Welcome to Example" in str(caught.value)


def test_expect_prompt_after_the_end_of_the_call_says_so(simulator: CallSimulator) -> None:
    call = simulator.call(twiml="<Response><Say>Just this.</Say></Response>")
    with pytest.raises(CallEndedError, match="ended"):
        call.expect_prompt()
    assert call.result is not None
    assert call.heard == ["Just this."]


def test_hanging_up_at_a_prompt_ends_the_call(simulator: CallSimulator, log: Log) -> None:
    call = simulator.call(starlette_app(log), "/voice")
    call.expect_prompt("Welcome").hang_up(after=1.5)
    result = call.finish()
    assert result.status is CallStatus.COMPLETED
    assert [path for path, _, _ in log.seen] == ["/voice"]
    assert "Sorry, I did not get that." not in call.heard


def test_hangup_from_outside_while_the_call_waits(simulator: CallSimulator, log: Log) -> None:
    call = simulator.call(starlette_app(log), "/voice")
    call.expect_prompt("Welcome")
    result = call.hangup()
    assert result.status is CallStatus.COMPLETED
    assert result.reason == "hung up from outside"


def test_live_redirect_from_outside(simulator: CallSimulator, log: Log) -> None:
    call = simulator.call(starlette_app(log), "/voice")
    call.expect_prompt("Welcome")
    call.redirect("/speech")
    call.expect_prompt("Which department?").say("sales")
    call.finish()
    assert [path for path, _, _ in log.seen] == ["/voice", "/speech", "/heard"]


def test_status_callbacks_reach_the_app_signed(simulator: CallSimulator, log: Log) -> None:
    call = simulator.call(
        starlette_app(log),
        "/voice",
        status_callback="/status",
        status_callback_events=frozenset({"ringing", "answered", "completed"}),
    )
    call.expect_prompt("Welcome").press("2")
    result = call.finish()
    statuses = [form["CallStatus"] for path, form, _ in log.seen if path == "/status"]
    assert sorted(statuses) == ["completed", "in-progress", "ringing"]
    assert all(valid for _, _, valid in log.seen)
    assert len(result.callbacks) == 3


def test_inline_twiml_call_runs_without_an_app(simulator: CallSimulator) -> None:
    call = simulator.call(
        twiml='<Response><Gather numDigits="2"><Say>Enter your code</Say></Gather></Response>'
    )
    call.expect_prompt("Enter your code").press("42")
    result = call.finish()
    assert result.error_code == "15004"  # the Gather's default action is the inline document


def test_calls_are_hung_up_when_the_simulator_closes(log: Log) -> None:
    with CallSimulator() as sim:
        call = sim.call(starlette_app(log), "/voice")
        call.expect_prompt("Welcome")
    assert call.result is not None
    assert call.result.status is CallStatus.COMPLETED


def forwarding_app(log: Log) -> Starlette:
    async def handle(request: Request) -> Response:
        form = {k: str(v) for k, v in (await request.form()).items()}
        log.add(request.url.path, form, True)
        response = VoiceResponse()
        if request.url.path == "/forward":
            dial = response.dial(action="/after", timeout=20)
            dial.number("+15551230001", url="/whisper")
        elif request.url.path == "/whisper":
            response.say("Call for you from the website")
        else:
            response.say(f"Dial status {form.get('DialCallStatus')}")
        return Response(str(response), media_type="text/xml")

    return Starlette(
        routes=[Route(p, handle, methods=["POST"]) for p in ("/forward", "/whisper", "/after")]
    )


@pytest.mark.parametrize(
    ("far_end", "status"),
    [
        (ScriptedFarEnd("busy"), "busy"),
        (ScriptedFarEnd("no-answer"), "no-answer"),
        (ScriptedFarEnd("failed"), "failed"),
        (ScriptedFarEnd("answer", answer_after=3, talk_for=40), "completed"),
    ],
)
def test_far_ends_decide_the_dial_outcome(
    simulator: CallSimulator, log: Log, far_end: ScriptedFarEnd, status: str
) -> None:
    call = simulator.call(forwarding_app(log), "/forward", far_ends={"+1 (555) 123-0001": far_end})
    result = call.finish()
    after = [form for path, form, _ in log.seen if path == "/after"]
    assert after[0]["DialCallStatus"] == status
    assert call.heard[-1] == f"Dial status {status}"
    whispered = [path for path, _, _ in log.seen if path == "/whisper"]
    assert whispered == (["/whisper"] if status == "completed" else [])
    if status == "completed":
        assert after[0]["DialCallDuration"] == "40"
        assert result.duration >= 43


def test_whisper_is_heard_by_the_far_end_not_the_caller(simulator: CallSimulator, log: Log) -> None:
    call = simulator.call(forwarding_app(log), "/forward")
    call.finish()
    assert "Call for you from the website" not in call.heard
    whispers = [e.text for e in call.timeline.of_kind("whisper")]
    assert whispers == ["far end hears: Call for you from the website"]
    assert [r.kind for r in call.requests] == ["document", "whisper", "document"]


@pytest.fixture
def served(log: Log) -> Iterator[str]:
    """The Starlette app under a real uvicorn server on a free loopback port."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    server = uvicorn.Server(
        uvicorn.Config(starlette_app(log), host="127.0.0.1", port=port, log_level="error")
    )
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 10
    while not server.started:
        assert time.monotonic() < deadline, "uvicorn did not start"
        time.sleep(0.01)
    yield f"http://127.0.0.1:{port}"
    server.should_exit = True
    thread.join(10)


def test_call_against_a_url(callbox: CallSimulator, served: str, log: Log) -> None:
    call = callbox.call(f"{served}/voice")
    call.expect_prompt("Press 1 for sales").press("2")
    result = call.finish()
    assert result.status is CallStatus.COMPLETED
    assert call.heard[-1] == "Support is closed. Goodbye."
    assert [path for path, _, _ in log.seen] == ["/voice", "/menu"]
    assert all(valid for _, _, valid in log.seen)


def test_redirect_before_reading_the_first_prompt_drops_it(
    simulator: CallSimulator, log: Log
) -> None:
    call = simulator.call(starlette_app(log), "/voice")
    call.redirect("/speech")
    call.expect_prompt("Which department?").say("sales")
    call.finish()
    assert call.heard[-1] == "You said sales"


def test_caller_hanging_up_during_the_prompts_ends_the_call_then(
    simulator: CallSimulator,
) -> None:
    words = " ".join(["word"] * 12)  # 4.8 s of speech
    call = simulator.call(
        twiml=f"<Response><Gather><Say>{words}</Say></Gather><Say>after</Say></Response>",
        hangup_after=2,
    )
    result = call.finish()
    assert result.duration == pytest.approx(2.0)
    assert "after" not in call.heard


def test_expect_heard_checks_what_followed_the_answer(simulator: CallSimulator, log: Log) -> None:
    call = simulator.call(starlette_app(log), "/voice")
    call.expect_prompt("Press 1 for sales").press("1")
    call.expect_heard("Connecting you to sales")
    with pytest.raises(AssertionError, match="Welcome"):
        call.expect_heard("Welcome")  # heard before the answer, not after
    assert call.finish().status is CallStatus.COMPLETED


def test_simulator_runs_on_trio_too() -> None:
    with CallSimulator(backend="trio") as sim:
        call = sim.call(
            twiml='<Response><Gather timeout="30"><Say>Press 1</Say></Gather><Say>bye</Say></Response>'
        )
        call.expect_prompt("Press 1").stay_silent()
        result = call.finish()
    assert call.heard == ["Press 1", "bye"]
    assert result.duration == pytest.approx(31.2)
