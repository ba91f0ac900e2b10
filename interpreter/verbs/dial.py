"""``<Dial>``: ring ``Number``, ``Client`` and ``Sip`` far ends, bridge the caller to the one
that answers, then post ``DialCallStatus`` to the action (or go on with the next verb).

The far ends come from ``call.far_end(address)`` (answer after N s, busy, no answer, failed);
who wins is ``interpreter.verbs.ringing``'s table, in parallel or ``sequential``. The answered leg
runs its ``url`` whisper (``call.run_whisper``) and gets ``sendDigits``; the bridge lasts until the
far end hangs up, ``timeLimit``, the caller's ``*`` (``hangupOnStar``) or the caller's hang-up.
``Conference`` and ``Queue`` go to their own runners (``conference``, ``dial_queue``);
``Sim``, ``Application`` and ``WhatsApp`` are not simulated: each is reported (13750) and skipped. A caller who hangs up before the bridge cancels the dial
(``DialCallStatus=canceled``); either way the action is still requested, as Twilio does.
A number the platform serves is a call of its own, running that number's application
(``dial_callee``); bridged to it, the caller hears it and answers its prompts, until either
hangs up or the ``timeLimit``.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from callbox import codes
from callbox.interpreter import params as p
from callbox.interpreter.callee import Callee
from callbox.interpreter.caller import HangUp, InputPrompt, Press
from callbox.interpreter.context import CallContext, FarEnd
from callbox.interpreter.outcomes import Continue, EndCall, Outcome
from callbox.interpreter.params import CallIdentity, call_moment, rfc2822, voice_params
from callbox.interpreter.status import CallStatus
from callbox.interpreter.verbs.actions import navigate
from callbox.interpreter.verbs.callbacks import (
    recording_url,
    send_leg_status,
    send_recording_status,
    whole_seconds,
)
from callbox.interpreter.verbs.conference import dial_conference
from callbox.interpreter.verbs.dial_callee import hang_up_all, ring_callees
from callbox.interpreter.verbs.dial_queue import dial_queue
from callbox.interpreter.verbs.digits import key_presses
from callbox.interpreter.verbs.hearing import sleep_until
from callbox.interpreter.verbs.inputs import note_input, prompt_index
from callbox.interpreter.verbs.ringing import (
    DialCallStatus,
    Leg,
    Ringing,
    ring_parallel,
    ring_sequential,
)
from callbox.markup.model import (
    CallEvent,
    Client,
    Conference,
    Dial,
    DialRecord,
    HttpMethod,
    Number,
    Queue,
    Sip,
    Trim,
)

_COMPLETED_ONLY = frozenset({CallEvent.COMPLETED})
CALLER_HUNG_UP = "the caller hung up"


@dataclass(frozen=True, slots=True)
class Target:
    """One party to ring: its address as the ``To`` of the child leg (``+1415...``,
    ``client:alice``, ``sip:bob@example.com``), its whisper URL, digits and status callback."""

    address: str
    url: str | None = None
    method: str = "POST"
    send_digits: str | None = None
    status_callback: str | None = None
    status_callback_method: str = "POST"
    status_callback_event: frozenset[CallEvent] = _COMPLETED_ONLY

    @property
    def noun_callback(self) -> tuple[str | None, str, Iterable[str]]:
        return (self.status_callback, self.status_callback_method, self.status_callback_event)


def targets(dial: Dial, call: CallContext) -> list[Target]:
    """The parties of a ``<Dial>`` in document order; nouns callbox cannot ring are reported."""
    found: list[Target] = []
    if dial.number and dial.number.strip():
        found.append(Target(dial.number.strip()))
    for noun in dial.nouns:
        if isinstance(noun, Number):
            found.append(
                Target(
                    noun.number,
                    noun.url,
                    str(noun.method),
                    noun.send_digits,
                    noun.status_callback,
                    str(noun.status_callback_method),
                    noun.status_callback_event,
                )
            )
        elif isinstance(noun, Client):
            found.append(
                Target(
                    f"client:{noun.identity}",
                    noun.url,
                    str(noun.method),
                    None,
                    noun.status_callback,
                    str(noun.status_callback_method),
                    noun.status_callback_event,
                )
            )
        elif isinstance(noun, Sip):
            uri = noun.uri or (noun.uris[0].uri if noun.uris else "")
            found.append(
                Target(
                    uri,
                    noun.url,
                    str(noun.method),
                    None,
                    noun.status_callback,
                    str(noun.status_callback_method),
                    noun.status_callback_event,
                )
            )
        else:
            name = getattr(noun, "tag", type(noun).__name__)
            call.warn(
                codes.VERB_NOT_SUPPORTED,
                f"<Dial><{name}> is not supported by callbox's simulator yet: skipped",
                noun.position,
            )
    return found


@dataclass(frozen=True, slots=True)
class Bridge:
    """The bridged conversation: how long it lasted and what ended it."""

    duration: float
    ended_by: str
    caller_hung_up: bool = False


class ChildLeg:
    """A dialed child leg: its SID, identity for callbacks, and callback sequence numbers."""

    def __init__(self, call: CallContext, target: Target, caller_id: str) -> None:
        self.target = target
        self.sid = call.next_sid("CA")
        self.identity = CallIdentity(
            call_sid=self.sid,
            account_sid=call.account_sid,
            from_=caller_id,
            to=target.address,
            direction="outbound-dial",
            parent_call_sid=call.sid,
        )
        self._sequence = 0

    def callback(
        self, call: CallContext, event: str, status: str, duration: float | None = None
    ) -> None:
        sent = send_leg_status(
            call,
            self.target.noun_callback,
            self.identity,
            event,
            status=status,
            sequence=self._sequence,
            duration=duration,
        )
        if sent:
            self._sequence += 1


async def _ring(
    call: CallContext, ringing: Ringing, legs: list[ChildLeg], start: float, now_ringing: set[int]
) -> None:
    """Ring the legs on the call's clock: timeline events and callbacks as each leg progresses.
    ``now_ringing`` holds the indexes of the legs ringing at the moment."""
    schedule: list[tuple[float, int, Leg]] = []
    for leg in ringing.legs:
        schedule.append((leg.started, 0, leg))
        schedule.append((leg.ended, 1 if leg.answered else 2, leg))
    for at, step, leg in sorted(schedule, key=lambda item: (item[0], item[1], item[2].index)):
        await sleep_until(call, start + at)
        child = legs[leg.index]
        address = child.target.address
        if step == 0:
            now_ringing.add(leg.index)
            call.timeline.add(call.clock.now(), "dial", f"ringing {address}", sid=child.sid)
            child.callback(call, "initiated", "initiated")
            child.callback(call, "ringing", "ringing")
        elif step == 1:
            now_ringing.discard(leg.index)
            call.timeline.add(
                call.clock.now(),
                "dial",
                f"{address} answered after {leg.ended - leg.started:.1f} s",
                sid=child.sid,
            )
            child.callback(call, "answered", CallStatus.IN_PROGRESS.value)
        else:
            now_ringing.discard(leg.index)
            call.timeline.add(
                call.clock.now(), "dial", f"{address}: {leg.status.value}", sid=child.sid
            )
            child.callback(call, "completed", leg.status.value, 0.0)


async def _bridge(call: CallContext, dial: Dial, far_end: FarEnd) -> Bridge:
    """The conversation: ends when the far end hangs up, at ``timeLimit``, on ``*`` with
    ``hangupOnStar``, or when the caller hangs up. The caller is asked (kind ``dial``; with
    ``inputs`` empty unless ``hangupOnStar``) whether they hang up or press ``*`` meanwhile."""
    start = call.clock.now()
    limit = float(max(dial.time_limit, 0))
    talk = far_end.talk_for if far_end.talk_for is not None else limit
    length, ended_by = (talk, "the far end hung up") if talk < limit else (limit, "time limit")
    if length > 0:
        action = await call.ask(
            InputPrompt(
                kind="dial",
                index=prompt_index(call),
                inputs=frozenset({"dtmf"}) if dial.hangup_on_star else frozenset(),
                timeout=length,
                finish_on_key="*" if dial.hangup_on_star else "",
                at=start,
            )
        )
        if isinstance(action, HangUp) and action.after < length:
            length, ended_by = max(action.after, 0.0), CALLER_HUNG_UP
        if isinstance(action, Press) and dial.hangup_on_star:
            stars = [
                press.at for press in key_presses(action.digits, action.after) if press.key == "*"
            ]
            if stars and stars[0] < length:
                at = max(stars[0], 0.0)
                with call.watch_hangup() as line:
                    await sleep_until(call, start + at)
                if not line.hung_up:
                    note_input(call, action, verb="dial", outcome="* hangs up the dialed party")
                    return Bridge(at, "the caller pressed *")
                return _caller_left_the_bridge(call, start)
    with call.watch_hangup() as line:
        await sleep_until(call, start + length)
    if line.hung_up or ended_by == CALLER_HUNG_UP:
        return _caller_left_the_bridge(call, start)
    return Bridge(length, ended_by)


async def _bridge_callee(call: CallContext, dial: Dial, callee: Callee) -> Bridge:
    """The conversation with a number's application: ends when its call ends (it hung up), at
    ``timeLimit`` or when the caller hangs up (the callee is hung up then)."""
    start = call.clock.now()
    callee.connect()
    ended = callee.ended.is_set()
    try:
        with call.watch_hangup() as line:
            if not ended:
                ended = await call.wait_for(callee.ended, float(max(dial.time_limit, 0)))
    finally:  # a live redirect or hang-up of the call cancels the dial: the callee ends too
        if not callee.ended.is_set() and not ended:
            callee.hangup()
    if line.hung_up or callee.caller_hung_up:
        callee.hangup()
        return _caller_left_the_bridge(call, start)
    if not ended:
        callee.hangup()
        return Bridge(call.clock.now() - start, "time limit")
    return Bridge(call.clock.now() - start, "the far end hung up")


def _caller_left_the_bridge(call: CallContext, start: float) -> Bridge:
    at = call.clock.now() - start
    note_input(call, HangUp(at), verb="dial", outcome="the caller hung up during the call")
    return Bridge(at, CALLER_HUNG_UP, caller_hung_up=True)


def _caller_left_before_the_bridge(
    call: CallContext, dial: Dial, legs: list[ChildLeg], now_ringing: set[int], chosen: ChildLeg
) -> Outcome:
    """The caller hung up while the parties rang (or the answered one heard its whisper): the
    legs still ringing are canceled and the action, if any, is requested with
    ``DialCallStatus=canceled`` (the session ignores its answer, the caller being gone)."""
    now = call.clock.now()
    for index in sorted(now_ringing):
        child = legs[index]
        call.timeline.add(now, "dial", f"{child.target.address}: canceled", sid=child.sid)
        child.callback(call, "completed", DialCallStatus.CANCELED.value, 0.0)
    status = DialCallStatus.CANCELED
    params = {p.DIAL_CALL_STATUS: status.value, p.DIAL_CALL_SID: chosen.sid, "DialBridged": "false"}
    call.timeline.add(now, "dial", f"DialCallStatus={status.value}", **params)
    if dial.action:
        return navigate(call, dial.action, str(dial.method), params, input_given=False)
    return EndCall(CallStatus.COMPLETED, reason="caller-hangup")


async def _send_digits(call: CallContext, target: Target, child: ChildLeg) -> None:
    if not target.send_digits:
        return
    try:
        tones = call.media.tones(target.send_digits)
    except ValueError as exc:
        call.warn(codes.NUMBER_SEND_DIGITS, f"sendDigits {target.send_digits!r}: {exc}")
        return
    call.timeline.add(
        call.clock.now(),
        "dial",
        f"sent digits {target.send_digits} to {target.address}",
        sid=child.sid,
    )
    await call.clock.sleep(tones.duration)


def _recording(call: CallContext, dial: Dial, seconds: float, started: str) -> dict[str, str]:
    """``record`` on the Dial: the bridged call (from ringing, with the ringing) is saved.

    In simulation a far end makes no sound, and while bridged the caller can only hang up or
    press ``*``: what the caller said and heard is silence, so the recording is that silence,
    as long as the recorded span (the call's audio, ``--audio``, has the same silence).
    ``trim-silence`` trims it to nothing."""
    sid = call.next_sid("RE")
    saved = call.media.save_recording(
        sid,
        call.media.silence(seconds),
        trim=dial.trim is Trim.TRIM_SILENCE,
        call_sid=call.sid,
        account_sid=call.account_sid,
    )
    url = recording_url(call, sid)
    call.timeline.add(
        call.clock.now(), "record", f"recorded the call: {saved.duration:.1f} s as {url}", sid=sid
    )
    send_recording_status(
        call,
        dial.recording_status_callback,
        str(dial.recording_status_callback_method),
        dial.recording_status_callback_event,
        "completed",
        recording_sid=sid,
        duration=saved.duration,
        source="DialVerb",
        started=started,
    )
    return {
        p.RECORDING_URL: url,
        p.RECORDING_SID: sid,
        p.RECORDING_DURATION: str(whole_seconds(saved.duration)),
    }


def _ringback(dial: Dial) -> str:
    """What the caller hears while the parties ring: the ``ringTone`` country's ringback (by
    default the dialed number's; the simulation does not tell countries apart)."""
    tone = f"{dial.ring_tone} ring tone" if dial.ring_tone is not None else "ringback"
    return f"; the caller hears {tone}" + (" until the bridge" if dial.answer_on_bridge else "")


async def run_dial(dial: Dial, call: CallContext) -> Outcome:
    room = next((n for n in dial.nouns if isinstance(n, Conference | Queue)), None)
    if room is not None and call.rooms is not None:
        if isinstance(room, Conference):
            return await dial_conference(dial, room, call)
        return await dial_queue(dial, room, call)
    found = targets(dial, call)
    if not found:
        call.timeline.add(call.clock.now(), "dial", "nothing to dial: <Dial> skipped")
        return Continue()
    caller_id = dial.caller_id or call.from_
    legs = [ChildLeg(call, target, caller_id) for target in found]
    far_ends = [call.far_end(target.address) for target in found]
    start = call.clock.now()
    answered_at = start
    mode = "one after another" if dial.sequential else "in parallel"
    call.timeline.add(
        start,
        "dial",
        f"dialing {', '.join(t.address for t in found)} ({mode}, timeout {dial.timeout} s, "
        f"caller ID {caller_id}{_ringback(dial)})",
        to=[t.address for t in found],
    )
    timeout = float(max(dial.timeout, 0))
    now_ringing: set[int] = set()
    callees: dict[int, Callee] = {}
    with call.watch_hangup() as line:
        far_ends, callees = await ring_callees(
            call, [leg.identity for leg in legs], far_ends, timeout
        )
        ringing = (ring_sequential if dial.sequential else ring_parallel)(far_ends, timeout)
        await _ring(call, ringing, legs, start, now_ringing)
        await sleep_until(call, start + ringing.elapsed)
    if line.hung_up:
        hang_up_all(callees)
        chosen = legs[max(now_ringing)] if now_ringing else legs[0]
        return _caller_left_before_the_bridge(call, dial, legs, now_ringing, chosen)

    status = ringing.status
    bridge: Bridge | None = None
    chosen = legs[ringing.winner.index if ringing.winner else ringing.legs[-1].index]
    hang_up_all(callees, ringing.winner.index if ringing.winner else None)
    if ringing.winner is not None:
        winner = legs[ringing.winner.index]
        callee = callees.get(ringing.winner.index)
        answered_at = call.clock.now()
        bridged = True
        with call.watch_hangup() as line:
            if winner.target.url:
                child_params = voice_params(winner.identity, CallStatus.IN_PROGRESS)
                method = winner.target.method or HttpMethod.POST.value
                bridged = await call.run_whisper(winner.target.url, method, child_params)
            if bridged:
                await _send_digits(call, winner.target, winner)
        if callee is not None and (line.hung_up or not bridged):
            callee.hangup()
        if line.hung_up:
            winner.callback(
                call, "completed", CallStatus.COMPLETED.value, call.clock.now() - answered_at
            )
            return _caller_left_before_the_bridge(call, dial, legs, set(), winner)
        if not bridged:
            status = DialCallStatus.NO_ANSWER
            call.timeline.add(
                call.clock.now(),
                "dial",
                f"the whisper to {winner.target.address} hung up: not bridged",
                sid=winner.sid,
            )
            winner.callback(
                call, "completed", CallStatus.COMPLETED.value, call.clock.now() - answered_at
            )
        else:
            if dial.answer_on_bridge:
                call.answer()  # the caller heard ringing until now
            call.timeline.add(
                call.clock.now(), "dial", f"bridged to {winner.target.address}", sid=winner.sid
            )
            bridge = await (
                _bridge_callee(call, dial, callee)
                if callee is not None
                else _bridge(call, dial, far_ends[ringing.winner.index])
            )
            call.timeline.add(
                call.clock.now(),
                "dial",
                f"call with {winner.target.address} ended after {bridge.duration:.1f} s "
                f"({bridge.ended_by})",
                sid=winner.sid,
                duration=bridge.duration,
            )
            winner.callback(
                call, "completed", CallStatus.COMPLETED.value, call.clock.now() - answered_at
            )

    params = {p.DIAL_CALL_STATUS: status.value, p.DIAL_CALL_SID: chosen.sid}
    if bridge is not None:
        params[p.DIAL_CALL_DURATION] = str(whole_seconds(bridge.duration))
        params["DialBridged"] = "true"
        if dial.record is not DialRecord.DO_NOT_RECORD:
            from_ringing = dial.record in (
                DialRecord.RECORD_FROM_RINGING,
                DialRecord.RECORD_FROM_RINGING_DUAL,
            )
            seconds = bridge.duration + (ringing.elapsed if from_ringing else 0.0)
            recorded_from = call_moment(call.started_at, start if from_ringing else answered_at)
            params.update(_recording(call, dial, seconds, rfc2822(recorded_from)))
    else:
        params["DialBridged"] = "false"
    call.timeline.add(call.clock.now(), "dial", f"DialCallStatus={status.value}", **params)

    caller_left = bridge is not None and bridge.caller_hung_up
    if dial.action:
        return navigate(call, dial.action, str(dial.method), params, input_given=bridge is not None)
    if caller_left:
        return EndCall(CallStatus.COMPLETED, reason="caller-hangup")
    return Continue()
