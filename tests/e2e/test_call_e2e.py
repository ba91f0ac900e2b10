"""``callbox call`` as a real subprocess against a real app under uvicorn on loopback.

The app (``voice_app.py``) is written with the ``twilio`` package and checks every request with
``RequestValidator``; the ``call`` fixture fails the test if any signature was rejected.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import httpx
import pytest

pytestmark = pytest.mark.e2e


def requested_paths(app: Any, since: int) -> list[str]:
    return [check["path"] for check in app.checks()[since:]]


def test_ivr_nested_menus_reach_the_chosen_option(call: Any, voice_app: Any) -> None:
    before = len(voice_app.checks())
    run = call("/ivr/welcome", "--press", "1", "--press", "2")
    assert run.returncode == 0, run.stdout + run.stderr
    assert run.texts("say") == [
        "Welcome to Acme. Press 1 for sales, 2 for support.",
        "Sales. Press 1 for new orders, 2 for existing orders.",
        "Existing orders: please check your email.",
    ]
    checks = voice_app.checks()[before:]
    assert [c["path"] for c in checks] == ["/ivr/welcome", "/ivr/menu", "/ivr/sales"]
    assert [c["params"].get("Digits") for c in checks] == [None, "1", "2"]
    assert run.data["status"] == "completed"


def test_ivr_wrong_input_is_rejected_and_the_menu_repeats(call: Any, voice_app: Any) -> None:
    before = len(voice_app.checks())
    run = call("/ivr/welcome", "--press", "7", "--press", "2")
    assert run.returncode == 0, run.stdout + run.stderr
    said = run.texts("say")
    assert "Sorry, that is not a valid choice." in said
    assert said[-1] == "Support is closed. Goodbye."
    assert said.count("Welcome to Acme. Press 1 for sales, 2 for support.") == 2
    assert requested_paths(voice_app, before) == [
        "/ivr/welcome",
        "/ivr/menu",
        "/ivr/welcome",
        "/ivr/menu",
    ]


def test_ivr_timeout_falls_through_to_the_next_verb(call: Any, voice_app: Any) -> None:
    before = len(voice_app.checks())
    run = call("/ivr/welcome")
    assert run.returncode == 0, run.stdout + run.stderr
    assert run.texts("say")[-1] == "We did not receive any input. Goodbye."
    assert requested_paths(voice_app, before) == ["/ivr/welcome"]
    assert run.data["duration"] >= 5  # the Gather's 5 s timeout, in virtual time


def test_action_on_empty_result_requests_the_action_without_digits(
    call: Any, voice_app: Any
) -> None:
    before = len(voice_app.checks())
    run = call("/ivr/welcome", "--press", "1")
    assert run.returncode == 0, run.stdout + run.stderr
    assert run.texts("say")[-1] == "You did not choose a sales option. Goodbye."
    last = voice_app.checks()[-1]
    assert last["path"] == "/ivr/sales"
    assert last["params"].get("Digits", "") == ""
    assert requested_paths(voice_app, before)[-1] == "/ivr/sales"


def test_three_thirty_second_gathers_run_in_virtual_time(call: Any) -> None:
    run = call("/patient")
    assert run.returncode == 0, run.stdout + run.stderr
    assert run.texts("say")[-1] == "Still nothing after three tries. Goodbye."
    assert run.data["duration"] >= 90
    print(f"three 30 s gathers: {run.data['duration']:.1f} s of call time, {run.wall:.2f} s wall")


def test_voicemail_records_the_caller_and_posts_the_recording(call: Any, voice_app: Any) -> None:
    run = call("/voicemail", "--say", "Hi, this is Sam. Please call me back about my order.")
    assert run.returncode == 0, run.stdout + run.stderr
    done = voice_app.checks()[-1]
    assert done["path"] == "/voicemail/done"
    assert done["params"]["RecordingUrl"].startswith("http")
    assert float(done["params"]["RecordingDuration"]) > 0
    assert run.texts("say")[-1].startswith("Thank you. Your message of")
    assert "with a recording" in run.texts("say")[-1]


@pytest.mark.parametrize(
    ("behaviour", "status"),
    [
        ("answer after 3 talk 20", "completed"),
        ("busy", "busy"),
        ("no-answer", "no-answer"),
        ("fail", "failed"),
    ],
)
def test_forwarding_reports_each_dial_outcome(
    call: Any, voice_app: Any, tmp_path: Path, behaviour: str, status: str
) -> None:
    script = tmp_path / "caller.txt"
    script.write_text(f"dial +15557654321 {behaviour}\n", encoding="utf-8")
    run = call("/forward", "--script", str(script))
    assert run.returncode == 0, run.stdout + run.stderr
    done = voice_app.checks()[-1]
    assert done["path"] == "/forward/done"
    assert done["params"]["DialCallStatus"] == status
    assert run.texts("say")[-1] == f"The call ended with status {status}."


def test_a_failing_voice_url_falls_back_with_the_error_code(call: Any, voice_app: Any) -> None:
    run = call("/broken", "--fallback-url", voice_app.url("/fallback"))
    assert run.returncode == 1  # the voice URL failed, even though the fallback rescued the call
    fallback = voice_app.checks()[-1]
    assert fallback["path"] == "/fallback"
    assert fallback["params"]["ErrorCode"] == "11200"
    assert fallback["params"]["ErrorUrl"] == voice_app.url("/broken")
    assert run.texts("say") == ["Fallback reached after error 11200."]


def test_without_a_fallback_the_caller_hears_the_apology(call: Any) -> None:
    run = call("/broken")
    assert run.returncode == 1
    assert run.data["error_code"] == "11200"
    assert run.texts("say") == ["We are sorry, an application error has occurred. Goodbye."]


def test_status_callbacks_are_sent_signed_in_sequence(call: Any, voice_app: Any) -> None:
    before = len(voice_app.checks())
    run = call(
        "/ivr/welcome",
        "--press",
        "2",
        "--status-callback",
        voice_app.url("/status"),
        *[
            arg
            for event in ("initiated", "ringing", "answered", "completed")
            for arg in ("--status-callback-event", event)
        ],
    )
    assert run.returncode == 0, run.stdout + run.stderr
    callbacks = sorted(
        (c for c in voice_app.checks()[before:] if c["path"] == "/status"),
        key=lambda c: int(c["params"]["SequenceNumber"]),  # fire-and-forget: any arrival order
    )
    assert [c["params"]["CallStatus"] for c in callbacks] == [
        "initiated",
        "ringing",
        "in-progress",
        "completed",
    ]
    assert [c["params"]["SequenceNumber"] for c in callbacks] == ["0", "1", "2", "3"]
    assert "CallDuration" in callbacks[-1]["params"]


def test_the_text_format_is_a_readable_timeline(call: Any, voice_app: Any) -> None:
    run = call("/ivr/welcome", "--press", "2", output="text")
    assert run.returncode == 0, run.stdout + run.stderr
    assert f"POST {voice_app.url('/ivr/welcome')}" in run.stdout
    assert "caller presses 2" in run.stdout
    assert "Support is closed. Goodbye." in run.stdout
    assert "Call completed after" in run.stdout


@pytest.mark.parametrize(
    ("path", "code"),
    [
        ("/hostile/redirect-loop", "CF301"),
        ("/hostile/http-loop", "11215"),
        ("/hostile/huge", "11750"),
        ("/hostile/slow#tt=300", "11205"),
        ("/hostile/entities", "12100"),
        ("/hostile/not-xml", "12100"),
        ("/hostile/json", "12300"),
    ],
    ids=[
        "twiml-redirect-loop",
        "http-redirect-loop",
        "10mb-body",
        "slow",
        "entities",
        "not-xml",
        "json",
    ],
)
def test_hostile_apps_end_the_call_with_their_code_and_the_server_survives(
    call: Any, voice_app: Any, path: str, code: str
) -> None:
    run = call(path)
    assert run.returncode == 1, run.stdout + run.stderr
    assert "Traceback" not in run.stderr
    assert run.data["error_code"] == code, run.data["timeline"]
    assert code in run.codes()
    assert voice_app.process.poll() is None
    assert httpx.get(voice_app.url("/_checks"), timeout=5).status_code == 200
    if code == "12100":
        assert not any("lol" in text for text in run.texts("say"))


def test_a_get_voice_url_carries_the_parameters_in_a_signed_query(
    call: Any, voice_app: Any
) -> None:
    before = len(voice_app.checks())
    run = call("/ivr/welcome?campaign=spring%20sale", "--method", "GET", "--press", "2")
    assert run.returncode == 0, run.stdout + run.stderr
    first = voice_app.checks()[before]
    assert first["method"] == "GET" and first["valid"]
    assert first["params"]["campaign"] == "spring sale"
    assert first["params"]["CallSid"] == run.data["sid"]
    assert run.texts("say")[-1] == "Support is closed. Goodbye."
