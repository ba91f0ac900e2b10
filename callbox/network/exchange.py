"""The exchange: runs the platform's calls (created over REST, or arriving at its numbers) through
the interpreter and keeps their records in the store: status as it changes, then the ending,
every warning and error as a Notification, every recording with its audio.

It implements the API's ``CallControl``: live calls can be redirected, hung up or canceled.
``aclose`` (graceful shutdown) ends every live call and waits until its record is written.
"""

from __future__ import annotations

import dataclasses
import io
import math
from collections.abc import Callable, Coroutine, Mapping
from datetime import datetime, timedelta
from decimal import Decimal
from pathlib import Path
from types import TracebackType
from typing import Any
from urllib.parse import urlencode

import anyio
import anyio.abc
import httpx

from callbox.interpreter import params as p
from callbox.interpreter.call_result import CallResult, WebhookExchange
from callbox.interpreter.call_settings import DEFAULT_AUTH_TOKEN, CallSettings, SettingsError
from callbox.interpreter.callbacks import CallbackSender
from callbox.interpreter.caller import Caller
from callbox.interpreter.callers import SilentCaller
from callbox.interpreter.clock import Clock
from callbox.interpreter.far_ends import FarEnds, ScriptedFarEnd
from callbox.interpreter.fetch import HttpFetcher
from callbox.interpreter.media.audio import silent
from callbox.interpreter.media.plane import EstimatedMediaPlane, MediaPlane
from callbox.interpreter.policy import FetchPolicy
from callbox.interpreter.session import CallSession
from callbox.interpreter.timeline import Timeline
from callbox.network.callee import AnsweringNumber, NumberLines
from callbox.network.charges import Charges, routing_json
from callbox.network.destinations import Destination, Outcome, destination
from callbox.network.errors import ExchangeError
from callbox.network.inbound import inbound_call, number_of
from callbox.network.switch import CallRouting
from callbox.records import (
    Account,
    Call,
    CallDirection,
    CallStatus,
    HttpMethod,
    IncomingPhoneNumber,
    Notification,
    NotificationLog,
    Recording,
    RecordingSource,
    RecordingStatus,
    SidPrefix,
    more_info_url,
    new_sid,
    utc_now,
)
from callbox.store import Store
from callbox.switchboard import Switchboard
from callbox.switchboard.conferences import ConferenceRecording


