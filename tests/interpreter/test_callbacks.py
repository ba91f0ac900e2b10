"""CallbackSender: a call's status callbacks and verb callbacks go out without the call waiting
for them, and a failed one is a warning on the timeline."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import anyio

from callbox import codes
from callbox.interpreter import params as p
from callbox.interpreter.call_settings import CallSettings
from callbox.interpreter.callbacks import CallbackSender
from callbox.interpreter.clock import VirtualClock
from callbox.interpreter.status import CallStatus
from callbox.interpreter.timeline import Timeline
from callbox.interpreter.webhook import FetchResult, WebhookRequest

STATUS_URL = "https://app.example.com/status"
STARTED_AT = datetime(2026, 1, 2, 3, 4, 5, tzinfo=UTC)


class FakeFetcher:
    """Answers every callback with ``answer`` once ``release`` is set; keeps what it was sent."""

    def __init__(self, answer: FetchResult | None = None) -> None:
        self.answer = answer
        self.release = anyio.Event()
        self.release.set()
        self.received: list[WebhookRequest] = []

    async def fetch_document(self, request: WebhookRequest) -> FetchResult:
        raise AssertionError("a callback sender fetches no documents")

    async def fetch_media(self, url: str) -> FetchResult:
        raise AssertionError("a callback sender fetches no media")

    async def send_callback(self, request: WebhookRequest) -> FetchResult:
        self.received.append(request)
        await self.release.wait()
        return self.answer or FetchResult(request.url, request.method, 204)


def sender(
    fetcher: FakeFetcher, clock: VirtualClock | None = None, **settings: object
) -> CallbackSender:
    call = CallSettings(url="https://app.example.com/voice", **settings)  # type: ignore[arg-type]
    identity = p.CallIdentity("CA" + "1" * 32, call.account_sid, call.from_, call.to)
    return CallbackSender(call, identity, STARTED_AT, fetcher, clock or VirtualClock(), Timeline())


def run_call(callbacks: CallbackSender, body: object) -> None:
    """Run ``body(callbacks)`` as a call does: with the task group set while the call runs."""

    async def main() -> None:
        async with anyio.create_task_group() as group:
            callbacks.task_group = group
            body(callbacks)  # type: ignore[operator]
        callbacks.task_group = None

    anyio.run(main)


def test_status_callback_goes_out_for_an_event_the_settings_ask_for() -> None:
    fetcher = FakeFetcher()
    callbacks = sender(fetcher, status_callback=STATUS_URL, status_callback_method="GET")
    run_call(callbacks, lambda c: c.status("completed", CallStatus.COMPLETED, lambda: 7.2))
    [request] = fetcher.received
    assert (request.url, request.method) == (STATUS_URL, "GET")
    assert request.params[p.CALL_STATUS] == "completed"
    assert request.params[p.CALL_DURATION] == "8"  # whole seconds, rounded up
    assert [exchange.status_code for exchange in callbacks.sent] == [204]


def test_duration_of_a_whole_number_of_seconds_is_not_rounded_up() -> None:
    fetcher = FakeFetcher()
    callbacks = sender(fetcher, status_callback=STATUS_URL)
    run_call(callbacks, lambda c: c.status("completed", CallStatus.COMPLETED, lambda: 7.0000001))
    assert fetcher.received[0].params[p.CALL_DURATION] == "7"


def test_no_status_callback_for_an_event_the_settings_do_not_ask_for() -> None:
    fetcher = FakeFetcher()
    callbacks = sender(fetcher, status_callback=STATUS_URL)  # only "completed" by default
    run_call(callbacks, lambda c: c.status("ringing", CallStatus.RINGING, lambda: 0.0))
    assert fetcher.received == []
    assert callbacks.timeline.events == []


def test_no_status_callback_without_a_status_callback_url() -> None:
    fetcher = FakeFetcher()
    callbacks = sender(fetcher)
    run_call(callbacks, lambda c: c.status("completed", CallStatus.COMPLETED, lambda: 1.0))
    assert fetcher.received == []


def test_status_callbacks_are_numbered_and_stamped_with_call_time() -> None:
    fetcher = FakeFetcher()
    clock = VirtualClock()
    callbacks = sender(
        fetcher,
        clock,
        status_callback=STATUS_URL,
        status_callback_events=frozenset({"ringing", "answered", "completed"}),
    )

    def events(c: CallbackSender) -> None:
        c.status("ringing", CallStatus.RINGING, lambda: 0.0)
        clock.advance(3.0)
        c.status("answered", CallStatus.IN_PROGRESS, lambda: 0.0)
        clock.advance(10.0)
        c.status("completed", CallStatus.COMPLETED, lambda: 10.0)

    run_call(callbacks, events)
    sent = fetcher.received
    assert [r.params[p.SEQUENCE_NUMBER] for r in sent] == ["0", "1", "2"]
    assert [r.params[p.CALL_STATUS] for r in sent] == ["ringing", "in-progress", "completed"]
    assert sent[1].params[p.TIMESTAMP] == p.rfc2822(STARTED_AT + timedelta(seconds=3))
    assert sent[2].params[p.TIMESTAMP] == p.rfc2822(STARTED_AT + timedelta(seconds=13))


def test_callback_never_delays_the_call() -> None:
    fetcher = FakeFetcher()
    fetcher.release = anyio.Event()  # the application takes its time
    clock = VirtualClock()
    callbacks = sender(fetcher, clock)
    seen: dict[str, object] = {}

    async def main() -> None:
        async with anyio.create_task_group() as group:
            callbacks.task_group = group
            callbacks.send(WebhookRequest(STATUS_URL, "POST", {"A": "1"}), "callback")
            seen["returned_at"] = clock.now()
            await anyio.sleep(0)
            seen["sent_before_answer"] = list(callbacks.sent)
            seen["timeline"] = [e.kind for e in callbacks.timeline.events]
            fetcher.release.set()

    anyio.run(main)
    assert seen["returned_at"] == 0.0
    assert seen["sent_before_answer"] == []
    assert seen["timeline"] == ["callback"]
    assert [exchange.url for exchange in callbacks.sent] == [STATUS_URL]


def test_callback_is_on_the_timeline_at_the_call_time_it_is_sent() -> None:
    clock = VirtualClock()
    clock.advance(4.5)
    callbacks = sender(FakeFetcher(), clock)
    run_call(callbacks, lambda c: c.send(WebhookRequest(STATUS_URL, "GET", {}), "callback"))
    [event] = callbacks.timeline.of_kind("callback")
    assert event.at == 4.5
    assert event.data == {
        "purpose": "callback",
        "method": "GET",
        "url": STATUS_URL,
    }
    assert callbacks.sent[0].at == 4.5


def test_failing_callback_becomes_a_15003_warning() -> None:
    failed = FetchResult(STATUS_URL, "POST", 500, error_code="15003", message="HTTP 500")
    callbacks = sender(FakeFetcher(failed))
    run_call(callbacks, lambda c: c.send(WebhookRequest(STATUS_URL), "callback"))
    [warning] = callbacks.timeline.of_kind("warning")
    assert warning.data == {"code": "15003", "symbol": codes.CALLBACK_ERROR.symbol}
    assert STATUS_URL in warning.text
    assert "HTTP 500" in warning.text
    assert callbacks.sent[0].error_code == "15003"


def test_failing_callback_keeps_the_fetch_error_code() -> None:
    failed = FetchResult(STATUS_URL, "POST", None, error_code="11205", message="refused")
    callbacks = sender(FakeFetcher(failed))
    run_call(callbacks, lambda c: c.send(WebhookRequest(STATUS_URL), "callback"))
    [warning] = callbacks.timeline.of_kind("warning")
    assert warning.data["code"] == "11205"
    assert warning.data["symbol"] == codes.lookup("11205").symbol


def test_failing_callback_with_an_unknown_code_is_still_warned() -> None:
    failed = FetchResult(STATUS_URL, "POST", None, error_code="99999", message="")
    callbacks = sender(FakeFetcher(failed))
    run_call(callbacks, lambda c: c.send(WebhookRequest(STATUS_URL), "callback"))
    [warning] = callbacks.timeline.of_kind("warning")
    assert warning.data == {"code": "99999", "symbol": "unregistered"}


def test_succeeding_callback_is_no_warning() -> None:
    callbacks = sender(FakeFetcher())
    run_call(callbacks, lambda c: c.send(WebhookRequest(STATUS_URL), "callback"))
    assert callbacks.timeline.of_kind("warning") == []


def test_callback_after_the_call_is_over_is_not_sent() -> None:
    fetcher = FakeFetcher()
    callbacks = sender(fetcher)
    callbacks.send(WebhookRequest(STATUS_URL), "callback")
    assert fetcher.received == []
    assert callbacks.sent == []
    assert [e.kind for e in callbacks.timeline.events] == ["callback", "note"]
