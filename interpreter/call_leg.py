"""A call as the document loop runs it: the ``Leg`` side of ``CallSession`` (a base class of it).

What the call does with the documents it fetches: the parameters it sends (the fallback URL gets
``ErrorCode`` and ``ErrorUrl``), the fallback and apology for an unusable document, a
``text/plain`` or audio response played and hung up, verbs the simulator lacks skipped, a verb
run so that a hang-up or live redirect interrupts it, an action reported after the caller hung up.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

from callbox import codes
from callbox.codes import Code, code_of
from callbox.interpreter import params as p
from callbox.interpreter.call_settings import CallSettings
from callbox.interpreter.cancellable import CancellableBlock
from callbox.interpreter.deadline import CallDeadline
from callbox.interpreter.document_loop import DocumentLoop, Target
from callbox.interpreter.documents import verb_name, verb_position
from callbox.interpreter.media.plane import MediaDecodeError, MediaPlane, Rendered
from callbox.interpreter.outcomes import EndCall, Navigate, Outcome
from callbox.interpreter.status import CallStatus
from callbox.interpreter.timeline import Timeline
from callbox.interpreter.webhook import http_method
from callbox.markup.dialect import Dialect
from callbox.markup.source import Position

if TYPE_CHECKING:
    from callbox.interpreter.clock import Clock
    from callbox.interpreter.prompts import PromptLog
    from callbox.interpreter.verbs import Runner

APOLOGY = "We are sorry, an application error has occurred. Goodbye."
"""What the caller hears when a document cannot be fetched or parsed and there is no fallback."""


class CallLeg:
    """The call's answers to the document loop's questions (``document_loop.Leg``). The session
    sets the state below; this class only reads and ends it."""

    __slots__ = ("_document_url", "_end", "_error_code", "_redirect", "_scope")

    dialect = Dialect.VOICE
    settings: CallSettings
    identity: p.CallIdentity
    status: CallStatus
    timeline: Timeline
    clock: Clock
    media: MediaPlane
    deadline: CallDeadline
    prompt_log: PromptLog
    _document_url: str | None
    _scope: CancellableBlock | None
    _end: EndCall | None
    _redirect: Target | None
    _error_code: str | None

    # --- defined by the session -----------------------------------------------------------------
    def resolve_url(self, url: str | None) -> str | None:
        raise NotImplementedError

    def warn(self, code: Code, message: str, position: Position | None = None) -> None:
        raise NotImplementedError

    def error(self, code: Code, message: str, position: Position | None = None) -> None:
        raise NotImplementedError

    async def hear(self, rendered: Rendered, kind: str, text: str) -> None:
        raise NotImplementedError

    def _answer(self) -> None:
        raise NotImplementedError

    def _conclude_status(self) -> None:
        raise NotImplementedError

    # --- where the loop stands ------------------------------------------------------------------
    def ended(self) -> bool:
        return self._end is not None

    def interrupted(self) -> bool:
        return self._end is not None or self._redirect is not None

    def redirected(self) -> Target | None:
        """The live redirect asked from outside, if any (and if the call is still up)."""
        target, self._redirect = self._redirect, None
        if self._end is not None:
            return None
        return target

    def ending(self, outcome: EndCall) -> None:
        self._end = self._end or outcome  # a hang-up already applied keeps its reason
        self._error_code = self._error_code or outcome.error_code

    def end_at_loop_limit(self, message: str) -> None:
        """End the call on error ``CF301``: it went round in a loop (``message`` says which)."""
        self.error(codes.CALL_LOOP_LIMIT, message)
        self._error_code = codes.CALL_LOOP_LIMIT.id
        self._end = EndCall(CallStatus.COMPLETED, "loop limit", codes.CALL_LOOP_LIMIT.id)

    # --- fetching and opening documents ---------------------------------------------------------
    def fetch_params(self, target: Target) -> dict[str, str]:
        if target.error is not None:
            code, failed_url = target.error
            return p.fallback_params(self.identity, self.status, code, failed_url, target.params)
        return p.action_params(self.identity, self.status, target.params)

    def fetch_kind(self, target: Target) -> tuple[str, str]:
        return ("fallback" if target.fallback else "document"), ""

    def opened(self, url: str | None) -> None:
        self._document_url = url

    def starts(self, verbs: Sequence[object]) -> None:
        """Answer before running a document, unless it starts with ``<Reject>``, or with a
        ``<Dial answerOnBridge>`` (the call is answered when the dialed party is bridged)."""
        if verbs and verb_name(verbs[0]) == "Reject":
            return
        if verbs and verb_name(verbs[0]) == "Dial" and getattr(verbs[0], "answer_on_bridge", False):
            return
        self._answer()

    def answer(self) -> None:
        """Answer the call now if it still rings (``<Dial answerOnBridge>`` bridging)."""
        self._answer()

    async def unusable(
        self, code: str, message: str, target: Target, position: Position | None = None
    ) -> Target | None:
        """A document that cannot be used: the fallback URL to try instead, else (None) apologise
        and hang up."""
        self.error(code_of(code), message, position)
        self._error_code = self._error_code or code
        fallback = self.settings.fallback_url
        if fallback and not target.fallback and target.url is not None:
            self.timeline.add(self.clock.now(), "note", f"trying the fallback URL {fallback}")
            return Target(
                fallback,
                http_method(self.settings.fallback_method),
                target.params,
                fallback=True,
                error=(code, target.url),
            )
        self._answer()
        await self.hear(await self.media.speech(APOLOGY), "say", APOLOGY)
        self._end = EndCall(CallStatus.COMPLETED, "application error", code)
        return None

    async def not_twiml(
        self, body: bytes, content_type: str, url: str | None, target: Target
    ) -> Target | None:
        """A ``text/plain`` response is spoken and an audio one played, then the call hangs up;
        any other content type is an application error (12300)."""
        if content_type == "text/plain":
            text = body.decode("utf-8", "replace").strip()
            self._answer()
            self.timeline.add(self.clock.now(), "note", "text/plain response: spoken, then hang up")
            if text:
                await self.hear(await self.media.speech(text), "say", text)
            self._end = EndCall(CallStatus.COMPLETED, "text/plain document played")
            return None
        if content_type.startswith("audio/"):
            self._answer()
            self.timeline.add(self.clock.now(), "note", "audio response: played, then hang up")
            try:
                rendered = await self.media.audio(body, content_type)
            except MediaDecodeError as exc:
                self.error(codes.lookup(exc.code), str(exc))
            else:
                await self.hear(rendered, "play", url or "audio")
            self._end = EndCall(CallStatus.COMPLETED, "audio document played")
            return None
        return await self.unusable(
            codes.INVALID_CONTENT_TYPE.id,
            f"Content-Type {content_type or '(none)'!r} is not one Twilio accepts for a document",
            target,
        )

    # --- running verbs --------------------------------------------------------------------------
    def admit(self, verb: object, runner: Runner | None) -> Runner | Outcome | None:
        """A verb without a runner is reported and skipped; before one runs, what a prompt of an
        earlier verb announced is cut short."""
        if runner is None:
            self.warn(
                codes.VERB_NOT_SUPPORTED,
                f"<{verb_name(verb)}> is not supported by callbox's simulator: skipped",
                verb_position(verb),
            )
            return None
        self.prompt_log.cut_short()
        return runner

    def guard(self) -> CancellableBlock:
        """The block a document's fetch and verbs run in: a hang-up or live redirect (the
        session cancels the block) ends it. The block stays the session's until the next
        document's replaces it (cancelling one that has ended does nothing)."""
        block = self._scope = CancellableBlock()
        return block

    async def declines(self, outcome: Navigate, loop: DocumentLoop) -> bool:
        """The caller hung up and the verb still requests its action (a ``<Record>`` ending on a
        hang-up): Twilio fetches it (through ``loop``) with ``CallStatus=completed`` and ignores
        what comes back."""
        if not self.deadline.caller_gone:
            return False
        url = self.resolve_url(outcome.url)
        self._end = EndCall(CallStatus.COMPLETED, "caller hung up")
        if url is None:
            return True
        self._conclude_status()
        await loop.fetch(Target(url, http_method(outcome.method), outcome.params))
        self.timeline.add(
            self.clock.now(), "note", "the caller had hung up: the returned document is ignored"
        )
        return True
