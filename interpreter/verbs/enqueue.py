"""``<Enqueue>`` and ``<Leave>``: the caller waits in a named queue, hearing the ``waitUrl``
(requested again each time it ends, with ``QueuePosition``, ``QueueTime``...), until an agent's
``<Dial><Queue>`` takes it, the REST API sends it elsewhere, a ``<Leave>`` in the wait music lets
it go, or it hangs up. Then the ``action`` is requested with ``QueueResult`` (or, without one, the
document goes on after the ``<Enqueue>``).

A dequeued caller first hears the agent's ``<Queue url>``, then talks with the agent until one of
them hangs up.
"""

from __future__ import annotations

from callbox import codes
from callbox.interpreter import params as p
from callbox.interpreter.context import CallContext
from callbox.interpreter.outcomes import LEAVE, Continue, EndCall, Outcome
from callbox.interpreter.rooms import Dequeued, QueueSeat
from callbox.interpreter.verbs.actions import navigate
from callbox.interpreter.verbs.callbacks import whole_seconds
from callbox.interpreter.verbs.waiting import Music, wait_with_music
from callbox.markup.model import Enqueue, Leave

WAIT_VERBS = frozenset({"Play", "Say", "Pause", "Hangup", "Redirect", "Leave", "Gather"})
"""The verbs an ``<Enqueue waitUrl>`` document may use (Twilio's list)."""
QUEUE_URL_VERBS = frozenset({"Play", "Say", "Pause", "Redirect"})
"""The verbs a ``<Queue url>`` document, played to the dequeued caller, may use."""
CALLER_HUNG_UP = "the caller hung up"


async def run_enqueue(verb: Enqueue, call: CallContext) -> Outcome:
    rooms = call.rooms
    if rooms is None or verb.task is not None or verb.workflow_sid:
        what = "a call on its own has no queues" if rooms is None else "TaskRouter workflows"
        call.warn(
            codes.VERB_NOT_SUPPORTED,
            f"<Enqueue> is not simulated here ({what}): skipped",
            verb.position,
        )
        return Continue()
    name = verb.name.strip()
    queue = rooms.queue(name, verb.max_queue_size)
    start = call.clock.now()
    seat = queue.join(call.sid)
    if seat is None:
        call.warn(codes.QUEUE_FULL, f"queue {name} is full ({queue.max_size} calls)", verb.position)
        return _left(call, verb, "queue-full", queue.sid, 0.0)
    call.timeline.add(
        start,
        "queue",
        f"enqueued in {name} at position {seat.wait_params()['QueuePosition']}",
        queue_sid=queue.sid,
    )
    music: Music | None = None
    wait_url = verb.wait_url
    if wait_url:
        resolved = call.resolve_url(wait_url)
        if resolved is not None:

            async def music() -> EndCall | None:
                return await call.run_hold(
                    resolved,
                    str(verb.wait_url_method),
                    seat.wait_params,
                    WAIT_VERBS,
                    codes.HOLD_VERB_NOT_ALLOWED,
                    loop=True,
                )
    elif wait_url is None:
        call.timeline.add(start, "play", "Twilio's default hold music", sound="hold-music")

    with call.watch_hangup() as line:
        ended = await wait_with_music(call, seat.dequeued, music)
    waited = call.clock.now() - start
    if line.hung_up:
        seat.leave()
        return _left(call, verb, "hangup", queue.sid, waited, hung_up=True)
    if ended is not None:
        seat.leave()
        if ended.reason == LEAVE:
            return _left(call, verb, "leave", queue.sid, waited)
        return ended  # <Hangup> in the wait music
    taken = seat.taken
    if taken is None:  # the wait ended without a dequeue: nothing else can end it
        seat.leave()
        return _left(call, verb, "system-error", queue.sid, waited)
    if taken.bridge is None:  # the REST API sent the call elsewhere
        call.timeline.add(call.clock.now(), "queue", f"left {name}: sent to {taken.url}")
        return navigate(call, taken.url, taken.method, {}, input_given=True)
    return await _bridged(call, verb, seat, taken, waited)


async def _bridged(
    call: CallContext, verb: Enqueue, seat: QueueSeat, taken: Dequeued, waited: float
) -> Outcome:
    bridge = taken.bridge
    assert bridge is not None
    agent = taken.dequeuer_sid or "an agent"
    call.timeline.add(
        call.clock.now(), "queue", f"dequeued by {agent} after {waited:.1f} s", agent=agent
    )
    with call.watch_hangup() as line:
        if taken.url:
            url = call.resolve_url(taken.url)
            params = {
                p.QUEUE_SID: seat.queue_sid,
                p.CALL_SID: call.sid,
                p.QUEUE_TIME: str(whole_seconds(waited)),
                p.DEQUEUING_CALL_SID: agent,
            }
            if url is not None:
                await call.run_hold(
                    url,
                    taken.method,
                    lambda: params,
                    QUEUE_URL_VERBS,
                    codes.HOLD_VERB_NOT_ALLOWED,
                    loop=False,
                )
        bridge.connected.set()
        call.timeline.add(call.clock.now(), "queue", f"bridged to {agent}")
        talk_from = call.clock.now()
        await call.wait_for(bridge.ended)
    if line.hung_up:
        bridge.end(CALLER_HUNG_UP)
    talked = call.clock.now() - talk_from if bridge.connected.is_set() else 0.0
    call.timeline.add(
        call.clock.now(),
        "queue",
        f"call with {agent} ended after {talked:.1f} s ({bridge.ended_by})",
        duration=talked,
    )
    return _left(call, verb, "bridged", seat.queue_sid, waited, hung_up=line.hung_up)


def _left(
    call: CallContext,
    verb: Enqueue,
    result: str,
    queue_sid: str,
    waited: float,
    *,
    hung_up: bool = False,
) -> Outcome:
    """The call left the queue: ``QueueResult`` to the action, or on with the next verb."""
    params = {
        p.QUEUE_RESULT: result,
        p.QUEUE_SID: queue_sid,
        p.QUEUE_TIME: str(whole_seconds(waited)),
    }
    call.timeline.add(call.clock.now(), "queue", f"QueueResult={result}", **params)
    if verb.action:
        return navigate(call, verb.action, str(verb.method), params, input_given=True)
    if hung_up:
        return EndCall(reason="caller-hangup")
    return Continue()


async def run_leave(verb: Leave, call: CallContext) -> Outcome:
    """``<Leave>`` outside a queue's wait music does nothing (Twilio ignores it)."""
    call.timeline.add(call.clock.now(), "note", "<Leave> outside a queue: nothing to leave")
    return Continue()
