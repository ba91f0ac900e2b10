"""What a verb runner may use of its call: the contract between the session and the verbs.

The session implements ``CallContext``; each runner in ``interpreter.verbs`` receives it together
with its typed verb and returns an ``Outcome``. Runners never touch HTTP or XML directly.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from contextlib import AbstractContextManager
from dataclasses import dataclass
from datetime import datetime
from typing import Protocol

from callbox.codes import Code
from callbox.interpreter.caller import CallerAction, InputPrompt
from callbox.interpreter.clock import Clock
from callbox.interpreter.media.plane import MediaPlane, Rendered
from callbox.interpreter.outcomes import EndCall
from callbox.interpreter.rooms import Rooms, Signal
from callbox.interpreter.status import CallStatus
from callbox.interpreter.timeline import Timeline
from callbox.interpreter.webhook import FetchResult
from callbox.markup.source import Position


class FarEnd(Protocol):
    """How a dialed party behaves in simulation (answer after N s, busy, no answer, fail)."""

    outcome: str
    """One of ``answer``, ``busy``, ``no-answer``, ``failed``."""
    answer_after: float
    """Seconds of ringing before it answers (with ``answer``)."""
    talk_for: float | None
    """Seconds it stays on the line once answered; None = until the caller hangs up or timeLimit."""
    presses: tuple[str, ...]
    """The keys it presses when its whisper asks for input, one answer per prompt."""


@dataclass
class HangupWatch:
    """What a ``CallContext.watch_hangup()`` block saw: whether the caller hung up in it, and
    when (call time)."""

    hung_up: bool = False
    at: float | None = None


class CallContext(Protocol):
    sid: str
    account_sid: str
    from_: str
    to: str
    clock: Clock
    timeline: Timeline
    media: MediaPlane
    status: CallStatus
    started_at: datetime
    """When the call started (UTC): call time 0. Dates in callbacks are this plus call time."""

    @property
    def document_url(self) -> str | None:
        """URL of the running document (after HTTP redirects); None for inline TwiML."""
        ...

    def resolve_url(self, url: str | None) -> str | None:
        """Resolve ``url`` against the document; empty/None gives the document URL. None (with a
        15004 error recorded) when there is no base URL to resolve against."""
        ...

    def webhook_params(self, **extra: str) -> dict[str, str]:
        """Twilio's standard call parameters (CallSid, AccountSid, From, To, CallStatus...)
        plus ``extra``, for an action or callback request."""
        ...

    async def fetch_media(self, url: str) -> FetchResult:
        """GET an audio file for ``<Play>`` with the fetch limits."""
        ...

    def send_callback(self, url: str, method: str, params: Mapping[str, str]) -> None:
        """Fire-and-forget a signed callback (status, recording, transcription, partial results)."""
        ...

    def warn(self, code: Code, message: str, position: Position | None = None) -> None:
        """Record a warning on the call's timeline (and its notifications)."""
        ...

    def error(self, code: Code, message: str, position: Position | None = None) -> None:
        """Record an error on the call's timeline."""
        ...

    async def hear(self, rendered: Rendered, kind: str, text: str) -> None:
        """The caller hears ``rendered``: call time advances by its duration, the timeline gets an
        event of ``kind`` (say, play, tones, pause, beep), the call audio gets the sound."""
        ...

    async def ask(self, prompt: InputPrompt) -> CallerAction:
        """Ask the caller what they do now (the caller's hang-up time is honoured)."""
        ...

    def watch_hangup(self) -> AbstractContextManager[HangupWatch]:
        """A block that ends when the caller hangs up, instead of the whole verb: the verb goes
        on after it, sees ``hung_up`` and reports the hang-up (``<Dial>`` and ``<Record>`` still
        request their action). Anything the verb then plays or asks is cancelled."""
        ...

    def far_end(self, address: str) -> FarEnd:
        """How the dialed ``address`` (number, client, sip URI) behaves in this simulation."""
        ...

    def next_sid(self, prefix: str) -> str:
        """A new SID with Twilio's shape (``prefix`` + 32 hex), e.g. ``RE`` for a recording."""
        ...

    async def run_whisper(
        self, url: str, method: str = "POST", params: Mapping[str, str] | None = None
    ) -> bool:
        """Fetch and run a ``<Number url>`` (or Client/Sip) whisper document on the answered
        child leg, before it is bridged; ``params`` are the child leg's call parameters (its
        ``CallSid``, ``ParentCallSid``, ``To``...). True = bridge the call; False = the whisper
        hung up (or failed), so the leg is dropped unbridged."""
        ...

    def answer(self) -> None:
        """Answer the call now if it still rings: a ``<Dial answerOnBridge>`` whose party was
        bridged (the caller heard ringing until then)."""
        ...

    rooms: Rooms | None
    """The queues and conference rooms this call shares with others (None: a call on its own,
    which cannot enqueue or join a conference)."""

    async def wait_for(self, signal: Signal, timeout: float | None = None) -> bool:
        """Wait until ``signal`` is set by another call (True), or ``timeout`` seconds of call
        time pass (False); the caller's hang-up and the call's time limit end the wait too
        (ending the ``watch_hangup`` block it is in, or the call)."""
        ...

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
        """Play the hold documents at ``url`` to the caller (``params`` are added to each
        request; verbs outside ``allowed`` are reported as ``refused`` and skipped), again each
        time one ends when ``loop``: the ``EndCall`` of a ``<Leave>`` (reason ``leave``) or of a
        ``<Hangup>``, or None."""
        ...
