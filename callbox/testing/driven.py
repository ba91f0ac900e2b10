"""Driving one simulated call step by step from synchronous test code.

A ``DrivenCall`` runs its ``CallSession`` in a blocking portal (an event loop in a thread). Each
time the call waits for the caller, it stops and hands the prompt to the test, which inspects what
was heard and answers (press, say, stay silent, hang up); ``finish()`` runs the call to its end.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from contextlib import AbstractContextManager, nullcontext
from typing import Any

import anyio
from anyio.from_thread import BlockingPortal
from anyio.streams.memory import MemoryObjectReceiveStream, MemoryObjectSendStream

from callbox.interpreter.caller import CallerAction, HangUp, InputPrompt, Press, Silence, Speak
from callbox.interpreter.session import CallResult, CallSession, WebhookExchange
from callbox.interpreter.status import CallStatus
from callbox.interpreter.timeline import Event, Timeline

FORBIDDEN = 403
"""The status an app answers when the request's signature does not check out."""


class CallEndedError(AssertionError):
    """The test expected the call to ask for input, but the call had ended."""


class DrivenCaller:
    """A caller whose answers come from the test: each prompt waits for one answer."""

    def __init__(self, hangup_after: float | None = None) -> None:
        self._hangup_after = hangup_after
        self.awaiting = False
        """Whether the call waits for the test's answer right now."""
        send, receive = anyio.create_memory_object_stream[tuple[str, Any]](16)
        self.events_send: MemoryObjectSendStream[tuple[str, Any]] = send
        self.events_receive: MemoryObjectReceiveStream[tuple[str, Any]] = receive
        answer_send, answer_receive = anyio.create_memory_object_stream[CallerAction](1)
        self.answers_send: MemoryObjectSendStream[CallerAction] = answer_send
        self.answers_receive: MemoryObjectReceiveStream[CallerAction] = answer_receive

    def hangs_up_at(self) -> float | None:
        return self._hangup_after

    async def respond(self, prompt: InputPrompt) -> CallerAction:
        await self.events_send.send(("prompt", prompt))
        self.awaiting = True
        try:
            return await self.answers_receive.receive()
        finally:
            self.awaiting = False

    async def aclose(self) -> None:
        for stream in (
            self.events_send,
            self.events_receive,
            self.answers_send,
            self.answers_receive,
        ):
            await stream.aclose()


