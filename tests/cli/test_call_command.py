"""``callbox call``: options, the caller they build, output formats and exit statuses."""

from __future__ import annotations

import argparse
import io
import json
import shutil
import time
import wave
from pathlib import Path
from typing import Any

import anyio
import httpx
import pytest
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route
from twilio.request_validator import RequestValidator
from twilio.twiml.voice_response import Gather, VoiceResponse

from callbox.cli import call as call_command
from callbox.cli import number_call
from callbox.interpreter.caller import InputPrompt, Press, Silence, Speak
from callbox.interpreter.transports import in_process

TOKEN = "command-test-token"
# In-process apps are mounted at a loopback address, so the default policy needs no exception.
BASE = "http://127.0.0.1:18080"


def parse(*argv: str) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="callbox call")
    call_command.add_arguments(parser)
    return parser.parse_args(argv)


def ivr_app(seen: list[dict[str, str]]) -> Starlette:
    async def voice(request: Request) -> Response:
        form = await request.form()
        valid = RequestValidator(TOKEN).validate(
            str(request.url), form, request.headers.get("X-Twilio-Signature", "")
        )
        if not valid:
            return Response("bad signature", status_code=403)
        seen.append({k: str(v) for k, v in form.items()})
        response = VoiceResponse()
        if "Digits" in form:
            response.say(f"You chose {form['Digits']}.")
            response.hangup()
        else:
            gather = Gather(num_digits=1, action="/voice", timeout=30)
            gather.say("Press a key.")
            response.append(gather)
            response.say("Nothing pressed. Goodbye.")
        return Response(str(response), media_type="text/xml")

    return Starlette(routes=[Route("/voice", voice, methods=["POST"])])


@pytest.fixture
def served_ivr(monkeypatch: pytest.MonkeyPatch) -> list[dict[str, str]]:
    """Route ``callbox call``'s client to an in-process IVR app at ``BASE``."""
    seen: list[dict[str, str]] = []
    app = ivr_app(seen)
    monkeypatch.setattr(call_command, "make_client", lambda **_: in_process(app, BASE).client)
    monkeypatch.setenv("CALLBOX_AUTH_TOKEN", TOKEN)
    return seen


def test_press_and_say_answer_prompts_in_the_order_given() -> None:
    args = parse("http://localhost/voice", "--press", "1", "--say", "sales please", "--press", "9#")
    caller = call_command._caller(args, None)
    prompt = InputPrompt("gather", 0, inputs=frozenset({"dtmf", "speech"}))

    async def answers() -> list[Any]:
        return [await caller.respond(prompt) for _ in range(4)]

    assert anyio.run(answers) == [Press("1"), Speak("sales please"), Press("9#"), Silence()]


