"""A ``<Number url>`` whisper: the document run on the answered child leg of a ``<Dial>`` before it
is bridged. ``WhisperLeg`` is that leg as its verbs see it (the far end hears, and gives no input);
``WhisperLeg.run`` fetches and runs its documents."""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from typing import TYPE_CHECKING
from urllib.parse import urljoin

from callbox import codes
from callbox.codes import Code, code_of
from callbox.interpreter import params as p
from callbox.interpreter.caller import CallerAction, InputPrompt, Silence
from callbox.interpreter.clock import Clock
from callbox.interpreter.context import FarEnd, HangupWatch
from callbox.interpreter.documents import (
    XML_TYPES,
    compile_off_loop,
    used_as_written,
    verb_name,
    verb_position,
)
from callbox.interpreter.media.plane import MediaPlane, Rendered
from callbox.interpreter.outcomes import EndCall, Navigate
from callbox.interpreter.status import CallStatus
from callbox.interpreter.webhook import FetchResult, WebhookRequest
from callbox.markup.source import Position

if TYPE_CHECKING:
    from callbox.interpreter.session import CallSession


class WhisperLeg:
    """The answered child leg of a ``<Dial>`` while its whisper document runs: what is played
    is heard by the far end (``whisper`` events; the caller keeps hearing ringing, so nothing of
    it is in ``Timeline.heard()``), and the far end gives no input."""

    def __init__(self, session: CallSession, params: dict[str, str]) -> None:
        self.session = session
        self.params = params
        self.sid = params.get(p.CALL_SID) or session.next_sid("CA")
        self.account_sid = session.account_sid
        self.from_ = params.get(p.FROM, session.from_)
        self.to = params.get(p.TO, session.to)
        self.clock: Clock = session.clock
        self.timeline = session.timeline
        self.media: MediaPlane = session.media
        self.started_at = session.started_at
        self.api_base_url = session.api_base_url
        self.status = CallStatus.IN_PROGRESS
        self.document_url: str | None = None

    async def run(self, url: str, method: str) -> bool:
        """Fetch the whisper document at ``url`` and run its verbs, following their navigations:
        True when it ends without hanging up (bridge the call), False when it hangs up or fails."""
        session = self.session
        target: tuple[str, str, Mapping[str, str]] | None = (url, method.upper() or "POST", {})
        for _ in range(session.settings.max_redirects_without_input + 1):
            if target is None:
                return True
            url, method, params = target
            request = WebhookRequest(url, method, {**self.params, **params})
            at = self.clock.now()
            result = await session.fetcher.fetch_document(request)
            session.request_log.record(
                "whisper", request, result, at, result.url or url, note=" (whisper)"
            )
            if not result.ok or result.content_type not in XML_TYPES:
                session.error(
                    code_of(result.error_code or codes.INVALID_CONTENT_TYPE.id),
                    f"whisper document {url}: {result.message or result.content_type}",
                )
                return False
            verbs, found = await compile_off_loop(result.body, result.url)
            for diagnostic in found:
                session.record_diagnostic(diagnostic)
            if not verbs and any(d.is_error for d in found):
                return False
            self.document_url = result.url
            target = None
            for verb in verbs:
                name = verb_name(verb)
                if name == "Dial":
                    session.error(
                        codes.DIAL_IN_WHISPER, "<Dial> in a whisper document is not allowed"
                    )
                    return False
                runner = session.runners.get(type(verb))
                if runner is None:
                    session.warn(
                        codes.VERB_NOT_SUPPORTED,
                        f"<{name}> is not supported in a whisper: skipped",
                        verb_position(verb),
                    )
                    continue
                outcome = await runner(verb, self)
                if isinstance(outcome, EndCall):
                    return False
                if isinstance(outcome, Navigate):
                    next_url = self.resolve_url(outcome.url)
                    if next_url is None:
                        return False
                    target = (next_url, outcome.method.upper() or "POST", outcome.params)
                    break
        session.end_at_loop_limit("the whisper document redirected too many times")
        return False

    # --- CallContext ----------------------------------------------------------------------------
    def resolve_url(self, url: str | None) -> str | None:
        if url and used_as_written(url.strip()):
            return url.strip()
        if self.document_url is None:
            return self.session.resolve_url(url)
        return urljoin(self.document_url, (url or "").strip())

    def webhook_params(self, **extra: str) -> dict[str, str]:
        return {**self.params, **extra}

    async def fetch_media(self, url: str) -> FetchResult:
        return await self.session.fetch_media(url)

    def send_callback(self, url: str, method: str, params: Mapping[str, str]) -> None:
        self.session.send_callback(url, method, params)

    def warn(self, code: Code, message: str, position: Position | None = None) -> None:
        self.session.warn(code, f"(whisper) {message}", position)

    def error(self, code: Code, message: str, position: Position | None = None) -> None:
        self.session.error(code, f"(whisper) {message}", position)

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
        self.timeline.add(self.clock.now(), "input", "far end stays silent", prompt=prompt.kind)
        return Silence()

    @contextmanager
    def watch_hangup(self) -> Iterator[HangupWatch]:
        """The far end does not hang up during its whisper; the caller's hang-up is the
        ``<Dial>``'s to report."""
        yield HangupWatch()

    def far_end(self, address: str) -> FarEnd:
        return self.session.far_end(address)

    def next_sid(self, prefix: str) -> str:
        return self.session.next_sid(prefix)

    async def run_whisper(
        self, url: str, method: str = "POST", params: Mapping[str, str] | None = None
    ) -> bool:
        self.session.error(codes.DIAL_IN_WHISPER, "<Dial> in a whisper document is not allowed")
        return False
