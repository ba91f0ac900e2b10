"""The one document loop: fetch a document (or take it inline), check it, run its verbs, follow
their outcome (``Continue`` to the next verb, ``Navigate`` to a new document, ``EndCall``).

A call, the ``<Number url>`` whisper on a dialed leg and a message exchange all run it; each is
a ``Leg``, which says what differs: the parameters it fetches with, what it does with a document
that cannot be used or is not TwiML, which verbs it runs and with which runner (``admit``),
what follows a verb's outcome (``verb_ended``).
"""

from __future__ import annotations

import functools
from collections.abc import Mapping, Sequence
from contextlib import AbstractContextManager, nullcontext
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Protocol, cast

from callbox import codes
from callbox.diagnostics import Diagnostic
from callbox.interpreter.clock import Clock
from callbox.interpreter.documents import XML_TYPES, compile_off_loop
from callbox.interpreter.outcomes import Continue, EndCall, Navigate, Outcome
from callbox.interpreter.quick_init import quick_init
from callbox.interpreter.request_log import RequestLog
from callbox.interpreter.status import CallStatus
from callbox.interpreter.webhook import Fetcher, FetchResult, WebhookRequest, http_method
from callbox.markup.dialect import Dialect
from callbox.markup.source import Position

if TYPE_CHECKING:
    from callbox.interpreter.context import CallContext
    from callbox.interpreter.verbs import Runner

END_OF_DOCUMENT = EndCall(CallStatus.COMPLETED, "end of document")
"""The outcome of a document whose verbs all ran (a whisper that ends so bridges the call)."""
UNGUARDED: AbstractContextManager[object] = nullcontext()
"""The guard of a leg nothing interrupts by itself (a whisper's, a hold's: the call's guard around
the verb that runs them covers them; a message exchange's)."""


@quick_init
@dataclass(frozen=True, slots=True)
class Target:
    """The next document: fetched from ``url`` or given inline."""

    url: str | None
    method: str = "POST"
    params: Mapping[str, str] = field(default_factory=dict)
    inline: bytes | None = None
    fallback: bool = False
    error: tuple[str, str] | None = None
    """For the fallback URL: the error code and the URL that failed."""


@dataclass(frozen=True, slots=True)
class Document:
    """A usable document: its verbs and the URL relative URLs resolve against."""

    verbs: Sequence[object]
    url: str | None


@dataclass(frozen=True, slots=True)
class LoopLimits:
    """How far one exchange may go round: documents in all, and in a row without input."""

    max_documents: int
    max_without_input: int


@functools.lru_cache(maxsize=64)
def loop_limits(max_documents: int, max_without_input: int) -> LoopLimits:
    """``LoopLimits``, one (frozen) object shared by every call with the same limits."""
    return LoopLimits(max_documents, max_without_input)


class Leg(Protocol):
    """What the loop runs documents for: a call, a whisper leg, a message exchange."""

    dialect: Dialect
    """The TwiML its documents are checked as."""

    def ended(self) -> bool:
        """Whether the exchange ended: no further document is fetched."""
        ...

    def interrupted(self) -> bool:
        """Whether the exchange ended or was sent elsewhere from outside: no further verb runs."""
        ...

    def redirected(self) -> Target | None:
        """The document the exchange was sent to from outside (a live redirect), taken once."""
        ...

    def fetch_params(self, target: Target) -> dict[str, str]:
        """The parameters ``target`` is fetched with."""
        ...

    def fetch_kind(self, target: Target) -> tuple[str, str]:
        """How the fetch is logged: its kind (``document``, ``fallback``, ``whisper``) and a note."""
        ...

    def opened(self, url: str | None) -> None:
        """The document from ``url`` (None: inline) is the one running now."""
        ...

    def record_diagnostic(self, diagnostic: Diagnostic) -> None: ...

    async def unusable(
        self, code: str, message: str, target: Target, position: Position | None = None
    ) -> Target | None:
        """A document that cannot be used: the target to fetch instead (a fallback URL), or None
        once the leg has ended."""
        ...

    async def not_twiml(
        self, body: bytes, content_type: str, url: str | None, target: Target
    ) -> Target | None:
        """A response that is not TwiML (``text/plain``, audio, another type): as ``unusable``."""
        ...

    def starts(self, verbs: Sequence[object]) -> None:
        """A document is about to run its ``verbs`` (a call answers, unless it starts with
        ``<Reject>``)."""
        ...

    def admit(self, verb: object, runner: Runner | None) -> Runner | Outcome | None:
        """A verb of the running document is next (``runner`` the one the loop found for it, None
        when there is none): the runner to run it with, an outcome to end the document with
        instead (``<Dial>`` in a whisper), or None to skip it (the leg said why, as for a verb it
        does not support)."""
        ...

    def verb_ended(self, outcome: Outcome | None) -> Outcome | None:
        """The verb ran, with ``outcome`` (None: it raised, and the error goes on): the outcome to
        go on with. The loop awaits the runner itself, so that a waiting verb holds no
        coroutine of the leg's."""
        ...

    def guard(self) -> AbstractContextManager[object]:
        """The block a document's fetch and verbs run in: an interruption of the exchange (a
        hang-up, a live redirect) ends it, and the loop goes on from what the leg says next."""
        ...

    def ending(self, outcome: EndCall) -> None:
        """The exchange ends with ``outcome`` (unless it ended already)."""
        ...

    async def declines(self, outcome: Navigate, loop: DocumentLoop) -> bool:
        """Whether the leg does not follow ``outcome`` (a call whose caller hung up only
        reports the action, fetched through ``loop``); it ends the exchange then."""
        ...

    def resolve_url(self, url: str | None) -> str | None: ...

    def end_at_loop_limit(self, message: str) -> None:
        """End the exchange: it went round in a loop (``message`` says which)."""
        ...


