"""Hold documents: what a waiting caller hears, fetched from a ``waitUrl`` (a queue's, a
conference's) or a ``<Queue url>``, and run on the call itself through the one document loop.

Only the verbs the wait allows run (Twilio: Play, Say, Pause, Redirect for a conference; also
Gather, Hangup and Leave for a queue); the others are reported and skipped. A hold document that
ends is requested again (``loop``) until whoever waits stops the music; ``<Leave>`` and
``<Hangup>`` end the hold with their outcome.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from contextlib import AbstractContextManager
from typing import TYPE_CHECKING, Protocol

from callbox import codes
from callbox.codes import Code, code_of
from callbox.diagnostics import Diagnostic
from callbox.interpreter.document_loop import (
    END_OF_DOCUMENT,
    UNGUARDED,
    DocumentLoop,
    LoopLimits,
    Target,
)
from callbox.interpreter.documents import verb_name, verb_position
from callbox.interpreter.outcomes import LEAVE, EndCall, Navigate, Outcome
from callbox.interpreter.status import CallStatus
from callbox.interpreter.webhook import http_method
from callbox.interpreter.whisper import ParentCall
from callbox.markup.dialect import Dialect
from callbox.markup.source import Position

if TYPE_CHECKING:
    from callbox.interpreter.verbs import Runner


MAX_HOLD_DOCUMENTS = 10_000
"""How many hold documents one wait may fetch (music that loops for hours)."""
MAX_HOLD_REDIRECTS = 1000
"""How many ``<Redirect>`` in a row hold music may follow (a track and a Redirect back, for
hours), so that a redirect loop that plays nothing ends after a thousand quick fetches."""


class HoldParent(ParentCall, Protocol):
    """The waiting call: its running document changes to the hold document meanwhile."""

    @property
    def document_url(self) -> str | None: ...

    def opened(self, url: str | None) -> None: ...

    def interrupted(self) -> bool: ...


class HoldLeg:
    """The waiting call as the document loop runs its hold documents (a ``Leg``)."""

    dialect = Dialect.VOICE

    def __init__(
        self,
        parent: HoldParent,
        params: Callable[[], Mapping[str, str]],
        allowed: frozenset[str],
        refused: Code,
        *,
        loop: bool,
    ) -> None:
        self.parent = parent
        self.params = params
        self.allowed = allowed
        self.refused = refused
        self.loop = loop
        self._outcome: EndCall | None = None

    async def run(self, url: str, method: str) -> EndCall | None:
        """Run the hold documents from ``url``: the ``EndCall`` of a ``<Leave>`` (reason
        ``leave``), of a ``<Hangup>`` or of an error; None once a document ends without
        looping (or a loop plays nothing, when the caller then hears silence)."""
        parent = self.parent
        saved = parent.document_url
        loop = DocumentLoop(
            self,
            fetcher=parent.fetcher,
            request_log=parent.request_log,
            clock=parent.clock,
            runners=parent.runners,
            context=parent,  # its verbs run on the waiting call
            limits=LoopLimits(
                max_documents=MAX_HOLD_DOCUMENTS,
                max_without_input=MAX_HOLD_REDIRECTS,
            ),
        )
        try:
            for _ in range(MAX_HOLD_DOCUMENTS):
                started = parent.clock.now()
                await loop.run(Target(url, http_method(method)))
                if self._outcome is not None or not self.loop or parent.interrupted():
                    break
                if parent.clock.now() - started <= 0:
                    break  # a document that plays nothing: the caller hears silence
        finally:
            parent.opened(saved)
        outcome = self._outcome
        return None if outcome is None or outcome == END_OF_DOCUMENT else outcome

    # --- Leg ----------------------------------------------------------------------------------
    def ended(self) -> bool:
        return self._outcome is not None or self.parent.interrupted()

    def interrupted(self) -> bool:
        return self.ended()

    def redirected(self) -> Target | None:
        return None  # a live redirect of the call interrupts the verb that holds

    def fetch_params(self, target: Target) -> dict[str, str]:
        return {**self.parent.webhook_params(), **self.params(), **target.params}

    def fetch_kind(self, target: Target) -> tuple[str, str]:
        return "hold", " (hold)"

    def opened(self, url: str | None) -> None:
        self.parent.opened(url)

    def record_diagnostic(self, diagnostic: Diagnostic) -> None:
        self.parent.record_diagnostic(diagnostic)

    async def unusable(
        self, code: str, message: str, target: Target, position: Position | None = None
    ) -> Target | None:
        self.parent.warn(code_of(code), f"hold document {target.url}: {message}", position)
        self._outcome = END_OF_DOCUMENT  # the caller hears silence and keeps waiting
        return None

    async def not_twiml(
        self, body: bytes, content_type: str, url: str | None, target: Target
    ) -> Target | None:
        return await self.unusable(codes.INVALID_CONTENT_TYPE.id, content_type, target)

    def starts(self, verbs: Sequence[object]) -> None:
        return None

    def admit(self, verb: object, runner: Runner | None) -> Runner | Outcome | None:
        name = verb_name(verb)
        if name == "Leave" and "Leave" in self.allowed:
            return EndCall(CallStatus.IN_PROGRESS, LEAVE)
        if runner is None:
            return None
        if name not in self.allowed:
            self.parent.warn(
                self.refused,
                f"<{name}> is not allowed in a hold document (only "
                f"{', '.join(sorted(self.allowed))}): skipped",
                verb_position(verb),
            )
            return None
        return runner

    def verb_ended(self, outcome: Outcome | None) -> Outcome | None:
        return outcome

    def guard(self) -> AbstractContextManager[object]:
        return UNGUARDED

    def ending(self, outcome: EndCall) -> None:
        if outcome == END_OF_DOCUMENT and self.loop:
            return  # the document ended: ``run`` requests it again
        self._outcome = self._outcome or outcome

    async def declines(self, outcome: Navigate, loop: DocumentLoop) -> bool:
        return False

    def resolve_url(self, url: str | None) -> str | None:
        return self.parent.resolve_url(url)

    def end_at_loop_limit(self, message: str) -> None:
        self.parent.warn(codes.CALL_LOOP_LIMIT, f"hold documents: {message}")
        self._outcome = END_OF_DOCUMENT
