"""Calls to the platform's own numbers with a real ``callbox serve --clock virtual``: ``callbox
call NUMBER`` places one through the server as a phone would, its caller script driving the
number's application there and the timeline streaming back; the call is kept and listed over
REST as an inbound call."""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import httpx
import pytest
from twilio.rest import Client

from callbox.testing.ports import free_port

pytestmark = pytest.mark.e2e

ROOT = Path(__file__).parent.parent.parent
FLOWS = {
    "dial-the-team.xml": '<Response><Dial action="after">+15550100002</Dial></Response>',
    "after.xml.j2": "<Response><Say>The call was {{ params.DialCallStatus }}.</Say></Response>",
    "say-and-hang-up.xml": "<Response><Say>This is the team line.</Say><Hangup/></Response>",
    "busy.xml": '<Response><Reject reason="busy"/></Response>',
}


@dataclass
class Served:
    base: str
    client: Client
    flows: Path

    def callbox(self, *args: str, **env: str) -> subprocess.CompletedProcess[str]:
        environment = {k: v for k, v in os.environ.items() if not k.endswith(("_SID", "_TOKEN"))}
        return subprocess.run(
            [sys.executable, "-m", "callbox", *args],
            capture_output=True,
            text=True,
            timeout=60,
            cwd=ROOT,
            env={**environment, "NO_COLOR": "1", "CALLBOX_PUBLIC_URL": self.base, **env},
        )


@pytest.fixture(scope="module")
def served(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Served]:
    """``callbox serve`` on virtual time with estimated audio, hosting the samples and the flows
    above; the official client logged in as the account it created."""
    data = tmp_path_factory.mktemp("numbers")
    flows = data / "flows"
    shutil.copytree(ROOT / "samples", flows)
    for name, text in FLOWS.items():
        (flows / name).write_text(text)
    port = free_port()
    base = f"http://127.0.0.1:{port}"
    command = [sys.executable, "-m", "callbox", "serve", "--port", str(port), "--flows"]
    command += [str(flows), "--data-dir", str(data), "--clock", "virtual", "--estimate"]
    log = data / "serve.log"
    with log.open("wb") as out:
        process = subprocess.Popen(command, stdout=out, stderr=subprocess.STDOUT, cwd=ROOT)
    try:
        deadline = time.monotonic() + 20
        while True:
            assert process.poll() is None, log.read_text()
            try:
                if httpx.get(f"{base}/healthz", timeout=1).status_code == 200:
                    break
            except httpx.HTTPError:
                assert time.monotonic() < deadline, log.read_text()
                time.sleep(0.05)
        text = log.read_text()
        sid = re.findall(r"account (AC[0-9a-f]{32})", text)[-1]
        token = re.findall(r"auth token ([0-9a-f]{32})", text)[-1]
        client = Client(sid, token)
        client.api.base_url = base
        yield Served(base, client, flows)
    finally:
        process.terminate()
        process.wait(timeout=20)


def test_calling_a_number_runs_its_app_on_the_server_driven_by_the_callers_presses(
    served: Served,
) -> None:
    run = served.callbox("call", "+15550100001", "--press", "1", "--from", "+15005550006")
    assert run.returncode == 0, run.stderr
    lines = run.stdout.splitlines()
    sid = re.match(r"Call (CA[0-9a-f]{32}) from \+15005550006 to \+15550100001", lines[0])
    assert sid, run.stdout
    assert "caller presses 1" in run.stdout
    assert f"POST {served.base}/flows/voicemail" in run.stdout  # the IVR's action took the 1
    assert "Call completed" in lines[-1]
    call = served.client.calls(sid[1]).fetch()
    assert (call.direction, call.status, call.to) == ("inbound", "completed", "+15550100001")
    listed = served.client.calls.list(to="+15550100001")
    assert sid[1] in [c.sid for c in listed]


def test_a_number_the_platform_does_not_serve_is_refused_with_its_code(served: Served) -> None:
    run = served.callbox("call", "+15559990000")
    assert run.returncode == 2
    assert "+15559990000 is not a number this platform serves" in run.stderr
    assert "21214" in run.stderr and "Traceback" not in run.stderr


def test_without_a_server_the_call_says_where_it_looked(served: Served) -> None:
    nobody = f"http://127.0.0.1:{free_port()}"
    run = served.callbox("call", "+15550100001", "--server", nobody)
    assert run.returncode == 2
    assert f"no callbox server answers at {nobody}" in run.stderr
    assert "Traceback" not in run.stderr


def test_wrong_credentials_are_refused_and_named(served: Served) -> None:
    run = served.callbox(
        "call", "+15550100001", CALLBOX_ACCOUNT_SID="AC" + "0" * 32, CALLBOX_AUTH_TOKEN="wrong"
    )
    assert run.returncode == 2
    assert "20003" in run.stderr and "CALLBOX_AUTH_TOKEN" in run.stderr


@pytest.mark.parametrize(("flow", "status"), [("say-and-hang-up", "completed"), ("busy", "busy")])
def test_a_dial_between_two_numbers_runs_the_callees_app_and_reports_it_to_the_caller(
    served: Served, flow: str, status: str
) -> None:
    for number, url in (("+15550100001", "dial-the-team"), ("+15550100002", flow)):
        [found] = served.client.incoming_phone_numbers.list(phone_number=number)
        found.update(voice_url=f"{served.base}/flows/{url}")
    run = served.callbox("call", "+15550100001", "--format", "json")
    assert run.returncode == 0, run.stderr
    data = json.loads(run.stdout)
    said = [e["text"] for e in data["timeline"] if e["kind"] == "say"]
    expected = ["This is the team line."] if status == "completed" else []
    assert said == [*expected, f"The call was {status}."]
    [child] = served.client.calls.list(parent_call_sid=data["sid"])
    assert (child.direction, child.to, child.status) == ("outbound-dial", "+15550100002", status)


def test_texting_a_number_goes_through_the_server_too_and_is_recorded(served: Served) -> None:
    [found] = served.client.incoming_phone_numbers.list(phone_number="+15550100003")
    found.update(sms_url=f"{served.base}/flows/sms-auto-reply")
    run = served.callbox("sms", "+15550100003", "--body", "hours?", "--from", "+14155550123")
    assert run.returncode == 0, run.stderr
    assert f"through the callbox server at {served.base}" in run.stdout
    assert "1 reply" in run.stdout
    inbound = served.client.messages.list(to="+15550100003")
    assert [(m.direction, m.body) for m in inbound] == [("inbound", "hours?")]
    # a later text reads from 0 as a local exchange does, not on the server's running clock
    again = served.callbox("sms", "+15550100003", "--body", "and on Sunday?")
    stamps = [float(found[1]) for found in re.finditer(r"^ *(\d+\.\d\d)s  ", again.stdout, re.M)]
    assert stamps and stamps[0] == 0.0, again.stdout
