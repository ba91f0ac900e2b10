"""A ``<Number url>`` whisper: the document run on the answered child leg of a ``<Dial>`` before it
is bridged. ``WhisperLeg`` is that leg as its verbs see it (the far end hears, and gives no input)
and as the document loop runs it (``WhisperLeg.run``): the call's own loop, not a copy."""

from __future__ import annotations

from collections.abc import Callable, Iterator, Mapping, Sequence
from contextlib import AbstractContextManager, contextmanager
from typing import TYPE_CHECKING, Protocol
from urllib.parse import urljoin

from callbox import codes
from callbox.codes import Code, code_of
from callbox.diagnostics import Diagnostic
from callbox.interpreter import params as p
from callbox.interpreter.call_settings import CallSettings
from callbox.interpreter.caller import CallerAction, InputPrompt, Press, Silence
from callbox.interpreter.clock import Clock
from callbox.interpreter.context import CallContext, FarEnd, HangupWatch
from callbox.interpreter.document_loop import (
    END_OF_DOCUMENT,
    UNGUARDED,
    DocumentLoop,
    LoopLimits,
    Target,
)
from callbox.interpreter.documents import used_as_written, verb_name, verb_position
from callbox.interpreter.media.plane import MediaPlane, Rendered
from callbox.interpreter.outcomes import EndCall, Navigate, Outcome
from callbox.interpreter.request_log import RequestLog
from callbox.interpreter.rooms import Rooms, Signal
from callbox.interpreter.status import CallStatus
from callbox.interpreter.webhook import Fetcher, FetchResult, http_method
from callbox.markup.dialect import Dialect
from callbox.markup.source import Position

if TYPE_CHECKING:
    from callbox.interpreter.verbs import Runner


class ParentCall(CallContext, Protocol):
    """The call a whisper leg belongs to: what the leg shares with it."""

    settings: CallSettings
    fetcher: Fetcher
    request_log: RequestLog
    runners: Mapping[type, Runner]
    api_base_url: str | None

    def record_diagnostic(self, diagnostic: Diagnostic) -> None: ...

    def end_at_loop_limit(self, message: str) -> None: ...