def test_credentials_come_from_flags_then_callbox_then_twilio_variables(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("TWILIO_AUTH_TOKEN", "from-twilio")
    monkeypatch.setenv("TWILIO_ACCOUNT_SID", "AC" + "1" * 32)
    assert call_command.settings_from(parse("http://h/v")).auth_token == "from-twilio"
    monkeypatch.setenv("CALLBOX_AUTH_TOKEN", "from-callbox")
    settings = call_command.settings_from(parse("http://h/v"))
    assert (settings.auth_token, settings.account_sid) == ("from-callbox", "AC" + "1" * 32)
    flagged = call_command.settings_from(parse("http://h/v", "--auth-token", "flag"))
    assert flagged.auth_token == "flag"


@pytest.mark.parametrize(
    "argv",
    [
        ["--press", "12x"],
        ["--format", "yaml"],
        ["--method", "PUT"],
        ["--hangup-after", "-3"],
        ["--hangup-after", "nan"],
        ["--hangup-after", "inf"],
        ["--status-callback-event", "exploded"],
    ],
)
def test_bad_options_are_usage_errors(argv: list[str]) -> None:
    with pytest.raises(SystemExit) as exited:
        parse("http://localhost/voice", *argv)
    assert exited.value.code == 2


@pytest.mark.parametrize(
    "argv",
    [
        ["ftp://localhost/voice"],
        ["voice.xml"],
        ["http://localhost/voice", "--fallback-url", "/relative"],
        ["http://localhost/voice", "--script", "/nonexistent/caller.txt"],
    ],
)
def test_unusable_urls_and_scripts_exit_2_with_a_message(
    argv: list[str], capsys: pytest.CaptureFixture[str]
) -> None:
    assert call_command.run(parse(*argv)) == 2
    assert "callbox call: error:" in capsys.readouterr().err


@pytest.mark.parametrize(
    ("argv", "said"),
    [
        (["+15550100001", "--twiml", "<Response/>"], "--twiml does not apply"),
        (["+15550100001", "--estimate"], "--estimate does not apply"),
        (["+1555", "--server", "http://127.0.0.1:5000"], "--server goes with a NUMBER"),
        (["http://localhost/voice", "--server", "http://127.0.0.1:5000"], "--server goes with"),
        (["+15550100001", "--server", "ftp://example.com"], "--server:"),
    ],
)
def test_a_number_call_refuses_what_the_server_decides(
    argv: list[str], said: str, capsys: pytest.CaptureFixture[str]
) -> None:
    assert call_command.run(parse(*argv)) == 2
    assert said in capsys.readouterr().err


def test_a_file_named_like_a_number_is_still_a_file(tmp_path: Path, monkeypatch: Any) -> None:
    monkeypatch.chdir(tmp_path)
    (tmp_path / "5550100001").write_text("<Response/>")
    assert not number_call.is_number("5550100001")
    assert number_call.is_number("+15550100001") and number_call.is_number("555 010 0002")


def test_a_bad_script_line_exits_2_and_names_the_line(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    script = tmp_path / "caller.txt"
    script.write_text("press 1\ndance wildly\n", encoding="utf-8")
    assert call_command.run(parse("http://localhost/voice", "--script", str(script))) == 2
    assert ":2:" in capsys.readouterr().err


def test_a_call_that_ran_exits_0_and_prints_a_readable_timeline(
    served_ivr: list[dict[str, str]], capsys: pytest.CaptureFixture[str]
) -> None:
    status = call_command.run(parse(f"{BASE}/voice", "--press", "7"))
    out = capsys.readouterr().out
    assert status == 0, out
    assert "Press a key." in out
    assert "caller presses 7" in out
    assert "You chose 7." in out
    assert f"POST {BASE}/voice" in out
    assert [entry.get("Digits") for entry in served_ivr] == [None, "7"]


def test_json_output_has_sid_status_duration_and_the_timeline(
    served_ivr: list[dict[str, str]], capsys: pytest.CaptureFixture[str]
) -> None:
    status = call_command.run(parse(f"{BASE}/voice", "--format", "json"))
    data = json.loads(capsys.readouterr().out)
    assert status == 0
    assert data["sid"].startswith("CA") and len(data["sid"]) == 34
    assert data["status"] == "completed"
    assert data["duration"] >= 30  # the Gather waited its 30 s of virtual time
    heard = [event["text"] for event in data["timeline"] if event["kind"] == "say"]
    assert heard == ["Press a key.", "Nothing pressed. Goodbye."]
    assert data["from"] == "+15005550006"


def test_a_script_file_drives_the_caller(
    served_ivr: list[dict[str, str]], tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    script = tmp_path / "caller.txt"
    script.write_text('when "press a key" press 4  # answer the menu\n', encoding="utf-8")
    status = call_command.run(parse(f"{BASE}/voice", "--script", str(script)))
    assert status == 0
    assert "You chose 4." in capsys.readouterr().out


def test_a_call_ending_on_a_fetch_failure_exits_1_with_the_code(
    capsys: pytest.CaptureFixture[str],
) -> None:
    async def closed_port() -> int:
        listener = await anyio.create_tcp_listener(local_host="127.0.0.1")
        port = int(listener.extra(anyio.abc.SocketAttribute.local_port))
        await listener.aclose()
        return port

    port = anyio.run(closed_port)
    status = call_command.run(parse(f"http://127.0.0.1:{port}/voice#rc=0", "--format", "json"))
    data = json.loads(capsys.readouterr().out)
    assert status == 1
    assert data["error_code"] == "11205"
    assert any("application error" in event["text"] for event in data["timeline"])


def test_the_private_network_is_refused_unless_allowed(capsys: pytest.CaptureFixture[str]) -> None:
    status = call_command.run(parse("http://10.255.255.1/voice", "--format", "json"))
    data = json.loads(capsys.readouterr().out)
    assert status == 1
    assert data["error_code"] == "11230"
    assert httpx.URL(data["url"]).host == "10.255.255.1"


def test_audio_writes_the_call_as_a_stereo_wav(
    served_ivr: list[dict[str, str]], tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    target = tmp_path / "call.wav"
    argv = [f"{BASE}/voice", "--press", "3", "--audio", str(target)]
    status = call_command.run(parse(*argv, "--data-dir", str(tmp_path / "data")))
    assert status == 0
    assert "call audio" in capsys.readouterr().err
    with wave.open(str(target)) as wav:
        assert wav.getnchannels() == 2
        seconds = wav.getnframes() / wav.getframerate()
    assert seconds > 1.0  # "Press a key." and "You chose 3." were heard


def test_audio_that_cannot_be_written_is_an_error_after_the_timeline(
    served_ivr: list[dict[str, str]], tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    blocked = tmp_path / "a-file"
    blocked.write_text("not a directory")
    argv = [f"{BASE}/voice", "--press", "3", "--audio", str(blocked / "call.wav"), "--estimate"]
    status = call_command.run(parse(*argv, "--data-dir", str(tmp_path / "data")))
    out, err = capsys.readouterr()
    assert status == 2
    assert f"cannot write the call audio to {blocked / 'call.wav'}" in err
    assert "You chose 3." in out  # the call that ran is still reported


def test_audio_into_a_directory_is_a_usage_error_before_the_call(
    served_ivr: list[dict[str, str]], tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    status = call_command.run(parse(f"{BASE}/voice", "--audio", str(tmp_path), "--estimate"))
    assert status == 2
    assert "is a directory" in capsys.readouterr().err
    assert served_ivr == []


def test_realtime_runs_on_the_wall_clock(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    async def hello(request: Request) -> Response:
        return Response("<Response><Say>Hello there.</Say></Response>", media_type="text/xml")

    app = Starlette(routes=[Route("/hello", hello, methods=["POST"])])
    monkeypatch.setattr(call_command, "make_client", lambda **_: in_process(app, BASE).client)
    started = time.monotonic()
    status = call_command.run(parse(f"{BASE}/hello", "--realtime", "--format", "json"))
    wall = time.monotonic() - started
    data = json.loads(capsys.readouterr().out)
    assert status == 0
    assert data["duration"] > 0.2
    assert wall >= data["duration"]  # the speech took real time; in virtual time it takes none


def test_the_callbox_command_dispatches_call_and_reports_usage_errors(
    capsys: pytest.CaptureFixture[str],
) -> None:
    from callbox.cli import main as cli

    assert cli.main(["call", "ftp://example.com/voice"]) == 2
    assert cli.main(["call"]) == 2
    assert "give the app's voice URL" in capsys.readouterr().err


def voicemail_app(seen: list[dict[str, str]]) -> Starlette:
    async def voice(request: Request) -> Response:
        body = (
            '<Response><Say>Leave a message.</Say><Record action="/done" timeout="2"/></Response>'
        )
        return Response(body, media_type="text/xml")

    async def done(request: Request) -> Response:
        seen.append({k: str(v) for k, v in (await request.form()).items()})
        return Response("<Response><Hangup/></Response>", media_type="text/xml")

    return Starlette(
        routes=[Route("/voice", voice, methods=["POST"]), Route("/done", done, methods=["POST"])]
    )


@pytest.fixture
def served_voicemail(monkeypatch: pytest.MonkeyPatch) -> list[dict[str, str]]:
    seen: list[dict[str, str]] = []
    app = voicemail_app(seen)
    monkeypatch.setattr(call_command, "make_client", lambda **_: in_process(app, BASE).client)
    return seen


@pytest.mark.audio
def test_by_default_the_recording_is_real_audio_in_the_data_dir(
    served_voicemail: list[dict[str, str]], tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    if shutil.which("espeak-ng") is None:
        pytest.skip("espeak-ng is not installed (scripts/setup installs it)")
    data = tmp_path / "data"
    argv = [
        f"{BASE}/voice",
        "--say",
        "Please call me back about my order.",
        "--data-dir",
        str(data),
    ]
    assert call_command.run(parse(*argv)) == 0
    (done,) = served_voicemail
    sid = done["RecordingSid"]
    account = done["AccountSid"]
    assert done["RecordingUrl"] == (
        f"http://127.0.0.1:5000/2010-04-01/Accounts/{account}/Recordings/{sid}"
    )
    wav = data / "recordings" / f"{sid}.wav"
    with wave.open(str(wav)) as reader:
        seconds = reader.getnframes() / reader.getframerate()
    assert done["RecordingDuration"] == str(max(1, round(seconds)))
    metadata = json.loads((data / "recordings" / f"{sid}.json").read_text())
    assert (metadata["sid"], metadata["call_sid"]) == (sid, done["CallSid"])
    assert f"Recording {sid}: " in capsys.readouterr().out


def test_estimate_makes_no_audio_and_public_url_names_the_server(
    served_voicemail: list[dict[str, str]], tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    data = tmp_path / "data"
    argv = [f"{BASE}/voice", "--say", "Call me back.", "--estimate", "--data-dir", str(data)]
    assert call_command.run(parse(*argv, "--public-url", "https://cf.example/")) == 0
    (done,) = served_voicemail
    assert done["RecordingUrl"].startswith("https://cf.example/2010-04-01/Accounts/AC")
    assert float(done["RecordingDuration"]) > 0
    assert not data.exists()
    out, err = capsys.readouterr()
    assert "no file (estimated audio)" in out
    assert "note" not in err  # the estimate was asked for: nothing to warn about


def test_a_bad_public_url_is_a_usage_error(capsys: pytest.CaptureFixture[str]) -> None:
    assert call_command.run(parse("http://h/v", "--public-url", "ftp://files")) == 2
    assert "--public-url" in capsys.readouterr().err


def test_a_data_dir_that_cannot_be_made_is_a_usage_error(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    blocker = tmp_path / "a-file"
    blocker.write_text("")
    assert call_command.run(parse("http://h/v", "--data-dir", str(blocker / "data"))) == 2
    assert "cannot use" in capsys.readouterr().err


MENU = (
    f'<Response><Gather numDigits="1" action="{BASE}/voice"><Say>Inline menu.</Say></Gather>'
    "</Response>"
)


def test_a_twiml_file_starts_the_call_and_its_absolute_actions_reach_the_app(
    served_ivr: list[dict[str, str]], tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    flow = tmp_path / "menu.xml"
    flow.write_text(MENU, encoding="utf-8")
    # a file has no URL of its own: its loopback actions need --allow-loopback
    assert call_command.run(parse(str(flow), "--press", "3", "--allow-loopback")) == 0
    out = capsys.readouterr().out
    assert f"TwiML from {flow}" in out
    assert "Inline menu." in out and "You chose 3." in out
    assert [entry.get("Digits") for entry in served_ivr] == ["3"]


def test_twiml_inline_and_from_standard_input_start_the_call(
    served_ivr: list[dict[str, str]],
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    assert call_command.run(parse("--twiml", "<Response><Say>Hi there</Say></Response>")) == 0
    assert "say      Hi there" in capsys.readouterr().out
    monkeypatch.setattr("sys.stdin", io.TextIOWrapper(io.BytesIO(MENU.encode())))
    assert call_command.run(parse("-", "--press", "5", "--allow-loopback")) == 0
    assert "You chose 5." in capsys.readouterr().out


@pytest.mark.parametrize(
    ("argv", "message"),
    [
        (["http://127.0.0.1/voice", "--twiml", "<Response/>"], "not both"),
        ([], "give the app's voice URL"),
        (["no-such-flow.xml"], "no such file"),
    ],
)
def test_a_call_needs_exactly_one_first_document(
    argv: list[str], message: str, capsys: pytest.CaptureFixture[str]
) -> None:
    assert call_command.run(parse(*argv)) == 2
    assert message in capsys.readouterr().err


def test_a_twiml_file_over_64_kb_is_refused_before_the_call(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    flow = tmp_path / "huge.xml"
    flow.write_text("<Response>" + "<Pause/>" * 10_000 + "</Response>", encoding="utf-8")
    assert call_command.run(parse(str(flow))) == 2
    assert "Twilio's limit" in capsys.readouterr().err


def test_params_go_into_every_request_with_their_legacy_twins(
    served_ivr: list[dict[str, str]], capsys: pytest.CaptureFixture[str]
) -> None:
    argv = [
        f"{BASE}/voice",
        "--press",
        "1",
        "--param",
        "FromState=CA",
        "--param",
        "CalledCity=Oslo",
    ]
    assert call_command.run(parse(*argv, "--param", "CallerName=Alice")) == 0
    assert len(served_ivr) == 2
    for request in served_ivr:
        assert (request["FromState"], request["CallerState"]) == ("CA", "CA")
        assert (request["ToCity"], request["CalledCity"]) == ("Oslo", "Oslo")
        assert request["CallerName"] == "Alice"


@pytest.mark.parametrize(
    ("value", "message"),
    [
        ("From=+15551234567", "--from"),
        ("CallSid=CA1", "callbox sets it"),
        ("FromState", "KEY=VALUE"),
    ],
)
def test_a_param_that_cannot_be_sent_names_the_flag_to_use(
    value: str, message: str, capsys: pytest.CaptureFixture[str]
) -> None:
    with pytest.raises(SystemExit):
        parse("http://127.0.0.1/voice", "--param", value)
    assert message in capsys.readouterr().err


def test_a_403_from_the_app_says_how_to_pass_its_auth_token(
    served_ivr: list[dict[str, str]],
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    monkeypatch.setenv("CALLBOX_AUTH_TOKEN", "not-the-apps-token")
    assert call_command.run(parse(f"{BASE}/voice")) == 1
    error = capsys.readouterr().err
    assert "403 Forbidden" in error
    assert "$CALLBOX_AUTH_TOKEN" in error and "--auth-token TOKEN" in error
