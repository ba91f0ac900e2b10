"""The real media plane inside a simulated call: the caller's message is recorded as audio, and
the recording's duration is the one the application receives."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest
from pydub import AudioSegment

from interpreter.media.real import RealMediaPlane
from interpreter.testing.simulator import CallSimulator

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