class Exchange:
    """Places and tracks calls. Use it as ``async with Exchange(...) as exchange``: calls run in
    its task group, and leaving the block ends the live ones and records them."""

    def __init__(
        self,
        store: Store,
        client: httpx.AsyncClient,
        *,
        policy: FetchPolicy | None = None,
        media: MediaPlane | None = None,
        realtime: bool = False,
        public_url: str | None = None,
        charges: Charges | None = None,
        board: Switchboard | None = None,
    ) -> None:
        self.charges = charges
        self._routings: dict[str, CallRouting] = {}
        self.store = store
        self.client = client
        self.policy = policy or FetchPolicy()
        self.media: MediaPlane = media or EstimatedMediaPlane()
        self.realtime = realtime
        self.public_url = public_url
        self.board = board or Switchboard(
            policy=self.policy, client=client, media=self.media, realtime=realtime
        )
        """Where the calls are placed: their shared clock, rooms and registry of live calls."""
        self.board.rooms.on_recording = self._keep_conference_recording
        self.sessions: dict[str, CallSession] = {}
        """The calls running their documents now, by SID."""
        self._ringing: dict[str, anyio.Event] = {}
        self._ended_early: dict[str, CallStatus] = {}
        self._group: anyio.abc.TaskGroup | None = None
        self._finished = anyio.Event()
        self.lines = NumberLines(self)
        """The platform's numbers as far ends: a ``<Dial>`` to one runs its application."""
        self._answering: dict[str, AnsweringNumber] = {}
        """The numbers' applications answering calls created over REST, while they ring."""
        self.dial_depth: dict[str, int] = {}
        """How many numbers deep each call placed by a ``<Dial>`` is (see ``callee``)."""

    # --- lifecycle --------------------------------------------------------------------------
    async def __aenter__(self) -> Exchange:
        self._group = anyio.create_task_group()
        await self._group.__aenter__()
        return self

    async def __aexit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        self.end_all()
        group, self._group = self._group, None
        if group is not None:
            await group.__aexit__(exc_type, exc, traceback)

    def end_all(self) -> None:
        """End every live call (graceful shutdown): each one's record is still written."""
        for sid in list(self._ringing):
            self.end(sid, CallStatus.CANCELED)
        for session in list(self.sessions.values()):
            session.hangup()

    # --- CallControl ------------------------------------------------------------------------
    def place(self, call: Call) -> None:
        if self._group is None:
            raise ExchangeError("the exchange is not running")
        self._ringing[call.sid] = anyio.Event()
        self.board.tasks.start_soon(self._group, self._outbound, call)

    def is_live(self, call_sid: str) -> bool:
        return call_sid in self.sessions or call_sid in self._ringing

    def redirect(
        self, call_sid: str, url: str | None, method: HttpMethod, twiml: str | None
    ) -> bool:
        session = self.sessions.get(call_sid)
        if session is None or url is None:
            return False
        session.redirect(url, method.value)
        return True

    def end(self, call_sid: str, status: CallStatus) -> bool:
        ringing = self._ringing.get(call_sid)
        if ringing is not None:
            self._ended_early[call_sid] = CallStatus.CANCELED
            ringing.set()
            return True
        session = self.sessions.get(call_sid)
        if session is None:
            return False
        session.hangup()
        return True

    # --- calls ------------------------------------------------------------------------------
    def _clock(self) -> Clock:
        """A call's clock: its view of the switchboard's shared virtual clock, or the wall
        clock (calls that wait for each other in queues and conferences see the same time)."""
        return self.board.clock()

    def _fetcher(self, call: Call, auth_token: str) -> HttpFetcher:
        """A fetcher for one call, signing as its account: an app on loopback may send the
        call on to loopback URLs (callbacks, redirects), as with ``callbox call``."""
        policy = self.policy.for_first_url(call.url)
        return HttpFetcher(self.client, auth_token=auth_token, policy=policy)

    def _update(self, call: Call, **changes: object) -> Call:
        latest = self.store.get(Call, call.sid)
        if latest is None:  # deleted meanwhile: nothing to keep
            return dataclasses.replace(call, **changes)  # type: ignore[arg-type]
        return self.store.update(dataclasses.replace(latest, **changes))  # type: ignore[arg-type]

    async def _ring(self, call: Call, seconds: float, clock: Clock) -> bool:
        """Ring for ``seconds`` of call time; False when the call was canceled meanwhile."""
        event = self._ringing[call.sid]
        if self.realtime:
            with anyio.move_on_after(seconds):
                await event.wait()
        else:
            await clock.sleep(seconds)
        return call.sid not in self._ended_early

    async def _outbound(self, call: Call) -> None:
        """Ring the call, then run it; it holds the shared clock from the start (it rings on
        call time before its session runs), and its session takes that hold over."""
        self.board.scheduler.acquire()
        answered: tuple[Call, CallSession, datetime] | None = None
        try:
            answered = await self._ring_out(call)
        finally:
            answering = self._answering.pop(call.sid, None)
            if answered is None:
                if answering is not None:
                    answering.hangup()  # canceled, or its carriers failed: it rings no more
                self.board.scheduler.release()
        if answered is not None:
            await self._run(*answered, held=True)

    async def _ring_out(self, call: Call) -> tuple[Call, CallSession, datetime] | None:
        """Ring ``call``: the answered call with its session, or None when it ended unanswered."""
        account = self.store.get(Account, call.account_sid)
        far_end = destination(call.to)
        clock = self._clock()
        started = utc_now()
        call = self._update(
            call, status=CallStatus.RINGING, start_time=started, date_updated=started
        )
        try:
            settings = self._settings(call, account, far_end)
        except SettingsError as error:
            self._end_unanswered(call, started, CallStatus.FAILED, clock, str(error))
            return None
        answering = AnsweringNumber(self, call) if self.number(call.to) is not None else None
        if answering is not None:  # one of the platform's numbers: its application answers
            self._answering[call.sid] = answering
            far_end = await answering.ring(float(call.timeout), clock)
        answered = far_end.outcome is Outcome.ANSWER and far_end.ring_for <= call.timeout
        if self.charges is not None:
            expected = far_end.final_status or (
                CallStatus.COMPLETED if answered else CallStatus.NO_ANSWER
            )
            routing = self.charges.route_call(call.to, started.timestamp(), expected.value)
            if routing is not None:
                self._routings[call.sid] = routing
                call = self._update(call, routing=routing_json(routing))
                if routing.carrier is None or routing.status != expected.value:
                    # every carrier failed (outages): the call fails whatever the far end does
                    await self._send_unanswered(call, settings, started, CallStatus.FAILED, clock)
                    self._end_unanswered(call, started, CallStatus.FAILED, clock)
                    return None
        ring_for = (
            far_end.ring_for
            if answered or far_end.outcome is not Outcome.NO_ANSWER or answering is not None
            else call.timeout
        )
        still_ringing = await self._ring(call, min(ring_for, float(call.timeout)), clock)
        self._ringing.pop(call.sid, None)
        if not still_ringing:
            await self._send_unanswered(call, settings, started, CallStatus.CANCELED, clock)
            self._end_unanswered(call, started, CallStatus.CANCELED, clock)
            return None
        status = far_end.final_status
        if status is not None or not answered:
            final = status or CallStatus.NO_ANSWER
            await self._send_unanswered(call, settings, started, final, clock)
            self._end_unanswered(call, started, final, clock)
            return None
        answered_at = utc_now() if self.realtime else started + timedelta(seconds=ring_for)
        call = self._update(
            call,
            status=CallStatus.IN_PROGRESS,
            answered_by=far_end.answered_by if call.machine_detection else None,
            date_updated=utc_now(),
        )
        session = self.board.session(
            settings,
            SilentCaller(),
            fetcher=self._fetcher(call, settings.auth_token),
            media=self.media,
            clock=clock,
            far_ends=FarEnds(platform=self.lines),
            started_at=answered_at,
        )
        if answering is not None:
            answering.attach(session)
        return call, session, answered_at

    def _settings(
        self, call: Call, account: Account | None, far_end: Destination | None = None
    ) -> CallSettings:
        extra: dict[str, str] = {}
        if call.machine_detection and far_end is not None:
            extra["AnsweredBy"] = far_end.answered_by.value
        return CallSettings(
            url=call.url,
            method=call.method.value,
            twiml=call.twiml.encode() if call.twiml is not None else None,
            from_=call.from_,
            to=call.to,
            account_sid=call.account_sid,
            auth_token=account.auth_token if account else DEFAULT_AUTH_TOKEN,
            direction=call.direction.value,
            fallback_url=call.fallback_url,
            fallback_method=call.fallback_method.value,
            status_callback=call.status_callback,
            status_callback_method=call.status_callback_method.value,
            status_callback_events=frozenset(e.value for e in call.status_callback_events),
            call_sid=call.sid,
            extra_params=extra,
            api_base_url=self.public_url,
        )

    async def _send_unanswered(
        self,
        call: Call,
        settings: CallSettings,
        started: datetime,
        status: CallStatus,
        clock: Clock,
    ) -> None:
        """The status callbacks of a call that was never answered, as Twilio sends them."""
        identity = p.CallIdentity(
            call_sid=call.sid,
            account_sid=call.account_sid,
            from_=call.from_,
            to=call.to,
            direction=call.direction.value,
        )
        fetcher = self._fetcher(call, settings.auth_token)
        sender = CallbackSender(settings, identity, started, fetcher, clock, Timeline())
        async with anyio.create_task_group() as group:
            sender.task_group = group
            sender.status("initiated", CallStatus.QUEUED, lambda: 0.0)
            if status is not CallStatus.FAILED:
                sender.status("ringing", CallStatus.RINGING, lambda: 0.0)
            sender.status("completed", status, lambda: 0.0)
        sender.task_group = None

    def _end_unanswered(
        self,
        call: Call,
        started: datetime,
        status: CallStatus,
        clock: Clock,
        reason: str | None = None,
    ) -> None:
        self._ringing.pop(call.sid, None)
        self._ended_early.pop(call.sid, None)
        ended = utc_now() if self.realtime else started + timedelta(seconds=clock.now())
        self._routings.pop(call.sid, None)
        price = None if self.charges is None else Decimal("0.00000")
        self._update(
            call, status=status, end_time=ended, duration=0, date_updated=ended, price=price
        )
        if reason is not None:
            self._notify(call, "11200", NotificationLog.ERROR, reason, ended)

    async def _run(
        self, call: Call, session: CallSession, answered_at: datetime, *, held: bool = False
    ) -> CallResult:
        """Run the call's session on the switchboard (``held``: it holds the clock already)."""
        self.sessions[call.sid] = session
        try:
            result = await (self.board.run_held(session) if held else self.board.run(session))
        finally:
            del self.sessions[call.sid]
        self._conclude(call, result, answered_at)
        return result

    def _conclude(self, call: Call, result: CallResult, answered_at: datetime) -> None:
        ended = answered_at + timedelta(
            seconds=result.timeline.events[-1].at if result.timeline.events else 0.0
        )
        if self.realtime:
            ended = utc_now()
        duration = math.ceil(result.duration - 1e-6)
        self._update(
            call,
            status=result.status,
            end_time=ended,
            duration=duration,
            date_updated=ended,
            price=self._price(call, duration, ended),
        )
        for event in result.timeline.events:
            if event.kind not in ("warning", "error") or "code" not in event.data:
                continue
            exchange = _exchange_before(result.requests, event.data.get("url"), event.at)
            self._notify(
                call,
                str(event.data["code"]),
                NotificationLog.ERROR if event.kind == "error" else NotificationLog.WARNING,
                event.text,
                answered_at + timedelta(seconds=event.at),
                exchange,
            )
        for recording in result.recordings:
            self._keep_recording(
                call, recording.sid, recording.path, recording.duration, answered_at
            )

    def _price(self, call: Call, duration: int, ended: datetime) -> Decimal | None:
        """The call's price: at its carrier's rate when it went out, at the inbound rate when it
        came in; None when the platform has no charges."""
        if self.charges is None:
            return None
        routing = self._routings.pop(call.sid, None)
        if call.direction is CallDirection.INBOUND:
            return self.charges.inbound_call_price(duration)
        if routing is None:
            return Decimal("0.00000") if duration == 0 else None
        return self.charges.outbound_call_price(routing, duration, ended.timestamp())

    def _keep_recording(
        self, call: Call, sid: str, path: object, duration: float, at: datetime
    ) -> None:
        record = Recording(
            sid=sid,
            account_sid=call.account_sid,
            call_sid=call.sid,
            status=RecordingStatus.COMPLETED,
            source=RecordingSource.RECORD_VERB,
            date_created=at,
            date_updated=at,
            start_time=at,
            duration=math.ceil(duration - 1e-6) if duration > 0 else 0,
        )
        if self.charges is not None:
            record = dataclasses.replace(
                record, price=self.charges.recording_price(record.duration or 0)
            )
        if self.store.get(Recording, sid) is None:
            self.store.create(record)
        if isinstance(path, Path) and path.is_file():
            self.store.put_recording_audio(sid, path.read_bytes())

    def _keep_conference_recording(self, recording: ConferenceRecording) -> None:
        """A conference's ``record-from-start`` recording, kept as Twilio lists it: under the
        conference, sourced ``Conference``, its audio the room's silence."""
        seconds = math.ceil(recording.duration - 1e-6) if recording.duration > 0 else 0
        record = Recording(
            sid=recording.sid,
            account_sid=recording.account_sid,
            call_sid=recording.call_sid,
            conference_sid=recording.conference_sid,
            status=RecordingStatus.COMPLETED,
            source=RecordingSource.CONFERENCE,
            date_created=recording.started,
            date_updated=utc_now(),
            start_time=recording.started,
            duration=seconds,
        )
        if self.charges is not None:
            record = dataclasses.replace(record, price=self.charges.recording_price(seconds))
        self.store.create(record)
        self.store.put_recording_audio(recording.sid, silent_wav(recording.duration))

    def _notify(
        self,
        call: Call,
        code: str,
        log: NotificationLog,
        text: str,
        at: datetime,
        exchange: WebhookExchange | None = None,
    ) -> None:
        result = exchange.result if exchange is not None else None
        self.store.create(
            Notification(
                sid=new_sid(SidPrefix.NOTIFICATION),
                account_sid=call.account_sid,
                call_sid=call.sid,
                error_code=code,
                log=log,
                message_text=text,
                message_date=at,
                date_created=at,
                date_updated=at,
                more_info=more_info_url(code) if code.isdigit() else "",
                request_method=HttpMethod(exchange.method)
                if exchange is not None and exchange.method in ("GET", "POST")
                else None,
                request_url=exchange.url if exchange is not None else None,
                request_variables=_form(exchange.params) if exchange is not None else "",
                response_headers=f"Content-Type: {result.content_type}"
                if result and result.content_type
                else "",
                response_body=result.body.decode("utf-8", "replace") if result else "",
            )
        )

    # --- inbound ----------------------------------------------------------------------------
    def number(self, phone_number: str) -> IncomingPhoneNumber | None:
        return number_of(self.store, phone_number)

    def open_inbound(
        self,
        to: str,
        from_: str,
        caller: Caller,
        *,
        parent_call_sid: str | None = None,
        far_ends: Mapping[str, ScriptedFarEnd] | None = None,
    ) -> tuple[Call, CallSession]:
        """A call from ``from_`` to the platform's number ``to``, recorded as ringing and ready
        to run against the number's voice URL (or its application's); ExchangeError when the
        platform does not serve ``to`` or it has nothing to run."""
        call = self.store.create(inbound_call(self.store, to, from_, parent_call_sid))
        account = self.store.get(Account, call.account_sid)
        session = self.board.session(
            self._settings(call, account),
            caller,
            fetcher=self._fetcher(call, account.auth_token if account else DEFAULT_AUTH_TOKEN),
            media=self.media,
            clock=self._clock(),
            far_ends=FarEnds(far_ends, platform=self.lines),
            started_at=call.start_time,
        )
        session.timeline.subscribe(lambda event: self._answered(call, event.data))
        return call, session

    def _answered(self, call: Call, data: Mapping[str, object]) -> None:
        """An inbound call's record shows it in progress from its answer."""
        if data.get("event") == "answer" and data.get("status") == CallStatus.IN_PROGRESS.value:
            self._update(call, status=CallStatus.IN_PROGRESS, date_updated=utc_now())

    async def run_inbound(
        self, call: Call, session: CallSession, *, held: bool = False
    ) -> tuple[Call, CallResult]:
        """Run an inbound call ``open_inbound`` made to its end (``held``: the clock was
        acquired for it already); its record and result."""
        result = await self._run(call, session, call.start_time or utc_now(), held=held)
        return self.store.get(Call, call.sid) or call, result

    async def inbound(
        self, to: str, from_: str, caller: Caller, *, parent_call_sid: str | None = None
    ) -> tuple[Call, CallResult]:
        """A call from ``from_`` to the platform's number ``to``, run to its end."""
        call, session = self.open_inbound(to, from_, caller, parent_call_sid=parent_call_sid)
        return await self.run_inbound(call, session)

    def spawn(self, work: Callable[[], Coroutine[Any, Any, None]]) -> None:
        """Run ``work`` beside the calls: it outlives the request that started it, and graceful
        shutdown waits for it (an inbound call streamed to a client that went away)."""
        if self._group is None:
            raise ExchangeError("the exchange is not running")
        self._group.start_soon(work)


def _exchange_before(
    exchanges: tuple[WebhookExchange, ...], url: object, at: float
) -> WebhookExchange | None:
    """The last request (to ``url`` when given) sent at or before ``at``."""
    found = None
    for exchange in exchanges:
        if exchange.at <= at + 1e-9 and (url is None or exchange.url == url):
            found = exchange
    return found


def _form(params: Mapping[str, str | list[str]]) -> str:
    pairs: list[tuple[str, str]] = []
    for key, value in params.items():
        pairs.extend((key, v) for v in (value if isinstance(value, list) else [value]))
    return urlencode(pairs)


def silent_wav(seconds: float) -> bytes:
    """``seconds`` of silence as a telephone-quality WAV (the media plane's own silence)."""
    out = io.BytesIO()
    silent(max(0.0, seconds)).export(out, format="wav")
    return out.getvalue()
