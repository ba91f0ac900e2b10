"""One call: ``CallSession``, its state machine, and its run through the document loop.

``CallSession`` implements ``CallContext`` for the verb runners. ``run()`` places the call and
runs its documents through the one ``DocumentLoop`` (``CallLeg`` says what a call does with
them) until the call ends; it returns a ``CallResult``. ``redirect()`` and ``hangup()`` may be
called from outside at any moment: the running verb is cancelled cleanly (an anyio cancel scope)
and the call goes on or ends. What describes a call (``CallSettings``) and what it leaves behind
(``CallResult``) are importable from here too.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable, Coroutine, Mapping
from contextlib import AbstractContextManager
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any

import anyio
import anyio.lowlevel
from anyio.abc import TaskGroup

from callbox import codes
from callbox.codes import Code, code_of
from callbox.diagnostics import Diagnostic, Severity
from callbox.interpreter import params as p
from callbox.interpreter.call_leg import APOLOGY, CallLeg
from callbox.interpreter.call_result import CallResult, WebhookExchange
from callbox.interpreter.call_settings import (
    DEFAULT_ACCOUNT_SID,
    DEFAULT_AUTH_TOKEN,
    DEFAULT_FROM,
    DEFAULT_MAX_DOCUMENTS,
    DEFAULT_MAX_REDIRECTS_WITHOUT_INPUT,
    DEFAULT_TIME_LIMIT,
    DEFAULT_TO,
    CallSessionError,
    CallSettings,
    SettingsError,
)
from callbox.interpreter.callbacks import CallbackSender
from callbox.interpreter.caller import Caller, CallerAction, HangUp, InputPrompt, Press, Speak
from callbox.interpreter.cancellable import CancellableBlock
from callbox.interpreter.clock import Clock, VirtualClock
from callbox.interpreter.context import FarEnd, HangupWatch
from callbox.interpreter.deadline import CALLER_HUNG_UP, TIME_EPSILON, CallDeadline, DeadlineClock
from callbox.interpreter.document_loop import DocumentLoop, Target, loop_limits
from callbox.interpreter.documents import (
    XML_TYPES,
    compile_document,
    join_url,
    used_as_written,
)
from callbox.interpreter.far_ends import FarEnds, ScriptedFarEnd
from callbox.interpreter.hold import HoldLeg
from callbox.interpreter.media.plane import MediaPlane, Recording, Rendered
from callbox.interpreter.media.tracked import TrackedMediaPlane
from callbox.interpreter.outcomes import Continue, EndCall, Outcome
from callbox.interpreter.prompts import PromptLog, action_time, answered_late, describe_action
from callbox.interpreter.request_log import RequestLog
from callbox.interpreter.rooms import Rooms, Signal
from callbox.interpreter.state import END_EVENTS, CallEvent, CallState, StatusEvent
from callbox.interpreter.status import CallStatus
from callbox.interpreter.timeline import Timeline
from callbox.interpreter.webhook import Fetcher, FetchResult, WebhookRequest, http_method
from callbox.interpreter.whisper import WhisperLeg
from callbox.markup.source import Position

if TYPE_CHECKING:
    from callbox.interpreter.media.call_audio import CallAudio
    from callbox.interpreter.verbs import Runner

__all__ = [
    "APOLOGY",
    "CALLER_HUNG_UP",
    "DEFAULT_ACCOUNT_SID",
    "DEFAULT_AUTH_TOKEN",
    "DEFAULT_FROM",
    "DEFAULT_MAX_DOCUMENTS",
    "DEFAULT_MAX_REDIRECTS_WITHOUT_INPUT",
    "DEFAULT_TIME_LIMIT",
    "DEFAULT_TO",
    "TIME_EPSILON",
    "XML_TYPES",
    "CallResult",
    "CallSession",
    "CallSessionError",
    "CallSettings",
    "SettingsError",
    "WebhookExchange",
    "compile_document",
]


def _default_runners() -> Mapping[type, Runner]:
    from callbox.interpreter.verbs import RUNNERS  # on first use: importing the session stays light

    return RUNNERS


class CallSession(CallLeg):
    """One simulated call, implementing ``CallContext`` for the verb runners and, with
    ``CallLeg``, the leg its document loop runs."""

    __slots__ = (
        "_answered_at",
        "_hangup_requested",
        "_result",
        "_started",
        "account_sid",
        "api_base_url",
        "audio",
        "base_clock",
        "callback_sender",
        "caller",
        "clock",
        "deadline",
        "far_ends",
        "fetcher",
        "from_",
        "identity",
        "limits",
        "media",
        "prompt_log",
        "recordings",
        "request_log",
        "rooms",
        "runners",
        "settings",
        "sid",
        "started_at",
        "state",
        "status",
        "task_group",
        "timeline",
        "to",
    )

    def __init__(
        self,
        settings: CallSettings,
        *,
        fetcher: Fetcher,
        caller: Caller,
        media: MediaPlane,
        clock: Clock | None = None,
        far_ends: FarEnds | Mapping[str, ScriptedFarEnd] | None = None,
        runners: Mapping[type, Runner] | None = None,
        started_at: datetime | None = None,
        audio: CallAudio | None = None,
        rooms: Rooms | None = None,
    ) -> None:
        self.settings = settings
        self.rooms = rooms
        self.api_base_url = settings.api_base_url
        self.audio = audio
        """When given, every sound heard and said is placed on it (``--record-call``)."""
        self.fetcher = fetcher
        self.caller = caller
        self.sid = settings.call_sid or self.next_sid("CA")
        self.account_sid = settings.account_sid
        self.from_ = settings.from_
        self.to = settings.to
        self.timeline = Timeline()
        self.recordings: list[Recording] = []
        self.media: MediaPlane = TrackedMediaPlane(media, self.recordings)
        self.deadline = CallDeadline(caller, settings.time_limit)
        self.base_clock: Clock = clock if clock is not None else VirtualClock()
        self.clock = DeadlineClock(self.base_clock, self.deadline, self._reach_deadline)
        self.status = CallStatus.QUEUED
        self.state = CallState()
        self.request_log = RequestLog(fetcher, self.clock, self.timeline)
        self.prompt_log = PromptLog()
        self.far_ends = far_ends if isinstance(far_ends, FarEnds) else FarEnds(far_ends)
        self.runners = runners if runners is not None else _default_runners()
        self.limits = loop_limits(settings.max_documents, settings.max_redirects_without_input)
        self.started_at = started_at or datetime.now(UTC)
        self.identity = p.CallIdentity(
            call_sid=self.sid,
            account_sid=self.account_sid,
            from_=self.from_,
            to=self.to,
            direction=settings.direction,
            extra=settings.extra_params,
        )
        self.callback_sender = CallbackSender(
            settings, self.identity, self.started_at, fetcher, self.clock, self.timeline
        )
        self._document_url: str | None = None
        self._scope: CancellableBlock | None = None
        self._end: EndCall | None = None
        self._redirect: Target | None = None
        self._hangup_requested = False
        self._answered_at: float | None = None
        self._error_code: str | None = None
        self._started = False
        self._result: CallResult | None = None
        self.task_group: TaskGroup | None = None
        """A task group the call shares with other calls (``Switchboard.start``'s): its callbacks
        and, on the wall clock, its deadline's watch run there; None: the call opens its own."""

    # --- CallContext ----------------------------------------------------------------------------
    @property
    def document_url(self) -> str | None:
        return self._document_url

    def resolve_url(self, url: str | None) -> str | None:
        if url is None or not url.strip():
            if self._document_url is None:
                self.error(
                    codes.RELATIVE_URL_INLINE,
                    "An empty URL refers to the current document, and inline TwiML has no URL",
                )
            return self._document_url
        url = url.strip()
        if used_as_written(url):
            return url
        if self._document_url is None:
            self.error(
                codes.RELATIVE_URL_INLINE,
                f"Relative URL {url!r} in inline TwiML: there is no document URL to resolve it "
                "against; use an absolute URL",
            )
            return None
        return join_url(self._document_url, url)

    def webhook_params(self, **extra: str) -> dict[str, str]:
        return p.action_params(self.identity, self.status, extra)

    async def fetch_media(self, url: str) -> FetchResult:
        return await self.request_log.fetch_media(url)

    def send_callback(self, url: str, method: str, params: Mapping[str, str]) -> None:
        resolved = self.resolve_url(url)
        if resolved is None:
            return
        request = WebhookRequest(resolved, http_method(method), dict(params))
        self.callback_sender.send(request, "callback")

    def warn(self, code: Code, message: str, position: Position | None = None) -> None:
        self._diagnose("warning", code, message, position)

    def error(self, code: Code, message: str, position: Position | None = None) -> None:
        self._diagnose("error", code, message, position)

    async def hear(self, rendered: Rendered, kind: str, text: str) -> None:
        if self._gone():
            await self._ensure_live()
        now = self.clock.now()
        self.timeline.add(now, kind, text, duration=rendered.duration)
        if self.audio is not None:
            self.audio.heard(now, rendered)
        if kind in ("say", "play", "tones") and text:
            self.prompt_log.heard(text, now + rendered.duration)
        for warning in rendered.warnings:
            self.timeline.add(now, "note", warning)
        await self.clock.sleep(rendered.duration)

    async def ask(self, prompt: InputPrompt) -> CallerAction:
        if self._gone():
            await self._ensure_live()
        now = self.clock.now()
        prompt = self.prompt_log.ask(prompt, max(prompt.at, now))
        action = answered_late(await self.caller.respond(prompt), prompt, now, self.clock.now())
        action = self.deadline.honour(prompt, action, self.clock.now())
        if isinstance(action, HangUp):
            # a hang-up is a moment of the call: the clock applies it when call time reaches it,
            # wherever the call is by then (this verb may have given up waiting before)
            self.deadline.hang_up_answering(action_time(action, prompt.at, now), prompt)
            return action
        # written when the input happens: after what the caller heard before acting
        self.timeline.expect(
            action_time(action, prompt.at, now),
            "input",
            describe_action(action, prompt.at),
            prompt=prompt.kind,
            index=prompt.index,
        )
        if self.audio is not None and isinstance(action, Speak | Press):
            said = (
                await self.media.caller_speech(action.text)
                if isinstance(action, Speak)
                else self.media.tones(action.digits)
            )
            self.audio.said(max(prompt.at + action.after, 0.0), said)
        return action

    async def run_whisper(
        self, url: str, method: str = "POST", params: Mapping[str, str] | None = None
    ) -> bool:
        """Run a ``<Number url>`` whisper on the answered child leg: the far end hears it (the
        caller hears ringing meanwhile). True unless the whisper hangs up or fails."""
        resolved = self.resolve_url(url)
        if resolved is None:
            return False
        return await WhisperLeg(self, dict(params or {})).run(resolved, method)

    async def wait_for(self, signal: Signal, timeout: float | None = None) -> bool:
        """Wait for another call to set ``signal``; the caller's hang-up or the time limit
        ends the wait as a sleep reaching them would."""
        at, _ = self.deadline.next()
        due = max(0.0, at - self.clock.now())
        if signal.is_set() or await signal.wait(due if timeout is None else min(timeout, due)):
            return True
        if timeout is None or due <= timeout:
            await self.clock.sleep(due)  # reaches the deadline: ends the call or the watch
        return signal.is_set()

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
        """Play hold documents to the caller (a queue's or a conference's wait music)."""
        return await HoldLeg(self, params, allowed, refused, loop=loop).run(url, method)

    def watch_hangup(self) -> AbstractContextManager[HangupWatch]:
        """A block that the caller's hang-up ends without cancelling the verb, which can then
        report it (a ``<Dial>`` or ``<Record>`` still requests its action)."""
        return self.deadline.watch_hangup()

    def far_end(self, address: str) -> FarEnd:
        return self.far_ends.for_address(address)

    def next_sid(self, prefix: str) -> str:
        return prefix + uuid.uuid4().hex

    # --- control from outside ---------------------------------------------------------------
    def redirect(self, url: str, method: str = "POST") -> None:
        """Replace what the call is doing with the document at ``url`` (a live call update)."""
        if self.status.is_final or self._end is not None:
            return
        resolved = self.resolve_url(url)
        if resolved is None:
            return
        self._redirect = Target(resolved, http_method(method))
        self.timeline.add(self.clock.now(), "note", f"live redirect to {method} {resolved}")
        self._interrupt()

    def hangup(self) -> None:
        """End the call now, wherever it is (a live ``Status=completed``/``canceled`` update)."""
        if self.status.is_final or self._end is not None:
            return
        self._hangup_requested = True
        self._end = EndCall(CallStatus.COMPLETED, "hung up from outside")
        self.timeline.add(self.clock.now(), "note", "call hung up from outside")
        self._interrupt()

    @property
    def prompts(self) -> list[InputPrompt]:
        """The prompts the caller was asked so far, in order."""
        return self.prompt_log.asked

    @property
    def requests(self) -> list[WebhookExchange]:
        """The documents and media fetched so far, in order."""
        return self.request_log.sent

    @property
    def callbacks(self) -> list[WebhookExchange]:
        """The callbacks delivered so far (status and the verbs'), with what came back."""
        return self.callback_sender.sent

    @property
    def result(self) -> CallResult | None:
        """The result once ``run()`` has returned."""
        return self._result

    # --- the call -------------------------------------------------------------------------------
    def run(self) -> Coroutine[Any, Any, CallResult]:
        """Place the call, run it to its end, and return what happened (await it)."""
        if self._started:
            raise CallSessionError("a CallSession runs once")
        self._started = True
        # Its callbacks go out in the group it shares with other calls (no block around the
        # call's coroutine for that), or in its own.
        shared = self.task_group
        return self._run_in_own_group() if shared is None else self._run(shared)

    async def _run_in_own_group(self) -> CallResult:
        async with anyio.create_task_group() as group:
            result = await self._run(group)
        return result

    async def _run(self, group: TaskGroup) -> CallResult:
        self.callback_sender.task_group = group
        watchdog = None
        if getattr(self.clock, "realtime", False):
            watchdog = anyio.CancelScope()
            group.start_soon(self._watch_deadline, watchdog)
        try:
            try:
                await self._place()
                loop = DocumentLoop(
                    self,
                    fetcher=self.fetcher,
                    request_log=self.request_log,
                    clock=self.clock,
                    runners=self.runners,
                    limits=self.limits,
                )
                await loop.run(self._first_target())
            except Exception as exc:  # a runner's bug must not take the process down
                self._fail_internal(exc)
            self._conclude()
            self.timeline.close(self._ended_at)
            if self.audio is not None:
                self.audio.end(self._ended_at)  # what still played is cut at the call's end
        finally:
            if watchdog is not None:
                watchdog.cancel()
        await self.callback_sender.drain()
        self.callback_sender.task_group = None
        self._result = CallResult(
            sid=self.sid,
            status=self.status,
            duration=self._duration(),
            timeline=self.timeline,
            error_code=self._error_code,
            recordings=tuple(self.recordings),
            requests=tuple(self.requests),
            callbacks=tuple(self.callbacks),
            reason=self._end.reason if self._end else "",
        )
        # The deadline ends nothing any more; its clock lets the session go, so that nothing of
        # the call refers back to it and reference counting frees a finished call (no wait for
        # the cycle collector, whose full collections walk every live call).
        if isinstance(self.clock, DeadlineClock):
            self.clock.detach()
        return self._result

    def _first_target(self) -> Target:
        if self.settings.url is not None:
            return Target(self.settings.url, http_method(self.settings.method))
        return Target(None, inline=self.settings.twiml)

    def verb_ended(self, outcome: Outcome | None) -> Outcome | None:
        """A verb of the document ran (a hang-up or live redirect interrupts it: the guard of
        the whole document, ``CallLeg.guard``, is cancelled): a verb that returned right at the
        caller's hang-up leaves a caller who has hung up, and the call ends."""
        self._settle_hangup()
        if isinstance(outcome, Continue) and self.deadline.caller_gone:
            return EndCall(CallStatus.COMPLETED, "caller hung up")
        return outcome

    async def _place(self) -> None:
        self._status_callback("initiated")
        if self.settings.direction == "inbound":
            self._apply(CallEvent.RING)
        else:
            self._apply(CallEvent.DIAL)
            self._apply(CallEvent.RING)
            self._apply(CallEvent.ANSWER)

    # --- status -------------------------------------------------------------------------------
    def _apply(self, event: CallEvent) -> None:
        self.status = self.state.process(event)
        now = self.clock.now()
        self.timeline.append(StatusEvent(now, self.state.history[-1]))
        if self.status is CallStatus.RINGING:
            self._status_callback("ringing")
        elif self.status is CallStatus.IN_PROGRESS:
            self._answered_at = now
            self._status_callback("answered")

    def _answer(self) -> None:
        if self.state.can(CallEvent.ANSWER):
            self._apply(CallEvent.ANSWER)

    def _conclude_status(self) -> None:
        if self.status.is_final:
            return
        end = self._end or EndCall()
        if self._hangup_requested:
            event = CallEvent.COMPLETE if self.state.answered else CallEvent.CANCEL
        elif self.deadline.caller_gone:
            event = CallEvent.HANG_UP
        else:
            event = END_EVENTS[end.status]
        if not self.state.can(event):
            if self.status is CallStatus.IN_PROGRESS:
                event = CallEvent.COMPLETE  # a late <Reject>: the call was answered already
            elif event is CallEvent.COMPLETE:
                self._answer()
        if self.state.can(event):
            self._apply(event)

    def _conclude(self) -> None:
        self._conclude_status()
        self._status_callback("completed")

    def _duration(self) -> float:
        if self._answered_at is None:
            return 0.0
        return max(0.0, self._ended_at - self._answered_at)

    @property
    def _ended_at(self) -> float:
        for event in reversed(self.timeline.events):
            if event.kind == "status" and CallStatus(event.data["status"]).is_final:
                return event.at
        return self.clock.now()

    def _status_callback(self, event: str) -> None:
        self.callback_sender.status(event, self.status, self._duration)

    # --- interruptions and deadlines ------------------------------------------------------------
    def _interrupt(self) -> None:
        if self._scope is not None:
            self._scope.cancel()

    def _gone(self) -> bool:
        """Whether the call ended or was sent elsewhere: the running verb must not go on."""
        return self._end is not None or self.deadline.caller_gone or self._redirect is not None

    async def _ensure_live(self) -> None:
        """Runners that go on after the call ended are cancelled at their next step."""
        if self._gone():
            self._interrupt()
            await anyio.lowlevel.checkpoint()

    def _reach_deadline(self, reason: str) -> None:
        if self._end is not None:
            self._interrupt()
            return
        now = self.clock.now()
        if reason == CALLER_HUNG_UP:
            self.deadline.caller_gone = True
            prompt = self.deadline.answered_prompt(now)
            self.timeline.add(now, "input", f"caller hangs up at {now:.2f} s", **prompt)
            self._end = EndCall(CallStatus.COMPLETED, reason)
            if self.deadline.end_watch(now):  # the verb reports the hang-up itself
                return
        else:
            self.timeline.add(now, "note", f"the call reached its time limit ({reason})")
            self._end = EndCall(CallStatus.COMPLETED, reason)
        self._interrupt()

    def _settle_hangup(self) -> None:
        """A verb that returned right at the caller's hang-up time (it had nothing left to wait
        for) leaves a caller who has hung up."""
        if self._end is None and self.deadline.is_hangup_due(self.clock.now()):
            self._reach_deadline(CALLER_HUNG_UP)

    async def _watch_deadline(self, scope: anyio.CancelScope) -> None:
        """With a wall clock, end the call at its deadline even while nothing sleeps."""
        with scope:
            while self._end is None:
                at, reason = self.deadline.next()
                wait = at - self.clock.now()
                if wait <= 0:
                    self._reach_deadline(reason)
                    return
                await self.deadline.wait(wait)

    # --- diagnostics --------------------------------------------------------------------------
    def _diagnose(self, kind: str, code: Code, message: str, position: Position | None) -> None:
        data: dict[str, Any] = {"code": code.id, "symbol": code.symbol}
        where = ""
        if position is not None and position.line:
            data["line"] = position.line
            data["column"] = position.column
            where = f" (line {position.line}, column {position.column})"
        if self._document_url:
            data["url"] = self._document_url
        self.timeline.add(self.clock.now(), kind, f"{code.id} {message}{where}", **data)

    def record_diagnostic(self, diagnostic: Diagnostic) -> None:
        code = code_of(diagnostic.code)
        position = Position(diagnostic.line, diagnostic.column)
        kind = "error" if diagnostic.severity is Severity.ERROR else "warning"
        self._diagnose(kind, code, diagnostic.message, position)

    def _fail_internal(self, exc: Exception) -> None:
        message = f"internal failure: {type(exc).__name__}: {exc}"
        self.error(codes.INTERNAL_FAILURE, message)
        self._error_code = self._error_code or codes.INTERNAL_FAILURE.id
        if self._end is None:
            self._end = EndCall(CallStatus.COMPLETED, "internal failure", codes.INTERNAL_FAILURE.id)
