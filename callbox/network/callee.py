"""The platform's numbers as far ends of a ``<Dial>``: dialing one rings it as Twilio's network
would, with a call of its own: the child leg of the dialing call (``outbound-dial``, its
``parent_call_sid`` the dialing call) reaches the number as an inbound call from the caller ID,
which runs the number's application through the exchange like any other inbound call.

Bridged, the dialing caller hears what that application plays (written on the dialing call's
timeline, with the callee leg's SID) and answers what it asks; the child leg's record follows
the callee call: its status, and its duration once it ends. A call created over REST to one of
the numbers is answered the same way (``AnsweringNumber``): by the number's application, on a
call of its own, the two ending together.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Coroutine
from dataclasses import dataclass, field, replace
from datetime import timedelta
from typing import Any, Protocol

from callbox.interpreter.call_result import CallResult
from callbox.interpreter.callee import BridgedCaller, Callee
from callbox.interpreter.caller import Caller
from callbox.interpreter.callers import SilentCaller
from callbox.interpreter.clock import Clock
from callbox.interpreter.context import CallContext
from callbox.interpreter.params import CallIdentity
from callbox.interpreter.session import CallSession
from callbox.interpreter.timeline import Event
from callbox.network.destinations import Destination, Outcome
from callbox.network.errors import ExchangeError
from callbox.records import Call, CallDirection, CallStatus, IncomingPhoneNumber, utc_now
from callbox.store import Store
from callbox.switchboard import Switchboard

MAX_DIAL_DEPTH = 8
"""How many numbers deep calls may dial each other (a number whose application dials itself
fails there instead of ringing forever)."""
SOUNDS = frozenset({"say", "play", "tones", "beep", "pause"})
"""What the callee's application plays that the dialing caller hears."""
FINAL = frozenset(status.value for status in CallStatus if status.is_final)


class Exchange(Protocol):
    """What a callee leg needs of the exchange that places the platform's calls."""

    store: Store
    board: Switchboard
    realtime: bool
    dial_depth: dict[str, int]

    def number(self, phone_number: str) -> IncomingPhoneNumber | None: ...

    def open_inbound(self, to: str, from_: str, caller: Caller) -> tuple[Call, CallSession]: ...

    async def run_inbound(
        self, call: Call, session: CallSession, *, held: bool = False
    ) -> tuple[Call, CallResult]: ...

    def spawn(self, work: Callable[[], Coroutine[Any, Any, None]]) -> None: ...


class NumberLines:
    """Which addresses are the platform's numbers: a ``FarEnds`` platform lookup."""

    def __init__(self, exchange: Exchange) -> None:
        self.exchange = exchange

    def __call__(self, address: str) -> NumberLine | None:
        if self.exchange.number(address) is None:
            return None
        return NumberLine(self.exchange, address)


@dataclass
class NumberLine:
    """A number of the platform as a far end (``CalleeLine``): it answers when its
    application's first document runs."""

    exchange: Exchange
    number: str
    outcome: str = "answer"
    answer_after: float = 0.0
    talk_for: float | None = None
    presses: tuple[str, ...] = field(default=())

    def dial(self, call: CallContext, leg: CallIdentity, timeout: float) -> Callee:
        callee = NumberCall(self.exchange, call, leg, self.number)
        callee.start()
        return callee