class WhisperLeg:
    """The answered child leg of a ``<Dial>`` while its whisper document runs: what is played
    is heard by the far end (``whisper`` events; the caller keeps hearing ringing, so nothing of
    it is in ``Timeline.heard()``), and the far end gives no input."""

    dialect = Dialect.VOICE

    def __init__(self, parent: ParentCall, params: dict[str, str]) -> None:
        self.parent = parent
        self.params = params
        self.sid = params.get(p.CALL_SID) or parent.next_sid("CA")
        self.account_sid = parent.account_sid
        self.from_ = params.get(p.FROM, parent.from_)
        self.to = params.get(p.TO, parent.to)
        self.clock: Clock = parent.clock
        self.timeline = parent.timeline
        self.media: MediaPlane = parent.media
        self.started_at = parent.started_at
        self.api_base_url = parent.api_base_url
        self.status = CallStatus.IN_PROGRESS
        self.document_url: str | None = None
        self.rooms: Rooms | None = None
        """A whisper leg cannot enqueue or join a conference."""
        self._outcome: Outcome | None = None
        self._answered = 0
        """How many of the far end's scripted key presses it has used."""

    async def run(self, url: str, method: str) -> bool:
        """Fetch the whisper document at ``url`` and run its verbs, following their navigations:
        True when it ends without hanging up (bridge the call), False when it hangs up or fails."""
        parent = self.parent
        limit = parent.settings.max_redirects_without_input
        loop = DocumentLoop(
            self,
            fetcher=parent.fetcher,
            request_log=parent.request_log,
            clock=self.clock,
            runners=parent.runners,
            limits=LoopLimits(max_documents=limit + 1, max_without_input=limit),
        )
        await loop.run(Target(url, http_method(method)))
        return self._outcome == END_OF_DOCUMENT

    # --- Leg: how the document loop runs the whisper ------------------------------------------
    def ended(self) -> bool:
        return self._outcome is not None

    def interrupted(self) -> bool:
        return self._outcome is not None

    def redirected(self) -> Target | None:
        return None  # nobody redirects a whisper from outside

    def fetch_params(self, target: Target) -> dict[str, str]:
        return {**self.params, **target.params}

    def fetch_kind(self, target: Target) -> tuple[str, str]:
        return "whisper", " (whisper)"

    def opened(self, url: str | None) -> None:
        self.document_url = url

    def record_diagnostic(self, diagnostic: Diagnostic) -> None:
        self.parent.record_diagnostic(diagnostic)

    async def unusable(
        self, code: str, message: str, target: Target, position: Position | None = None
    ) -> Target | None:
        self.parent.error(code_of(code), f"whisper document {target.url}: {message}", position)
        self.ending(EndCall(CallStatus.COMPLETED, "whisper failed", code))
        return None

    async def not_twiml(
        self, body: bytes, content_type: str, url: str | None, target: Target
    ) -> Target | None:
        return await self.unusable(codes.INVALID_CONTENT_TYPE.id, content_type, target)

    def starts(self, verbs: Sequence[object]) -> None:
        return None

    def admit(self, verb: object, runner: Runner | None) -> Runner | Outcome | None:
        name = verb_name(verb)
        if name == "Dial":
            self.parent.error(codes.DIAL_IN_WHISPER, "<Dial> in a whisper document is not allowed")
            return EndCall(CallStatus.COMPLETED, "<Dial> in a whisper", codes.DIAL_IN_WHISPER.id)
        if runner is None:
            self.parent.warn(
                codes.VERB_NOT_SUPPORTED,
                f"<{name}> is not supported in a whisper: skipped",
                verb_position(verb),
            )
        return runner

    def verb_ended(self, outcome: Outcome | None) -> Outcome | None:
        return outcome

    def guard(self) -> AbstractContextManager[object]:
        return UNGUARDED

    def ending(self, outcome: EndCall) -> None:
        self._outcome = self._outcome or outcome

    async def declines(self, outcome: Navigate, loop: DocumentLoop) -> bool:
        return False

    def end_at_loop_limit(self, message: str) -> None:
        self.parent.end_at_loop_limit("the whisper document redirected too many times")
        self.ending(EndCall(CallStatus.COMPLETED, "loop limit", codes.CALL_LOOP_LIMIT.id))

    # --- CallContext ----------------------------------------------------------------------------
    def resolve_url(self, url: str | None) -> str | None:
        if url and used_as_written(url.strip()):
            return url.strip()
        if self.document_url is None:
            return self.parent.resolve_url(url)
        return urljoin(self.document_url, (url or "").strip())

    def webhook_params(self, **extra: str) -> dict[str, str]:
        return {**self.params, **extra}

    async def fetch_media(self, url: str) -> FetchResult:
        return await self.parent.fetch_media(url)

    def send_callback(self, url: str, method: str, params: Mapping[str, str]) -> None:
        self.parent.send_callback(url, method, params)

    def warn(self, code: Code, message: str, position: Position | None = None) -> None:
        self.parent.warn(code, f"(whisper) {message}", position)

    def error(self, code: Code, message: str, position: Position | None = None) -> None:
        self.parent.error(code, f"(whisper) {message}", position)

    async def hear(self, rendered: Rendered, kind: str, text: str) -> None:
        self.timeline.add(
            self.clock.now(),
            "whisper",
            f"far end hears: {text}",
            sound=kind,
            duration=rendered.duration,
        )
        await self.clock.sleep(rendered.duration)

    async def ask(self, prompt: InputPrompt) -> CallerAction:
        """The far end answers with its next scripted keys (``dial ... press 1``), or stays
        silent."""
        presses = self.parent.far_end(self.to).presses
        if self._answered < len(presses) and "dtmf" in prompt.inputs:
            keys = presses[self._answered]
            self._answered += 1
            self.timeline.add(
                self.clock.now(), "input", f"far end presses {keys}", prompt=prompt.kind
            )
            return Press(keys)
        self.timeline.add(self.clock.now(), "input", "far end stays silent", prompt=prompt.kind)
        return Silence()

    @contextmanager
    def watch_hangup(self) -> Iterator[HangupWatch]:
        """The far end does not hang up during its whisper; the caller's hang-up is the
        ``<Dial>``'s to report."""
        yield HangupWatch()

    def far_end(self, address: str) -> FarEnd:
        return self.parent.far_end(address)

    def next_sid(self, prefix: str) -> str:
        return self.parent.next_sid(prefix)

    async def run_whisper(
        self, url: str, method: str = "POST", params: Mapping[str, str] | None = None
    ) -> bool:
        self.parent.error(codes.DIAL_IN_WHISPER, "<Dial> in a whisper document is not allowed")
        return False

    def answer(self) -> None:
        return None  # the dialed leg answered already

    async def wait_for(self, signal: Signal, timeout: float | None = None) -> bool:
        return await self.parent.wait_for(signal, timeout)

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
        return None  # no verb that holds runs in a whisper (no rooms)