class DrivenCall:
    """One call under test. Methods block until the call asks for input or ends."""

    def __init__(
        self,
        session: CallSession,
        caller: DrivenCaller,
        portal: BlockingPortal,
        *,
        run: Callable[[CallSession], Awaitable[CallResult]] | None = None,
        waiting: Callable[[DrivenCaller], AbstractContextManager[None]] | None = None,
    ) -> None:
        self.session = session
        self.caller = caller
        """Answers the call's prompts with what the test says."""
        self._caller = caller
        self._portal = portal
        self._run_session = run or CallSession.run
        self._waiting = waiting
        """While the test waits for this call: the other calls let the shared clock go."""
        self._pending: InputPrompt | None = None
        self._result: CallResult | None = None
        self._error: BaseException | None = None
        self._answered_at = 0.0
        self._future = portal.start_task_soon(self._run)

    async def _run(self) -> None:
        try:
            result = await self._run_session(self.session)
        except BaseException as exc:  # reported to the test thread, never swallowed
            await self._caller.events_send.send(("error", exc))
            raise
        await self._caller.events_send.send(("done", result))

    # --- running ----------------------------------------------------------------------------
    def next_prompt(self) -> InputPrompt | None:
        """Run until the caller is asked for input (that prompt), or the call ends (None)."""
        if self._pending is not None:
            return self._pending
        if self._result is not None:
            return None
        kind, value = self._portal.call(self._next_event)
        if kind == "prompt":
            self._pending = value
            return self._pending
        if kind == "error":
            self._error = value
            raise value
        self._result = value
        return None

    async def _next_event(self) -> tuple[str, Any]:
        with self._waiting(self._caller) if self._waiting else nullcontext():
            return await self._caller.events_receive.receive()

    def expect_prompt(self, *phrases: str, kind: str | None = None) -> Prompt:
        """Run until input is asked; assert each phrase (case-insensitive) was heard since the
        previous prompt, and that the prompt is of ``kind`` (``gather``, ``record``, ``dial``)."""
        prompt = self.next_prompt()
        if prompt is None:
            raise CallEndedError(
                f"the call ended ({self.status.value}) before asking for input; "
                f"it heard: {self.heard!r}{self._refusal_hint()}"
            )
        heard = " ".join(prompt.heard).casefold()
        missing = [phrase for phrase in phrases if phrase.casefold() not in heard]
        if missing:
            raise AssertionError(
                f"prompt {prompt.index} ({prompt.kind}): not heard {missing!r}; "
                f"heard {list(prompt.heard)!r}{self._refusal_hint()}"
            )
        if kind is not None and prompt.kind != kind:
            raise AssertionError(f"prompt {prompt.index} is a {prompt.kind}, not a {kind}")
        return Prompt(prompt, self)

    def expect_heard(self, *phrases: str) -> DrivenCall:
        """Run until the next prompt or the end of the call; assert each phrase (case-insensitive)
        was heard after the caller last answered (from the moment the answer took effect). The
        prompt, if any, stays pending."""
        self.next_prompt()
        heard = [
            event.text
            for event in self.session.timeline.of_kind("say", "play", "tones")
            if event.at >= self._answered_at
        ]
        text = " ".join(heard).casefold()
        missing = [phrase for phrase in phrases if phrase.casefold() not in text]
        if missing:
            raise AssertionError(f"not heard {missing!r}; heard {heard!r}{self._refusal_hint()}")
        return self

    def _refusal_hint(self) -> str:
        """Why nothing was heard when the app answered 403 Forbidden: most often it checks
        ``X-Twilio-Signature`` with another auth token than the one the call was signed with."""
        refused = next((r for r in self.requests if r.status_code == FORBIDDEN), None)
        if refused is None:
            return ""
        return (
            f". The app answered 403 Forbidden to {refused.method} {refused.url}: if it checks "
            "X-Twilio-Signature, sign with its auth token: set CALLBOX_AUTH_TOKEN (or "
            "TWILIO_AUTH_TOKEN) for the callbox fixture, or CallSimulator(auth_token=...)"
        )

    def answer(self, action: CallerAction) -> DrivenCall:
        """Answer the pending prompt (running to the next one first if none is pending)."""
        prompt = self.next_prompt()
        if prompt is None:
            raise CallEndedError(
                f"cannot answer {action!r}: the call ended ({self.status.value}); "
                f"it heard: {self.heard!r}{self._refusal_hint()}"
            )
        self._pending = None
        after = 0.0 if isinstance(action, Silence) else min(action.after, 0.0)
        self._answered_at = prompt.at + after
        self._portal.call(self._caller.answers_send.send, action)
        return self

    def press(self, digits: str, *, after: float = 0.0) -> DrivenCall:
        """Press keys ``after`` seconds into the wait."""
        return self.answer(Press(digits, after))

    def say(self, text: str, *, after: float = 0.0, confidence: float = 0.92) -> DrivenCall:
        """Say ``text`` (a speech result, or the audio of a recording)."""
        return self.answer(Speak(text, after, confidence))

    def stay_silent(self) -> DrivenCall:
        """Do nothing: the prompt times out."""
        return self.answer(Silence())

    def hang_up(self, *, after: float = 0.0) -> DrivenCall:
        """Hang up at this prompt (``after`` seconds into the wait)."""
        return self.answer(HangUp(after))

    def finish(self, *, max_prompts: int = 100) -> CallResult:
        """Run to the end of the call, staying silent at any further prompt."""
        for _ in range(max_prompts):
            if self.next_prompt() is None:
                assert self._result is not None
                return self._result
            self.stay_silent()
        raise AssertionError(f"the call still asks for input after {max_prompts} silent prompts")

    # --- live control -------------------------------------------------------------------------
    def hangup(self) -> CallResult:
        """Hang the call up from outside (a live ``Status=completed`` update) and finish it."""
        if self._result is None:
            self._portal.call(self._hangup)
        return self.finish()

    async def _hangup(self) -> None:
        self.session.hangup()
        self._drop_stale_prompts()

    def redirect(self, url: str, method: str = "POST") -> DrivenCall:
        """Send the call to another document (a live ``Url`` update); the pending prompt is
        dropped."""
        if self._result is None:
            self._pending = None
            self._portal.call(self._redirect, url, method)
        return self

    async def _redirect(self, url: str, method: str) -> None:
        self.session.redirect(url, method)
        self._drop_stale_prompts()

    def _drop_stale_prompts(self) -> None:
        """Forget prompts the call sent before it was interrupted (they will never be answered);
        runs in the event loop, so no new prompt can arrive meanwhile."""
        while True:
            try:
                kind, value = self._caller.events_receive.receive_nowait()
            except (anyio.WouldBlock, anyio.EndOfStream, anyio.ClosedResourceError):
                return
            if kind == "done":
                self._result = value
            elif kind == "error":
                self._error = value

    def close(self) -> None:
        """Hang up if still running and wait for the call's task."""
        try:
            if self._result is None and self._error is None:
                self.hangup()
            self._future.result()
        finally:
            self._portal.call(self._caller.aclose)

    # --- what happened ----------------------------------------------------------------------
    @property
    def result(self) -> CallResult | None:
        """The result once the call has ended."""
        return self._result

    @property
    def ended(self) -> bool:
        return self._result is not None

    @property
    def status(self) -> CallStatus:
        return self._result.status if self._result else self.session.status

    @property
    def timeline(self) -> Timeline:
        return self.session.timeline

    @property
    def events(self) -> list[Event]:
        return list(self.session.timeline.events)

    @property
    def heard(self) -> list[str]:
        """Everything the caller heard so far, in order."""
        return self.session.timeline.heard()

    @property
    def prompts(self) -> list[InputPrompt]:
        return list(self.session.prompts)

    @property
    def requests(self) -> list[WebhookExchange]:
        """Documents requested so far (voice URL, actions, redirects, fallback, media)."""
        return list(self.session.requests)

    @property
    def callbacks(self) -> list[WebhookExchange]:
        """Status and other callbacks delivered so far."""
        return list(self.session.callbacks)

    def warnings(self) -> list[Event]:
        return self.session.timeline.of_kind("warning")

    def errors(self) -> list[Event]:
        return self.session.timeline.of_kind("error")

    def codes(self) -> list[str]:
        """The codes of every warning and error so far, in order."""
        return [
            str(event.data.get("code"))
            for event in self.session.timeline.of_kind("warning", "error")
        ]


