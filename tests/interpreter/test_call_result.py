"""CallResult and WebhookExchange: what a call leaves behind, and its JSON form."""

from __future__ import annotations

import json
from pathlib import Path

from callbox.interpreter.call_result import CallResult, WebhookExchange
from callbox.interpreter.media.plane import Recording
from callbox.interpreter.status import CallStatus
from callbox.interpreter.timeline import Timeline
from callbox.interpreter.webhook import FetchResult, WebhookRequest

URL = "https://app.example.com/voice"


def exchange(result: FetchResult | None, kind: str = "document") -> WebhookExchange:
    request = WebhookRequest(URL, "POST", {"CallSid": "CA1", "Digits": ["1", "2"]})
    return WebhookExchange(kind, request, result, 1.5)


def test_exchange_tells_its_request() -> None:
    sent = exchange(None)
    assert (sent.url, sent.method) == (URL, "POST")
    assert sent.params == {"CallSid": "CA1", "Digits": ["1", "2"]}


def test_exchange_in_flight_has_no_status_or_error() -> None:
    sent = exchange(None)
    assert sent.status_code is None
    assert sent.error_code is None


def test_exchange_tells_what_came_back() -> None:
    sent = exchange(FetchResult(URL, "POST", 502, error_code="11200"))
    assert (sent.status_code, sent.error_code) == (502, "11200")


def test_exchange_as_dict_has_the_request_and_what_came_back() -> None:
    assert exchange(FetchResult(URL, "POST", 200, "text/xml"), "fallback").as_dict() == {
        "kind": "fallback",
        "at": 1.5,
        "method": "POST",
        "url": URL,
        "params": {"CallSid": "CA1", "Digits": ["1", "2"]},
        "status_code": 200,
        "error_code": None,
    }


def result(**fields: object) -> CallResult:
    timeline = Timeline()
    timeline.add(0.0, "say", "Hello")
    timeline.add(1.0, "warning", "careful")
    timeline.add(2.0, "play", URL)
    return CallResult("CA1", CallStatus.COMPLETED, 2.0, timeline, **fields)  # type: ignore[arg-type]


def test_call_ended_on_error_only_with_an_error_code() -> None:
    assert not result().ended_on_error
    assert result(error_code="11200").ended_on_error


def test_call_result_tells_what_the_caller_heard() -> None:
    assert result().heard() == ["Hello", URL]


def test_call_result_as_dict_is_json() -> None:
    call = result(
        error_code="12100",
        reason="parse failure",
        recordings=(Recording("RE1", Path("/tmp/RE1.wav"), 3.0), Recording("RE2", None, 0.0)),
        requests=(exchange(FetchResult(URL, "POST", 200)),),
        callbacks=(exchange(None, "callback"),),
    )
    data = json.loads(json.dumps(call.as_dict()))
    assert data["sid"] == "CA1"
    assert data["status"] == "completed"
    assert (data["duration"], data["error_code"], data["reason"]) == (2.0, "12100", "parse failure")
    assert data["recordings"] == [
        {"sid": "RE1", "duration": 3.0, "path": "/tmp/RE1.wav"},
        {"sid": "RE2", "duration": 0.0, "path": None},
    ]
    assert [r["status_code"] for r in data["requests"]] == [200]
    assert [c["kind"] for c in data["callbacks"]] == ["callback"]
    assert [e["kind"] for e in data["timeline"]] == ["say", "warning", "play"]
