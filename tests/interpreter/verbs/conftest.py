"""A fake call for the verb runners: it records everything a runner does, on a virtual clock.

``FakeCall`` implements ``CallContext`` without HTTP or a session: the caller answers from a
list (then stays silent), far ends and media files are scripted per test, and every sound,
prompt, callback, warning and error is kept for assertions. ``FakeMedia`` gives round durations
(speech 1 s per word, the caller 0.5 s per word) so that tests can reason about call time.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any
from urllib.parse import urljoin

import anyio
import pytest

from callbox.codes import Code
from callbox.interpreter.caller import CallerAction, InputPrompt, Silence
from callbox.interpreter.clock import VirtualClock
from callbox.interpreter.context import HangupWatch
from callbox.interpreter.media.errors import MediaDecodeError
from callbox.interpreter.media.plane import EstimatedMediaPlane, Recording, Rendered
from callbox.interpreter.outcomes import EndCall, Outcome
from callbox.interpreter.rooms import Rooms, Signal
from callbox.interpreter.status import CallStatus
from callbox.interpreter.timeline import Timeline
from callbox.interpreter.webhook import FetchResult
from callbox.markup.source import Position

DOCUMENT_URL = "https://app.example.com/voice"


class FakeMedia(EstimatedMediaPlane):
    """``EstimatedMediaPlane`` with round durations (app speech 1 s a word, caller speech 0.5 s a
    word, 0.2 s a key) and a record of what was spoken and saved."""

    def __init__(self) -> None:
        super().__init__(("fake media",))
        self.spoken: list[dict[str, Any]] = []
        self.recordings: list[tuple[str, Rendered, bool]] = []

    async def speech(
        self, text: str, *, voice: str = "man", language: str = "en-US", ssml: str | None = None
    ) -> Rendered:
        self.spoken.append({"text": text, "voice": voice, "language": language, "ssml": ssml})
        return Rendered(float(len(text.split())))

    async def caller_speech(self, text: str) -> Rendered:
        return Rendered(0.5 * len(text.split()))

    async def audio(self, body: bytes, content_type: str) -> Rendered:
        try:
            return Rendered(float(body.decode()))
        except ValueError as exc:
            raise MediaDecodeError(f"cannot decode {content_type}") from exc

    def tones(self, digits: str) -> Rendered:
        bad = {ch for ch in digits if ch not in "0123456789ABCD*#wW"}
        if bad:
            raise ValueError(f"invalid DTMF characters: {''.join(sorted(bad))!r}")
        pauses = {"w": 0.5, "W": 1.0}
        return Rendered(sum(pauses.get(ch, 0.2) for ch in digits))

    def beep(self) -> Rendered:
        return Rendered(0.5)

    def save_recording(
        self,
        sid: str,
        audio: Rendered,
        *,
        trim: bool,
        call_sid: str | None = None,
        account_sid: str | None = None,
    ) -> Recording:
        self.recordings.append((sid, audio, trim))
        return super().save_recording(
            sid, audio, trim=trim, call_sid=call_sid, account_sid=account_sid
        )


@dataclass
class FakeFarEnd:
    outcome: str = "answer"
    answer_after: float = 2.0
    talk_for: float | None = 10.0
    presses: tuple[str, ...] = ()


@dataclass(frozen=True)
class Heard:
    at: float
    kind: str
    text: str
    duration: float


@dataclass(frozen=True)
class Callback:
    url: str
    method: str
    params: Mapping[str, str]
    at: float


@dataclass
class FakeCall:
    """A ``CallContext`` that records; script it through its public attributes."""

    sid: str = "CA" + "1" * 32
    account_sid: str = "AC" + "2" * 32
    from_: str = "+15550001111"
    to: str = "+15550002222"
    clock: VirtualClock = field(default_factory=VirtualClock)
    timeline: Timeline = field(default_factory=Timeline)
    media: FakeMedia = field(default_factory=FakeMedia)
    status: CallStatus = CallStatus.IN_PROGRESS
    started_at: datetime = datetime(2026, 3, 2, 9, 30, tzinfo=UTC)
    url: str | None = DOCUMENT_URL
    actions: list[CallerAction] = field(default_factory=list)
    far_ends: dict[str, FakeFarEnd] = field(default_factory=dict)
    files: dict[str, FetchResult] = field(default_factory=dict)
    whisper_bridges: bool = True
    rooms: Rooms | None = None
    answered: bool = False

    heard: list[Heard] = field(default_factory=list)
    prompts: list[InputPrompt] = field(default_factory=list)
    callbacks: list[Callback] = field(default_factory=list)
    warnings: list[tuple[str, str]] = field(default_factory=list)
    errors: list[tuple[str, str]] = field(default_factory=list)
    fetched: list[str] = field(default_factory=list)
    whispers: list[tuple[str, str, Mapping[str, str]]] = field(default_factory=list)
    _sids: int = 0

    # --- scripting -----------------------------------------------------------------------------
    def caller_will(self, *actions: CallerAction) -> None:
        self.actions.extend(actions)

    def serve_file(self, url: str, body: bytes, content_type: str = "audio/wav") -> None:
        self.files[url] = FetchResult(url, "GET", 200, content_type, body)

    def codes(self) -> list[str]:
        return [code for code, _ in self.warnings + self.errors]

    def heard_texts(self, kind: str | None = None) -> list[str]:
        return [h.text for h in self.heard if kind is None or h.kind == kind]

    def callbacks_to(self, url: str) -> list[Callback]:
        return [callback for callback in self.callbacks if callback.url == url]

    # --- CallContext ---------------------------------------------------------------------------
    @property
    def document_url(self) -> str | None:
        return self.url

    def resolve_url(self, url: str | None) -> str | None:
        if url and "://" in url:
            return url
        if self.url is None:
            self.errors.append(("15004", f"relative URL {url!r} without a base"))
            return None
        return urljoin(self.url, url) if url else self.url

    def webhook_params(self, **extra: str) -> dict[str, str]:
        params = {
            "CallSid": self.sid,
            "AccountSid": self.account_sid,
            "From": self.from_,
            "To": self.to,
            "CallStatus": self.status.value,
            "ApiVersion": "2010-04-01",
            "Direction": "inbound",
        }
        params.update(extra)
        return params

    async def fetch_media(self, url: str) -> FetchResult:
        self.fetched.append(url)
        if url in self.files:
            return self.files[url]
        return FetchResult(url, "GET", 404, error_code="11200", message="HTTP 404")

    def send_callback(self, url: str, method: str, params: Mapping[str, str]) -> None:
        self.callbacks.append(Callback(url, method, dict(params), self.clock.now()))

    def warn(self, code: Code, message: str, position: Position | None = None) -> None:
        self.warnings.append((code.id, message))
        self.timeline.add(self.clock.now(), "warning", message, code=code.id)

    def error(self, code: Code, message: str, position: Position | None = None) -> None:
        self.errors.append((code.id, message))
        self.timeline.add(self.clock.now(), "error", message, code=code.id)

    async def hear(self, rendered: Rendered, kind: str, text: str) -> None:
        self.heard.append(Heard(self.clock.now(), kind, text, rendered.duration))
        self.timeline.add(self.clock.now(), kind, text, duration=rendered.duration)
        await self.clock.sleep(rendered.duration)

    async def ask(self, prompt: InputPrompt) -> CallerAction:
        self.prompts.append(prompt)
        return self.actions.pop(0) if self.actions else Silence()

    @contextmanager
    def watch_hangup(self) -> Iterator[HangupWatch]:
        yield HangupWatch()  # the fake caller hangs up only by answering a prompt

    def far_end(self, address: str) -> FakeFarEnd:
        return self.far_ends.get(address, FakeFarEnd())

    def next_sid(self, prefix: str) -> str:
        self._sids += 1
        return f"{prefix}{self._sids:032x}"

    async def run_whisper(
        self, url: str, method: str = "POST", params: Mapping[str, str] | None = None
    ) -> bool:
        self.whispers.append((url, method, dict(params or {})))
        return self.whisper_bridges

    def answer(self) -> None:
        self.answered = True

    async def wait_for(self, signal: Signal, timeout: float | None = None) -> bool:
        return await signal.wait(timeout)

    async def run_hold(
        self,
        url: str,
        method: str,
        params: Callable[[], Mapping[str, str]],
        allowed: frozenset[str],
        refused: Code,
        *,
        loop: bool,
    ) -> EndCall | None:
        self.fetched.append(url)
        return None


@pytest.fixture
def call() -> FakeCall:
    return FakeCall()


RunVerb = Callable[[Any, FakeCall], Outcome]


@pytest.fixture
def run() -> RunVerb:
    """Run a verb through the registry on the fake call, synchronously."""
    from callbox.interpreter.verbs import RUNNERS

    def run_verb(verb: Any, call: FakeCall) -> Outcome:
        runner: Callable[[Any, Any], Awaitable[Outcome]] = RUNNERS[type(verb)]

        async def main() -> Outcome:
            return await runner(verb, call)

        return anyio.run(main)

    return run_verb


@pytest.fixture
def document() -> Callable[[str], list[Any]]:
    """The verbs of a TwiML document, built by the real markup pipeline."""
    from callbox.interpreter.session import compile_document

    def verbs_of(xml: str) -> list[Any]:
        verbs, _ = compile_document(xml.encode(), DOCUMENT_URL)
        return list(verbs)

    return verbs_of
