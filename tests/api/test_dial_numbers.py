"""A ``<Dial>`` to a number the platform serves rings that number's own application: it answers,
is busy or declines as its document says, the caller hears it and answers its prompts, and the
dialing call's action gets the outcome; every leg is a call over REST."""

from __future__ import annotations

import time
from pathlib import Path
from typing import Any

import pytest
from starlette.testclient import TestClient

from callbox.store import MemoryStore
from callbox.web.app import Platform

BASE_URL = "http://testserver"
CALLER, CALLEE = "+15550100001", "+15550100002"
FLOWS = {
    "caller.xml": '<Response><Dial action="after" callerId="+15005550006">'
    f"{CALLEE}</Dial></Response>",
    "caller-number.xml": '<Response><Dial action="after" timeout="10">'
    f"<Number>{CALLEE}</Number><Number>+15550190002</Number></Dial></Response>",
    "after.xml.j2": "<Response><Say>The call was {{ params.DialCallStatus }}.</Say></Response>",
    "team-line.xml": "<Response><Say>This is the team line.</Say><Hangup/></Response>",
    "hangs-up.xml": "<Response><Hangup/></Response>",
    "busy.xml": '<Response><Reject reason="busy"/></Response>',
    "declines.xml": "<Response><Reject/></Response>",
    "menu.xml": '<Response><Gather numDigits="1" action="pressed"><Say>Press a key.</Say>'
    "</Gather></Response>",
    "pressed.xml.j2": "<Response><Say>You pressed {{ params.Digits }}.</Say></Response>",
    "waits.xml": '<Response><Pause length="600"/></Response>',
}


@pytest.fixture
def platform(tmp_path: Path) -> Platform:
    for name, text in FLOWS.items():
        (tmp_path / name).write_text(text)
    return Platform.start(MemoryStore(), tmp_path, BASE_URL, realtime=False)


def point(client: Any, number: str, flow: str) -> None:
    [found] = client.incoming_phone_numbers.list(phone_number=number)
    found.update(voice_url=f"{BASE_URL}/flows/{flow}")


def dial(http: TestClient, client: Any, callee_flow: str, **form: str) -> dict[str, Any]:
    point(client, CALLER, form.pop("caller_flow", "caller"))
    point(client, CALLEE, callee_flow)
    response = http.post("/callbox/inbound-calls", data={"To": CALLER, **form})
    assert response.status_code == 200, response.text
    result: dict[str, Any] = response.json()["result"]
    return result


def action_params(result: dict[str, Any]) -> dict[str, str]:
    [after] = [r for r in result["requests"] if r["url"].endswith("/flows/after")]
    params: dict[str, str] = after["params"]
    return params


def heard(result: dict[str, Any]) -> list[str]:
    return [e["text"] for e in result["timeline"] if e["kind"] == "say"]


def test_the_callee_app_answers_and_the_caller_hears_it_until_it_hangs_up(
    http: TestClient, client: Any
) -> None:
    result = dial(http, client, "team-line", From="+15005550009")
    params = action_params(result)
    assert params["DialCallStatus"] == "completed"
    assert int(params["DialCallDuration"]) >= 1  # the time it spoke
    assert heard(result) == ["This is the team line.", "The call was completed."]
    child = client.calls(params["DialCallSid"]).fetch()
    assert (child.direction, child.parent_call_sid) == ("outbound-dial", result["sid"])
    assert (child.status, child.to, child._from) == ("completed", CALLEE, "+15005550006")
    [inbound] = [c for c in client.calls.list(to=CALLEE) if c.sid != child.sid]
    assert (inbound.direction, inbound.status, inbound._from) == (
        "inbound",
        "completed",
        "+15005550006",
    )
    assert inbound.parent_call_sid is None  # it reached the number as any call does


def test_a_callee_app_that_hangs_up_at_once_was_answered_for_no_time(
    http: TestClient, client: Any
) -> None:
    params = action_params(dial(http, client, "hangs-up"))
    assert (params["DialCallStatus"], params["DialCallDuration"]) == ("completed", "0")


@pytest.mark.parametrize(("callee_flow", "status"), [("busy", "busy"), ("declines", "no-answer")])
def test_a_callee_app_that_rejects_is_the_dial_status(
    http: TestClient, client: Any, callee_flow: str, status: str
) -> None:
    result = dial(http, client, callee_flow)
    params = action_params(result)
    assert params["DialCallStatus"] == status
    assert "DialCallDuration" not in params
    assert client.calls(params["DialCallSid"]).fetch().status == status
    assert heard(result) == [f"The call was {status}."]


def test_the_callers_keys_answer_the_callee_apps_prompts(http: TestClient, client: Any) -> None:
    result = dial(http, client, "menu", Press="7", caller_flow="caller-number")
    assert heard(result) == ["Press a key.", "You pressed 7.", "The call was completed."]
    params = action_params(result)
    assert params["DialCallStatus"] == "completed"
    legs = client.calls.list(parent_call_sid=result["sid"])
    statuses = {leg.to: leg.status for leg in legs}
    assert statuses == {CALLEE: "completed"}  # the other party rang on the simulated network


def test_a_caller_who_hangs_up_at_the_callee_apps_prompt_ends_both_calls(
    http: TestClient, client: Any
) -> None:
    result = dial(http, client, "menu", Script="hangup after 1")
    assert heard(result) == ["Press a key."]  # the action's answer is ignored: nobody is there
    assert action_params(result)["DialCallStatus"] == "completed"
    [inbound] = [c for c in client.calls.list(to=CALLEE) if c.direction == "inbound"]
    assert inbound.status == "completed"
    assert result["status"] == "completed"
    assert any(e["kind"] == "input" and "hangs up" in e["text"] for e in result["timeline"])


def ended(client: Any, sid: str) -> Any:
    for _ in range(1000):
        call = client.calls(sid).fetch()
        if call.status in ("completed", "busy", "no-answer", "failed", "canceled"):
            return call
        time.sleep(0.01)
    raise AssertionError(f"call {sid} did not end")


@pytest.mark.parametrize(("callee_flow", "status"), [("team-line", "completed"), ("busy", "busy")])
def test_a_call_created_over_rest_to_a_number_is_answered_by_its_app(
    client: Any, callee_flow: str, status: str
) -> None:
    point(client, CALLEE, callee_flow)
    created = client.calls.create(to=CALLEE, from_=CALLER, url=f"{BASE_URL}/flows/waits")
    call = ended(client, created.sid)
    assert call.status == status
    [inbound] = [c for c in client.calls.list(to=CALLEE) if c.direction == "inbound"]
    assert (inbound._from, ended(client, inbound.sid).status) == (CALLER, status)
    if status == "completed":  # the number's app hung up after speaking: so did the call
        assert 0 < int(call.duration) < 600
