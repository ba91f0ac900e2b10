"""``<Dial><Conference>``: the caller joins a named room. Until the room starts (two calls in it,
one with ``startConferenceOnEnter``) the caller hears the ``waitUrl``, requested again each time
it ends; then it stays until the room ends (an ``endConferenceOnExit`` call left, the REST API
ended it), it is removed over REST, it hangs up, its ``timeLimit`` passes or it presses ``*``
(``hangupOnStar``). Then the ``action`` gets ``DialCallStatus=answered`` (Twilio's value for a
conference) and ``ConferenceSid``, or the document goes on after the ``<Dial>``.
"""

from __future__ import annotations

from collections.abc import Mapping

from callbox import codes
from callbox.interpreter import params as p
from callbox.interpreter.context import CallContext
from callbox.interpreter.outcomes import Continue, EndCall, Outcome
from callbox.interpreter.rooms import ConferenceRoom, Member, MemberSpec
from callbox.interpreter.verbs.actions import navigate
from callbox.interpreter.verbs.dial_queue import _agent_stays
from callbox.interpreter.verbs.waiting import Music, wait_with_music
from callbox.markup.model import Conference as ConferenceNoun
from callbox.markup.model import ConferenceBeep, ConferenceRecord, Dial, Trim

WAIT_VERBS = frozenset({"Play", "Say", "Pause", "Redirect"})
"""The verbs a conference ``waitUrl`` document may use (Twilio's list; others are 13238)."""


def member_spec(noun: ConferenceNoun, call: CallContext) -> MemberSpec:
    """What the room needs to know of the call joining it."""

    def hears(kind: str, text: str) -> None:
        call.timeline.add(call.clock.now(), kind, text, sound=kind)

    def sends(url: str, method: str, params: Mapping[str, str]) -> None:
        call.send_callback(url, method, params)

    callback = call.resolve_url(noun.status_callback) if noun.status_callback else None
    return MemberSpec(
        call_sid=call.sid,
        hears=hears,
        sends=sends,
        account_sid=call.account_sid,
        label=noun.participant_label,
        muted=noun.muted,
        start_on_enter=noun.start_conference_on_enter,
        end_on_exit=noun.end_conference_on_exit,
        beep=str(noun.beep if isinstance(noun.beep, ConferenceBeep) else ConferenceBeep.TRUE),
        coach=noun.coach,
        max_participants=noun.max_participants,
        record=noun.record is ConferenceRecord.RECORD_FROM_START,
        region=str(noun.region) if noun.region is not None else None,
        trim=noun.trim is Trim.TRIM_SILENCE,
        status_callback=callback,
        status_callback_method=str(noun.status_callback_method),
        status_callback_events=frozenset(str(event) for event in noun.status_callback_event),
    )


async def dial_conference(dial: Dial, noun: ConferenceNoun, call: CallContext) -> Outcome:
    rooms = call.rooms
    assert rooms is not None  # run_dial checks
    name = noun.name.strip()
    room = rooms.conference(name)
    joined = room.join(member_spec(noun, call))
    if isinstance(joined, str):
        call.warn(
            codes.CONFERENCE_FULL if joined == "full" else codes.VERB_NOT_SUPPORTED,
            f"cannot join conference {name}: it is {joined}",
            noun.position,
        )
        return _done(call, dial, room, "failed", False)
    member: Member = joined
    call.timeline.add(
        call.clock.now(),
        "conference",
        f"joined conference {name} ({'muted' if member.muted else 'unmuted'})",
        conference_sid=room.sid,
    )
    with call.watch_hangup() as line:
        if not room.started.is_set():
            await wait_with_music(call, room.started, _wait_music(noun, call, room))
        if not member.removed.is_set():
            length, why = await _agent_stays(call, dial, call.clock.now())
            await _stay(call, room, member, call.clock.now() + length, why)
    if line.hung_up:
        call.timeline.add(call.clock.now(), "conference", "left conference: the caller hung up")
    elif member.removed.is_set():
        ended = room.reason_ended
        call.timeline.add(
            call.clock.now(),
            "conference",
            f"conference {name} ended ({ended})" if ended else "removed from the conference",
        )
    room.leave(call.sid, "hangup" if line.hung_up else "left")
    return _done(call, dial, room, "answered", line.hung_up)


async def _stay(
    call: CallContext, room: ConferenceRoom, member: Member, until: float, why: str
) -> None:
    """Stay in the room until it lets the call go, or ``until`` (call time, ``why``); the call
    hears each announcement made meanwhile (REST ``AnnounceUrl``)."""
    while not member.removed.is_set():
        left = until - call.clock.now()
        if left > 0 and member.hold and member.hold_music is not None:
            url, method = member.hold_music
            call.timeline.add(call.clock.now(), "conference", f"on hold, hearing {url}")
            await wait_with_music(call, member.attention, _music(call, room, url, method), left)
            woke = member.attention.is_set()
        else:
            woke = left > 0 and await call.wait_for(member.attention, left)
        if not woke:
            call.timeline.add(call.clock.now(), "conference", f"left conference: {why}")
            return
        for url, method in member.take_announcements():
            if member.removed.is_set():
                return
            call.timeline.add(call.clock.now(), "conference", f"announcement from {url}")
            await call.run_hold(
                url,
                method,
                lambda: {p.CONFERENCE_SID: room.sid, "FriendlyName": room.friendly_name},
                WAIT_VERBS,
                codes.CONFERENCE_WAIT_VERB,
                loop=False,
            )
            room.announced(call.sid, url)


def _music(call: CallContext, room: ConferenceRoom, url: str, method: str) -> Music:
    """Hold music from ``url`` (REST ``HoldUrl``), played again each time it ends."""

    async def music() -> EndCall | None:
        return await call.run_hold(
            url,
            method,
            lambda: {p.CONFERENCE_SID: room.sid, "FriendlyName": room.friendly_name},
            WAIT_VERBS,
            codes.CONFERENCE_WAIT_VERB,
            loop=True,
        )

    return music


def _wait_music(noun: ConferenceNoun, call: CallContext, room: ConferenceRoom) -> Music | None:
    if noun.wait_url is None:
        call.timeline.add(call.clock.now(), "play", "Twilio's default hold music", sound="music")
        return None
    if not noun.wait_url.strip():
        return None  # waitUrl="": silence
    url = call.resolve_url(noun.wait_url)
    if url is None:
        return None

    return _music(call, room, url, str(noun.wait_method))


def _done(
    call: CallContext, dial: Dial, room: ConferenceRoom, status: str, hung_up: bool
) -> Outcome:
    params = {p.DIAL_CALL_STATUS: status, p.CONFERENCE_SID: room.sid}
    call.timeline.add(call.clock.now(), "dial", f"DialCallStatus={status}", **params)
    if dial.action:
        return navigate(call, dial.action, str(dial.method), params, input_given=True)
    if hung_up:
        return EndCall(reason="caller-hangup")
    return Continue()
