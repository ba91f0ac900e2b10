"""The callbacks a call sends the application: its status callbacks (at the events its settings
ask for) and the ones verbs send. Each goes out in a task group without the call waiting for it
(the call's own, or one it shares with other calls: the call waits for its own callbacks at its
end, ``drain``); a failed one is a warning on the timeline."""

from __future__ import annotations

import math
from collections.abc import Callable
from datetime import datetime

import anyio.abc

from callbox import codes
from callbox.codes import code_of
from callbox.interpreter import params as p
from callbox.interpreter.call_result import WebhookExchange
from callbox.interpreter.call_settings import CallSettings
from callbox.interpreter.clock import Clock
from callbox.interpreter.status import CallStatus
from callbox.interpreter.timeline import Timeline
from callbox.interpreter.webhook import Fetcher, WebhookRequest


class CallbackSender:
    """Sends one call's callbacks while its ``task_group`` is set (the call is running) and keeps
    each, with what came back, in ``sent``."""

    __slots__ = (
        "_drained",
        "_in_flight",
        "_sequence",
        "clock",
        "fetcher",
        "identity",
        "sent",
        "settings",
        "started_at",
        "task_group",
        "timeline",
    )

    def __init__(
        self,
        settings: CallSettings,
        identity: p.CallIdentity,
        started_at: datetime,
        fetcher: Fetcher,
        clock: Clock,
        timeline: Timeline,
    ) -> None:
        self.settings = settings
        self.identity = identity
        self.started_at = started_at
        self.fetcher = fetcher
        self.clock = clock
        self.timeline = timeline
        self.sent: list[WebhookExchange] = []
        self.task_group: anyio.abc.TaskGroup | None = None
        self._sequence = 0
        self._in_flight = 0
        self._drained: anyio.Event | None = None

    def status(self, event: str, status: CallStatus, duration: Callable[[], float]) -> None:
        """The status callback of ``event`` (``initiated``, ``ringing``, ``answered``,
        ``completed``) when the settings ask for it; ``duration`` gives the call's seconds."""
        url = self.settings.status_callback
        if not url or event not in self.settings.status_callback_events:
            return
        seconds = math.ceil(duration() - 1e-6) if event == "completed" else None
        at = self.clock.now()
        params = p.status_callback_params(
            self.identity,
            event,
            status=p.callback_status(event, status),
            sequence_number=self._sequence,
            timestamp=p.call_moment(self.started_at, at),
            duration=seconds,
        )
        self._sequence += 1
        self.send(WebhookRequest(url, self.settings.status_callback_method, params), "status")

    def send(self, request: WebhookRequest, purpose: str) -> None:
        """Send ``request`` without waiting (``purpose``: ``status`` or ``callback``)."""
        at = self.clock.now()
        self.timeline.add(
            at,
            "callback",
            f"{request.method} {request.url}",
            purpose=purpose,
            method=request.method,
            url=request.url,
        )
        if self.task_group is None:
            self.timeline.add(at, "note", "callback not sent: the call is over")
            return
        self._in_flight += 1
        self.task_group.start_soon(self._deliver, request, at)

    async def drain(self) -> None:
        """Wait until the callbacks sent so far have come back (a task group shared with other
        calls does not wait for this call's alone)."""
        while self._in_flight:
            drained = self._drained = anyio.Event()
            await drained.wait()
        self._drained = None

    async def _deliver(self, request: WebhookRequest, at: float) -> None:
        try:
            with self.clock.hold():  # network I/O: a shared clock waits for it
                result = await self.fetcher.send_callback(request)
            self.sent.append(WebhookExchange("callback", request, result, at))
            if not result.ok:
                code = code_of(result.error_code or codes.CALLBACK_ERROR.id)
                self.timeline.add(
                    self.clock.now(),
                    "warning",
                    f"{code.id} callback {request.url} failed: {result.message or code.summary}",
                    code=code.id,
                    symbol=code.symbol,
                )
        finally:
            self._in_flight -= 1
            if self._drained is not None and not self._in_flight:
                self._drained.set()
