"""Every sample runs as a user would run it: served by callbox's app, called by a simulated caller."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from starlette.testclient import TestClient

from callbox.interpreter.http.app import ServerSettings, create_app
from callbox.interpreter.http.flows import FlowDirectory
from callbox.markup.check import check

SAMPLES = Path(__file__).resolve().parents[3] / "samples"
VOICE_ENTRY_POINTS = ["ivr-menu", "voicemail", "call-forwarding", "caller-id"]


@pytest.fixture
def app(tmp_path: Path) -> Any:
    return create_app(ServerSettings(flows_dir=SAMPLES, data_dir=tmp_path))


@pytest.mark.parametrize("flow", FlowDirectory(SAMPLES).flows(), ids=lambda flow: flow.name)
def test_every_served_sample_is_clean_twiml(app: Any, flow: Any) -> None:
    response = TestClient(app).post(f"/flows/{flow.name}", data={"From": "+14155550123"})
    assert response.status_code == 200
    url = f"http://testserver/flows/{flow.name}"
    result = check(response.content, flow.name, base_url=url)
    assert [d.format() for d in result.diagnostics] == []


@pytest.mark.parametrize("name", VOICE_ENTRY_POINTS)
def test_a_silent_caller_gets_through_every_voice_sample(callbox: Any, app: Any, name: str) -> None:
    call = callbox.call(app, f"/flows/{name}", from_="+14155550123")
    result = call.finish()
    assert result.status == "completed"
    assert result.error_code is None
    assert call.heard


def test_template_sample_reads_back_the_callers_number(callbox: Any, app: Any) -> None:
    call = callbox.call(app, "/flows/caller-id", from_="+14155550123")
    call.expect_heard("You are calling from +14155550123")
    call.expect_prompt("Thank you for calling Acme").press("5")
    assert call.finish().status == "completed"
    assert [r.url.rsplit("/", 1)[-1] for r in call.requests[:3]] == [
        "caller-id",
        "ivr-menu",
        "voicemail",
    ]