class Prompt:
    """A prompt the call is waiting at: what ``InputPrompt`` says, and the answers, so that
    ``call.expect_prompt("Press 1").press("1")`` reads as the caller's story."""

    def __init__(self, prompt: InputPrompt, call: DrivenCall) -> None:
        self.prompt = prompt
        self.call = call

    @property
    def kind(self) -> str:
        return self.prompt.kind

    @property
    def index(self) -> int:
        return self.prompt.index

    @property
    def heard(self) -> tuple[str, ...]:
        return self.prompt.heard

    @property
    def inputs(self) -> frozenset[str]:
        return self.prompt.inputs

    @property
    def timeout(self) -> float:
        return self.prompt.timeout

    @property
    def num_digits(self) -> int | None:
        return self.prompt.num_digits

    @property
    def finish_on_key(self) -> str:
        return self.prompt.finish_on_key

    @property
    def at(self) -> float:
        return self.prompt.at

    def press(self, digits: str, *, after: float = 0.0) -> DrivenCall:
        return self.call.press(digits, after=after)

    def say(self, text: str, *, after: float = 0.0, confidence: float = 0.92) -> DrivenCall:
        return self.call.say(text, after=after, confidence=confidence)

    def stay_silent(self) -> DrivenCall:
        return self.call.stay_silent()

    def hang_up(self, *, after: float = 0.0) -> DrivenCall:
        return self.call.hang_up(after=after)

    def __repr__(self) -> str:
        return f"Prompt({self.prompt!r})"