class NumberCall:
    """One callee leg (``Callee``): the child record, and the inbound call to the number."""

    def __init__(self, exchange: Exchange, call: CallContext, leg: CallIdentity, to: str) -> None:
        self.exchange = exchange
        self.call = call
        self.leg = leg
        self.to = to
        board = exchange.board
        self.settled = board.signal()
        self.ended = board.signal()
        self.connected = board.signal()
        self.answered = False
        self.status = CallStatus.RINGING.value
        self._caller = BridgedCaller(call, 0.0, self.connected)
        self._session: CallSession | None = None
        self._heard_before: list[Event] = []
        self._hung_up = False

    @property
    def caller_hung_up(self) -> bool:
        return self._caller.hung_up

    def start(self) -> None:
        """Keep the child leg's record and place the inbound call (it runs beside the dial)."""
        exchange = self.exchange
        now = utc_now()
        child = exchange.store.create(
            Call(
                sid=self.leg.call_sid,
                account_sid=self.call.account_sid,
                to=self.to,
                from_=self.leg.from_,
                status=CallStatus.RINGING,
                direction=CallDirection.OUTBOUND_DIAL,
                date_created=now,
                date_updated=now,
                start_time=now,
                parent_call_sid=self.call.sid,
            )
        )
        depth = exchange.dial_depth.get(self.call.sid, 0) + 1
        if depth > MAX_DIAL_DEPTH:
            self._note(f"{self.to}: calls dial numbers {MAX_DIAL_DEPTH} deep: the leg fails")
            self._end(child, CallStatus.FAILED.value, 0)
            return
        try:
            inbound, session = exchange.open_inbound(self.to, self.leg.from_, self._caller)
        except ExchangeError as error:  # the number went away, or has nothing to run
            self._note(f"{self.to} cannot take the call: {error}")
            self._end(child, CallStatus.FAILED.value, 0)
            return
        self._session = session
        self._note(f"{self.to} is the platform's: call {inbound.sid} runs its application")
        self._caller.offset = self.call.clock.now() - session.clock.now()
        exchange.dial_depth[inbound.sid] = depth
        session.timeline.subscribe(self._event)
        self.call.timeline.subscribe(self._caller_event)
        exchange.board.scheduler.acquire()  # the clock waits for the leg from now

        async def run() -> None:
            try:
                _, result = await exchange.run_inbound(inbound, session, held=True)
            finally:
                exchange.dial_depth.pop(inbound.sid, None)
                self.settled.set()
                self.ended.set()
            status = self.status
            if self._hung_up and not self.answered:
                status = CallStatus.CANCELED.value
            self._end(child, status, result.duration)

        exchange.spawn(run)

    def _answered_record(self) -> None:
        latest = self.exchange.store.get(Call, self.leg.call_sid)
        if latest is not None:
            self.exchange.store.update(
                replace(latest, status=CallStatus.IN_PROGRESS, date_updated=utc_now())
            )

    def _note(self, text: str) -> None:
        self.call.timeline.add(self.call.clock.now(), "dial", text, sid=self.leg.call_sid)

    def _end(self, child: Call, status: str, duration: float) -> None:
        self.status = status
        self.settled.set()
        self.ended.set()
        latest = self.exchange.store.get(Call, child.sid) or child
        ended = utc_now()
        if not self.exchange.realtime and latest.start_time is not None:
            ended = latest.start_time + timedelta(seconds=duration)
        self.exchange.store.update(
            replace(
                latest,
                status=CallStatus(status),
                duration=math.ceil(duration - 1e-6) if duration > 0 else 0,
                end_time=ended,
                date_updated=ended,
            )
        )

    def _event(self, event: Event) -> None:
        """The callee call's timeline as it is written: its answer and end settle the ringing;
        what it plays the caller hears once bridged."""
        if event.kind == "status":
            status = str(event.data.get("status", ""))
            if status == CallStatus.IN_PROGRESS.value:
                self.answered = True
                self.settled.set()
                self._answered_record()
            elif status in FINAL:
                self.status = status
                self.settled.set()
                self.ended.set()
        elif event.kind in SOUNDS:
            if self.connected.is_set():
                self._hear(event)
            else:
                self._heard_before.append(event)

    def _caller_event(self, event: Event) -> None:
        """The dialing call ended (hung up, or from outside): so does the callee's."""
        if event.kind == "status" and str(event.data.get("status", "")) in FINAL:
            self.hangup()

    def _hear(self, event: Event) -> None:
        data = {**event.data, "leg": self._session.sid if self._session else self.to}
        self.call.timeline.add(self.call.clock.now(), event.kind, event.text, **data)

    def connect(self) -> None:
        self.connected.set()
        heard, self._heard_before = self._heard_before, []
        for event in heard:
            self._hear(event)

    def hangup(self) -> None:
        if self.ended.is_set():
            return
        self._hung_up = True
        if self._session is not None:
            self._session.hangup()


class AnsweringNumber:
    """The far end of a call created over REST to one of the platform's numbers: an inbound
    call to the number from the call's ``From``, whose application answers (or rejects) it.
    Once answered, the two calls end together; nobody on either presses or says anything."""

    def __init__(self, exchange: Exchange, call: Call) -> None:
        self.exchange = exchange
        self.call = call
        self.settled = exchange.board.signal()
        self.answered = False
        self.status = CallStatus.RINGING.value
        self._session: CallSession | None = None
        self._peer: CallSession | None = None

    async def ring(self, timeout: float, clock: Clock) -> Destination:
        """Place the inbound call and wait until its application answers or refuses it, or
        ``timeout`` seconds: the far end as the exchange rings it."""
        exchange = self.exchange
        try:
            inbound, session = exchange.open_inbound(self.call.to, self.call.from_, SilentCaller())
        except ExchangeError as error:
            return Destination(Outcome.FAILED, 0.0, description=str(error))
        self._session = session
        session.timeline.subscribe(self._event)
        exchange.board.scheduler.acquire()

        async def run() -> None:
            try:
                await exchange.run_inbound(inbound, session, held=True)
            finally:
                self.settled.set()

        exchange.spawn(run)
        start = clock.now()
        if not self.settled.is_set():
            await self.settled.wait(timeout)
        elapsed = clock.now() - start
        if self.answered:
            return Destination(ring_for=elapsed, description="the number's application")
        if self._session is not None and self.status not in FINAL:
            self.hangup()
            return Destination(Outcome.NO_ANSWER, timeout)
        outcome = {"busy": Outcome.BUSY, "no-answer": Outcome.NO_ANSWER}.get(self.status)
        return Destination(outcome or Outcome.FAILED, elapsed)

    def attach(self, session: CallSession) -> None:
        """The answered REST call's session: when either call ends, so does the other."""
        self._peer = session
        session.timeline.subscribe(self._peer_event)
        if self.status in FINAL:
            session.hangup()  # the application hung up before the call could run

    def _event(self, event: Event) -> None:
        if event.kind != "status":
            return
        status = str(event.data.get("status", ""))
        if status == CallStatus.IN_PROGRESS.value:
            self.answered = True
            self.settled.set()
        elif status in FINAL:  # while its call still holds the clock, which then moves on
            self.status = status
            self.settled.set()
            if self._peer is not None:
                self._peer.hangup()  # the number's application hung up: so does the call

    def _peer_event(self, event: Event) -> None:
        if event.kind == "status" and str(event.data.get("status", "")) in FINAL:
            self.hangup()

    def hangup(self) -> None:
        if self._session is not None:
            self._session.hangup()  # no-op once it has ended
