"""``<Dial><Queue>``: an agent takes the caller at the front of a queue (waiting up to the
``<Dial timeout>`` for one when it is empty), the caller hears the ``<Queue url>``, and the two
talk until one hangs up, the ``timeLimit``, or the agent's ``*`` (``hangupOnStar``).

The agent's ``action`` gets ``DialCallStatus`` (``completed`` when bridged, ``no-answer`` when no
caller came), ``DialCallSid`` (the caller's call), ``DialCallDuration`` and ``QueueSid``.
"""

from __future__ import annotations

from callbox.interpreter import params as p
from callbox.interpreter.caller import HangUp, InputPrompt, Press
from callbox.interpreter.context import CallContext
from callbox.interpreter.outcomes import Continue, EndCall, Outcome
from callbox.interpreter.rooms import QueueSeat
from callbox.interpreter.verbs.actions import navigate
from callbox.interpreter.verbs.callbacks import whole_seconds
from callbox.interpreter.verbs.digits import key_presses
from callbox.interpreter.verbs.inputs import note_input, prompt_index
from callbox.markup.model import Dial, Queue

AGENT_HUNG_UP = "the agent hung up"


async def dial_queue(dial: Dial, noun: Queue, call: CallContext) -> Outcome:
    rooms = call.rooms
    assert rooms is not None  # run_dial checks
    name = noun.name.strip()
    queue = rooms.queue(name)
    start = call.clock.now()
    call.timeline.add(start, "dial", f"dialing queue {name}", queue_sid=queue.sid)
    url = call.resolve_url(noun.url) if noun.url else None
    seat: QueueSeat | None = None
    with call.watch_hangup() as line:
        ticket = queue.take_front(call.sid, url, str(noun.method))
        if not ticket.arrived.is_set():
            await call.wait_for(ticket.arrived, float(max(dial.timeout, 0)))
        seat = ticket.seat
        if seat is None:
            queue.withdraw(ticket)
    if seat is None:
        status = "canceled" if line.hung_up else "no-answer"
        call.timeline.add(call.clock.now(), "dial", f"no caller in queue {name}: {status}")
        return _done(call, dial, {p.DIAL_CALL_STATUS: status, p.QUEUE_SID: queue.sid}, line.hung_up)
    taken_by = seat.taken
    bridge = taken_by.bridge if taken_by is not None else None
    assert bridge is not None
    call.timeline.add(
        call.clock.now(),
        "dial",
        f"dequeued {seat.call_sid} from {name} after {call.clock.now() - start:.1f} s",
        sid=seat.call_sid,
    )
    talked = 0.0
    with call.watch_hangup() as line:
        await call.wait_for(bridge.connected)
        talk_from = call.clock.now()
        if not bridge.ended.is_set():
            call.timeline.add(talk_from, "dial", f"bridged to {seat.call_sid}", sid=seat.call_sid)
            length, why = await _agent_stays(call, dial, talk_from)
            if not await call.wait_for(bridge.ended, length):
                bridge.end(why)
        talked = call.clock.now() - talk_from
    if line.hung_up:
        bridge.end(AGENT_HUNG_UP)
        talked = call.clock.now() - talk_from
    call.timeline.add(
        call.clock.now(),
        "dial",
        f"call with {seat.call_sid} ended after {talked:.1f} s ({bridge.ended_by})",
        sid=seat.call_sid,
        duration=talked,
    )
    params = {
        p.DIAL_CALL_STATUS: "completed",
        p.DIAL_CALL_SID: seat.call_sid,
        p.DIAL_CALL_DURATION: str(whole_seconds(talked)),
        p.DIAL_BRIDGED: "true",
        p.QUEUE_SID: queue.sid,
    }
    return _done(call, dial, params, line.hung_up)


async def _agent_stays(call: CallContext, dial: Dial, start: float) -> tuple[float, str]:
    """How long the agent stays on the bridge (its ``timeLimit``, or its ``*``) and why it
    would leave then; the agent's own hang-up ends the ``watch_hangup`` block instead."""
    limit = float(max(dial.time_limit, 0))
    if not dial.hangup_on_star:
        return limit, "time limit"
    action = await call.ask(
        InputPrompt(
            kind="dial",
            index=prompt_index(call),
            inputs=frozenset({"dtmf"}),
            timeout=limit,
            finish_on_key="*",
            at=start,
        )
    )
    if isinstance(action, Press):
        stars = [press.at for press in key_presses(action.digits, action.after) if press.key == "*"]
        if stars and stars[0] < limit:
            note_input(call, action, verb="dial", outcome="* hangs up the dequeued caller")
            return max(stars[0], 0.0), "the agent pressed *"
    if isinstance(action, HangUp):
        return max(action.after, 0.0) + 1.0, AGENT_HUNG_UP  # the hang-up comes first
    return limit, "time limit"


def _done(call: CallContext, dial: Dial, params: dict[str, str], hung_up: bool) -> Outcome:
    call.timeline.add(call.clock.now(), "dial", f"DialCallStatus={params[p.DIAL_CALL_STATUS]}")
    if dial.action:
        return navigate(call, dial.action, str(dial.method), params, input_given=True)
    if hung_up:
        return EndCall(reason="caller-hangup")
    return Continue()
