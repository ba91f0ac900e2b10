"""RequestLog: each request a call sends for a document or media is kept with what came back and
is on the timeline at the call time it was sent."""

from __future__ import annotations

import copy
import pickle

import anyio
import pytest

from callbox.interpreter.clock import VirtualClock
from callbox.interpreter.request_log import RequestLog
from callbox.interpreter.timeline import Event, Timeline
from callbox.interpreter.webhook import FetchResult, WebhookRequest, http_method

AUDIO_URL = "https://app.example.com/hello.wav"


class SlowMediaFetcher:
    """Serves media after ``seconds`` of call time, from the URL it redirects to."""

    def __init__(self, clock: VirtualClock, result: FetchResult, seconds: float = 0.0) -> None:
        self.clock = clock
        self.result = result
        self.seconds = seconds
        self.asked: list[str] = []

    async def fetch_document(self, request: WebhookRequest) -> FetchResult:
        raise AssertionError("not a document")

    async def fetch_media(self, url: str) -> FetchResult:
        self.asked.append(url)
        await self.clock.sleep(self.seconds)
        return self.result

    async def send_callback(self, request: WebhookRequest) -> FetchResult:
        raise AssertionError("not a callback")


def test_media_request_is_logged_at_the_time_it_was_sent_with_its_final_url() -> None:
    clock = VirtualClock()
    clock.advance(2.0)
    final = "https://cdn.example.com/hello.wav"
    served = FetchResult(final, "GET", 200, "audio/wav", b"RIFF")
    fetcher = SlowMediaFetcher(clock, served, seconds=1.5)
    log = RequestLog(fetcher, clock, Timeline())

    result = anyio.run(log.fetch_media, AUDIO_URL)

    assert result is served
    assert fetcher.asked == [AUDIO_URL]
    [exchange] = log.sent
    assert (exchange.kind, exchange.at, exchange.url, exchange.method) == (
        "media",
        2.0,
        AUDIO_URL,
        "GET",
    )
    assert exchange.result is served
    [event] = log.timeline.of_kind("request")
    assert event.at == 2.0
    assert event.text == f"GET {final} → 200 audio/wav"
    assert event.data["url"] == final
    assert event.data["status_code"] == 200


def test_failed_request_shows_status_and_error() -> None:
    log = RequestLog(
        SlowMediaFetcher(VirtualClock(), FetchResult("", "GET")), VirtualClock(), Timeline()
    )
    request = WebhookRequest("https://app.example.com/voice", "POST", {"CallSid": "CA1"})
    failed = FetchResult(request.url, "POST", 503, error_code="11200", message="HTTP 503")
    log.record("document", request, failed, 1.0, request.url)
    [event] = log.timeline.events
    assert event.text == f"POST {request.url} → HTTP 503, error 11200: HTTP 503"
    assert event.data["error_code"] == "11200"
    assert log.sent[0].params == {"CallSid": "CA1"}


def test_failed_request_without_a_response_shows_only_the_error() -> None:
    log = RequestLog(
        SlowMediaFetcher(VirtualClock(), FetchResult("", "GET")), VirtualClock(), Timeline()
    )
    request = WebhookRequest("https://app.example.com/voice")
    failed = FetchResult(request.url, "POST", None, error_code="11205", message="refused")
    log.record("document", request, failed, 0.0, request.url)
    assert log.timeline.events[0].text == f"POST {request.url} → error 11205: refused"


def test_record_keeps_requests_in_order_with_note_and_a_documents_details() -> None:
    log = RequestLog(
        SlowMediaFetcher(VirtualClock(), FetchResult("", "GET")), VirtualClock(), Timeline()
    )
    first = WebhookRequest("https://app.example.com/voice")
    second = WebhookRequest("https://app.example.com/whisper")
    ok = FetchResult(first.url, "POST", 200, "text/xml", elapsed=0.0123456789)
    log.record("document", first, ok, 0.0, first.url, document=True)
    log.record("whisper", second, ok, 3.0, second.url, note=" (whisper)")
    assert [(e.kind, e.url) for e in log.sent] == [("document", first.url), ("whisper", second.url)]
    document, whisper = log.timeline.events
    assert document.at == 0.0 and whisper.at == 3.0
    assert document.text == f"POST {first.url} → 200 text/xml"
    assert document.data == {
        "purpose": "document",
        "method": "POST",
        "url": first.url,
        "status_code": 200,
        "error_code": None,
        "content_type": "text/xml",
        "elapsed": 0.012346,
    }
    assert whisper.text.endswith("200 text/xml (whisper)")
    assert whisper.data["purpose"] == "whisper"
    assert "content_type" not in whisper.data


def test_a_request_entry_reads_as_the_plain_event_it_stands_for() -> None:
    # written from the exchange when read, it compares, converts and copies as a plain event
    log = RequestLog(
        SlowMediaFetcher(VirtualClock(), FetchResult("", "GET")), VirtualClock(), Timeline()
    )
    request = WebhookRequest("https://app.example.com/voice")
    log.record("document", request, FetchResult(request.url, "POST", 404), 1.5, request.url)
    entry = log.timeline.events[0]
    plain = Event(1.5, "request", entry.text, entry.data)
    assert entry == plain and plain == entry
    assert entry.as_dict() == plain.as_dict()
    assert entry.format() == plain.format()
    copied = copy.deepcopy(entry)
    assert type(copied) is Event and copied == plain
    assert pickle.loads(pickle.dumps(entry)) == plain


@pytest.mark.parametrize(
    ("written", "sent"), [("post", "POST"), ("", "POST"), ("GET", "GET"), ("put", "PUT")]
)
def test_a_method_attribute_becomes_the_requests_method_and_the_usual_ones_are_shared(
    written: str, sent: str
) -> None:
    # a call keeps the method of every request it made: one string for all of them
    assert http_method(written) == sent
    assert http_method(written) is http_method(sent.lower())


def test_a_request_entry_is_stamped_as_the_timeline_counts() -> None:
    # a message exchange's timeline counts from the exchange's start (ExchangeTimeline)
    class FromTen(Timeline):
        __slots__ = ()

        def stamp(self, at: float) -> float:
            return at - 10.0

    log = RequestLog(
        SlowMediaFetcher(VirtualClock(), FetchResult("", "GET")), VirtualClock(), FromTen()
    )
    request = WebhookRequest("https://app.example.com/sms")
    log.record(
        "document", request, FetchResult(request.url, "POST", 200, "text/xml"), 12.5, request.url
    )
    assert log.timeline.events[0].at == 2.5
    assert log.sent[0].at == 12.5  # the exchange keeps the call time it was sent at
