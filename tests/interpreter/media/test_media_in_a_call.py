"""The real media plane inside a simulated call: the caller's message is recorded as audio, and
the recording's duration is the one the application receives."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path

import pytest
from pydub import AudioSegment

from callbox.interpreter.far_ends import ScriptedFarEnd
from callbox.interpreter.media.real import RealMediaPlane
from callbox.testing.simulator import CallSimulator

pytestmark = pytest.mark.audio


def voicemail_app(received: dict[str, str]) -> object:
    from flask import Flask, request

    app = Flask(__name__)

    @app.post("/voice")
    def voice() -> tuple[str, int, dict[str, str]]:
        body = (
            "<Response><Say>Please leave a message after the beep.</Say>"
            '<Record action="/done" timeout="3" trim="trim-silence"/></Response>'
        )
        return body, 200, {"Content-Type": "text/xml"}

    @app.post("/done")
    def done() -> tuple[str, int, dict[str, str]]:
        received.update(request.form.to_dict())
        return "<Response><Hangup/></Response>", 200, {"Content-Type": "text/xml"}

    return app


def test_recorded_message_holds_the_callers_speech(
    real_plane: RealMediaPlane,
    read_wav: Callable[[Path], AudioSegment],
) -> None:
    received: dict[str, str] = {}
    with CallSimulator(media=real_plane) as simulator:
        call = simulator.call(voicemail_app(received))
        call.expect_prompt(kind="record")
        call.say("Hello, this is Robin. Please call me back about my order, thank you.", after=0.5)
        result = call.finish()
    assert received.get("RecordingSid"), received
    assert len(result.recordings) == 1
    recording = result.recordings[0]
    assert recording.path is not None
    stored = read_wav(recording.path)
    assert stored.dBFS > -35
    # trimmed: neither the half second before nor the three seconds of silence after remain
    assert 2.0 < recording.duration < 6.0
    # Twilio reports whole seconds
    assert received["RecordingDuration"] == str(max(1, round(recording.duration)))


def test_a_recorded_dial_stores_the_bridged_span_as_a_wav(
    real_plane: RealMediaPlane,
    read_wav: Callable[[Path], AudioSegment],
) -> None:
    twiml = (
        '<Response><Dial record="record-from-answer" timeLimit="60">'
        "<Number>+15557654321</Number></Dial></Response>"
    )
    far_end = ScriptedFarEnd("answer", answer_after=3, talk_for=7)
    with CallSimulator(media=real_plane) as simulator:
        call = simulator.call(
            twiml=twiml, far_ends={"+15557654321": far_end}, api_base_url="http://cf.test:5000"
        )
        result = call.finish()
    (recording,) = result.recordings
    assert recording.path is not None
    stored = read_wav(recording.path)
    # the far end is silent in simulation: the bridge is recorded as 7 s of silence
    assert len(stored) == 7000 and recording.duration == pytest.approx(7.0)
    metadata = json.loads(recording.path.with_suffix(".json").read_text())
    assert (metadata["call_sid"], metadata["duration"]) == (result.sid, "7")
    (dialed,) = [e for e in result.timeline.events if e.kind == "dial" and "RecordingUrl" in e.data]
    assert dialed.data["RecordingUrl"] == (
        f"http://cf.test:5000/2010-04-01/Accounts/{metadata['account_sid']}"
        f"/Recordings/{recording.sid}"
    )
    assert dialed.data["RecordingDuration"] == "7"