class DocumentLoop:
    """Runs one leg's documents to its end, through its fetcher, request log and runners."""

    __slots__ = ("clock", "context", "fetcher", "leg", "limits", "request_log", "runners")

    def __init__(
        self,
        leg: Leg,
        *,
        fetcher: Fetcher,
        request_log: RequestLog,
        clock: Clock,
        runners: Mapping[type, Runner],
        limits: LoopLimits,
        context: CallContext | None = None,
    ) -> None:
        self.leg = leg
        # a leg that runs its verbs on itself is their context (a whisper's; a message
        # exchange's own runners take the exchange)
        self.context = cast("CallContext", leg) if context is None else context
        """What the verbs run against (``runner(verb, context)``): the leg unless given (a hold
        document's verbs run on the waiting call)."""
        self.fetcher = fetcher
        self.request_log = request_log
        self.clock = clock
        self.runners = runners
        self.limits = limits

    async def run(self, target: Target | None) -> None:
        """Run from ``target`` until the leg ends (``Leg.ending`` tells it how): load each
        document and run its verbs in order, in one coroutine (a parked call holds it)."""
        leg, limits, runners, context = self.leg, self.limits, self.runners, self.context
        documents = 0
        without_input = 0
        while target is not None and not leg.ended():
            documents += 1
            if documents > limits.max_documents:
                leg.end_at_loop_limit(
                    f"The call fetched {limits.max_documents} documents, the most one call "
                    "may fetch"
                )
                return
            # One guard for the document's fetch and its verbs: an interruption ends either
            # (``outcome`` stays None). What leaves the document: a verb's outcome,
            # END_OF_DOCUMENT once they all ran, or what ``load`` gave instead of a document
            # (the fallback URL, or None).
            outcome: Outcome | Target | None = None
            with leg.guard():
                loaded = await self.load(target)
                if isinstance(loaded, Document):
                    for verb in loaded.verbs:
                        if leg.interrupted():
                            break
                        admitted = leg.admit(verb, runners.get(type(verb)))
                        if admitted is None:
                            continue
                        if isinstance(admitted, Outcome):
                            outcome = admitted
                            break
                        try:
                            ran = await admitted(verb, context)
                        except BaseException:
                            leg.verb_ended(None)
                            raise
                        ended = leg.verb_ended(ran)
                        if not isinstance(ended, Continue):
                            outcome = ended  # None: the exchange was interrupted
                            break
                    else:
                        outcome = END_OF_DOCUMENT
                else:
                    outcome = loaded
            if not isinstance(outcome, EndCall | Navigate):
                target = leg.redirected()
                if target is None and not leg.ended() and isinstance(outcome, Target):
                    target = outcome  # the fallback URL, after an application error
                continue
            if isinstance(outcome, EndCall):
                leg.ending(outcome)
                continue
            if await leg.declines(outcome, self):
                continue
            without_input = 0 if outcome.input_given else without_input + 1
            if without_input > limits.max_without_input:
                leg.end_at_loop_limit(
                    f"{without_input} documents in a row without any input from the caller "
                    f"(the limit is {limits.max_without_input})"
                )
                return
            url = leg.resolve_url(outcome.url)
            if url is None:
                code = codes.RELATIVE_URL_INLINE.id
                leg.ending(EndCall(CallStatus.COMPLETED, "no URL to navigate to", code))
                continue
            target = Target(url, http_method(outcome.method), dict(outcome.params))

    async def load(self, target: Target) -> Document | Target | None:
        """Fetch and check one document: the document, the target to fetch instead (the
        fallback URL), or None when the leg ended."""
        leg = self.leg
        if target.inline is not None:
            leg.opened(None)
            body, content_type, url = target.inline, "text/xml", None
        else:
            result = await self.fetch(target)
            if not result.ok:
                return await leg.unusable(
                    result.error_code or codes.HTTP_RETRIEVAL_FAILURE.id,
                    result.message or "the document could not be fetched",
                    target,
                )
            body, content_type, url = result.body, result.content_type, result.url
            leg.opened(url)
        if content_type not in XML_TYPES:
            return await leg.not_twiml(body, content_type, url, target)
        verbs, found = await compile_off_loop(body, url, dialect=leg.dialect)
        fatal = [d for d in found if d.is_error and d.code != codes.SCHEMA_VALIDATION.id]
        for diagnostic in found:
            if diagnostic not in fatal:
                leg.record_diagnostic(diagnostic)
        if not verbs and fatal:
            first = fatal[0]
            return await leg.unusable(
                first.code, first.message, target, Position(first.line, first.column)
            )
        for diagnostic in fatal:
            leg.record_diagnostic(diagnostic)
        leg.starts(verbs)
        return Document(verbs, url)

    async def fetch(self, target: Target) -> FetchResult:
        """Fetch ``target`` with the leg's parameters, and log the exchange."""
        assert target.url is not None
        at = self.clock.now()
        request = WebhookRequest(target.url, target.method, self.leg.fetch_params(target))
        kind, note = self.leg.fetch_kind(target)
        result = await self.fetcher.fetch_document(request)
        self.request_log.record(
            kind,
            request,
            result,
            at,
            result.url or target.url,
            note,
            document=True,
        )
        return result
